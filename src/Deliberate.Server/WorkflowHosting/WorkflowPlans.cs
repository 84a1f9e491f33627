using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;
using Deliberate.Workflows.Validation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>
/// Compiled definitions, one per published version, kept in memory: a published version never
/// changes, so it is parsed and validated once per process.
/// </summary>
public sealed class WorkflowPlans(ActivityRegistry registry, ScriptEngine scripts)
{
    readonly ConcurrentDictionary<(string, int), WorkflowPlan> published = new();

    public ActivityRegistry Registry => registry;
    public ScriptEngine Scripts => scripts;

    public WorkflowPlan Compile(WorkflowDefinition definition)
    {
        var errors = Validate(definition);
        if (errors.Count > 0) throw new InvalidDefinitionException(errors);
        return WorkflowPlan.Compile(definition, registry, scripts);
    }

    /// <summary>The runtime's checks, and the host's: a human task's role must be one of ours.</summary>
    public IReadOnlyList<DefinitionError> Validate(WorkflowDefinition definition)
    {
        var errors = DefinitionValidator.Validate(definition, registry, scripts).ToList();
        foreach (var node in definition.Root?.Activities ?? [])
        {
            if (node.Type != nameof(HumanTask) || node.Inputs["role"] is not JsonValue value || !value.TryGetValue(out string? role)) continue;
            if (Roles.Parse(role) is null)
                errors.Add(new DefinitionError("unknownRole", node.Id,
                    $"活动“{node.Id}”的角色“{role}”不存在（可用：{string.Join("、", Enum.GetValues<Role>().Select(r => r.Name()))}）。",
                    $"Activity '{node.Id}' names role '{role}', which does not exist "
                        + $"(roles: {string.Join(", ", Enum.GetValues<Role>().Select(r => r.Name()))})."));
        }
        return errors;
    }

    /// <summary>The plan of one version (drafts too, uncached); null when it does not exist.</summary>
    public async Task<WorkflowPlan?> GetAsync(DeliberateDbContext db, string definitionId, int version, CancellationToken ct = default)
    {
        if (published.TryGetValue((definitionId, version), out var plan)) return plan;
        var record = await db.WorkflowDefinitions.AsNoTracking()
            .FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, ct);
        if (record is null) return null;
        plan = Compile(WorkflowJson.ParseDefinition(record.Json));
        if (record.IsPublished) published[(definitionId, version)] = plan;
        return plan;
    }

    /// <summary>The newest published version: what new instances start on.</summary>
    public async Task<WorkflowPlan?> LatestPublishedAsync(DeliberateDbContext db, string definitionId, CancellationToken ct = default)
    {
        var version = await db.WorkflowDefinitions.AsNoTracking()
            .Where(d => d.DefinitionId == definitionId && d.IsPublished)
            .MaxAsync(d => (int?)d.Version, ct);
        return version is null ? null : await GetAsync(db, definitionId, version.Value, ct);
    }
}
