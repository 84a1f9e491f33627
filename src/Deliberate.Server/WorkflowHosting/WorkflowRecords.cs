using Deliberate.Workflows.Runtime;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>
/// One version of a workflow definition. Versions are drafts until published; a published version
/// never changes, so the instances started on it run on exactly what they started with.
/// </summary>
public sealed class WorkflowDefinitionRecord
{
    WorkflowDefinitionRecord() { }

    public WorkflowDefinitionRecord(Guid id, string definitionId, int version, string name, string json, DateTimeOffset now, string? createdBy)
    {
        Id = id;
        DefinitionId = definitionId;
        Version = version;
        Name = name;
        Json = json;
        CreatedAt = now;
        UpdatedAt = now;
        CreatedBy = createdBy;
    }

    public Guid Id { get; private set; }
    public string DefinitionId { get; private set; } = "";
    public int Version { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The definition in our JSON format.</summary>
    public string Json { get; private set; } = "";
    public bool IsPublished { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public string? CreatedBy { get; private set; }

    public void ReplaceDraft(string name, string json, DateTimeOffset now)
    {
        if (IsPublished) throw new InvalidOperationException("A published version never changes; save a new draft instead.");
        Name = name;
        Json = json;
        UpdatedAt = now;
    }

    public void Publish(DateTimeOffset now)
    {
        if (IsPublished) throw new InvalidOperationException("This version is already published.");
        IsPublished = true;
        PublishedAt = now;
    }
}

/// <summary>
/// Within what an instance's domain activities act (matters, meetings, ballots, notices, work items, ratings):
/// see <see cref="InstanceScope"/>.
/// </summary>
public enum StartScope
{
    /// <summary>A designer's manual start: domain activities refuse to touch real rows (the instance faults).</summary>
    TestRun,
    /// <summary>Started by the system for one matter (a resident raised it): only that matter and its own line of the organisation.</summary>
    Matter,
    /// <summary>Started by a staff member by hand: whatever the API would let that person do, by the same *Access rules.</summary>
    Starter,
}

/// <summary>A running or ended workflow instance. <see cref="Revision"/> guards against two nodes advancing it at once.</summary>
public sealed class WorkflowInstanceRecord
{
    WorkflowInstanceRecord() { }

    public WorkflowInstanceRecord(Guid id, string definitionId, int version, string? correlationId, DateTimeOffset now,
        StartScope scope = StartScope.TestRun, Guid? startedById = null, Guid? scopeMatterId = null)
    {
        Id = id;
        DefinitionId = definitionId;
        DefinitionVersion = version;
        CorrelationId = correlationId;
        CreatedAt = now;
        UpdatedAt = now;
        Scope = scope;
        StartedById = startedById;
        ScopeMatterId = scopeMatterId;
    }

    /// <summary>Who started it: the resident who raised the matter, or the person who started it by hand.</summary>
    public Guid? StartedById { get; private set; }
    /// <summary>What its domain activities may touch (fixed at the start).</summary>
    public StartScope Scope { get; private set; }
    /// <summary>The one matter a <see cref="StartScope.Matter"/> instance may touch.</summary>
    public Guid? ScopeMatterId { get; private set; }
    public bool IsTestRun => Scope == StartScope.TestRun;

    public Guid Id { get; private set; }
    public string DefinitionId { get; private set; } = "";
    public int DefinitionVersion { get; private set; }
    public string? CorrelationId { get; private set; }
    public WorkflowStatus Status { get; private set; }
    /// <summary>The runner's <see cref="WorkflowState"/> as JSON (variables, join memory, queue, incidents).</summary>
    public string StateJson { get; private set; } = "{}";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>Concurrency token: bumped on every save, so a stale writer fails instead of overwriting.</summary>
    public int Revision { get; private set; }
    /// <summary>How many journal lines the instance has: the next line's sequence number follows it.</summary>
    public int JournalLength { get; private set; }
    public List<BookmarkRecord> Bookmarks { get; private set; } = [];

    public void Save(WorkflowState state, string stateJson, DateTimeOffset now)
    {
        Status = state.Status;
        StateJson = stateJson;
        UpdatedAt = now;
        if (state.IsEnded) FinishedAt ??= now;
        Revision++;
    }

    /// <summary>Numbers the run's journal lines after the instance's last one.</summary>
    public IEnumerable<JournalRecord> Append(IEnumerable<JournalEntry> entries)
    {
        foreach (var entry in entries) yield return new JournalRecord(Id, ++JournalLength, entry);
    }

    public void MoveToVersion(int version) => DefinitionVersion = version;
}

/// <summary>A bookmark: where an instance waits, findable by name and correlation.</summary>
public sealed class BookmarkRecord
{
    BookmarkRecord() { }

    public BookmarkRecord(Bookmark bookmark, Guid instanceId)
    {
        Id = bookmark.Id;
        InstanceId = instanceId;
        ActivityId = bookmark.ActivityId;
        Name = bookmark.Name;
        Correlation = bookmark.Correlation;
        PayloadJson = bookmark.Payload?.ToJsonString(Deliberate.Workflows.Model.WorkflowJson.Options);
        DueAt = bookmark.DueAt;
        CreatedAt = bookmark.CreatedAt;
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }
    public string ActivityId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Correlation { get; private set; }
    public string? PayloadJson { get; private set; }
    public DateTimeOffset? DueAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>
    /// How often the scheduler has started to resume this bookmark, counted and committed before each try: a try that
    /// crashed the process is counted too, so a poisoned timer is not resumed forever (see <see cref="ResumeTimerJob"/>).
    /// </summary>
    public int ResumeAttempts { get; private set; }

    /// <summary>
    /// Points a waiting bookmark at another thing to wait for (a cancelled meeting's agenda item moved to another meeting);
    /// the instance keeps waiting in the same activity.
    /// </summary>
    public void Redirect(string correlation, System.Text.Json.Nodes.JsonNode? payload)
    {
        Correlation = correlation;
        PayloadJson = payload?.ToJsonString(Deliberate.Workflows.Model.WorkflowJson.Options);
    }

    public Bookmark ToBookmark() => new(Id, ActivityId, Name, Correlation,
        PayloadJson is null ? null : System.Text.Json.Nodes.JsonNode.Parse(PayloadJson), DueAt, CreatedAt);
}

/// <summary>
/// One journal line: every activity execution, with time, outcome and actor. Append-only; addressed by
/// instance and sequence number, so lines are ordered without a database-generated key.
/// </summary>
public sealed class JournalRecord
{
    JournalRecord() { }

    public JournalRecord(Guid instanceId, int sequence, JournalEntry entry)
    {
        InstanceId = instanceId;
        Sequence = sequence;
        At = entry.At;
        Event = entry.Event;
        ActivityId = entry.ActivityId;
        ActivityType = entry.ActivityType;
        ActivityName = entry.ActivityName;
        Outcome = entry.Outcome;
        ActorId = entry.Actor?.Id;
        ActorName = entry.Actor?.Name;
        DataJson = entry.Data?.ToJsonString(Deliberate.Workflows.Model.WorkflowJson.Options);
    }

    public Guid InstanceId { get; private set; }
    public int Sequence { get; private set; }
    public DateTimeOffset At { get; private set; }
    public JournalEvent Event { get; private set; }
    public string? ActivityId { get; private set; }
    public string? ActivityType { get; private set; }
    public string? ActivityName { get; private set; }
    public string? Outcome { get; private set; }
    public string? ActorId { get; private set; }
    public string? ActorName { get; private set; }
    public string? DataJson { get; private set; }
}
