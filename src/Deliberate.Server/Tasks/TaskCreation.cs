using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Tasks;

/// <summary>
/// Where inbox tasks come from: a human-task bookmark an advance created opens a task (and tells its workers), one the
/// advance removed closes it. The engine calls this with each advance, so the tasks are saved with the instance.
/// </summary>
public static class TaskCreation
{
    /// <summary>Adds the tasks of an advance's human-task bookmarks to the context; the result schedules their SLAs once committed.</summary>
    public static async Task<TaskChanges> ApplyAsync(DeliberateDbContext db, WorkflowInstanceRecord record, WorkflowState state, RunResult result,
        DateTimeOffset now, CancellationToken ct)
    {
        var changes = new TaskChanges();
        foreach (var bookmark in result.CreatedBookmarks.Where(b => b.Name == HumanTask.BookmarkName))
        {
            var task = ToInboxTask(record, state, bookmark, now);
            db.InboxTasks.Add(task);
            changes.Opened.Add(task);
            await TaskSla.NotifyAssignedAsync(db, task, now, ct);
        }
        foreach (var bookmark in result.RemovedBookmarks.Where(b => b.Name == HumanTask.BookmarkName))
            if (await db.InboxTasks.FirstOrDefaultAsync(t => t.Id == bookmark.Id, ct) is { } closed)
            {
                closed.Cancel(now);
                changes.Closed.Add(closed);
            }
        return changes;
    }

    static InboxTask ToInboxTask(WorkflowInstanceRecord record, WorkflowState state, Bookmark bookmark, DateTimeOffset now)
    {
        var request = bookmark.Payload.Deserialize<HumanTaskRequest>(WorkflowJson.Options)!;
        // Roles are checked when a definition is validated (WorkflowPlans), so this holds.
        var role = Roles.Parse(request.Role)
            ?? throw new InvalidOperationException($"Unknown role '{request.Role}' in activity {bookmark.ActivityId}.");
        // A task belongs to the instance's own matter; a test run's task to none (it must not show on a real matter).
        Guid? matterId = record.Scope switch
        {
            StartScope.Matter => record.ScopeMatterId,
            StartScope.Starter => state.Variables.GetValueOrDefault("matterId") is JsonValue v && Guid.TryParse(v.ToString(), out var m) ? m : null,
            _ => null,
        };
        Guid? assignee = Guid.TryParse(request.Assignee, out var named) ? named : null;
        // A test run's task goes to whoever started the run, never into the inboxes of real staff who hold the role.
        if (record.Scope == StartScope.TestRun && record.StartedById is { } starter) assignee = starter;
        return new InboxTask(bookmark.Id, record.Id, bookmark.ActivityId, matterId, request.Title, request.Description, role,
            Guid.TryParse(request.Scope, out var scope) ? scope : null,
            assignee,
            JsonSerializer.Serialize(request.Form, WorkflowJson.Options),
            JsonSerializer.Serialize(request.Outcomes, WorkflowJson.Options),
            request.DueAt, now);
    }
}

/// <summary>The tasks one advance opened and closed: their reminders and overdue checks are set or cancelled after the commit.</summary>
public sealed class TaskChanges
{
    public List<InboxTask> Opened { get; } = [];
    public List<InboxTask> Closed { get; } = [];

    /// <summary>Call once the advance is committed (a crash in between is healed by the SLA reconciler).</summary>
    public void Schedule(Deadlines deadlines, SlaOptions sla)
    {
        foreach (var task in Opened)
            if (task.DueAt is { } dueAt) TaskSla.Schedule(deadlines, sla, task.Id, task.CreatedAt, dueAt);
        foreach (var closed in Closed) TaskSla.Cancel(deadlines, sla, closed);
    }
}
