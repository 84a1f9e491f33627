using static Deliberate.Server.Voting.Tally;
using static Deliberate.Server.Voting.TallyFaultCodes;

namespace Deliberate.Server.Voting;

/// <summary>
/// Meetings of members (业委会, 居民会议, 居民代表会议, custom): one head per member, headcount only. Only members
/// present may vote, in person; a member present who does not vote is present but does not take part.
/// A missing <c>present</c> list means nobody is present.
/// </summary>
internal static class MemberTally
{
    public static TallyResult Count(TallyRequest request, RuleSpec rule, FaultList faults)
    {
        var members = request.Members;
        if (members is null || members.Count == 0)
            faults.Fail(EmptyMembers, null, "成员名单（members）为空，无法计票。", "The member list is empty: there is nobody to count.");

        var n = members!.Count;
        var memberIndex = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var member = members[i];
            if (string.IsNullOrWhiteSpace(member))
                faults.Add(InvalidMember, member, $"成员名单第 {i + 1} 项为空。", $"Member #{i + 1} is blank.");
            else if (!memberIndex.TryAdd(member, i))
                faults.Add(DuplicateMember, member, $"成员“{member}”在名单中出现了两次。", $"Member '{member}' is listed twice.");
        }

        var isPresent = new bool[n];
        var presentCount = 0;
        var present = request.Present;
        for (var i = 0; i < (present?.Count ?? 0); i++)
        {
            var name = present![i];
            if (name is null || !memberIndex.TryGetValue(name, out var m))
                faults.Add(PresentNotMember, name, $"出席名单中的“{name}”不是成员。", $"'{name}' is listed as present but is not a member.");
            else if (!isPresent[m]) // listed twice: present once
            {
                isPresent[m] = true;
                presentCount++;
            }
        }

        var choiceOf = new byte[n];
        var ballots = request.Ballots;
        for (var b = 0; b < (ballots?.Count ?? 0); b++)
        {
            var ballot = ballots![b];
            var voter = ballot?.Voter;
            if (ballot is null || string.IsNullOrWhiteSpace(voter))
            {
                faults.Add(UnknownVoter, null, $"第 {b + 1} 张选票没有写明投票人（voter）。", $"Ballot #{b + 1} names no voter.");
                continue;
            }
            var choice = ParseChoice(ballot.Choice);
            if (choice == NoVote) AddUnknownChoice(faults, voter, ballot.Choice);
            if (!memberIndex.TryGetValue(voter, out var m))
            {
                faults.Add(NotAMember, voter, $"“{voter}”不是成员，不能投票。", $"'{voter}' is not a member and cannot vote.");
                continue;
            }
            if (!isPresent[m])
            {
                faults.Add(AbsentMember, voter, $"成员“{voter}”未出席，不能投票（不得委托）。", $"Member '{voter}' is not present and cannot vote (no proxies).");
                continue;
            }
            if (choice == NoVote) continue;
            var previous = choiceOf[m];
            if (previous == NoVote) choiceOf[m] = choice;
            else if (previous != choice)
                faults.Add(ConflictingBallots, voter,
                    $"成员“{voter}”投了两张意见不同的选票（{ChoiceZh(previous)}、{ChoiceZh(choice)}）。",
                    $"Member '{voter}' cast two ballots that disagree ({ChoiceName(previous)}, {ChoiceName(choice)}).");
        }
        faults.ThrowIfAny();

        Span<int> count = stackalloc int[4];
        for (var i = 0; i < n; i++) count[choiceOf[i]]++;

        return Decide(rule, new Figures(null, n), new Figures(null, presentCount),
            participating: new Figures(null, count[Agree] + count[Disagree] + count[Abstain]),
            agree: new Figures(null, count[Agree]),
            disagree: new Figures(null, count[Disagree]),
            abstain: new Figures(null, count[Abstain]),
            deemed: null, deemedAs: null);
    }
}
