using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>Who opens ballots, from the API or through a workflow they started.</summary>
public static class BallotAccess
{
    /// <summary>An owners' vote (民法典 Art. 278): the owners' committee or the party secretary over the scope.</summary>
    public static bool MayOpenOwnersVote(Caller caller, string scopePath) =>
        caller.IsAdmin || caller.Holds(Role.OwnersCommittee, scopePath) || caller.Holds(Role.PartySecretary, scopePath);

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
        if (caller.IsAdmin || caller.Holds(Role.OwnersCommittee, scopePath)) return true;
        if (BallotCounting.IsOwnersRule(ballot.Rule, ballot.CustomRuleJson, ballot.MeetingId))
            return caller.OwnerId is { } owner && await db.BallotOwners.AnyAsync(o => o.BallotId == ballot.Id && o.OwnerId == owner, ct);
        return caller.IsStaffAt(scopePath) || await db.BallotMembers.AnyAsync(m => m.BallotId == ballot.Id && m.UserId == caller.Id, ct);
    }
}
