using System.Globalization;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Notifications;
using Deliberate.Server.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Tasks;

/// <summary>
/// The inbox's side of time: who is told of a new task, the reminder before its deadline, and the escalation when it
/// runs overdue — to the role one rung up the ladder (网格 → 社区 → 街道 → 部门) at the parent node.
/// </summary>
public static class TaskSla
{
    public const string ReminderKind = "task.reminder", OverdueKind = "task.overdue";

    /// <summary>Its assignee, else whoever holds its role at its scope or above (who sees it in their inbox).</summary>
    public static async Task<List<Guid>> WorkersAsync(DeliberateDbContext db, InboxTask task, CancellationToken ct) =>
        task.AssigneeId is { } assignee ? [assignee]
        : task.ScopeId is { } scope ? await Notify.RoleHoldersOverAsync(db, task.Role, scope, ct)
        : await db.UserRoles.Where(r => r.Role == task.Role).Select(r => r.UserId).Distinct().ToListAsync(ct);

    /// <summary>Adds the "assignment" notifications of a new task to the context (saved with the step that made it).</summary>
    public static async Task NotifyAssignedAsync(DeliberateDbContext db, InboxTask task, DateTimeOffset now, CancellationToken ct)
    {
        var due = task.DueAt is { } d ? ChinaTime.Minutes(d) : null;
        Notify.Send(db, await WorkersAsync(db, task, ct), NotificationKind.Assignment, $"新任务：{task.Title}", $"New task: {task.Title}",
            (task.Description ?? task.Title) + (due is null ? "" : $"（办理时限：{due}）"),
            (task.Description ?? task.Title) + (due is null ? "" : $" (due {due}, Beijing time)"), Notify.Links.Task(task.Id), now);
    }

    /// <summary>Sets the reminder and the overdue check of a task with a deadline; call after the task is committed.</summary>
    public static void Schedule(Deadlines deadlines, SlaOptions sla, Guid taskId, DateTimeOffset createdAt, DateTimeOffset dueAt)
    {
        if (sla.ReminderAt(createdAt, dueAt) is { } remindAt) deadlines.Schedule(ReminderKind, taskId, remindAt);
        deadlines.Schedule(OverdueKind, taskId, dueAt);
    }

    /// <summary>Cancels the reminder and the overdue check of a task that is no longer open.</summary>
    public static void Cancel(Deadlines deadlines, SlaOptions sla, InboxTask task)
    {
        if (task.DueAt is not { } dueAt) return;
        if (sla.ReminderAt(task.CreatedAt, dueAt) is { } remindAt) deadlines.Cancel(ReminderKind, task.Id, remindAt);
        deadlines.Cancel(OverdueKind, task.Id, dueAt);
    }
}

public sealed class TaskReminderHandler(DeliberateDbContext db, SlaOptions sla, TimeProvider clock) : IDeadlineHandler
{
    public string Kind => TaskSla.ReminderKind;

    public async Task HandleAsync(Guid id, CancellationToken ct)
    {
        var task = await db.InboxTasks.FirstOrDefaultAsync(t => t.Id == id, ct);
        var now = clock.GetUtcNow();
        if (task?.DueAt is not { } due || now >= due || !task.MarkReminded(now)) return;
        Notify.Send(db, await TaskSla.WorkersAsync(db, task, ct), NotificationKind.Reminder, $"任务即将到期：{task.Title}", $"Task due soon: {task.Title}",
            $"办理时限：{ChinaTime.Deadline(due)}（北京时间），请及时办理。", $"Due: {ChinaTime.Deadline(due)} (Beijing time); please complete it in time.",
            Notify.Links.Task(task.Id), now);
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct)
    {
        var dueBy = until + sla.ReminderLead; // a reminder comes at most the lead before its deadline
        return (await db.InboxTasks.AsNoTracking().Where(t => t.Status == InboxTaskStatus.Open && t.DueAt != null && t.RemindedAt == null)
            .Where(t => dueBy == null || t.DueAt <= dueBy)
            .Select(t => new { t.Id, t.CreatedAt, t.DueAt }).ToListAsync(ct))
        .Select(t => (t.Id, At: sla.ReminderAt(t.CreatedAt, t.DueAt!.Value))).Where(t => t.At is not null).Select(t => (t.Id, t.At!.Value)).ToList();
    }
}

public sealed class TaskOverdueHandler(DeliberateDbContext db, TimeProvider clock) : IDeadlineHandler
{
    public string Kind => TaskSla.OverdueKind;

    public async Task HandleAsync(Guid id, CancellationToken ct)
    {
        var task = await db.InboxTasks.FirstOrDefaultAsync(t => t.Id == id, ct);
        var now = clock.GetUtcNow();
        if (task?.DueAt is not { } due || now < due || !task.MarkEscalated(now)) return;
        var recipients = new List<Guid>();
        var scope = task.ScopeId is { } s ? await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == s, ct) : null;
        var level = scope is null ? (EscalationLevel?)null : EscalationLadder.LevelOf(scope.Level);
        if (scope?.ParentId is { } parent && level is { } l && l != EscalationLevel.Department)
        {
            // A building's task is its grid's: the rung above a grid is the community, two nodes up.
            var above = scope.Level == Organisation.OrgLevel.Building
                ? await db.OrgUnits.AsNoTracking().Where(o => o.Id == parent).Select(o => o.ParentId).FirstOrDefaultAsync(ct) ?? parent
                : parent;
            recipients.AddRange(await Notify.RoleHoldersOverAsync(db, EscalationLadder.RoleAt(l + 1), above, ct));
        }
        recipients.AddRange(await TaskSla.WorkersAsync(db, task, ct));
        Notify.Send(db, recipients, NotificationKind.Escalation, $"任务逾期：{task.Title}", $"Task overdue: {task.Title}",
            $"办理时限 {ChinaTime.Deadline(due)} 已过，任务仍未办理，已告知上一级。",
            $"The deadline {ChinaTime.Deadline(due)} has passed with the task undone; the level above has been told.",
            Notify.Links.Task(task.Id), now);
        if (task.ScopeId is { } at)
            await GroupNotify.PostAsync(db, at, GroupAudience.Grid, NotificationKind.Escalation, $"任务逾期：{task.Title}",
                $"办理时限 {ChinaTime.Minutes(due)} 已过，任务仍未办理。", Notify.Links.Task(task.Id).Staff, now, ct);
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct) =>
        (await db.InboxTasks.AsNoTracking().Where(t => t.Status == InboxTaskStatus.Open && t.DueAt != null && t.EscalatedAt == null)
            .Where(t => until == null || t.DueAt <= until)
            .Select(t => new { t.Id, t.DueAt }).ToListAsync(ct)).Select(t => (t.Id, t.DueAt!.Value)).ToList();
}
