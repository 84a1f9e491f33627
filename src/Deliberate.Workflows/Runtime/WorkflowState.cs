using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Deliberate.Workflows.Runtime;

public enum WorkflowStatus { Running, Suspended, Finished, Cancelled, Faulted }

/// <summary>
/// Everything the runner needs to carry an instance on, apart from its bookmarks, which the
/// host keeps in their own table so they can be looked up by name and correlation.
/// </summary>
public sealed class WorkflowState
{
    /// <summary>What one variable may hold, as UTF-8 JSON: a script's result is capped at the same.</summary>
    public const int MaxValueBytes = 256 * 1024;
    /// <summary>What all of an instance's variables together may hold: the state is saved, loaded and served whole.</summary>
    public const int MaxVariablesBytes = 1024 * 1024;

    public WorkflowStatus Status { get; set; } = WorkflowStatus.Running;
    public Dictionary<string, JsonNode?> Variables { get; set; } = [];
    /// <summary>Per-activity memory that must survive a save, e.g. a join's arrivals.</summary>
    public Dictionary<string, JsonObject> ActivityState { get; set; } = [];
    /// <summary>Activities scheduled and not yet run: empty unless the instance faulted mid-run.</summary>
    public List<ScheduledActivity> Queue { get; set; } = [];
    public List<Incident> Incidents { get; set; } = [];

    [JsonIgnore] public List<Bookmark> Bookmarks { get; set; } = [];

    public bool IsEnded => Status is WorkflowStatus.Finished or WorkflowStatus.Cancelled;
}

/// <summary>An activity waiting its turn, with the connection that led to it.</summary>
public sealed record ScheduledActivity(string ActivityId, string? FromActivity = null, string? FromPort = null);

public sealed record Incident(Guid Id, string ActivityId, string Message, DateTimeOffset At)
{
    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>A waiting point of one instance.</summary>
public sealed record Bookmark(
    Guid Id,
    string ActivityId,
    string Name,
    string? Correlation,
    JsonNode? Payload,
    DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt);

/// <summary>Who made a run happen: a signed-in user, or the system (timers).</summary>
public sealed record Actor(string Id, string Name)
{
    public static readonly Actor System = new("system", "系统");
}

public enum JournalEvent { WorkflowStarted, Executed, Suspended, Resumed, Held, Faulted, Retried, Cancelled, WorkflowFinished, Migrated }

/// <summary>One line of an instance's journal: every activity execution is recorded.</summary>
public sealed record JournalEntry(
    DateTimeOffset At,
    JournalEvent Event,
    string? ActivityId,
    string? ActivityType,
    string? ActivityName,
    string? Outcome,
    Actor? Actor,
    JsonNode? Data = null);
