using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Tasks;

public sealed record CompleteTaskRequest(string? Outcome, JsonObject? Values);

/// <summary>An outcome: its label, and what choosing it sets going (asked before sending) when the workflow says.</summary>
public sealed record TaskOutcomeView(string Name, string Label, string? Confirm);
/// <param name="OptionLabels">What to show for each of <paramref name="Options"/>, in the same order.</param>
public sealed record FormFieldView(string Name, string Label, string Type, bool Required, IReadOnlyList<string>? Options,
    IReadOnlyList<string>? ForOutcomes, IReadOnlyList<string>? OptionLabels = null);
public sealed record TaskMatterView(Guid Id, string Title, string Step);

public sealed record TaskView(Guid Id, string Title, string? Description, string Role, string RoleName, PlaceView? Scope,
    Guid? AssigneeId, TaskMatterView? Matter, Guid InstanceId, string ActivityId, IReadOnlyList<FormFieldView> Form,
    IReadOnlyList<TaskOutcomeView> Outcomes, DateTimeOffset? DueAt, bool Overdue, DateTimeOffset CreatedAt, string Status,
    DateTimeOffset? CompletedAt, Guid? CompletedById, string? Outcome, JsonNode? Values);

public static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization();
        group.MapGet("/", Inbox).WithSummary("The caller's inbox: open tasks for their roles in their scopes, or the tasks they completed.")
            .Problems(ProblemCodes.Validation);
        group.MapGet("/{id:guid}", Get).WithSummary("One task the caller may act on or has completed.")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/complete", Complete).WithSummary("Complete a task with an outcome and form values; resumes its workflow.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Conflict, ProblemCodes.MatterClosed, ProblemCodes.TaskNotOpen);
        return group;
    }

    /// <summary>
    /// Open tasks the caller may act on: assigned to them, or unassigned for a role they hold over the task's scope.
    /// One query for the database to filter, order and page: an inbox can hold thousands of open tasks.
    /// </summary>
    internal static IQueryable<InboxTask> Actionable(DeliberateDbContext db, Caller caller)
    {
        var open = db.InboxTasks.Where(t => t.Status == InboxTaskStatus.Open);
        var me = caller.Id;
        var ids = open.Where(t => t.AssigneeId == me).Select(t => t.Id);
        // An administrator steps in for anyone under their own nodes (a task with no place: only the whole tree's administrator).
        if (caller.IsAdmin)
        {
            var administered = db.OrgUnits.Under(caller.AdminPaths).Select(o => (Guid?)o.Id);
            var root = caller.IsRootAdmin;
            ids = ids.Concat(open.Where(t => (t.ScopeId == null && root) || administered.Contains(t.ScopeId)).Select(t => t.Id));
        }
        foreach (var grant in caller.Grants)
        {
            var role = grant.Role;
            var path = grant.Path;
            ids = ids.Concat(from t in open
                             join o in db.OrgUnits on t.ScopeId equals o.Id
                             where t.AssigneeId == null && t.Role == role && o.Path.StartsWith(path)
                             select t.Id);
        }
        return open.Where(t => ids.Contains(t.Id));
    }

    /// <summary>
    /// A page of the inbox. Open tasks come soonest deadline first (those without one last, oldest first among
    /// equals); completed ones latest first, so the page a person sees first is the one they need.
    /// </summary>
    static async Task<Results<Ok<Paged<TaskView>>, ValidationProblem>> Inbox(Caller caller, DeliberateDbContext db, TimeProvider clock,
        CancellationToken ct, string status = "open", Guid? matterId = null, int page = 1, int pageSize = 20)
    {
        var errors = new FieldErrors();
        if (status is not ("open" or "completed")) errors.Add("status", "状态应为 open 或 completed。", "Status must be open or completed.");
        Paging.Check(errors, page, pageSize);
        if (errors.Any) return errors.ToProblem();

        var query = status == "open" ? Actionable(db, caller)
            : db.InboxTasks.Where(t => t.CompletedById == caller.Id && t.Status == InboxTaskStatus.Completed);
        if (matterId is { } m) query = query.Where(t => t.MatterId == m);
        var total = await query.CountAsync(ct);
        var ordered = status == "open"
            ? query.OrderBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id)
            : query.OrderByDescending(t => t.CompletedAt).ThenBy(t => t.Id);
        var tasks = await ordered.Page(page, pageSize).AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(new Paged<TaskView>(await ViewsAsync(db, tasks, clock.GetUtcNow(), ct), total, page, pageSize));
    }

    static async Task<Results<Ok<TaskView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var task = await db.InboxTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        var mayAct = task is { Status: InboxTaskStatus.Open } && await CouldActOnAsync(db, caller, task, ct);
        if (task is null || !(task.CompletedById == caller.Id || mayAct))
            return Problems.NotFound("任务", "task");
        return TypedResults.Ok((await ViewsAsync(db, [task], clock.GetUtcNow(), ct))[0]);
    }

    static async Task<Results<Ok<TaskView>, ValidationProblem, ProblemHttpResult>> Complete(Guid id, CompleteTaskRequest request, Caller caller,
        DeliberateDbContext db, WorkflowEngine engine, TimeProvider clock, CancellationToken ct)
    {
        var task = await db.InboxTasks.FirstOrDefaultAsync(t => t.Id == id, ct);
        // Whether the caller may act on it is judged on the task itself, not on the open inbox, so that
        // someone who loses a race to complete it learns 409 rather than 404.
        var mayAct = task is not null && await CouldActOnAsync(db, caller, task, ct);
        if (task is null || !(mayAct || task.CompletedById == caller.Id)) return Problems.NotFound("任务", "task");
        // A task not yet done whose matter is closed (closing cancels the open ones) says why it cannot be done.
        if (task.Status != InboxTaskStatus.Completed && task.MatterId is { } matterId
            && await db.Matters.AnyAsync(m => m.Id == matterId && m.Step == MatterStep.Closed, ct))
            return Problems.Conflict("matterClosed", "事项已办结，它的任务不能再办理。", "The matter is closed; its tasks can no longer be completed.");
        if (task.Status != InboxTaskStatus.Open)
            return Problems.Conflict("taskNotOpen", "该任务已经办理（或已取消），不能再次办理。", "This task has already been completed (or was cancelled).");

        var form = JsonSerializer.Deserialize<List<FormField>>(task.FormJson, WorkflowJson.Options)!;
        var outcomes = JsonSerializer.Deserialize<List<TaskOutcome>>(task.OutcomesJson, WorkflowJson.Options)!;
        var taskRequest = new HumanTaskRequest(task.Title, task.Description, task.Role.Name(), task.ScopeId?.ToString(), task.AssigneeId?.ToString(),
            form, outcomes, task.DueAt);
        var response = new HumanTaskResponse(request.Outcome ?? "", request.Values);
        // The one check of the answer (a TaskResponseException is 400 with field errors): the activity checks the same
        // values again when it resumes, but they already fit, and the task keeps only the values that were given.
        var values = HumanTask.Check(taskRequest, response);

        task.Complete(caller.Id, response.Outcome, values.ToJsonString(WorkflowJson.Options), clock.GetUtcNow());
        var payload = JsonSerializer.SerializeToNode(new HumanTaskResponse(response.Outcome, values), WorkflowJson.Options);
        await engine.ResumeAsync(task.Id, payload, caller.Actor, ct); // saves the task with the run, or nothing
        return TypedResults.Ok((await ViewsAsync(db, [task], clock.GetUtcNow(), ct))[0]);
    }

    static async Task<bool> CouldActOnAsync(DeliberateDbContext db, Caller caller, InboxTask task, CancellationToken ct)
    {
        var scope = task.ScopeId is { } s ? await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == s, ct) : null;
        if (caller.IsAdmin && (scope is null ? caller.IsRootAdmin : caller.AdministersAt(scope.Path))) return true; // as in Actionable
        if (task.AssigneeId is { } assignee) return assignee == caller.Id;
        return scope is not null && caller.Holds(task.Role, scope.Path);
    }

    static async Task<List<TaskView>> ViewsAsync(DeliberateDbContext db, IReadOnlyList<InboxTask> tasks, DateTimeOffset now, CancellationToken ct)
    {
        var scopeIds = tasks.Where(t => t.ScopeId != null).Select(t => t.ScopeId!.Value).Distinct().ToList();
        var scopes = await db.OrgUnits.AsNoTracking().Where(o => scopeIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var matterIds = tasks.Where(t => t.MatterId != null).Select(t => t.MatterId!.Value).Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Where(m => matterIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => new TaskMatterView(m.Id, m.Title, MattersApi.StepCode(m.Step)), ct);

        return tasks.Select(t =>
        {
            var form = JsonSerializer.Deserialize<List<FormField>>(t.FormJson, WorkflowJson.Options)!;
            var outcomes = JsonSerializer.Deserialize<List<TaskOutcome>>(t.OutcomesJson, WorkflowJson.Options)!;
            return new TaskView(t.Id, t.Title, t.Description, t.Role.Name(), Text.L(Roles.DisplayNames[t.Role].Zh, Roles.DisplayNames[t.Role].En),
                t.ScopeId is { } s && scopes.TryGetValue(s, out var name) ? new PlaceView(s, name) : null,
                t.AssigneeId, t.MatterId is { } m && matters.TryGetValue(m, out var matter) ? matter : null,
                t.InstanceId, t.ActivityId,
                form.Select(f =>
                    new FormFieldView(f.Name, Text.L(f.Label, f.LabelEn ?? f.Label), f.Type, f.Required, f.Options, f.ForOutcomes,
                        f.Options?.Select(o => Text.L(f.OptionLabels?.GetValueOrDefault(o) ?? o,
                            f.OptionLabelsEn?.GetValueOrDefault(o) ?? f.OptionLabels?.GetValueOrDefault(o) ?? o)).ToList())).ToList(),
                outcomes.Select(o => new TaskOutcomeView(o.Name, Text.L(o.Label ?? o.Name, o.LabelEn ?? o.Label ?? o.Name),
                    o.Confirm is null ? null : Text.L(o.Confirm, o.ConfirmEn ?? o.Confirm))).ToList(),
                t.DueAt, t.IsOverdue(now), t.CreatedAt, t.Status.ToString().ToLowerInvariant(), t.CompletedAt, t.CompletedById, t.Outcome,
                t.ValuesJson is null ? null : JsonNode.Parse(t.ValuesJson));
        }).ToList();
    }
}
