using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Organisation;

public sealed record OrgUnitView(Guid Id, Guid? ParentId, string Level, string Name);
public sealed record RoleView(string Role, string Name);

public static class OrganisationApi
{
    public static void MapOrganisationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/org", Tree).WithTags("Organisation").RequireAuthorization()
            .WithSummary("The organisation nodes the caller works in or lives in, with the nodes above them.");
        app.MapGet("/api/roles", () => TypedResults.Ok(Enum.GetValues<Role>()
                .Select(r => new RoleView(r.Name(), Text.L(Roles.DisplayNames[r].Zh, Roles.DisplayNames[r].En))).ToList()))
            .WithTags("Organisation").RequireAuthorization().WithSummary("The roles a task can be assigned to.");
    }

    static async Task<Ok<List<OrgUnitView>>> Tree(Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        List<OrgUnit> nodes;
        // Retired nodes are left out: this list feeds the pickers (the administrators' tree shows them). An administrator's
        // own nodes are among the staff paths: they see their part of the tree, not the whole.
        {
            var roots = caller.StaffPaths.Concat(caller.ResidentCommunityPaths).Distinct().ToList();
            var found = new Dictionary<Guid, OrgUnit>();
            foreach (var path in roots)
                foreach (var node in await db.OrgUnits.AsNoTracking().Where(o => o.Path.StartsWith(path)).ToListAsync(ct))
                    found[node.Id] = node;
            // The nodes above each root, so that names like "示范街道 / 幸福里社区" can be shown.
            var above = found.Values.SelectMany(n => n.AncestorIdsAndSelf()).Distinct().Where(id => !found.ContainsKey(id)).ToList();
            foreach (var node in await db.OrgUnits.AsNoTracking().Where(o => above.Contains(o.Id)).ToListAsync(ct)) found[node.Id] = node;
            nodes = found.Values.ToList();
        }
        return TypedResults.Ok(nodes.Where(n => !n.IsRetired).OrderBy(n => n.Level).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new OrgUnitView(n.Id, n.ParentId, n.Level.ToString().ToLowerInvariant(), n.Name)).ToList());
    }
}
