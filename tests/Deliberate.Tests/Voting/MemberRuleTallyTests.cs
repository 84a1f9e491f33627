using Deliberate.Server.Voting;
using static Deliberate.Tests.Voting.TallyBuilders;

namespace Deliberate.Tests.Voting;

/// <summary>业委会会议, 居民会议, 居民代表会议: quorum and pass boundaries, headcount only.</summary>
public class MemberRuleTallyTests
{
    private const string Committee = TallyRules.OwnersCommittee;
    private const string Residents = TallyRules.ResidentsMeeting;
    private const string Representatives = TallyRules.RepresentativesMeeting;

    // ---- Owners' committee: more than half present; more than half of ALL members agree ----

    [Theory]
    [InlineData(7, 4, true)]
    [InlineData(7, 3, false)]
    [InlineData(6, 3, false)] // exactly half is not more than half
    [InlineData(6, 4, true)]
    public void An_owners_committee_needs_more_than_half_of_its_members_present(int members, int present, bool quorumMet)
    {
        var result = Tally.Count(Meeting(Committee, members, present, agree: present));

        Assert.Equal(quorumMet, result.QuorumMet);
        Assert.Equal(quorumMet ? TallyOutcome.Passed : TallyOutcome.NoDecision, result.Outcome);
    }

    [Theory]
    [InlineData(7, 7, 4, TallyOutcome.Passed)]
    [InlineData(7, 7, 3, TallyOutcome.Rejected)]
    [InlineData(7, 5, 3, TallyOutcome.Rejected)] // 3 of 5 present agree, but not more than half of all 7
    [InlineData(7, 4, 4, TallyOutcome.Passed)]
    [InlineData(6, 6, 3, TallyOutcome.Rejected)] // exactly half of all members
    [InlineData(6, 5, 4, TallyOutcome.Passed)]
    public void An_owners_committee_decision_needs_more_than_half_of_all_members_agreeing(int members, int present, int agree, TallyOutcome outcome)
    {
        var result = Tally.Count(Meeting(Committee, members, present, agree: agree, disagree: present - agree));

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(new Figures(null, members), result.Totals);
        Assert.Equal(new Figures(null, present), result.Present);
    }

    // ---- Residents' meeting: more than half present; more than half of those present agree ----

    [Theory]
    [InlineData(10, 5, false)]
    [InlineData(10, 6, true)]
    [InlineData(9, 5, true)]
    [InlineData(9, 4, false)]
    public void A_residents_meeting_needs_more_than_half_present(int members, int present, bool quorumMet)
    {
        var result = Tally.Count(Meeting(Residents, members, present, agree: present));

        Assert.Equal(quorumMet, result.QuorumMet);
    }

    [Theory]
    [InlineData(10, 6, 3, TallyOutcome.Rejected)] // exactly half of those present
    [InlineData(10, 6, 4, TallyOutcome.Passed)]   // 4 of 10 members is enough: the base is those present
    [InlineData(10, 7, 4, TallyOutcome.Passed)]
    public void A_residents_meeting_passes_by_more_than_half_of_those_present(int members, int present, int agree, TallyOutcome outcome)
    {
        var result = Tally.Count(Meeting(Residents, members, present, agree: agree, disagree: present - agree));

        Assert.Equal(outcome, result.Outcome);
    }

    [Fact]
    public void At_a_meeting_a_member_present_who_does_not_vote_still_counts_in_the_base()
    {
        // 6 present, 3 agree, 3 silent: 3 is not more than half of 6.
        var result = Tally.Count(Meeting(Residents, members: 10, present: 6, agree: 3));

        Assert.Equal(TallyOutcome.Rejected, result.Outcome);
        Assert.Equal(new Figures(null, 3), result.Participating);
    }

    // ---- Representatives' meeting: at least 2/3 present; more than half of those present agree ----

    [Theory]
    [InlineData(9, 6, true)]   // exactly 2/3
    [InlineData(9, 5, false)]
    [InlineData(30, 20, true)]
    [InlineData(30, 19, false)]
    public void A_representatives_meeting_needs_two_thirds_present(int members, int present, bool quorumMet)
    {
        var result = Tally.Count(Meeting(Representatives, members, present, agree: present));

        Assert.Equal(quorumMet, result.QuorumMet);
        Assert.Equal(quorumMet ? TallyOutcome.Passed : TallyOutcome.NoDecision, result.Outcome);
    }

    [Theory]
    [InlineData(9, 6, 3, TallyOutcome.Rejected)]
    [InlineData(9, 6, 4, TallyOutcome.Passed)]
    public void A_representatives_meeting_passes_by_more_than_half_of_those_present(int members, int present, int agree, TallyOutcome outcome)
    {
        var result = Tally.Count(Meeting(Representatives, members, present, agree: agree, abstain: present - agree));

        Assert.Equal(outcome, result.Outcome);
    }

    [Fact]
    public void Member_results_have_headcounts_only()
    {
        var result = Tally.Count(Meeting(Committee, 5, 3, agree: 3));

        Assert.All([result.Totals, result.Present!, result.Participating, result.Agree, result.Disagree, result.Abstain], f => Assert.Null(f.Area));
        Assert.Null(result.Deemed);
        Assert.Equal(["headcount"], result.Rule.Pass.Measures);
        Assert.Equal("entitled", result.Rule.Pass.Base);
    }

    [Fact]
    public void A_member_who_votes_twice_the_same_way_counts_once()
    {
        var request = Meeting(Committee, 5, 3, agree: 3) with
        {
            Ballots = [MemberVote("m1", Agree), MemberVote("m1", Agree), MemberVote("m2", Agree)],
        };

        var result = Tally.Count(request);

        Assert.Equal(new Figures(null, 2), result.Agree);
        Assert.Equal(TallyOutcome.Rejected, result.Outcome); // 2 of 5 members
    }
}
