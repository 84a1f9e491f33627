using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Execution;

/// <summary>What happens to work items beyond one entity: climbing to the next node, and a finished batch waking its workflow.</summary>
public static class WorkItemFlow
{
    /// <summary>
    /// Hands the item to the next rung: the parent of its node, that level's role, and that level's SLA as the new
    /// deadline. Adds the update to the context (not saved); returns the new deadline, to be scheduled after saving.
    /// </summary>
    public static async Task<DateTimeOffset> EscalateAsync(DeliberateDbContext db, WorkItem item, Guid? byId, string reason, DateTimeOffset now,
        CancellationToken ct)
    {
        item.EnsureCanEscalate();
        var parentId = await db.OrgUnits.Where(o => o.Id == item.OrgUnitId).Select(o => o.ParentId).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"Work item {item.Id} sits on a node without a parent.");
        var next = item.Level + 1;
        var deadline = now + EscalationLadder.Sla(next);
        db.WorkItemUpdates.Add(item.Escalate(byId, reason, parentId, EscalationLadder.RoleAt(next), deadline, now));
        // 吹哨报到: the level that receives the item hears of it at once.
        var (levelZh, levelEn) = LevelNames(next);
        Notifications.Notify.Send(db, await WorkItemSla.WorkersAsync(db, item, ct), Notifications.NotificationKind.Escalation,
            $"上报{levelZh}：{item.Title}", $"Escalated to the {levelEn}: {item.Title}", $"原因：{reason}", $"Reason: {reason}",
            Notifications.Notify.Links.WorkItem(item.Id, item.MatterId), now);
        return deadline;
    }

    static (string Zh, string En) LevelNames(EscalationLevel level) => level switch
    {
        EscalationLevel.Grid => ("网格", "grid"),
        EscalationLevel.Community => ("社区", "community"),
        EscalationLevel.Street => ("街道", "street office"),
        _ => ("职能部门", "department"),
    };

    /// <summary>
    /// Saves a completed item. When it was the last unfinished one of its batch, the workflow waiting for the batch
    /// is resumed in the same transaction. Two last items completed at the same moment each see the other one
    /// unfinished; so after committing, the batch is looked at again, and whoever commits last wakes the workflow.
    /// </summary>
    public static async Task SaveCompletionAsync(DeliberateDbContext db, WorkflowEngine engine, WorkItem item, Actor actor, CancellationToken ct)
    {
        if (item.BatchId is not { } batchId)
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        var othersOpen = await db.WorkItems.AnyAsync(w => w.BatchId == batchId && w.Id != item.Id && w.Status != WorkItemStatus.Done, ct);
        if (!othersOpen)
        {
            await DomainEvents.PublishAsync(engine, db, DomainEvents.WorkItemsDone, batchId, await BatchPayloadAsync(db, batchId, ct), actor, ct);
            return;
        }
        await db.SaveChangesAsync(ct);
        await PublishIfDoneAsync(db, engine, batchId, actor, ct);
    }

    /// <summary>Resumes the workflow waiting for the batch if every item of it is done (nothing happens when none waits).</summary>
    public static async Task PublishIfDoneAsync(DeliberateDbContext db, WorkflowEngine engine, Guid batchId, Actor actor, CancellationToken ct)
    {
        if (await db.WorkItems.AnyAsync(w => w.BatchId == batchId && w.Status != WorkItemStatus.Done, ct)) return;
        try
        {
            await DomainEvents.PublishAsync(engine, db, DomainEvents.WorkItemsDone, batchId, await BatchPayloadAsync(db, batchId, ct), actor, ct);
        }
        catch (WorkflowConflictException)
        {
            // The other completion resumed it first.
        }
    }

    /// <summary>The event's payload: the batch's items, each with the text of its last update (what was done).</summary>
    public static async Task<JsonObject> BatchPayloadAsync(DeliberateDbContext db, Guid batchId, CancellationToken ct)
    {
        // Tracked, so that the item completed in this request shows its new state and update.
        var items = await db.WorkItems.Include(w => w.Updates).Where(w => w.BatchId == batchId).ToListAsync(ct);
        var array = new JsonArray();
        foreach (var item in items.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id))
        {
            var last = item.Updates.Where(u => !string.IsNullOrWhiteSpace(u.Text)).OrderBy(u => u.At)
                .ThenBy(u => u.Kind == WorkItemUpdateKind.Done).LastOrDefault();
            array.Add(new JsonObject
            {
                ["id"] = item.Id.ToString(),
                ["title"] = item.Title,
                ["responsibleUnit"] = item.ResponsibleUnit,
                ["level"] = item.Level.Code(),
                ["rework"] = item.Rework,
                ["doneAt"] = item.DoneAt?.ToString("O"),
                ["text"] = last?.Text,
            });
        }
        var texts = items.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id)
            .Select(w => w.Updates.Where(u => u.Kind == WorkItemUpdateKind.Done).Select(u => u.Text).LastOrDefault())
            .Where(t => !string.IsNullOrWhiteSpace(t));
        return new JsonObject
        {
            ["batchId"] = batchId.ToString(),
            ["items"] = array,
            // What was done, in one line, for templates such as a matter's resolution.
            ["summary"] = string.Join("；", texts),
        };
    }
}
