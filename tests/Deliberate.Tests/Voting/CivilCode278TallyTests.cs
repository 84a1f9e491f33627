using Deliberate.Server.Voting;
using static Deliberate.Tests.Voting.TallyBuilders;

namespace Deliberate.Tests.Voting;

/// <summary>民法典 Art. 278: quorum, ordinary and major thresholds, and how heads are counted.</summary>
public class CivilCode278TallyTests
{
    // ---- Quorum: ≥ 2/3 of area AND ≥ 2/3 of heads take part ----

    [Theory]
    [InlineData(2, 1, true)]    // 2/3 of heads exactly
    [InlineData(20, 10, true)]  // 20/30 exactly
    [InlineData(19, 11, false)] // 19/30 just below
    [InlineData(1, 1, false)]   // 1/2
    public void Two_thirds_of_heads_taking_part_meets_the_quorum_and_fewer_is_no_decision(int voting, int silent, bool quorumMet)
    {
        // Voters hold most of the area, so only the headcount decides the quorum.
        var result = Tally.Count(Heads(Ordinary, agree: voting, agreeArea: 100m, silent: silent, silentArea: 1m));

        Assert.Equal(quorumMet, result.QuorumMet);
        Assert.Equal(quorumMet ? TallyOutcome.Passed : TallyOutcome.NoDecision, result.Outcome);
    }

    [Theory]
    [InlineData("10", "5", true)]             // 40 of 60 m²: exactly 2/3
    [InlineData("10", "5.0001", false)]       // 40 of 60.0004 m²: just below
    [InlineData("0.0002", "0.0001", true)]    // exactly 2/3 at the smallest area step
    [InlineData("0.0002", "0.00015", false)]
    [InlineData("89.55", "44.775", true)]     // 358.2 of 537.3
    [InlineData("89.55", "44.7751", false)]
    public void Two_thirds_of_area_taking_part_meets_the_quorum_and_just_below_is_no_decision(string voterArea, string silentArea, bool quorumMet)
    {
        // Four heads of six vote (exactly 2/3 of heads), each with voterArea; the silent two hold 2 × silentArea each,
        // so the voters' share is voterArea / (voterArea + silentArea).
        var result = Tally.Count(Heads(Ordinary, agree: 4, agreeArea: D(voterArea), silent: 2, silentArea: D(silentArea) * 2));

        Assert.Equal(quorumMet, result.QuorumMet);
        Assert.Equal(quorumMet ? TallyOutcome.Passed : TallyOutcome.NoDecision, result.Outcome);
    }

    [Fact]
    public void Enough_area_without_enough_heads_is_no_decision()
    {
        var result = Tally.Count(Heads(Ordinary, agree: 1, agreeArea: 1000m, silent: 2, silentArea: 1m));

        Assert.False(result.QuorumMet);
        Assert.Equal(TallyOutcome.NoDecision, result.Outcome);
        Assert.Equal(new Figures(1000m, 1), result.Agree);
    }

    [Fact]
    public void Enough_heads_without_enough_area_is_no_decision()
    {
        var result = Tally.Count(Heads(Ordinary, agree: 9, agreeArea: 1m, silent: 1, silentArea: 100m));

        Assert.False(result.QuorumMet);
        Assert.Equal(TallyOutcome.NoDecision, result.Outcome);
    }

    [Fact]
    public void No_ballots_at_all_is_no_decision()
    {
        var result = Tally.Count(Heads(Ordinary, silent: 5));

        Assert.Equal(TallyOutcome.NoDecision, result.Outcome);
        Assert.Equal(new Figures(0m, 0), result.Participating);
        Assert.Equal(new Figures(50m, 5), result.Totals);
    }

    // ---- Ordinary matters: more than 1/2 of participating area AND heads ----

    [Theory]
    [InlineData(2, 2, TallyOutcome.Rejected)] // exactly 1/2 of heads fails
    [InlineData(3, 2, TallyOutcome.Passed)]   // just above
    [InlineData(50, 50, TallyOutcome.Rejected)]
    [InlineData(51, 50, TallyOutcome.Passed)]
    public void An_ordinary_matter_needs_more_than_half_of_participating_heads(int agree, int disagree, TallyOutcome outcome)
    {
        // Agreeing owners hold most of the area, so only heads decide.
        var result = Tally.Count(Heads(Ordinary, agree: agree, agreeArea: 100m, disagree: disagree, disagreeArea: 1m));

        Assert.True(result.QuorumMet);
        Assert.Equal(outcome, result.Outcome);
    }

    [Theory]
    [InlineData("30", TallyOutcome.Rejected)]     // agreeing 30 of 60: exactly 1/2 fails
    [InlineData("30.0001", TallyOutcome.Passed)]  // just above
    [InlineData("29.9999", TallyOutcome.Rejected)]
    public void An_ordinary_matter_needs_more_than_half_of_participating_area(string agreeingArea, TallyOutcome outcome)
    {
        // 3 heads agree, 1 disagrees with 30 m²: heads are fine, the area decides.
        var result = Tally.Count(Owners(Ordinary, ThreeAgainstOne(D(agreeingArea), 30m), ThreeAgainstOneBallots));

        Assert.Equal(D(agreeingArea), result.Agree.Area);
        Assert.Equal(outcome, result.Outcome);
    }

    private static ElectorateUnit[] ThreeAgainstOne(decimal agreeingArea, decimal disagreeingArea) =>
        [Unit("1", agreeingArea - 2m, "a"), Unit("2", 1m, "b"), Unit("3", 1m, "c"), Unit("4", disagreeingArea, "d")];

    private static readonly TallyBallot[] ThreeAgainstOneBallots = [Vote("1", Agree), Vote("2", Agree), Vote("3", Agree), Vote("4", Disagree)];

    [Fact]
    public void Area_passes_but_heads_fail_is_rejected()
    {
        var result = Tally.Count(Heads(Ordinary, agree: 1, agreeArea: 500m, disagree: 2, disagreeArea: 10m));

        Assert.True(result.QuorumMet);
        Assert.Equal(TallyOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public void Heads_pass_but_area_fails_is_rejected()
    {
        var result = Tally.Count(Heads(Ordinary, agree: 2, agreeArea: 10m, disagree: 1, disagreeArea: 500m));

        Assert.True(result.QuorumMet);
        Assert.Equal(TallyOutcome.Rejected, result.Outcome);
    }

    // ---- Major matters: at least 3/4 of participating area AND heads ----

    [Theory]
    [InlineData(3, 1, TallyOutcome.Passed)]   // exactly 3/4 of heads passes
    [InlineData(5, 3, TallyOutcome.Rejected)] // 5/8 just below
    [InlineData(30, 10, TallyOutcome.Passed)]
    [InlineData(29, 10, TallyOutcome.Rejected)] // 29/39 < 3/4
    public void A_major_matter_needs_three_quarters_of_participating_heads(int agree, int disagree, TallyOutcome outcome)
    {
        var result = Tally.Count(Heads(Major, agree: agree, agreeArea: 100m, disagree: disagree, disagreeArea: 1m));

        Assert.Equal(outcome, result.Outcome);
    }

    [Theory]
    [InlineData("30", TallyOutcome.Passed)]       // 30 of 40: exactly 3/4 passes
    [InlineData("29.9999", TallyOutcome.Rejected)] // just below
    public void A_major_matter_needs_three_quarters_of_participating_area(string agreeingArea, TallyOutcome outcome)
    {
        // 3 heads agree, 1 disagrees with 10 m²: exactly 3/4 of heads, the area decides.
        var result = Tally.Count(Owners(Major, ThreeAgainstOne(D(agreeingArea), 10m), ThreeAgainstOneBallots));

        Assert.Equal(D(agreeingArea), result.Agree.Area);
        Assert.Equal(outcome, result.Outcome);
    }

    [Fact]
    public void A_major_matter_with_heads_at_three_quarters_but_area_below_is_rejected()
    {
        var result = Tally.Count(Heads(Major, agree: 3, agreeArea: 10m, disagree: 1, disagreeArea: 11m));

        Assert.Equal(TallyOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public void A_vote_that_passes_as_ordinary_can_fail_as_major()
    {
        Assert.Equal(TallyOutcome.Passed, Tally.Count(Heads(Ordinary, agree: 2, disagree: 1)).Outcome);
        Assert.Equal(TallyOutcome.Rejected, Tally.Count(Heads(Major, agree: 2, disagree: 1)).Outcome);
    }

    // ---- Abstentions ----

    [Fact]
    public void Abstentions_take_part_and_count_towards_the_quorum()
    {
        var withAbstentions = Tally.Count(Heads(Ordinary, agree: 3, abstain: 1, silent: 2));
        var withoutThem = Tally.Count(Heads(Ordinary, agree: 3, silent: 3));

        Assert.True(withAbstentions.QuorumMet);
        Assert.Equal(new Figures(40m, 4), withAbstentions.Participating);
        Assert.Equal(new Figures(10m, 1), withAbstentions.Abstain);
        Assert.Equal(TallyOutcome.Passed, withAbstentions.Outcome);
        Assert.Equal(TallyOutcome.NoDecision, withoutThem.Outcome);
    }

    [Fact]
    public void Abstentions_take_part_but_do_not_agree()
    {
        // 2 agree of 4 participating: exactly half, so an ordinary matter fails.
        var result = Tally.Count(Heads(Ordinary, agree: 2, abstain: 2));

        Assert.Equal(TallyOutcome.Rejected, result.Outcome);
        Assert.Equal(new Figures(20m, 2), result.Agree);
        Assert.Equal(new Figures(0m, 0), result.Disagree);
    }

    // ---- Heads (Supreme Court interpretation Arts. 8–9) ----

    [Fact]
    public void An_owner_of_several_units_is_one_head_whose_ballot_carries_all_their_area()
    {
        var units = new[] { Unit("1-101", 50m, "张三"), Unit("1-102", 40m, "张三"), Unit("1-103", 45m, "李四") };

        // Only one of 张三's units sent a ballot.
        var result = Tally.Count(Owners(Ordinary, units, [Vote("1-101", Agree)]));

        Assert.Equal(new Figures(135m, 2), result.Totals);
        Assert.Equal(new Figures(90m, 1), result.Agree);
        Assert.Equal(new Figures(90m, 1), result.Participating);
        Assert.Equal(TallyOutcome.NoDecision, result.Outcome); // 1 head of 2 is below 2/3
    }

    [Fact]
    public void An_owner_of_several_units_votes_once_even_when_every_unit_sends_the_same_ballot()
    {
        var units = new[] { Unit("1-101", 50m, "张三"), Unit("1-102", 40m, "张三"), Unit("1-103", 45m, "李四") };

        var result = Tally.Count(Owners(Ordinary, units,
            [Vote("1-101", Agree), Vote("1-102", Agree), Vote("1-101", Agree), Vote("1-103", Disagree)]));

        Assert.Equal(new Figures(90m, 1), result.Agree);
        Assert.Equal(new Figures(45m, 1), result.Disagree);
        Assert.Equal(TallyOutcome.Rejected, result.Outcome); // 1 head of 2 is exactly half
    }

    [Fact]
    public void Co_owners_of_a_unit_are_one_head()
    {
        var units = new[] { Unit("1-101", 80m, "张三", "李四"), Unit("1-102", 80m, "王五"), Unit("1-103", 80m, "赵六") };

        var result = Tally.Count(Owners(Ordinary, units, [Vote("1-101", Agree), Vote("1-102", Agree)]));

        Assert.Equal(new Figures(240m, 3), result.Totals);
        Assert.Equal(new Figures(160m, 2), result.Agree);
        Assert.Equal(TallyOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void Units_linked_through_a_shared_owner_form_one_head_transitively()
    {
        // 张三 and 李四 co-own 101; 李四 and 王五 co-own 102; 王五 alone owns 103: one head.
        var units = new[] { Unit("101", 10m, "张三", "李四"), Unit("102", 20m, "李四", "王五"), Unit("103", 30m, "王五"), Unit("104", 40m, "赵六") };

        var result = Tally.Count(Owners(Ordinary, units, [Vote("103", Disagree)]));

        Assert.Equal(new Figures(100m, 2), result.Totals);
        Assert.Equal(new Figures(60m, 1), result.Disagree);
    }

    [Fact]
    public void The_developers_unsold_units_together_are_one_head()
    {
        var units = new[]
        {
            DeveloperUnit("2-101", 90m), DeveloperUnit("2-102", 90m), DeveloperUnit("2-103", 90m),
            Unit("1-101", 90m, "张三"), Unit("1-102", 90m, "李四"),
        };

        var result = Tally.Count(Owners(Ordinary, units, [Vote("2-102", Agree), Vote("1-101", Agree)]));

        Assert.Equal(new Figures(450m, 3), result.Totals);
        Assert.Equal(new Figures(360m, 2), result.Agree);
        Assert.Equal(TallyOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void Units_without_listed_owners_that_are_not_the_developers_are_each_their_own_head()
    {
        var units = new[] { new ElectorateUnit("1-101", [], 50m), new ElectorateUnit("1-102", null, 50m), Unit("1-103", 50m, "张三") };

        var result = Tally.Count(Owners(Ordinary, units, [Vote("1-101", Agree), Vote("1-102", Agree)]));

        Assert.Equal(new Figures(150m, 3), result.Totals);
        Assert.Equal(new Figures(100m, 2), result.Agree);
        Assert.Equal(TallyOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void The_result_describes_the_rule_with_its_thresholds()
    {
        var rule = Tally.Count(Heads(Major, agree: 1)).Rule;

        Assert.Equal(Major, rule.Name);
        Assert.NotNull(rule.Quorum);
        Assert.Equal(("2/3", true, "participating", "entitled"),
            (rule.Quorum.Fraction, rule.Quorum.Inclusive, rule.Quorum.Counted, rule.Quorum.Base));
        Assert.Equal(("3/4", 3, 4, true, "agree", "participating"),
            (rule.Pass.Fraction, rule.Pass.Numerator, rule.Pass.Denominator, rule.Pass.Inclusive, rule.Pass.Counted, rule.Pass.Base));
        Assert.Equal(["area", "headcount"], rule.Pass.Measures);
        Assert.Contains("3/4", rule.Pass.TextZh);
        Assert.Contains("at least 3/4", rule.Pass.TextEn);

        var ordinary = Tally.Count(Heads(Ordinary, agree: 1)).Rule;
        Assert.Equal(("1/2", false), (ordinary.Pass.Fraction, ordinary.Pass.Inclusive));
        Assert.Contains("more than 1/2", ordinary.Pass.TextEn);
    }
}
