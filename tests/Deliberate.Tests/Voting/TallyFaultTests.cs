using Deliberate.Server.Voting;
using static Deliberate.Server.Voting.TallyFaultCodes;
using static Deliberate.Tests.Voting.TallyBuilders;

namespace Deliberate.Tests.Voting;

/// <summary>Requests that cannot be tallied: every fault names its code, the item, and says why in zh-CN and en.</summary>
public class TallyFaultTests
{
    private static readonly ElectorateUnit[] TwoUnits = [Unit("1-101", 80m, "张三"), Unit("1-102", 90m, "李四")];

    [Fact]
    public void A_ballot_for_a_unit_not_in_the_electorate_is_a_fault()
    {
        var fault = SingleFault(Owners(Ordinary, TwoUnits, [Vote("9-999", Agree)]), UnknownUnit);

        Assert.Equal("9-999", fault.Item);
        Assert.Contains("9-999", fault.MessageZh);
        Assert.Contains("not in the electorate", fault.MessageEn);
    }

    [Fact]
    public void A_ballot_naming_no_unit_is_a_fault()
    {
        SingleFault(Owners(Ordinary, TwoUnits, [TallyBallot.ForMember("m1", Agree)]), UnknownUnit);
    }

    [Fact]
    public void Two_ballots_of_one_head_with_different_choices_are_a_fault_naming_both_units()
    {
        var units = new[] { Unit("1-101", 80m, "张三"), Unit("1-102", 90m, "张三") };

        var fault = SingleFault(Owners(Ordinary, units, [Vote("1-101", Agree), Vote("1-102", Disagree)]), ConflictingBallots);

        Assert.Equal("1-102", fault.Item);
        Assert.Contains("1-101", fault.MessageEn);
        Assert.Contains("1-101", fault.MessageZh);
    }

    [Fact]
    public void Two_ballots_of_a_co_owned_unit_with_different_choices_are_a_fault()
    {
        var units = new[] { Unit("1-101", 80m, "张三", "李四") };

        SingleFault(Owners(Ordinary, units, [Vote("1-101", Agree), Vote("1-101", Abstain)]), ConflictingBallots);
    }

    [Fact]
    public void The_same_choice_twice_from_one_head_is_not_a_fault()
    {
        var result = Tally.Count(Owners(Ordinary, TwoUnits, [Vote("1-101", Agree), Vote("1-101", Agree), Vote("1-102", Agree)]));

        Assert.Equal(new Figures(170m, 2), result.Agree);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-89.5")]
    public void A_zero_or_negative_area_is_a_fault(string area)
    {
        var fault = SingleFault(Owners(Ordinary, [Unit("1-101", D(area), "张三")], []), InvalidArea);

        Assert.Equal("1-101", fault.Item);
    }

    [Fact]
    public void An_area_with_more_than_four_decimal_places_is_a_fault_but_trailing_zeros_are_not()
    {
        SingleFault(Owners(Ordinary, [Unit("1-101", 89.12345m, "张三")], []), InvalidArea);

        Assert.Equal(89.1234m, Tally.Count(Owners(Ordinary, [Unit("1-101", 89.123400000m, "张三")], [])).Totals.Area);
    }

    [Fact]
    public void An_absurdly_large_area_is_a_fault()
    {
        SingleFault(Owners(Ordinary, [Unit("1-101", 1_000_000_001m, "张三")], []), InvalidArea);
    }

    [Fact]
    public void A_duplicate_unit_in_the_electorate_is_a_fault()
    {
        var fault = SingleFault(Owners(Ordinary, [Unit("1-101", 80m, "张三"), Unit("1-101", 80m, "李四")], []), DuplicateUnit);

        Assert.Equal("1-101", fault.Item);
    }

    [Fact]
    public void A_unit_without_an_identifier_or_a_blank_owner_is_a_fault()
    {
        var faults = Faulted(Owners(Ordinary, [new ElectorateUnit("", ["张三"], 80m), Unit("1-102", 80m, " ")], [])).Faults;

        Assert.Equal([MissingUnit, InvalidOwner], faults.Select(f => f.Code));
    }

    [Fact]
    public void An_empty_or_missing_electorate_is_a_fault()
    {
        SingleFault(Owners(Ordinary, [], []), EmptyElectorate);
        SingleFault(new TallyRequest { Rule = Ordinary }, EmptyElectorate);
    }

    [Theory]
    [InlineData("civil-code-278")]
    [InlineData("CIVIL-CODE-278-ORDINARY")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_rule_is_a_fault(string? rule)
    {
        var fault = SingleFault(Heads(Ordinary, agree: 1) with { Rule = rule }, UnknownRule);

        Assert.Equal(rule, fault.Item);
        Assert.Contains(TallyRules.CivilCode278Ordinary, fault.MessageEn);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("Agree")]
    [InlineData("同意")]
    [InlineData(null)]
    public void An_unknown_choice_is_a_fault(string? choice)
    {
        var fault = SingleFault(Owners(Ordinary, TwoUnits, [new TallyBallot("1-101", null, choice)]), UnknownChoice);

        Assert.Equal("1-101", fault.Item);
    }

    [Fact]
    public void An_absent_members_ballot_is_a_fault()
    {
        var request = Meeting(TallyRules.OwnersCommittee, 5, 3) with { Ballots = [MemberVote("m5", Agree)] };

        var fault = SingleFault(request, AbsentMember);

        Assert.Equal("m5", fault.Item);
    }

    [Fact]
    public void A_ballot_from_a_non_member_is_a_fault()
    {
        var request = Meeting(TallyRules.OwnersCommittee, 5, 3) with { Ballots = [MemberVote("stranger", Agree)] };

        Assert.Equal("stranger", SingleFault(request, NotAMember).Item);
    }

    [Fact]
    public void A_member_ballot_naming_no_voter_is_a_fault()
    {
        var request = Meeting(TallyRules.ResidentsMeeting, 5, 3) with { Ballots = [Vote("1-101", Agree)] };

        SingleFault(request, UnknownVoter);
    }

    [Fact]
    public void Two_ballots_of_one_member_with_different_choices_are_a_fault()
    {
        var request = Meeting(TallyRules.RepresentativesMeeting, 5, 5) with { Ballots = [MemberVote("m1", Agree), MemberVote("m1", Disagree)] };

        Assert.Equal("m1", SingleFault(request, ConflictingBallots).Item);
    }

    [Fact]
    public void Member_list_faults_are_reported()
    {
        SingleFault(Meeting(TallyRules.OwnersCommittee, 0, 0), EmptyMembers);
        SingleFault(Meeting(TallyRules.OwnersCommittee, 3, 3) with { Members = ["m1", "m2", "m3", "m1"] }, DuplicateMember);
        SingleFault(Meeting(TallyRules.OwnersCommittee, 3, 2) with { Members = ["m1", "m2", " "] }, InvalidMember);
        SingleFault(Meeting(TallyRules.OwnersCommittee, 3, 3) with { Present = ["m1", "m9"] }, PresentNotMember);
    }

    [Fact]
    public void Deemed_consent_is_refused_for_member_rules()
    {
        SingleFault(Meeting(TallyRules.OwnersCommittee, 5, 5, agree: 3) with { DeemedConsent = true }, DeemedConsentNotAllowed);
    }

    [Fact]
    public void A_threshold_on_a_rule_set_by_law_is_a_fault()
    {
        var request = Heads(Ordinary, agree: 1) with { Threshold = new TallyThreshold { Fraction = "1/3", Base = "entitled", Inclusive = true } };

        SingleFault(request, InvalidThreshold);
    }

    public static TheoryData<TallyThreshold?, int> BadThresholds => new()
    {
        { null, 1 },
        { new TallyThreshold { Fraction = "2/3", Base = "present" }, 1 },                                       // inclusive missing
        { new TallyThreshold { Fraction = "3/2", Base = "present", Inclusive = true }, 1 },                     // above 1
        { new TallyThreshold { Fraction = "0/3", Base = "present", Inclusive = true }, 1 },
        { new TallyThreshold { Fraction = "two thirds", Base = "present", Inclusive = true }, 1 },
        { new TallyThreshold { Fraction = "-1/2", Base = "present", Inclusive = true }, 1 },
        { new TallyThreshold { Fraction = "1/0", Base = "present", Inclusive = true }, 1 },
        { new TallyThreshold { Fraction = "1/2", Base = "everyone", Inclusive = true }, 1 },
        { new TallyThreshold { Fraction = "1/1", Base = "present", Inclusive = false }, 1 },                    // more than all
        { new TallyThreshold { Fraction = "1/2", Base = "present", Inclusive = true, Measures = [] }, 1 },
        { new TallyThreshold { Fraction = "1/2", Base = "present", Inclusive = true, Measures = ["volume"] }, 1 },
        { new TallyThreshold { Fraction = "1/2", Base = "present", Inclusive = true, Quorum = new TallyQuorum { Fraction = "1/2" } }, 1 },
        { new TallyThreshold { Fraction = "x", Base = "y", Quorum = new TallyQuorum { Fraction = "z", Inclusive = true } }, 4 },
    };

    [Theory]
    [MemberData(nameof(BadThresholds))]
    public void An_invalid_custom_threshold_is_a_fault(TallyThreshold? threshold, int faults)
    {
        var request = Heads(TallyRules.Custom, agree: 1) with { Threshold = threshold };

        var all = Faulted(request).Faults;

        Assert.Equal(faults, all.Count);
        Assert.All(all, f => Assert.Equal(InvalidThreshold, f.Code));
    }

    [Fact]
    public void A_custom_rule_over_members_cannot_measure_area()
    {
        var request = Meeting(TallyRules.Custom, 3, 3) with
        {
            Threshold = new TallyThreshold { Fraction = "1/2", Base = "present", Inclusive = false, Measures = ["area", "headcount"] },
        };

        SingleFault(request, InvalidThreshold);
    }

    [Fact]
    public void A_custom_rule_needs_exactly_one_of_electorate_and_members()
    {
        var threshold = new TallyThreshold { Fraction = "1/2", Base = "present", Inclusive = false };

        SingleFault(new TallyRequest { Rule = TallyRules.Custom, Threshold = threshold }, EmptyElectorate);
        SingleFault(Heads(TallyRules.Custom, agree: 1) with { Threshold = threshold, Members = ["m1"] }, InvalidThreshold);
    }

    [Fact]
    public void Every_fault_is_reported_at_once()
    {
        var units = new[] { Unit("1", 10m, "a"), Unit("1", 10m, "b"), Unit("2", -1m, "c") };
        var ballots = new[] { Vote("3", Agree), Vote("2", "maybe") };

        var faults = Faulted(Owners(Ordinary, units, ballots)).Faults;

        Assert.Equal([DuplicateUnit, InvalidArea, UnknownUnit, UnknownChoice], faults.Select(f => f.Code));
    }

    [Fact]
    public void A_flood_of_faults_is_cut_at_the_limit_with_a_count_of_the_rest()
    {
        var ballots = Enumerable.Range(0, 250).Select(i => Vote($"x-{i}", Agree));

        var faults = Faulted(Owners(Ordinary, TwoUnits, ballots)).Faults;

        Assert.Equal(Limit + 1, faults.Count);
        Assert.Equal(TooManyFaults, faults[^1].Code);
        Assert.Contains("150", faults[^1].MessageEn);
    }

    [Fact]
    public void A_fault_speaks_the_requested_language()
    {
        var fault = SingleFault(Owners(Ordinary, TwoUnits, [Vote("9-999", Agree)]), UnknownUnit);

        Assert.Equal(fault.MessageEn, fault.Message("en-GB"));
        Assert.Equal(fault.MessageZh, fault.Message("zh-CN"));
        Assert.Equal(fault.MessageZh, fault.Message(null));
    }
}
