using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.WorkflowHosting;

public sealed record StartInstanceRequest(string? DefinitionId, Dictionary<string, JsonNode?>? Input, string? CorrelationId, bool? TestRun = null);
public sealed record MigrateRequest(int? Version);
public sealed record PublishEventRequest(string? Name, string? Correlation, JsonNode? Payload);

public sealed record BookmarkView(Guid Id, string ActivityId, string Name, string? Correlation, DateTimeOffset? DueAt, DateTimeOffset CreatedAt);
/// <summary>What an instance serves, shown in place of its ids: <c>kind</c> is <c>matter</c>.</summary>
public sealed record InstanceServesView(string Kind, Guid Id, string Title);
public sealed record InstanceSummary(Guid Id, string DefinitionId, int Version, string Status, string? CorrelationId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, StartScope Scope, bool TestRun, InstanceServesView? Serves);
/// <summary>An instance. <c>scope</c>: testRun, matter (started for <c>scopeMatterId</c>) or starter (acts as <c>startedBy</c> may).</summary>
public sealed record InstanceView(Guid Id, string DefinitionId, int Version, string Status, string? CorrelationId,
    IReadOnlyDictionary<string, JsonNode?> Variables, IReadOnlyList<BookmarkView> Bookmarks, IReadOnlyList<Incident> Incidents,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, StartScope Scope, bool TestRun,
    PersonView? StartedBy, Guid? ScopeMatterId, InstanceServesView? Serves);
public sealed record JournalView(int Sequence, DateTimeOffset At, string Event, string? ActivityId, string? ActivityType, string? ActivityName,
    string? Outcome, string? ActorId, string? ActorName, JsonNode? Data);

/// <summary>Instances: watch them, start test runs, retry a fault, cancel, move to another version; and publish events.</summary>
public static class WorkflowInstancesApi
{
    public static RouteGroupBuilder MapWorkflowInstancesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflow-instances").WithTags("Workflow instances").RequireRole(Role.WorkflowDesigner);
        group.MapGet("/", List).WithSummary("Instances, newest first.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden);
        group.MapPost("/", Start).WithSummary("Start an instance of the newest published version.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.Conflict);
        group.MapGet("/{id:guid}", Get).WithSummary("An instance's state: variables, bookmarks, incidents.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapGet("/{id:guid}/journal", Journal).WithSummary("The instance's activity executions in order, a page at a time.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/retry", Retry).WithSummary("Run the faulted activity again.")
            .Problems(ProblemCodes.ValueTooLarge, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.BadInstanceState,
                ProblemCodes.Conflict);
        group.MapPost("/{id:guid}/cancel", Cancel).WithSummary("Cancel the instance and its open tasks.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.Conflict);
        group.MapPost("/{id:guid}/migrate", Migrate).WithSummary("Move a waiting instance to another version of its definition.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.CannotMigrate);

        app.MapPost("/api/workflow-events", PublishEvent).WithTags("Workflow instances").RequireRole(Role.Admin)
            .WithSummary("Publish a named event: resumes every instance waiting for it with that correlation.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.Conflict);
        app.MapGet("/api/activity-descriptors", Descriptors).WithTags("Workflow definitions").RequireAuthorization()
            .WithSummary("Every activity type: category, names in zh-CN and en, inputs with types and UI hints, outcomes.");
        return group;
    }

    static Ok<IEnumerable<ActivityDescriptor>> Descriptors(ActivityRegistry registry) =>
        TypedResults.Ok(registry.Descriptors.OrderBy(d => d.Category.Name).ThenBy(d => d.Type).AsEnumerable());

    static async Task<Results<Ok<Paged<InstanceSummary>>, ValidationProblem>> List(DeliberateDbContext db, CancellationToken ct,
        string? definitionId = null, string? status = null, string? correlationId = null, int page = 1, int pageSize = 50)
    {
        var errors = new FieldErrors();
        WorkflowStatus? statusFilter = null;
        if (status is not null)
        {
            if (EnumCodes.TryParseCode<WorkflowStatus>(status, out var s)) statusFilter = s;
            else errors.Add("status", "状态应为 running、suspended、finished、cancelled 或 faulted。",
                "Status must be running, suspended, finished, cancelled or faulted.");
        }
        Paging.Check(errors, page, pageSize, maxPageSize: 200);
        if (errors.Any) return errors.ToProblem();

        var query = db.WorkflowInstances.AsNoTracking();
        if (definitionId is not null) query = query.Where(i => i.DefinitionId == definitionId);
        if (statusFilter is { } st) query = query.Where(i => i.Status == st);
        if (correlationId is not null) query = query.Where(i => i.CorrelationId == correlationId);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(i => i.CreatedAt).Page(page, pageSize)
            .Select(i =>
                new
                {
                    i.Id, i.DefinitionId, i.DefinitionVersion, i.Status, i.CorrelationId, i.CreatedAt, i.UpdatedAt, i.FinishedAt, i.Scope,
                    i.ScopeMatterId
                })
            .ToListAsync(ct);
        var serves = await ServesAsync(db, items.Select(i => (i.Id, i.ScopeMatterId)).ToList(), ct);
        return TypedResults.Ok(new Paged<InstanceSummary>(items.Select(i => new InstanceSummary(i.Id, i.DefinitionId, i.DefinitionVersion,
            i.Status.ToString().ToLowerInvariant(), i.CorrelationId, i.CreatedAt, i.UpdatedAt, i.FinishedAt, i.Scope,
            i.Scope == StartScope.TestRun, serves.GetValueOrDefault(i.Id))).ToList(),
            total, page, pageSize));
    }

    static async Task<Results<Created<InstanceView>, ValidationProblem, ProblemHttpResult>> Start(StartInstanceRequest request, Caller caller,
        DeliberateDbContext db, WorkflowEngine engine, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("definitionId", request.DefinitionId, "流程标识", "Definition id");
        if (errors.Any) return errors.ToProblem();
        // A designer (staff nowhere) only test-runs; staff act within their own scope, the API's rules applied to them.
        var staff = caller.StaffPaths.Any();
        var start = staff && request.TestRun != true ? InstanceStart.ByStaff(caller.Id) : InstanceStart.TestRun(caller.Id);
        if (start.Scope == StartScope.Starter && request.Input?.GetValueOrDefault("matterId") is JsonValue value
            && Guid.TryParse(value.ToString(), out var matterId))
        {
            // Refused at once rather than faulting at the first step: a matter the starter does not handle is not theirs to run.
            var grid = await (from m in db.Matters join g in db.OrgUnits on m.GridId equals g.Id where m.Id == matterId select g).AsNoTracking()
                .FirstOrDefaultAsync(ct);
            if (grid is null || !MatterAccess.CanHandle(caller, grid))
            {
                errors.Add("input.matterId", "事项不存在，或不在您的工作范围内。", "The matter does not exist or is not within your scope.");
                return errors.ToProblem();
            }
        }
        try
        {
            var record = await engine.StartAsync(request.DefinitionId!, request.Input ?? [], request.CorrelationId, caller.Actor, ct, scope: start);
            return TypedResults.Created($"/api/workflow-instances/{record.Id}", await ViewAsync(db, caller, record.Id, ct));
        }
        catch (WorkflowNotFoundException)
        {
            return Problems.NotFound("已发布的流程", "published workflow"); // the endpoint names what it did not find
        }
    }

    static async Task<Results<Ok<InstanceView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var view = await ViewAsync(db, caller, id, ct);
        return view is null ? Problems.NotFound("流程实例", "workflow instance") : TypedResults.Ok(view);
    }

    /// <summary>The journal a page at a time (a looping instance has thousands of lines), paged by the database.</summary>
    static async Task<Results<Ok<Paged<JournalView>>, ValidationProblem, ProblemHttpResult>> Journal(Guid id, Caller caller, DeliberateDbContext db,
        CancellationToken ct, int page = 1, int pageSize = 100)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page, pageSize, maxPageSize: 500);
        if (errors.Any) return errors.ToProblem();
        var total = await db.WorkflowInstances.AsNoTracking().Where(i => i.Id == id).Select(i => (int?)i.JournalLength).FirstOrDefaultAsync(ct);
        if (total is null) return Problems.NotFound("流程实例", "workflow instance");
        var rows = await db.WorkflowJournal.AsNoTracking().Where(j => j.InstanceId == id).OrderBy(j => j.Sequence)
            .Page(page, pageSize).ToListAsync(ct);
        var hidden = await HiddenRaiserAsync(db, caller, id, ct);
        return TypedResults.Ok(new Paged<JournalView>(rows.Select(j => hidden is not null && j.ActorId == hidden
                ? new JournalView(j.Sequence, j.At, j.Event.ToString(), j.ActivityId, j.ActivityType, j.ActivityName, j.Outcome, null,
                    MatterAccess.AnonymousName, Data(j))
                : new JournalView(j.Sequence, j.At, j.Event.ToString(), j.ActivityId, j.ActivityType, j.ActivityName, j.Outcome,
                    j.ActorId, j.ActorName, Data(j)))
            .ToList(), total.Value, page, pageSize));

        static JsonNode? Data(JournalRecord j) => j.DataJson is null ? null : JsonNode.Parse(j.DataJson);
    }

    /// <summary>
    /// The user id (as the journal and variables spell it) of the raiser of the anonymous matter this instance runs for,
    /// when the caller may not know who that is; null when there is nothing to hide.
    /// </summary>
    static async Task<string?> HiddenRaiserAsync(DeliberateDbContext db, Caller caller, Guid instanceId, CancellationToken ct)
    {
        var row = await (from m in db.Matters
                         join g in db.OrgUnits on m.GridId equals g.Id
                         where m.WorkflowInstanceId == instanceId && m.Anonymous
                         select new { Matter = m, Grid = g }).AsNoTracking().FirstOrDefaultAsync(ct);
        return row is null || MatterAccess.CanSeeRaiser(caller, row.Matter, row.Grid) ? null : row.Matter.RaisedById.ToString();
    }

    static Task<Results<Ok<InstanceView>, ProblemHttpResult>> Retry(Guid id, Caller caller, DeliberateDbContext db,
        WorkflowEngine engine, CancellationToken ct) =>
        Act(id, caller, db, ct, () => engine.RetryAsync(id, caller.Actor, ct));

    static Task<Results<Ok<InstanceView>, ProblemHttpResult>> Cancel(Guid id, Caller caller, DeliberateDbContext db,
        WorkflowEngine engine, CancellationToken ct) =>
        Act(id, caller, db, ct, () => engine.CancelAsync(id, caller.Actor, ct));

    static async Task<Results<Ok<InstanceView>, ValidationProblem, ProblemHttpResult>> Migrate(Guid id, MigrateRequest request, Caller caller,
        DeliberateDbContext db, WorkflowEngine engine, CancellationToken ct)
    {
        if (request.Version is not { } version)
        {
            var errors = new FieldErrors();
            errors.Add("version", "请指定目标版本。", "Give the target version.");
            return errors.ToProblem();
        }
        try
        {
            var (record, problems) = await engine.MigrateAsync(id, version, caller.Actor, ct);
            if (record is null)
                return Problems.Conflict("cannotMigrate", "无法迁移：" + string.Join("；", problems), "Cannot migrate: " + string.Join("; ", problems),
                    new Dictionary<string, object?> { ["problems"] = problems });
            return TypedResults.Ok((await ViewAsync(db, caller, id, ct))!);
        }
        catch (WorkflowNotFoundException)
        {
            return Problems.NotFound("流程实例或版本", "workflow instance or version");
        }
    }

    static async Task<Results<Ok<InstanceView>, ProblemHttpResult>> Act(Guid id, Caller caller, DeliberateDbContext db,
        CancellationToken ct, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (WorkflowNotFoundException)
        {
            return Problems.NotFound("流程实例", "workflow instance");
        }
        return TypedResults.Ok((await ViewAsync(db, caller, id, ct))!);
    }

    static async Task<Results<Ok<JsonObject>, ValidationProblem>> PublishEvent(PublishEventRequest request, Caller caller,
        WorkflowEngine engine, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("name", request.Name, "事件名", "Event name");
        if (errors.Any) return errors.ToProblem();
        var resumed = await engine.PublishEventAsync(request.Name!, request.Correlation, request.Payload, caller.Actor, ct);
        return TypedResults.Ok(new JsonObject { ["resumed"] = resumed });
    }

    internal static async Task<InstanceView?> ViewAsync(DeliberateDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        var record = await db.WorkflowInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (record is null) return null;
        var state = JsonSerializer.Deserialize<WorkflowState>(record.StateJson, WorkflowJson.Options)!;
        var bookmarks = await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == id).OrderBy(b => b.CreatedAt)
            .Select(b => new BookmarkView(b.Id, b.ActivityId, b.Name, b.Correlation, b.DueAt, b.CreatedAt)).ToListAsync(ct);
        var hidden = await HiddenRaiserAsync(db, caller, id, ct);
        if (hidden is not null)
            foreach (var (name, value) in state.Variables.ToList())
                if (value is JsonValue v && v.ToString() == hidden) state.Variables[name] = MatterAccess.AnonymousName; // raisedBy, or a copy of it
        PersonView? startedBy = null;
        if (record.StartedById is { } by)
            startedBy = hidden == by.ToString() ? new PersonView(null, MatterAccess.AnonymousName)
                : new PersonView(by, await db.Users.AsNoTracking().Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "");
        return new InstanceView(record.Id, record.DefinitionId, record.DefinitionVersion,
            record.Status.ToString().ToLowerInvariant(), record.CorrelationId,
            state.Variables, bookmarks, state.Incidents, record.CreatedAt, record.UpdatedAt, record.FinishedAt,
            record.Scope, record.IsTestRun, startedBy, record.ScopeMatterId,
            (await ServesAsync(db, [(record.Id, record.ScopeMatterId)], ct)).GetValueOrDefault(record.Id));
    }

    /// <summary>The matter each instance serves: the one it runs for (its workflow) or was started for (its scope).</summary>
    static async Task<Dictionary<Guid, InstanceServesView>> ServesAsync(DeliberateDbContext db,
        IReadOnlyList<(Guid Id, Guid? ScopeMatterId)> instances, CancellationToken ct)
    {
        var ids = instances.Select(i => (Guid?)i.Id).ToList();
        var scoped = instances.Where(i => i.ScopeMatterId is not null).Select(i => i.ScopeMatterId).ToList();
        var matters = await db.Matters.AsNoTracking()
            .Where(m => ids.Contains(m.WorkflowInstanceId) || scoped.Contains(m.Id))
            .Select(m => new { m.Id, m.Title, m.WorkflowInstanceId }).ToListAsync(ct);
        var served = new Dictionary<Guid, InstanceServesView>();
        foreach (var (id, scope) in instances)
        {
            var matter = matters.FirstOrDefault(m => m.WorkflowInstanceId == id) ?? matters.FirstOrDefault(m => m.Id == scope);
            if (matter is not null) served[id] = new InstanceServesView("matter", matter.Id, matter.Title);
        }
        return served;
    }
}
