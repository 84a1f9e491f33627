using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Execution;

/// <summary>
/// "workitem.overdue": at its deadline an unfinished item is marked overdue and escalated one level by the
/// system (网格吹哨、部门报到), with the next level's deadline scheduled. At the top of the ladder it stays overdue.
/// Idempotent: an item done or given a later deadline meanwhile is left alone — except that a done item's batch
/// is looked at once more, so that a workflow whose wake-up was lost in a crash still goes on.
/// </summary>
public sealed class WorkItemOverdueHandler(DeliberateDbContext db, Deadlines deadlines, SlaOptions sla, WorkflowEngine engine,
    TimeProvider clock) : IDeadlineHandler
{
    public const string KindName = "workitem.overdue";
    public const string ReasonZh = "逾期未办结，系统自动上报。";

    public string Kind => KindName;

    public async Task HandleAsync(Guid id, CancellationToken ct)
    {
        var item = await db.WorkItems.FirstOrDefaultAsync(w => w.Id == id, ct);
        if (item is null) return;
        if (item.IsFinished)
        {
            if (item.BatchId is { } batchId) await WorkItemFlow.PublishIfDoneAsync(db, engine, batchId, Actor.System, ct);
            return;
        }
        var now = clock.GetUtcNow();
        if (now < item.Deadline) return;

        if (item.MarkOverdue(now) is { } overdue) db.WorkItemUpdates.Add(overdue);
        DateTimeOffset? next = item.Level == EscalationLevel.Department ? null
            : await WorkItemFlow.EscalateAsync(db, item, null, ReasonZh, now, ct);
        await db.SaveChangesAsync(ct);
        if (next is { } at) WorkItemSla.Schedule(deadlines, sla, item.Id, now, at);
    }

    /// <summary>Every unfinished item that can still run overdue (an overdue item at the top has nowhere to go).</summary>
    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct) =>
        (await db.WorkItems.AsNoTracking()
            .Where(w => w.Status == WorkItemStatus.Open || w.Status == WorkItemStatus.InProgress)
            .Where(w => until == null || w.Deadline <= until)
            .Select(w => new { w.Id, w.Deadline }).ToListAsync(ct))
        .Select(w => (w.Id, w.Deadline)).ToList();
}
