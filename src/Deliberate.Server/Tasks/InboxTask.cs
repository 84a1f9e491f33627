using Deliberate.Server.Identity;

namespace Deliberate.Server.Tasks;

public enum InboxTaskStatus { Open, Completed, Cancelled }

/// <summary>
/// A task in someone's inbox, made from a HumanTask bookmark (same id). Whoever holds its role
/// within its scope — or its named assignee — can complete it, which resumes the workflow.
/// </summary>
public sealed class InboxTask
{
    InboxTask() { }

    public InboxTask(Guid id, Guid instanceId, string activityId, Guid? matterId, string title, string? description,
        Role role, Guid? scopeId, Guid? assigneeId, string formJson, string outcomesJson, DateTimeOffset? dueAt, DateTimeOffset createdAt)
    {
        Id = id;
        InstanceId = instanceId;
        ActivityId = activityId;
        MatterId = matterId;
        Title = title;
        Description = description;
        Role = role;
        ScopeId = scopeId;
        AssigneeId = assigneeId;
        FormJson = formJson;
        OutcomesJson = outcomesJson;
        DueAt = dueAt;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }
    public string ActivityId { get; private set; } = "";
    public Guid? MatterId { get; private set; }
    public string Title { get; private set; } = "";
    public string? Description { get; private set; }
    public Role Role { get; private set; }
    public Guid? ScopeId { get; private set; }
    public Guid? AssigneeId { get; private set; }
    public string FormJson { get; private set; } = "[]";
    public string OutcomesJson { get; private set; } = "[]";
    public DateTimeOffset? DueAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public InboxTaskStatus Status { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public Guid? CompletedById { get; private set; }
    public string? Outcome { get; private set; }
    public string? ValuesJson { get; private set; }
    /// <summary>When the reminder before <see cref="DueAt"/> went out (once).</summary>
    public DateTimeOffset? RemindedAt { get; private set; }
    /// <summary>When the level above was told the task ran overdue (once).</summary>
    public DateTimeOffset? EscalatedAt { get; private set; }

    /// <summary>Records the reminder; false when it was already sent or the task is no longer open.</summary>
    public bool MarkReminded(DateTimeOffset now)
    {
        if (Status != InboxTaskStatus.Open || RemindedAt is not null) return false;
        RemindedAt = now;
        return true;
    }

    /// <summary>Records the escalation of an overdue task; false when it was already made, or the task is done or not overdue.</summary>
    public bool MarkEscalated(DateTimeOffset now)
    {
        if (Status != InboxTaskStatus.Open || DueAt is not { } due || now < due || EscalatedAt is not null) return false;
        EscalatedAt = now;
        return true;
    }

    public bool IsOverdue(DateTimeOffset now) => Status == InboxTaskStatus.Open && DueAt is { } due && due < now;

    public void Complete(Guid userId, string outcome, string valuesJson, DateTimeOffset now)
    {
        if (Status != InboxTaskStatus.Open) throw new InvalidOperationException($"The task is {Status}.");
        Status = InboxTaskStatus.Completed;
        CompletedById = userId;
        Outcome = outcome;
        ValuesJson = valuesJson;
        CompletedAt = now;
    }

    /// <summary>The workflow moved on without it (a branch ended, the instance was cancelled).</summary>
    public void Cancel(DateTimeOffset now)
    {
        if (Status != InboxTaskStatus.Open) return;
        Status = InboxTaskStatus.Cancelled;
        CompletedAt = now;
    }
}
