using Deliberate.Server.Identity;

namespace Deliberate.Server.Execution;

public enum WorkItemStatus { Open, InProgress, Done, Overdue }

/// <summary>
/// The ladder a work item climbs when a level cannot solve it or it runs overdue (吹哨报到):
/// 小区/网格办理一批、社区落实一批、街道破难一批、部门对接一批.
/// </summary>
public enum EscalationLevel { Grid, Community, Street, Department }

/// <summary>
/// A piece of work (工作事项) with a responsible unit and a deadline, usually from a meeting's resolution.
/// It sits with a role at one level of the organisation and climbs the ladder when escalated; every
/// change is an update in its history, with evidence photos where there are any.
/// </summary>
public sealed class WorkItem
{
    WorkItem() { }

    public WorkItem(Guid id, string title, string? description, string responsibleUnit, EscalationLevel level, Guid orgUnitId,
        Role role, Guid? assigneeId, DateTimeOffset deadline, Guid? matterId, Guid? meetingId, Guid? resolutionId, Guid? batchId, DateTimeOffset now,
        Guid? createdById = null, bool rework = false)
    {
        if (string.IsNullOrWhiteSpace(title)) throw new ArgumentException("A work item needs a title.", nameof(title));
        if (string.IsNullOrWhiteSpace(responsibleUnit)) throw new ArgumentException("A work item needs a responsible unit.", nameof(responsibleUnit));
        BatchId = batchId;
        Id = id;
        Title = title;
        Description = description;
        ResponsibleUnit = responsibleUnit;
        Level = level;
        OrgUnitId = orgUnitId;
        Role = role;
        AssigneeId = assigneeId;
        Deadline = deadline;
        MatterId = matterId;
        MeetingId = meetingId;
        ResolutionId = resolutionId;
        CreatedAt = now;
        Rework = rework;
        Add(WorkItemUpdateKind.Created, createdById, rework ? "返工" : null, now);
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public string? Description { get; private set; }
    /// <summary>责任单位 as the resolution names it, e.g. 物业公司.</summary>
    public string ResponsibleUnit { get; private set; } = "";
    public EscalationLevel Level { get; private set; }
    /// <summary>The organisation node of the current level (grid, community, street, district).</summary>
    public Guid OrgUnitId { get; private set; }
    /// <summary>The role that works on it at this level.</summary>
    public Role Role { get; private set; }
    public Guid? AssigneeId { get; private set; }
    public DateTimeOffset Deadline { get; private set; }
    public WorkItemStatus Status { get; private set; }
    /// <summary>Per cent done, as last reported.</summary>
    public int Progress { get; private set; }
    public Guid? MatterId { get; private set; }
    public Guid? MeetingId { get; private set; }
    public Guid? ResolutionId { get; private set; }
    /// <summary>The items a workflow's Execute step made together; it goes on when all of them are done.</summary>
    public Guid? BatchId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }
    /// <summary>返工: made again because the residents were not satisfied with the first round of work.</summary>
    public bool Rework { get; private set; }
    /// <summary>Bumped by every change, so that two people (or a deadline) changing the item at once cannot both win.</summary>
    public int Revision { get; private set; }
    public List<WorkItemUpdate> Updates { get; private set; } = [];
    /// <summary>The deadline a reminder went out for: a new deadline (escalation, reopening) earns a new reminder.</summary>
    public DateTimeOffset? RemindedFor { get; private set; }

    /// <summary>Records the reminder for the current deadline; false when it was already sent.</summary>
    public bool MarkReminded()
    {
        if (RemindedFor == Deadline) return false;
        RemindedFor = Deadline;
        Revision++;
        return true;
    }

    public bool IsFinished => Status == WorkItemStatus.Done;

    /// <summary>Not done and past its deadline (whether or not the deadline has been handled yet).</summary>
    public bool IsOverdueAt(DateTimeOffset now) => !IsFinished && (Status == WorkItemStatus.Overdue || Deadline < now);

    public WorkItemUpdate Report(Guid byId, string text, int? percent, DateTimeOffset now)
    {
        EnsureNotDone();
        EnsureText(text);
        if (percent is { } p)
        {
            if (p is < 0 or > 100) throw new WorkItemRuleException("badPercent", "进度应在 0 到 100 之间。", "Progress must be between 0 and 100.");
            Progress = p;
        }
        if (Status == WorkItemStatus.Open) Status = WorkItemStatus.InProgress;
        return Add(WorkItemUpdateKind.Progress, byId, text, now);
    }

    public WorkItemUpdate Complete(Guid byId, string text, DateTimeOffset now)
    {
        EnsureNotDone();
        EnsureText(text);
        Status = WorkItemStatus.Done;
        Progress = 100;
        DoneAt = now;
        return Add(WorkItemUpdateKind.Done, byId, text, now);
    }

    /// <summary>The deadline passed with the work unfinished.</summary>
    public WorkItemUpdate? MarkOverdue(DateTimeOffset now)
    {
        if (IsFinished || Status == WorkItemStatus.Overdue || now < Deadline) return null;
        Status = WorkItemStatus.Overdue;
        return Add(WorkItemUpdateKind.Overdue, null, null, now);
    }

    /// <summary>Hands the item one level up the ladder, to that level's role and node, with a new deadline.</summary>
    public WorkItemUpdate Escalate(Guid? byId, string reason, Guid toOrgUnitId, Role toRole, DateTimeOffset newDeadline, DateTimeOffset now)
    {
        EnsureText(reason);
        EnsureCanEscalate();
        var from = Level;
        Level = from + 1;
        OrgUnitId = toOrgUnitId;
        Role = toRole;
        AssigneeId = null;
        Deadline = newDeadline;
        Status = WorkItemStatus.Open;
        var update = Add(WorkItemUpdateKind.Escalated, byId, reason, now);
        update.SetLevels(from, Level);
        return update;
    }

    /// <summary>Residents were not satisfied: back to work.</summary>
    public WorkItemUpdate Reopen(Guid? byId, string reason, DateTimeOffset newDeadline, DateTimeOffset now)
    {
        if (!IsFinished) throw new WorkItemRuleException("notDone", "事项尚未完成，无需重新打开。", "The item is not done; there is nothing to reopen.");
        Status = WorkItemStatus.Open;
        DoneAt = null;
        Deadline = newDeadline;
        return Add(WorkItemUpdateKind.Reopened, byId, reason, now);
    }

    /// <summary>Throws unless there is a level above and the work is unfinished.</summary>
    public void EnsureCanEscalate()
    {
        EnsureNotDone();
        if (Level == EscalationLevel.Department)
            throw new WorkItemRuleException("topOfLadder", "已到职能部门，不能再上报。", "The item is already with a department; there is no level above.");
    }

    void EnsureNotDone()
    {
        if (IsFinished) throw new WorkItemRuleException("done", "该事项已完成。", "The item is already done.");
    }

    static void EnsureText(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new WorkItemRuleException("noText", "请填写说明。", "Say what was done or why.");
    }

    WorkItemUpdate Add(WorkItemUpdateKind kind, Guid? byId, string? text, DateTimeOffset now)
    {
        Revision++;
        var update = new WorkItemUpdate(Guid.CreateVersion7(now), Id, kind, byId, text, Progress, now);
        Updates.Add(update);
        return update;
    }
}

public enum WorkItemUpdateKind { Created, Progress, Done, Overdue, Escalated, Reopened }

/// <summary>One line of a work item's history; evidence photos attach to it (<see cref="Files.AttachmentOwner.WorkItemUpdate"/>).</summary>
public sealed class WorkItemUpdate
{
    WorkItemUpdate() { }

    public WorkItemUpdate(Guid id, Guid workItemId, WorkItemUpdateKind kind, Guid? byId, string? text, int progress, DateTimeOffset at)
    {
        Id = id;
        WorkItemId = workItemId;
        Kind = kind;
        ById = byId;
        Text = text;
        Progress = progress;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid WorkItemId { get; private set; }
    public WorkItemUpdateKind Kind { get; private set; }
    /// <summary>Who made it; null for the system (a deadline).</summary>
    public Guid? ById { get; private set; }
    public string? Text { get; private set; }
    public int Progress { get; private set; }
    public DateTimeOffset At { get; private set; }
    public EscalationLevel? FromLevel { get; private set; }
    public EscalationLevel? ToLevel { get; private set; }

    public void SetLevels(EscalationLevel from, EscalationLevel to)
    {
        FromLevel = from;
        ToLevel = to;
    }
}

public sealed class WorkItemRuleException(string code, string messageZh, string messageEn) : Api.DomainRuleException(code, messageZh, messageEn);
