using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Organisation;

/// <summary>
/// Whether what a request refers to (a matter, a meeting, a user) belongs where the request acts: a notice, ballot or
/// meeting of one community may not name another community's matter or person. Endpoints answer 400 naming the field.
/// </summary>
public static class References
{
    /// <summary>The matter exists and its grid is at or under the node with this path.</summary>
    public static Task<bool> MatterUnderAsync(DeliberateDbContext db, Guid matterId, string path, CancellationToken ct) =>
        (from m in db.Matters join g in db.OrgUnits on m.GridId equals g.Id where m.Id == matterId && g.Path.StartsWith(path) select m.Id)
            .AnyAsync(ct);

    /// <summary>
    /// The user belongs to the node with this path: holds a role at it or under it (a resident of one of its buildings),
    /// or above it (street and district staff). A designer's role makes nobody belong anywhere.
    /// </summary>
    public static Task<bool> UserOfAsync(DeliberateDbContext db, Guid userId, string path, CancellationToken ct)
    {
        var above = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(id => Guid.ParseExact(id, "N")).ToList();
        return (from r in db.UserRoles
                join o in db.OrgUnits on r.OrgUnitId equals o.Id
                where r.UserId == userId && r.Role != Role.WorkflowDesigner && (o.Path.StartsWith(path) || above.Contains(o.Id))
                select r.UserId).AnyAsync(ct);
    }
}
