using Deliberate.Server.Voting;
using static Deliberate.Tests.Voting.TallyBuilders;

namespace Deliberate.Tests.Voting;

/// <summary>未投票视为同意多数: off by default; when on, non-voting heads follow the majority of the cast ballots.</summary>
public class DeemedConsentTallyTests
{
    [Fact]
    public void Deemed_consent_is_off_by_default_and_non_voters_do_not_take_part()
    {
        var request = Heads(Ordinary, agree: 3, disagree: 1, silent: 3);

        var result = Tally.Count(request);

        Assert.False(request.DeemedConsent);
        Assert.Null(result.Deemed);
        Assert.Null(result.DeemedAs);
        Assert.Equal(new Figures(40m, 4), result.Participating);
        Assert.Equal(TallyOutcome.NoDecision, result.Outcome); // 4 of 7 heads took part
    }

    [Fact]
    public void With_deemed_consent_non_voters_follow_an_agreeing_majority_and_are_reported_apart()
    {
        // 2 agree, 1 disagrees, 3 silent: without deeming only half took part.
        var off = Tally.Count(Heads(Ordinary, agree: 2, disagree: 1, silent: 3));
        var on = Tally.Count(Heads(Ordinary, agree: 2, disagree: 1, silent: 3, silentArea: 20m, deemedConsent: true));

        Assert.Equal(TallyOutcome.NoDecision, off.Outcome);
        Assert.Equal(TallyOutcome.Passed, on.Outcome);
        Assert.True(on.QuorumMet);
        Assert.Equal(new Figures(60m, 3), on.Deemed);
        Assert.Equal(Agree, on.DeemedAs);
        Assert.Equal(new Figures(80m, 5), on.Agree);
        Assert.Equal(new Figures(90m, 6), on.Participating);
        Assert.Equal(new Figures(10m, 1), on.Disagree);
    }

    [Fact]
    public void With_deemed_consent_non_voters_follow_a_disagreeing_majority()
    {
        var result = Tally.Count(Heads(Ordinary, agree: 1, disagree: 2, silent: 3, deemedConsent: true));

        Assert.Equal(Disagree, result.DeemedAs);
        Assert.Equal(new Figures(50m, 5), result.Disagree);
        Assert.Equal(TallyOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public void A_tie_among_the_cast_ballots_leaves_no_majority_and_nobody_is_deemed()
    {
        var result = Tally.Count(Heads(Ordinary, agree: 2, disagree: 2, silent: 3, deemedConsent: true));

        Assert.Equal(new Figures(0m, 0), result.Deemed);
        Assert.Null(result.DeemedAs);
        Assert.Equal(new Figures(40m, 4), result.Participating);
        Assert.Equal(TallyOutcome.NoDecision, result.Outcome);
    }

    [Fact]
    public void When_area_and_heads_lead_to_different_choices_nobody_is_deemed()
    {
        // Heads: 2 agree vs 1 disagree; area: 20 agree vs 50 disagree.
        var result = Tally.Count(Heads(Ordinary, agree: 2, disagree: 1, disagreeArea: 50m, silent: 2, deemedConsent: true));

        Assert.Null(result.DeemedAs);
        Assert.Equal(new Figures(0m, 0), result.Deemed);
    }

    [Fact]
    public void A_plurality_of_abstentions_makes_non_voters_abstain()
    {
        var result = Tally.Count(Heads(Ordinary, agree: 1, disagree: 1, abstain: 2, silent: 2, deemedConsent: true));

        Assert.Equal(Abstain, result.DeemedAs);
        Assert.Equal(new Figures(40m, 4), result.Abstain);
        Assert.Equal(TallyOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public void When_nobody_voted_nobody_is_deemed()
    {
        var result = Tally.Count(Heads(Ordinary, silent: 4, deemedConsent: true));

        Assert.Equal(TallyOutcome.NoDecision, result.Outcome);
        Assert.Equal(new Figures(0m, 0), result.Deemed);
    }

    [Fact]
    public void A_multi_unit_owner_who_did_not_vote_is_deemed_as_one_head_with_all_their_area()
    {
        var units = new[] { Unit("1", 10m, "a"), Unit("2", 10m, "b"), Unit("3", 10m, "c"), Unit("4", 30m, "d"), Unit("5", 30m, "d") };

        var result = Tally.Count(Owners(Ordinary, units, [Vote("1", Agree), Vote("2", Agree), Vote("3", Disagree)], deemedConsent: true));

        Assert.Equal(new Figures(60m, 1), result.Deemed);
        Assert.Equal(new Figures(80m, 3), result.Agree);
        Assert.Equal(TallyOutcome.Passed, result.Outcome);
    }
}
