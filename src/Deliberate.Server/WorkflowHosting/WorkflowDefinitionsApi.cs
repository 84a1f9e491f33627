using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Workflows.Import;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.WorkflowHosting;

public sealed record DefinitionSummary(string DefinitionId, string Name, int LatestVersion, int? PublishedVersion, bool HasDraft,
    DateTimeOffset UpdatedAt);
public sealed record DefinitionVersionView(string DefinitionId, int Version, string Name, bool IsPublished, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, string? CreatedBy, JsonNode Definition);
public sealed record VersionSummary(int Version, bool IsPublished, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt, string? CreatedBy);
public sealed record ValidationError(string Code, string? ActivityId, string Message);
public sealed record ValidationReport(bool Valid, IReadOnlyList<ValidationError> Errors);

/// <summary>
/// Definitions and their versions: draft → published. Saving or publishing refuses an invalid
/// definition with every fault, each naming its activity.
/// </summary>
public static class WorkflowDefinitionsApi
{
    public static RouteGroupBuilder MapWorkflowDefinitionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflow-definitions").WithTags("Workflow definitions").RequireRole(Role.WorkflowDesigner);
        group.MapGet("/", List).WithSummary("Every definition with its newest and published versions.")
            .Problems(ProblemCodes.Forbidden);
        group.MapPost("/", Create).WithSummary("Create a new definition as a draft (version 1).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.DefinitionExists);
        group.MapPost("/validate", Validate).WithSummary("Check a definition without saving it.")
            .Problems(ProblemCodes.Forbidden);
        group.MapPost("/import", Import).WithSummary("Import an Elsa 3 workflow definition JSON as a draft.")
            .Problems(ProblemCodes.InvalidDefinition, ProblemCodes.UnsupportedElsaWorkflow, ProblemCodes.Forbidden);
        group.MapGet("/{definitionId}", GetLatest).WithSummary("The newest version (the draft if there is one).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapGet("/{definitionId}/versions", Versions).WithSummary("Every version of a definition.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapGet("/{definitionId}/versions/{version:int}", GetVersion).WithSummary("One version.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapPut("/{definitionId}/draft", SaveDraft).WithSummary("Save the draft (made from the newest version if there is none).")
            .Problems(ProblemCodes.DefinitionIdMismatch, ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapDelete("/{definitionId}/draft", DiscardDraft).WithSummary("Throw the draft away.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.OnlyVersion);
        group.MapPost("/{definitionId}/publish", Publish).WithSummary("Publish the draft as the version new instances start on.")
            .Problems(ProblemCodes.InvalidDefinition, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.NothingToPublish);
        return group;
    }

    static async Task<Ok<List<DefinitionSummary>>> List(DeliberateDbContext db, CancellationToken ct)
    {
        var rows = await db.WorkflowDefinitions.AsNoTracking()
            .Select(d => new { d.DefinitionId, d.Version, d.Name, d.IsPublished, d.UpdatedAt }).ToListAsync(ct);
        return TypedResults.Ok(rows.GroupBy(r => r.DefinitionId).Select(g =>
        {
            var latest = g.MaxBy(r => r.Version)!;
            return new DefinitionSummary(g.Key, latest.Name, latest.Version, g.Where(r => r.IsPublished).Max(r => (int?)r.Version),
                !latest.IsPublished, g.Max(r => r.UpdatedAt));
        }).OrderBy(d => d.DefinitionId).ToList());
    }

    static async Task<Results<Created<DefinitionVersionView>, ProblemHttpResult>> Create(JsonElement body, Caller caller, DeliberateDbContext db,
        WorkflowPlans plans, TimeProvider clock, CancellationToken ct)
    {
        var (definition, problem) = Parse(body, plans);
        if (problem is not null) return problem;
        if (await db.WorkflowDefinitions.AnyAsync(d => d.DefinitionId == definition!.DefinitionId, ct))
            return Problems.Conflict("definitionExists", $"流程“{definition!.DefinitionId}”已存在，请保存为其草稿。",
                $"Workflow '{definition!.DefinitionId}' already exists; save a draft of it instead.");
        definition!.Version = 1;
        var record = new WorkflowDefinitionRecord(Guid.CreateVersion7(clock.GetUtcNow()), definition.DefinitionId, 1, definition.Name,
            WorkflowJson.Serialize(definition), clock.GetUtcNow(), caller.UserName);
        db.WorkflowDefinitions.Add(record);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/workflow-definitions/{record.DefinitionId}/versions/1", View(record));
    }

    static Ok<ValidationReport> Validate(JsonElement body, WorkflowPlans plans)
    {
        WorkflowDefinition? definition = null;
        try { definition = body.Deserialize<WorkflowDefinition>(WorkflowJson.Options); }
        catch (JsonException e) { return TypedResults.Ok(new ValidationReport(false, [new ValidationError("json", null, JsonProblem(e))])); }
        if (definition?.Root is null)
            return TypedResults.Ok(new ValidationReport(false,
                [new ValidationError("root", null, Text.L("缺少流程图 root。", "The flowchart root is missing."))]));
        var errors = plans.Validate(definition);
        return TypedResults.Ok(new ValidationReport(errors.Count == 0, errors.Select(ToView).ToList()));
    }

    static async Task<Results<Created<DefinitionVersionView>, ProblemHttpResult>> Import(JsonElement body, Caller caller, DeliberateDbContext db,
        WorkflowPlans plans, TimeProvider clock, CancellationToken ct)
    {
        var result = new ElsaImporter(plans.Scripts).Import(body.GetRawText());
        if (result.Definition is null)
            return Problems.BadRequest("unsupportedElsaWorkflow",
                "无法导入该 Elsa 流程：" + string.Join("；", result.Problems.Select(p => p.MessageZh)),
                "The Elsa workflow cannot be imported: " + string.Join("; ", result.Problems.Select(p => p.MessageEn)),
                new Dictionary<string, object?>
                {
                    ["problems"] = result.Problems.Select(p =>
                    new { p.Code, p.ActivityId, p.ElsaType, message = Text.L(p.MessageZh, p.MessageEn) })
                    .ToList()
                });
        var errors = plans.Validate(result.Definition);
        if (errors.Count > 0) return Invalid(errors);

        var definition = result.Definition;
        var existing = await db.WorkflowDefinitions.Where(d => d.DefinitionId == definition.DefinitionId).OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        WorkflowDefinitionRecord record;
        if (existing is { IsPublished: false })
        {
            definition.Version = existing.Version;
            existing.ReplaceDraft(definition.Name, WorkflowJson.Serialize(definition), now);
            record = existing;
        }
        else
        {
            definition.Version = (existing?.Version ?? 0) + 1;
            record = new WorkflowDefinitionRecord(Guid.CreateVersion7(now), definition.DefinitionId, definition.Version, definition.Name,
                WorkflowJson.Serialize(definition), now, caller.UserName);
            db.WorkflowDefinitions.Add(record);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/workflow-definitions/{record.DefinitionId}/versions/{record.Version}", View(record));
    }

    static async Task<Results<Ok<DefinitionVersionView>, ProblemHttpResult>> GetLatest(string definitionId,
        DeliberateDbContext db, CancellationToken ct)
    {
        var record = await db.WorkflowDefinitions.AsNoTracking().Where(d => d.DefinitionId == definitionId)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);
        return record is null ? Problems.NotFound("流程", "workflow definition") : TypedResults.Ok(View(record));
    }

    static async Task<Results<Ok<List<VersionSummary>>, ProblemHttpResult>> Versions(string definitionId,
        DeliberateDbContext db, CancellationToken ct)
    {
        var versions = await db.WorkflowDefinitions.AsNoTracking().Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version)
            .Select(d => new VersionSummary(d.Version, d.IsPublished, d.CreatedAt, d.PublishedAt, d.CreatedBy)).ToListAsync(ct);
        return versions.Count == 0 ? Problems.NotFound("流程", "workflow definition") : TypedResults.Ok(versions);
    }

    static async Task<Results<Ok<DefinitionVersionView>, ProblemHttpResult>> GetVersion(string definitionId, int version,
        DeliberateDbContext db, CancellationToken ct)
    {
        var record = await db.WorkflowDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, ct);
        return record is null ? Problems.NotFound("流程版本", "workflow version") : TypedResults.Ok(View(record));
    }

    static async Task<Results<Ok<DefinitionVersionView>, ProblemHttpResult>> SaveDraft(string definitionId, JsonElement body, Caller caller,
        DeliberateDbContext db, WorkflowPlans plans, TimeProvider clock, CancellationToken ct)
    {
        var (definition, problem) = Parse(body, plans);
        if (problem is not null) return problem;
        if (definition!.DefinitionId != definitionId)
            return Problems.BadRequest("definitionIdMismatch", $"请求体中的 definitionId（{definition.DefinitionId}）与地址中的（{definitionId}）不一致。",
                $"The body's definitionId ({definition.DefinitionId}) differs from the address ({definitionId}).");
        var latest = await db.WorkflowDefinitions.Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct);
        if (latest is null) return Problems.NotFound("流程", "workflow definition");

        var now = clock.GetUtcNow();
        if (latest.IsPublished)
        {
            definition.Version = latest.Version + 1;
            latest = new WorkflowDefinitionRecord(Guid.CreateVersion7(now), definitionId, definition.Version, definition.Name,
                WorkflowJson.Serialize(definition), now, caller.UserName);
            db.WorkflowDefinitions.Add(latest);
        }
        else
        {
            definition.Version = latest.Version;
            latest.ReplaceDraft(definition.Name, WorkflowJson.Serialize(definition), now);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(latest));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DiscardDraft(string definitionId, DeliberateDbContext db, CancellationToken ct)
    {
        var latest = await db.WorkflowDefinitions.Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct);
        if (latest is null || latest.IsPublished) return Problems.NotFound("草稿", "draft");
        if (latest.Version == 1)
            return Problems.Conflict("onlyVersion", "这是该流程唯一的版本，不能丢弃。", "This is the definition's only version; it cannot be discarded.");
        db.WorkflowDefinitions.Remove(latest);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<DefinitionVersionView>, ProblemHttpResult>> Publish(string definitionId, DeliberateDbContext db, WorkflowPlans plans,
        TimeProvider clock, CancellationToken ct)
    {
        var latest = await db.WorkflowDefinitions.Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(ct);
        if (latest is null) return Problems.NotFound("流程", "workflow definition");
        if (latest.IsPublished)
            return Problems.Conflict("nothingToPublish", $"版本 {latest.Version} 已发布，没有待发布的草稿。",
                $"Version {latest.Version} is already published; there is no draft.");
        var errors = plans.Validate(WorkflowJson.ParseDefinition(latest.Json));
        if (errors.Count > 0) return Invalid(errors);
        latest.Publish(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(latest));
    }

    /// <summary>Reads and validates a definition from a request body.</summary>
    static (WorkflowDefinition? Definition, ProblemHttpResult? Problem) Parse(JsonElement body, WorkflowPlans plans)
    {
        WorkflowDefinition? definition;
        try
        {
            definition = body.Deserialize<WorkflowDefinition>(WorkflowJson.Options);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("badJson", "流程定义格式不正确：" + JsonProblem(e), "The definition is malformed: " + JsonProblem(e)));
        }
        if (definition?.Root is null || string.IsNullOrWhiteSpace(definition.DefinitionId))
            return (null, Problems.BadRequest("badJson", "流程定义需要 definitionId、name 和 root。", "A definition needs definitionId, name and root."));
        var errors = plans.Validate(definition);
        return errors.Count > 0 ? (null, Invalid(errors)) : (definition, null);
    }

    static ProblemHttpResult Invalid(IReadOnlyList<DefinitionError> errors) =>
        Problems.BadRequest("invalidDefinition",
            $"流程定义有 {errors.Count} 处错误：" + string.Join("；", errors.Select(e => e.MessageZh)),
            $"The definition has {errors.Count} error(s): " + string.Join("; ", errors.Select(e => e.MessageEn)),
            new Dictionary<string, object?> { ["errors"] = errors.Select(ToView).ToList() });

    static ValidationError ToView(DefinitionError e) => new(e.Code, e.ActivityId, Text.L(e.MessageZh, e.MessageEn));

    static string JsonProblem(JsonException e) => e.Message.Split(" Path:")[0] + (e.Path is { } p ? $" ({p})" : "");

    internal static DefinitionVersionView View(WorkflowDefinitionRecord r) => new(r.DefinitionId, r.Version, r.Name, r.IsPublished,
        r.CreatedAt, r.UpdatedAt, r.PublishedAt, r.CreatedBy, JsonNode.Parse(r.Json)!);
}
