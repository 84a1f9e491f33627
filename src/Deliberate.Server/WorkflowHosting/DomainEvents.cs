using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>
/// How workflows wait for the domain and how the domain wakes them: an activity that waits for, say,
/// a ballot to close leaves an event bookmark (name + the ballot's id); closing the ballot publishes that
/// event, which resumes every instance waiting for it — in the same transaction as the closing itself: the close and
/// every waiting instance's advance are committed together, or (a save fails) none of them is and the close throws.
/// An activity that fails on resuming faults its own instance (an incident); that is saved with the rest.
/// </summary>
public static class DomainEvents
{
    public const string MeetingClosed = "meeting.closed";
    public const string BallotClosed = "ballot.closed";
    public const string ConsultationClosed = "consultation.closed";
    public const string RatingClosed = "rating.closed";
    /// <summary>Every work item of one Execute step is done (correlation: the batch id).</summary>
    public const string WorkItemsDone = "workItems.done";

    /// <summary>The bookmark an activity returns to wait for <paramref name="name"/> about <paramref name="id"/>.</summary>
    public static BookmarkRequest Await(string name, Guid id, JsonNode? payload = null) =>
        new(WaitForEvent.BookmarkPrefix + name, id.ToString(), payload);

    /// <summary>
    /// Resumes the waiting instances and saves whatever else the caller changed, in one transaction
    /// (<see cref="WorkflowEngine.PublishEventAsync"/>). Call it last, after changing the domain rows.
    /// <paramref name="db"/> is the request's context, the engine's own: its pending changes are what is saved with the advance.
    /// </summary>
    public static Task PublishAsync(WorkflowEngine engine, DeliberateDbContext db, string name, Guid id, JsonNode? payload, Actor actor,
        CancellationToken ct)
    {
        if (!ReferenceEquals(db, engine.Db))
            throw new InvalidOperationException("Publish a domain event with the engine's own context, or the close would not be saved with the "
                + "advance.");
        return engine.PublishEventAsync(name, id.ToString(), payload, actor, ct);
    }
}
