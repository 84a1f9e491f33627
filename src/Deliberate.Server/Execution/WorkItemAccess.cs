using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Execution;

/// <summary>
/// Who reads and who works on work items. Reading: staff over the item's current node or over its matter's
/// grid (a grid worker keeps sight of an item after it climbed above the grid), its assignee, and anyone who
/// may see its matter (residents read the items of a matter they can see). Working on it (progress, completion,
/// escalation, evidence): the item's role at its current node or above, its assignee, or an administrator.
/// </summary>
public static class WorkItemAccess
{
    public static async Task<IQueryable<WorkItem>> VisibleAsync(DeliberateDbContext db, Caller caller, CancellationToken ct)
    {
        var staffNodes = await db.OrgUnits.Where(o => o.Level != OrgLevel.Building).Under(caller.StaffPaths).Select(o => o.Id).ToListAsync(ct);
        var matters = (await MatterAccess.VisibleAsync(db, caller, ct)).Select(m => (Guid?)m.Id);
        var me = caller.Id;
        return db.WorkItems.Where(w =>
            w.AssigneeId == me || staffNodes.Contains(w.OrgUnitId) || (w.MatterId != null && matters.Contains(w.MatterId)));
    }

    public static async Task<bool> CanSeeAsync(DeliberateDbContext db, Caller caller, WorkItem item, OrgUnit node, CancellationToken ct)
    {
        if (item.AssigneeId == caller.Id || caller.IsStaffAt(node.Path)) return true;
        if (item.MatterId is not { } matterId) return false;
        var matter = await db.Matters.AsNoTracking().FirstOrDefaultAsync(m => m.Id == matterId, ct);
        if (matter is null) return false;
        var grid = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
        return MatterAccess.CanSee(caller, matter, grid);
    }

    /// <summary>May create work at this node (from the API, or through a workflow they started): staff at it or above.</summary>
    public static bool MayCreateAt(Caller caller, OrgUnit node) => caller.IsStaffAt(node.Path);

    /// <summary>
    /// The unfinished items the caller works on (their 待办): assigned to them, or unassigned for a role they hold at the item's node or
    /// above — e.g. every item given to 物业 in the property company's community. The same rule as <see cref="CanAct"/>, as one query.
    /// </summary>
    public static IQueryable<WorkItem> Actionable(DeliberateDbContext db, Caller caller)
    {
        var open = db.WorkItems.Where(w => w.Status != WorkItemStatus.Done);
        var me = caller.Id;
        var ids = open.Where(w => w.AssigneeId == me).Select(w => w.Id);
        // An administrator works on every item under their own nodes, and only there.
        if (caller.IsAdmin)
        {
            var administered = db.OrgUnits.Under(caller.AdminPaths).Select(o => o.Id);
            ids = ids.Concat(open.Where(w => administered.Contains(w.OrgUnitId)).Select(w => w.Id));
        }
        foreach (var grant in caller.Grants)
        {
            var role = grant.Role;
            var path = grant.Path;
            ids = ids.Concat(from w in open
                             join o in db.OrgUnits on w.OrgUnitId equals o.Id
                             where w.AssigneeId == null && w.Role == role && o.Path.StartsWith(path)
                             select w.Id);
        }
        return open.Where(w => ids.Contains(w.Id));
    }

    /// <summary>Whoever works on the item at its present level.</summary>
    public static bool CanAct(Caller caller, WorkItem item, string nodePath) =>
        caller.AdministersAt(nodePath) || item.AssigneeId == caller.Id || (item.AssigneeId is null && caller.Holds(item.Role, nodePath));
}
