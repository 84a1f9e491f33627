using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Matters;

/// <summary>
/// Who sees which matters: staff see the matters of the grids under their scope; a resident sees
/// their own and the public matters of their community; nobody sees another community's.
/// </summary>
public static class MatterAccess
{
    public static async Task<IQueryable<Matter>> VisibleAsync(DeliberateDbContext db, Caller caller, CancellationToken ct)
    {
        if (caller.IsAdmin) return db.Matters;
        var staffGrids = await GridIdsUnder(db, caller.StaffPaths, ct);
        var publicGrids = await GridIdsUnder(db, caller.ResidentCommunityPaths, ct);
        var me = caller.Id;
        return db.Matters.Where(m => staffGrids.Contains(m.GridId) || m.RaisedById == me || (m.IsPublic && publicGrids.Contains(m.GridId)));
    }

    public static bool CanSee(Caller caller, Matter matter, OrgUnit grid) =>
        caller.IsStaffAt(grid.Path) || matter.RaisedById == caller.Id
        || (matter.IsPublic && caller.ResidentCommunityPaths.Any(p => grid.Path.StartsWith(p, StringComparison.Ordinal)));

    /// <summary>The raiser's name and phone: for the raiser and for staff over the grid.</summary>
    public static bool CanSeeRaiser(Caller caller, Matter matter, OrgUnit grid) =>
        !matter.Anonymous || matter.RaisedById == caller.Id || caller.IsStaffAt(grid.Path);

    /// <summary>Where the caller may raise a matter: a grid under their staff scope, or in their own community.</summary>
    public static bool CanRaiseIn(Caller caller, OrgUnit grid) =>
        caller.IsStaffAt(grid.Path) || caller.ResidentCommunityPaths.Any(p => grid.Path.StartsWith(p, StringComparison.Ordinal));

    static async Task<List<Guid>> GridIdsUnder(DeliberateDbContext db, IEnumerable<string> paths, CancellationToken ct)
    {
        var ids = new List<Guid>();
        foreach (var path in paths.Distinct())
            ids.AddRange(await db.OrgUnits.Where(o => o.Level == OrgLevel.Grid && o.Path.StartsWith(path)).Select(o => o.Id).ToListAsync(ct));
        return ids;
    }
}
