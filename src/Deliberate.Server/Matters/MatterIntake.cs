using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Deliberate.Server.WorkflowHosting;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Matters;

/// <summary>A raised matter and its grid: the one just raised, or the one a repeated request key raised before.</summary>
public sealed record RaisedMatter(Matter Matter, OrgUnit Grid);

/// <summary>
/// What happens when a matter is raised (居民提事): it lands in the grid (and building) it was raised in, marked as a
/// resident's or a staff member's matter, and starts the six-step workflow in the same save — the workflow's own
/// activities make its tasks from there. A request key makes a retried raise give back the matter it raised first.
/// </summary>
public static class MatterIntake
{
    /// <summary>The workflow every new matter runs; designers publish new versions of it.</summary>
    public const string WorkflowDefinitionId = "six-step-method";

    /// <summary>
    /// Raises the matter the request describes, checked already (title, description, category, a grid the caller
    /// may raise in). Null when the request key raised a different matter before.
    /// </summary>
    public static async Task<RaisedMatter?> RaiseAsync(DeliberateDbContext db, WorkflowEngine engine, Caller caller, RaiseMatterRequest request,
        string? requestKey, OrgUnit grid, DateTimeOffset now, CancellationToken ct)
    {
        if (requestKey is not null && await RaisedEarlierAsync(db, caller, request, requestKey, ct) is { } replay) return replay.Earlier;

        var source = caller.IsStaffAt(grid.Path) ? "staff" : "resident";
        var matter = new Matter(Guid.CreateVersion7(now), request.Title!.Trim(), request.Description!.Trim(), request.Category!, grid.Id,
            request.BuildingId, request.Location?.Trim(), request.Anonymous ?? false, request.ContactPhone?.Trim(), caller.Id, source, now);
        matter.SetRequestKey(requestKey);
        db.Matters.Add(matter);
        // The grid team's group chat hears of it too (a short excerpt: the chat is not the place for the whole of a resident's text).
        await Notifications.GroupNotify.PostAsync(db, grid.Id, Notifications.GroupAudience.Grid, Notifications.NotificationKind.Assignment,
            $"新诉求：{matter.Title}", matter.Description.Length <= 140 ? matter.Description : matter.Description[..140] + "…",
            Notifications.Notify.Links.Matter(matter.Id).Staff, now, ct);

        var instanceId = Guid.CreateVersion7(now);
        matter.AttachWorkflow(instanceId);
        try
        {
            await engine.StartAsync(WorkflowDefinitionId, WorkflowInput(matter, grid, caller), matter.Id.ToString(), caller.Actor, ct, instanceId,
                InstanceStart.ForMatter(matter.Id, caller.Id));
        }
        catch (DbUpdateException e) when (requestKey is not null && e is not DbUpdateConcurrencyException)
        {
            // The unique (raiser, key) index: a delivery of the same request got there first (PostgreSQL waited for it to commit).
            db.ChangeTracker.Clear();
            if (await RaisedEarlierAsync(db, caller, request, requestKey, ct) is { } raced) return raced.Earlier;
            throw;
        }
        return new RaisedMatter(matter, grid);
    }

    static Dictionary<string, JsonNode?> WorkflowInput(Matter matter, OrgUnit grid, Caller caller)
    {
        var path = grid.AncestorIdsAndSelf().ToList(); // district, street, community, grid
        return new Dictionary<string, JsonNode?>
        {
            ["matterId"] = matter.Id.ToString(),
            ["title"] = matter.Title,
            ["category"] = matter.Category,
            ["gridId"] = grid.Id.ToString(),
            ["buildingId"] = matter.BuildingId?.ToString(),
            ["communityId"] = path[(int)OrgLevel.Community].ToString(),
            ["streetId"] = path[(int)OrgLevel.Street].ToString(),
            // An anonymous raiser's id never enters the instance: a designer reads (and a script can copy) its variables.
            ["raisedBy"] = matter.Anonymous ? null : caller.Id.ToString(),
        };
    }

    sealed record Replay(RaisedMatter? Earlier);

    /// <summary>The matter this key raised before (null inside: the key came with different content); null if none.</summary>
    static async Task<Replay?> RaisedEarlierAsync(DeliberateDbContext db, Caller caller, RaiseMatterRequest request, string key, CancellationToken ct)
    {
        var earlier = await db.Matters.FirstOrDefaultAsync(m => m.RaisedById == caller.Id && m.RequestKey == key, ct);
        if (earlier is null) return null;
        if (!IsSameRequest(earlier, request)) return new Replay(null);
        return new Replay(new RaisedMatter(earlier, await db.OrgUnits.FirstAsync(o => o.Id == earlier.GridId, ct)));
    }

    /// <summary>
    /// Whether a repeated key carries what the first request did: every field, since a retry that now asks for
    /// anonymity (or another phone) must not be answered with the matter that shows the raiser's name.
    /// </summary>
    static bool IsSameRequest(Matter earlier, RaiseMatterRequest request) =>
        earlier.Title == request.Title!.Trim() && earlier.Description == request.Description!.Trim()
        && earlier.Category == request.Category && earlier.GridId == request.GridId && earlier.BuildingId == request.BuildingId
        && (earlier.Location ?? "") == (request.Location?.Trim() ?? "") && earlier.Anonymous == (request.Anonymous ?? false)
        && (earlier.ContactPhone ?? "") == (request.ContactPhone?.Trim() ?? "");
}
