using Deliberate.Server.Voting;
using static Deliberate.Tests.Voting.TallyBuilders;

namespace Deliberate.Tests.Voting;

/// <summary>The configurable rule: fractions, bases, inclusiveness, quorum and measures.</summary>
public class CustomRuleTallyTests
{
    private static TallyThreshold Threshold(string fraction, string @base, bool inclusive, TallyQuorum? quorum = null, string[]? measures = null) =>
        new() { Fraction = fraction, Base = @base, Inclusive = inclusive, Quorum = quorum, Measures = measures };

    private static TallyRequest Custom(TallyRequest request, TallyThreshold threshold) =>
        request with { Rule = TallyRules.Custom, Threshold = threshold };

    [Fact]
    public void A_custom_rule_with_the_same_thresholds_as_article_278_gives_the_same_results()
    {
        var ordinary = Threshold("1/2", "participating", inclusive: false, new TallyQuorum { Fraction = "2/3", Inclusive = true });
        var cases = new[]
        {
            Heads(Ordinary, agree: 2, disagree: 2),
            Heads(Ordinary, agree: 3, disagree: 2),
            Heads(Ordinary, agree: 4, silent: 2),
            Heads(Ordinary, agree: 3, silent: 2),
            Heads(Ordinary, agree: 2, agreeArea: 10m, disagree: 1, disagreeArea: 500m),
        };

        foreach (var request in cases)
        {
            var builtIn = Tally.Count(request);
            var custom = Tally.Count(Custom(request, ordinary));
            Assert.Equal(builtIn with { Rule = custom.Rule }, custom);
            Assert.Equal(builtIn.Rule.Pass.TextEn, custom.Rule.Pass.TextEn);
            Assert.Equal(builtIn.Rule.Quorum!.TextZh, custom.Rule.Quorum!.TextZh);
            Assert.Equal(TallyRules.Custom, custom.Rule.Name);
        }
    }

    [Theory]
    [InlineData(true, TallyOutcome.Passed)]
    [InlineData(false, TallyOutcome.Rejected)]
    public void Inclusive_decides_whether_exactly_the_fraction_passes(bool inclusive, TallyOutcome outcome)
    {
        var request = Custom(Heads(Ordinary, agree: 2, disagree: 2), Threshold("1/2", "participating", inclusive));

        Assert.Equal(outcome, Tally.Count(request).Outcome);
    }

    [Fact]
    public void The_entitled_base_counts_owners_who_did_not_vote()
    {
        // 3 of 5 heads agree (all who voted); 2/3 of the entitled is not reached.
        var request = Custom(Heads(Ordinary, agree: 3, silent: 2), Threshold("2/3", "entitled", inclusive: true));

        var result = Tally.Count(request);

        Assert.True(result.QuorumMet); // no quorum configured
        Assert.Null(result.Rule.Quorum);
        Assert.Equal(TallyOutcome.Rejected, result.Outcome);
        Assert.Equal(TallyOutcome.Passed,
            Tally.Count(Custom(Heads(Ordinary, agree: 4, silent: 2), Threshold("2/3", "entitled", inclusive: true))).Outcome);
    }

    [Fact]
    public void For_owners_present_means_taking_part()
    {
        var present = Tally.Count(Custom(Heads(Ordinary, agree: 2, disagree: 1, silent: 3), Threshold("2/3", "present", inclusive: true)));
        var participating = Tally.Count(Custom(Heads(Ordinary, agree: 2, disagree: 1, silent: 3),
            Threshold("2/3", "participating", inclusive: true)));

        Assert.Equal(TallyOutcome.Passed, present.Outcome);
        Assert.Equal(participating.Outcome, present.Outcome);
    }

    [Fact]
    public void A_headcount_only_custom_rule_ignores_area_but_still_reports_it()
    {
        var request = Custom(Heads(Ordinary, agree: 2, agreeArea: 1m, disagree: 1, disagreeArea: 100m),
            Threshold("1/2", "participating", inclusive: false, measures: ["headcount"]));

        var result = Tally.Count(request);

        Assert.Equal(TallyOutcome.Passed, result.Outcome);
        Assert.Equal(new Figures(102m, 3), result.Totals);
        Assert.Equal(["headcount"], result.Rule.Pass.Measures);
    }

    [Fact]
    public void An_area_only_custom_rule_ignores_heads()
    {
        var request = Custom(Heads(Ordinary, agree: 1, agreeArea: 100m, disagree: 2, disagreeArea: 1m),
            Threshold("1/2", "participating", inclusive: false, measures: ["area"]));

        Assert.Equal(TallyOutcome.Passed, Tally.Count(request).Outcome);
    }

    [Fact]
    public void A_custom_quorum_of_more_than_half_is_not_met_by_exactly_half()
    {
        var quorum = new TallyQuorum { Fraction = "1/2", Inclusive = false };
        var request = Custom(Heads(Ordinary, agree: 2, silent: 2), Threshold("1/2", "participating", inclusive: false, quorum));

        var result = Tally.Count(request);

        Assert.False(result.QuorumMet);
        Assert.Equal(TallyOutcome.NoDecision, result.Outcome);
        Assert.Contains("more than 1/2", result.Rule.Quorum!.TextEn);
    }

    [Fact]
    public void A_custom_rule_over_members_counts_heads_against_those_present()
    {
        // Consensus of those present: 1/1 inclusive.
        var threshold = Threshold("1", "present", inclusive: true, new TallyQuorum { Fraction = "1/2", Inclusive = false });

        var unanimous = Tally.Count(Custom(Meeting(TallyRules.ResidentsMeeting, 5, 3, agree: 3), threshold));
        var oneAbstains = Tally.Count(Custom(Meeting(TallyRules.ResidentsMeeting, 5, 3, agree: 2, abstain: 1), threshold));

        Assert.Equal(TallyOutcome.Passed, unanimous.Outcome);
        Assert.Equal(TallyOutcome.Rejected, oneAbstains.Outcome);
        Assert.Null(unanimous.Totals.Area);
        Assert.Equal("1/1", unanimous.Rule.Pass.Fraction);
    }

    [Fact]
    public void A_custom_rule_over_members_can_measure_against_those_voting()
    {
        var threshold = Threshold("1/2", "participating", inclusive: false);

        // 2 agree, 1 disagrees, 2 present but silent: 2 of 3 voting.
        var result = Tally.Count(Custom(Meeting(TallyRules.ResidentsMeeting, 5, 5, agree: 2, disagree: 1), threshold));

        Assert.Equal(TallyOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void Nothing_passes_when_nobody_took_part_even_with_an_inclusive_threshold()
    {
        var request = Custom(Heads(Ordinary, silent: 3), Threshold("1/2", "participating", inclusive: true));

        Assert.Equal(TallyOutcome.Rejected, Tally.Count(request).Outcome);
    }
}
