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
        var staffGrids = await db.OrgUnits.Under(caller.StaffPaths, OrgLevel.Grid).Select(o => o.Id).ToListAsync(ct);
        var publicGrids = await db.OrgUnits.Under(caller.ResidentCommunityPaths, OrgLevel.Grid).Select(o => o.Id).ToListAsync(ct);
        var me = caller.Id;
        return db.Matters.Where(m => staffGrids.Contains(m.GridId) || m.RaisedById == me || (m.IsPublic && publicGrids.Contains(m.GridId)));
    }

    public static bool CanSee(Caller caller, Matter matter, OrgUnit grid) =>
        caller.IsStaffAt(grid.Path) || matter.RaisedById == caller.Id
        || (matter.IsPublic && caller.ResidentCommunityPaths.Any(p => grid.Path.StartsWith(p, StringComparison.Ordinal)));

    /// <summary>The government staff who handle matters and may contact an anonymous raiser: not the property company
    /// (complaints are often about it), the owners' committee, departments, designers or other residents.</summary>
    static readonly Role[] GovernmentStaff = [Role.GridWorker, Role.PartySecretary, Role.ResidentsCommittee, Role.StreetOfficer];

    /// <summary>Holds a government staff role over the matter's grid (grid worker, community or street staff).</summary>
    public static bool IsGovernmentStaffOver(Caller caller, OrgUnit grid) => GovernmentStaff.Any(r => caller.Holds(r, grid.Path));

    /// <summary>
    /// May change the matter (its step, its work, its rating) — what a workflow started by this person may do to it;
    /// also who may start one on it by hand.
    /// </summary>
    public static bool CanHandle(Caller caller, OrgUnit grid) => caller.AdministersAt(grid.Path) || IsGovernmentStaffOver(caller, grid);

    /// <summary>
    /// The raiser's name and phone: for the raiser and for the government staff over the grid. Everyone else sees
    /// <see cref="AnonymousName"/> — in the API, the workflow views and every document.
    /// </summary>
    public static bool CanSeeRaiser(Caller caller, Matter matter, OrgUnit grid) =>
        !matter.Anonymous || matter.RaisedById == caller.Id || IsGovernmentStaffOver(caller, grid);

    /// <summary>
    /// Who reads a matter's people by name (and user id): the raiser, staff over the grid and administrators. Other
    /// residents reading a public matter read "居民" for the raiser and the public role for staff.
    /// </summary>
    public static bool SeesPeople(Caller caller, Matter matter, OrgUnit grid) =>
        matter.RaisedById == caller.Id || caller.IsStaffAt(grid.Path);

    /// <summary>What stands for the raiser (and any other resident) when a neighbour reads a public matter.</summary>
    public static string ResidentName => Api.Text.L("居民", "A resident");

    /// <summary>What stands for the raiser of an anonymous matter.</summary>
    public static string AnonymousName => Api.Text.L("匿名", "Anonymous");

    /// <summary>Where the caller may raise a matter: a grid under their staff scope, or in their own community.</summary>
    public static bool CanRaiseIn(Caller caller, OrgUnit grid) =>
        caller.IsStaffAt(grid.Path) || caller.ResidentCommunityPaths.Any(p => grid.Path.StartsWith(p, StringComparison.Ordinal));
}
