using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>Who sees a ballot, who opens ballots (from the API or through a workflow they started), who enters votes for owners and who sees
/// choices.</summary>
public static class BallotAccess
{
    /// <summary>
    /// The ballots a caller's list shows: those whose scope lies under a path the caller is staff at (an administrator's
    /// own nodes included) or a resident of. (Opening one by id also admits its members and staff below its scope: <see cref="VisibleAsync"/>.)
    /// </summary>
    public static async Task<IQueryable<Ballot>> ListedAsync(DeliberateDbContext db, Caller caller, CancellationToken ct)
    {
        var paths = caller.StaffPaths.Concat(caller.ResidentCommunityPaths).Distinct().ToList();
        var visible = await db.OrgUnits.Under(paths).Select(o => o.Id).ToListAsync(ct);
        return db.Ballots.Where(b => visible.Contains(b.OrgUnitId));
    }

    /// <summary>Of <paramref name="ballots"/>, those the caller may vote in: an owner in the electorate snapshot, or a member of a member
    /// vote.</summary>
    public static IQueryable<Ballot> MayVoteIn(DeliberateDbContext db, Caller caller, IQueryable<Ballot> ballots)
    {
        var owner = caller.OwnerId;
        var me = caller.Id;
        return ballots.Where(b => (owner != null && db.BallotOwners.Any(o => o.BallotId == b.Id && o.OwnerId == owner))
            || db.BallotMembers.Any(m => m.BallotId == b.Id && m.UserId == me));
    }

    /// <summary>Proxy and paper ballots are entered (and their slips printed) by the owners' committee over the scope.</summary>
    public static bool MayEnterForOwners(Caller caller, string scopePath) =>
        caller.Holds(Role.OwnersCommittee, scopePath) || caller.AdministersAt(scopePath);

    /// <summary>An owners' vote (民法典 Art. 278): the owners' committee or the party secretary over the scope.</summary>
    public static bool MayOpenOwnersVote(Caller caller, string scopePath) =>
        caller.AdministersAt(scopePath) || caller.Holds(Role.OwnersCommittee, scopePath) || caller.Holds(Role.PartySecretary, scopePath);

    /// <summary>A member vote in a meeting: the staff of the meeting's community.</summary>
    public static bool MayOpenMemberVote(Caller caller, string communityPath) => caller.IsStaffAt(communityPath);

    /// <summary>
    /// Who may see a named ballot's choices (the 表决票), each voter's and the per-unit input: nobody while it is open
    /// (each voter sees their own through GET …/me, and no one sees running totals); after the close the owners of the
    /// estate (owners in its electorate snapshot), the owners' committee over its scope, and for a member vote its members
    /// and the meeting's staff. Everyone else sees the totals only. A secret ballot's choices: never anyone's.
    /// </summary>
    public static async Task<bool> MaySeeChoicesAsync(DeliberateDbContext db, Caller caller, Ballot ballot, string scopePath, CancellationToken ct)
    {
        if (ballot.Secret || ballot.Status == BallotStatus.Open) return false;
        if (caller.AdministersAt(scopePath) || caller.Holds(Role.OwnersCommittee, scopePath)) return true;
        if (ballot.IsOwnersVote)
            return caller.OwnerId is { } owner && await db.BallotOwners.AnyAsync(o => o.BallotId == ballot.Id && o.OwnerId == owner, ct);
        return caller.IsStaffAt(scopePath) || await db.BallotMembers.AnyAsync(m => m.BallotId == ballot.Id && m.UserId == caller.Id, ct);
    }

    /// <summary>Staff over the ballot's scope, residents of its community, and its members may see it; nobody else learns it exists.</summary>
    public static async Task<(Ballot? Ballot, OrgUnit? Scope)> VisibleAsync(DeliberateDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        // The ballot with its scope in one query (every vote starts here); both tracked, the scope left unchanged.
        var found = await (from b in db.Ballots
                           join o in db.OrgUnits on b.OrgUnitId equals o.Id
                           where b.Id == id
                           select new { Ballot = b, Scope = o }).FirstOrDefaultAsync(ct);
        if (found is null) return (null, null);
        var (ballot, scope) = (found.Ballot, found.Scope);
        // Staff over the scope or within it (a grid worker sees the community's ballot), residents of the community.
        var sees = caller.IsStaffAt(scope.Path)
            || caller.StaffPaths.Any(p => p.StartsWith(scope.Path, StringComparison.Ordinal))
            || caller.ResidentCommunityPaths.Any(p =>
                scope.Path.StartsWith(p, StringComparison.Ordinal) || p.StartsWith(scope.Path, StringComparison.Ordinal))
            || await db.BallotMembers.AnyAsync(m => m.BallotId == id && m.UserId == caller.Id, ct);
        return sees ? (ballot, scope) : (null, null);
    }
}
