using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>
/// How workflows wait for the domain and how the domain wakes them: an activity that waits for, say,
/// a ballot to close leaves an event bookmark (name + the ballot's id); closing the ballot publishes that
/// event, which resumes every instance waiting for it — in the same transaction as the closing itself.
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
    /// Resumes the waiting instances, then saves whatever else the caller changed (when no instance was
    /// waiting, nothing has saved it yet). Call it last, after changing the domain rows.
    /// </summary>
    public static async Task PublishAsync(WorkflowEngine engine, DeliberateDbContext db, string name, Guid id, JsonNode? payload, Actor actor,
        CancellationToken ct)
    {
        await engine.PublishEventAsync(name, id.ToString(), payload, actor, ct);
        await db.SaveChangesAsync(ct);
    }
}
