using Deliberate.Server.Data;
using Deliberate.Workflows.Model;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>
/// The definitions in <c>workflows/</c> that ship with the product. At start-up each is published
/// when the database has no version of it yet, or only older versions than the file's: raising the
/// file's version is how a release updates a workflow; designers' newer versions are left alone.
/// </summary>
public static class ShippedWorkflows
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "workflows");

    public static async Task ImportAsync(DeliberateDbContext db, WorkflowPlans plans, TimeProvider clock, ILogger log, CancellationToken ct = default)
    {
        if (!Directory.Exists(Folder)) return;
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            var json = await File.ReadAllTextAsync(file, ct);
            var definition = WorkflowJson.ParseDefinition(json);
            plans.Compile(definition); // a shipped definition that does not validate stops the start, loudly
            var newest = await db.WorkflowDefinitions.Where(d => d.DefinitionId == definition.DefinitionId).MaxAsync(d => (int?)d.Version, ct);
            if (newest is { } v && v >= definition.Version) continue;

            var now = clock.GetUtcNow();
            var record = new WorkflowDefinitionRecord(Guid.CreateVersion7(now), definition.DefinitionId, definition.Version, definition.Name,
                WorkflowJson.Serialize(definition), now, "shipped");
            record.Publish(now);
            db.WorkflowDefinitions.Add(record);
            log.LogInformation("Published shipped workflow {DefinitionId} version {Version}", definition.DefinitionId, definition.Version);
        }
        await db.SaveChangesAsync(ct);
    }
}
