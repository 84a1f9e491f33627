using Deliberate.Server.Identity;

namespace Deliberate.Server.Voting;

/// <summary>Who opens ballots, from the API or through a workflow they started.</summary>
public static class BallotAccess
{
    /// <summary>An owners' vote (民法典 Art. 278): the owners' committee or the party secretary over the scope.</summary>
    public static bool MayOpenOwnersVote(Caller caller, string scopePath) =>
        caller.IsAdmin || caller.Holds(Role.OwnersCommittee, scopePath) || caller.Holds(Role.PartySecretary, scopePath);

    /// <summary>A member vote in a meeting: the staff of the meeting's community.</summary>
    public static bool MayOpenMemberVote(Caller caller, string communityPath) => caller.IsStaffAt(communityPath);
}
