using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Notifications;
using Deliberate.Server.Scheduling;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Execution;

/// <summary>A work item's two moments: the reminder before its deadline, and the deadline itself (overdue → the ladder).</summary>
public static class WorkItemSla
{
    /// <summary>Sets both once the item is committed; <paramref name="windowStart"/> is when it got this deadline.</summary>
    public static void Schedule(Deadlines deadlines, SlaOptions sla, Guid id, DateTimeOffset windowStart, DateTimeOffset deadline)
    {
        deadlines.Schedule(WorkItemOverdueHandler.KindName, id, deadline);
        if (sla.ReminderAt(windowStart, deadline) is { } remindAt) deadlines.Schedule(WorkItemReminderHandler.KindName, id, remindAt);
    }

    /// <summary>The same, after the activity's run is committed.</summary>
    public static void ScheduleDeadlines(this ActivityContext context, Guid id, DateTimeOffset windowStart, DateTimeOffset deadline) =>
        context.AfterCommit((services, _) =>
        {
            Schedule(services.GetRequiredService<Deadlines>(), services.GetRequiredService<SlaOptions>(), id, windowStart, deadline);
            return Task.CompletedTask;
        });

    /// <summary>Who works on the item now: its assignee, else whoever holds its role at its node or above.</summary>
    public static async Task<List<Guid>> WorkersAsync(DeliberateDbContext db, WorkItem item, CancellationToken ct) =>
        item.AssigneeId is { } assignee ? [assignee] : await Notify.RoleHoldersOverAsync(db, item.Role, item.OrgUnitId, ct);

    /// <summary>
    /// Tells whoever works on a new item (e.g. the property company's users for an item given to 物业) that it is theirs; added to the
    /// context, saved with the item.
    /// </summary>
    public static async Task NotifyAssignedAsync(DeliberateDbContext db, WorkItem item, DateTimeOffset now, CancellationToken ct)
    {
        var due = ChinaTime.Deadline(item.Deadline);
        Notify.Send(db, await WorkersAsync(db, item, ct), NotificationKind.Assignment, $"新工作事项：{item.Title}", $"New work item: {item.Title}",
            $"责任单位：{item.ResponsibleUnit}；完成时限：{due}（北京时间）。请办理并报告进度。",
            $"Responsible: {item.ResponsibleUnit}; due {due} (Beijing time). Please carry it out and report progress.",
            Notify.Links.WorkItem(item.Id, item.MatterId), now);
    }
}

/// <summary>"workitem.reminder": before the deadline, reminds whoever works on an unfinished item; once per deadline.</summary>
public sealed class WorkItemReminderHandler(DeliberateDbContext db, SlaOptions sla, TimeProvider clock) : IDeadlineHandler
{
    public const string KindName = "workitem.reminder";
    public string Kind => KindName;

    public async Task HandleAsync(Guid id, CancellationToken ct)
    {
        var item = await db.WorkItems.FirstOrDefaultAsync(w => w.Id == id, ct);
        var now = clock.GetUtcNow();
        if (item is null || item.IsFinished || now >= item.Deadline || !item.MarkReminded()) return;
        var due = ChinaTime.Deadline(item.Deadline);
        Notify.Send(db, await WorkItemSla.WorkersAsync(db, item, ct), NotificationKind.Reminder, $"即将到期：{item.Title}", $"Due soon: {item.Title}",
            $"工作事项将于 {due}（北京时间）到期，请及时办理并报告进度。", $"The work item is due at {due} (Beijing time); please finish it and report progress.",
            Notify.Links.WorkItem(item.Id, item.MatterId), now);
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct)
    {
        var dueBy = until + sla.ReminderLead; // a reminder comes at most the lead before its deadline
        var items = await db.WorkItems.AsNoTracking()
            .Where(w => (w.Status == WorkItemStatus.Open || w.Status == WorkItemStatus.InProgress) && w.RemindedFor != w.Deadline)
            .Where(w => dueBy == null || w.Deadline <= dueBy)
            .Select(w => new
            {
                w.Id, w.Deadline, w.CreatedAt,
                Changes = w.Updates.Where(u => u.Kind == WorkItemUpdateKind.Escalated || u.Kind == WorkItemUpdateKind.Reopened)
                    .Select(u => u.At).ToList(),
            })
            .ToListAsync(ct);
        return items.Select(w => (w.Id, At: sla.ReminderAt(w.Changes.Append(w.CreatedAt).Max(), w.Deadline)))
            .Where(w => w.At is not null).Select(w => (w.Id, w.At!.Value)).ToList();
    }
}
