using System.Text.Json.Nodes;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Workflows.Activities;

/// <summary>
/// An activity: one constructor (its services), plain input properties set from the definition,
/// outcomes declared with <see cref="OutcomeAttribute"/>. An activity that waits returns a bookmark
/// from <see cref="ExecuteAsync"/> and is called again at <see cref="ResumeAsync"/>.
/// </summary>
public abstract class Activity
{
    public abstract ValueTask<ActivityResult> ExecuteAsync(ActivityContext context);

    public virtual ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload) =>
        throw new InvalidOperationException($"{GetType().Name} does not wait, so it cannot be resumed.");
}

/// <summary>What an activity asks the runner to do next.</summary>
public abstract record ActivityResult
{
    public static ActivityResult Done(params string[] outcomes) => new Completed(outcomes);
    public static ActivityResult Wait(BookmarkRequest bookmark) => new Waiting(bookmark);
    /// <summary>Nothing leaves yet: a join still waiting for other branches.</summary>
    public static readonly ActivityResult Hold = new Held();
    /// <summary>End the whole workflow now, dropping every other branch.</summary>
    public static readonly ActivityResult FinishWorkflow = new Finishing();

    public sealed record Completed(IReadOnlyList<string> Outcomes) : ActivityResult;
    public sealed record Waiting(BookmarkRequest Bookmark) : ActivityResult;
    public sealed record Held : ActivityResult;
    public sealed record Finishing : ActivityResult;
}

/// <summary>What a waiting activity leaves behind to be found again.</summary>
/// <param name="Name">What it waits for, e.g. "HumanTask", "Timer", "Event:matter.reopened".</param>
/// <param name="Correlation">A key to find it by, e.g. a ballot id.</param>
/// <param name="Payload">Typed data for whoever handles the bookmark (a task's title and form).</param>
/// <param name="DueAt">For timers: when it comes due.</param>
public sealed record BookmarkRequest(string Name, string? Correlation = null, JsonNode? Payload = null, DateTimeOffset? DueAt = null);
