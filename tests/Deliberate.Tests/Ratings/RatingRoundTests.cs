using Deliberate.Server.Ratings;

namespace Deliberate.Tests.Ratings;

/// <summary>A rating round decides against its threshold with exact fractions, and takes ratings only inside its window.</summary>
public class RatingRoundTests
{
    static readonly DateTimeOffset Opens = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
    static readonly DateTimeOffset Closes = Opens.AddDays(7);

    static RatingRound Round(decimal threshold = 0.8m) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), threshold, Opens, Closes, 1);

    static List<RatingChoice> Ratings(int satisfied, int basically, int dissatisfied) =>
    [
        .. Enumerable.Repeat(RatingChoice.Satisfied, satisfied),
        .. Enumerable.Repeat(RatingChoice.BasicallySatisfied, basically),
        .. Enumerable.Repeat(RatingChoice.Dissatisfied, dissatisfied),
    ];

    [Theory]
    [InlineData(4, 0, 1)]     // 4/5 = 80 % exactly
    [InlineData(2, 2, 1)]     // 基本满意 counts as satisfied
    [InlineData(0, 80, 20)]   // 80/100
    [InlineData(400, 0, 100)] // 400/500
    public void At_exactly_80_per_cent_the_round_passes(int satisfied, int basically, int dissatisfied)
    {
        var round = Round();
        Assert.Equal(RatingOutcome.Satisfied, round.Close(Ratings(satisfied, basically, dissatisfied), Closes));
        Assert.Equal(0.8m, round.Rate);
    }

    [Theory]
    [InlineData(3, 0, 1)]     // 75 %
    [InlineData(79, 0, 21)]   // 79 %
    [InlineData(399, 0, 101)] // 79.8 %: no rounding up
    [InlineData(0, 0, 3)]
    public void Just_below_80_per_cent_the_round_fails(int satisfied, int basically, int dissatisfied)
    {
        var round = Round();
        Assert.Equal(RatingOutcome.Dissatisfied, round.Close(Ratings(satisfied, basically, dissatisfied), Closes));
        Assert.True(round.Rate < 0.8m);
    }

    [Fact]
    public void Two_of_three_is_compared_as_a_fraction_without_rounding()
    {
        // 2/3 = 66.666…%: below a threshold of 66.67 %, above one of 66.66 %.
        Assert.Equal(RatingOutcome.Dissatisfied, Round(0.6667m).Close(Ratings(2, 0, 1), Closes));
        Assert.Equal(RatingOutcome.Satisfied, Round(0.6666m).Close(Ratings(2, 0, 1), Closes));
    }

    [Fact]
    public void With_no_ratings_the_round_ends_with_no_ratings_and_no_rate()
    {
        var round = Round();
        Assert.Equal(RatingOutcome.NoRatings, round.Close([], Closes));
        Assert.Null(round.Rate);
        Assert.Equal((RatingStatus.Closed, (DateTimeOffset?)Closes), (round.Status, round.ClosedAt));
    }

    [Fact]
    public void Closing_counts_each_choice_and_a_closed_round_keeps_its_result()
    {
        var round = Round();
        round.Close(Ratings(3, 1, 1), Closes);
        Assert.Equal((3, 1, 1), (round.Satisfied, round.BasicallySatisfied, round.Dissatisfied));

        Assert.Equal(RatingOutcome.Satisfied, round.Close(Ratings(0, 0, 9), Closes.AddDays(1)));
        Assert.Equal((3, 1, 1, (DateTimeOffset?)Closes), (round.Satisfied, round.BasicallySatisfied, round.Dissatisfied, round.ClosedAt));
    }

    [Fact]
    public void A_rating_is_taken_inside_the_window_only()
    {
        var round = Round();
        var user = Guid.NewGuid();
        var rating = round.Accept(user, RatingChoice.BasicallySatisfied, "  还行  ", Opens);
        Assert.Equal((round.Id, user, RatingChoice.BasicallySatisfied, "还行", Opens),
            (rating.RoundId, rating.UserId, rating.Choice, rating.Comment, rating.At));
        Assert.Null(round.Accept(user, RatingChoice.Satisfied, " ", Closes.AddTicks(-1)).Comment);

        Assert.Equal("notYetOpen",
            Assert.Throws<RatingRuleException>(() => round.Accept(user, RatingChoice.Satisfied, null, Opens.AddTicks(-1))).Code);
        Assert.Equal("windowEnded", Assert.Throws<RatingRuleException>(() => round.Accept(user, RatingChoice.Satisfied, null, Closes)).Code);
    }

    [Fact]
    public void A_closed_round_takes_no_more_ratings()
    {
        var round = Round();
        round.Close([], Opens.AddDays(1));
        Assert.Equal("roundClosed",
            Assert.Throws<RatingRuleException>(() => round.Accept(Guid.NewGuid(), RatingChoice.Satisfied, null, Opens.AddDays(2))).Code);
    }

    [Fact]
    public void A_comment_longer_than_1000_characters_or_an_unknown_choice_is_refused()
    {
        var round = Round();
        Assert.Throws<ArgumentException>(() => round.Accept(Guid.NewGuid(), RatingChoice.Satisfied, new string('好', 1001), Opens));
        Assert.Throws<ArgumentOutOfRangeException>(() => round.Accept(Guid.NewGuid(), (RatingChoice)7, null, Opens));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.0001")]
    [InlineData("-0.5")]
    public void A_threshold_outside_0_to_1_is_refused(string threshold) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Round(decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture)));
}
