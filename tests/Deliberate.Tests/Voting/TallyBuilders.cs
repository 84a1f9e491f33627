using Deliberate.Server.Voting;

namespace Deliberate.Tests.Voting;

/// <summary>Short ways to write electorates, ballots and meetings in tests.</summary>
internal static class TallyBuilders
{
    public const string Ordinary = TallyRules.CivilCode278Ordinary;
    public const string Major = TallyRules.CivilCode278Major;
    public const string Agree = TallyChoices.Agree;
    public const string Disagree = TallyChoices.Disagree;
    public const string Abstain = TallyChoices.Abstain;

    /// <summary>A decimal from invariant text (xunit's inline data cannot hold decimals).</summary>
    public static decimal D(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    public static ElectorateUnit Unit(string id, decimal area, params string[] owners) => new(id, owners, area);

    public static ElectorateUnit DeveloperUnit(string id, decimal area) => new(id, [], area, DeveloperUnsold: true);

    public static TallyBallot Vote(string unit, string choice) => TallyBallot.ForUnit(unit, choice);

    public static TallyBallot MemberVote(string voter, string choice) => TallyBallot.ForMember(voter, choice);

    public static TallyRequest Owners(string rule, IEnumerable<ElectorateUnit> electorate, IEnumerable<TallyBallot> ballots,
        bool deemedConsent = false) =>
        new() { Rule = rule, Electorate = electorate.ToList(), Ballots = ballots.ToList(), DeemedConsent = deemedConsent };

    /// <summary>
    /// Heads of one unit each: <paramref name="agree"/> agreeing units of area <paramref name="agreeArea"/> each,
    /// then disagreeing, abstaining and silent units with their own areas.
    /// </summary>
    public static TallyRequest Heads(string rule,
        int agree = 0, decimal agreeArea = 10m,
        int disagree = 0, decimal disagreeArea = 10m,
        int abstain = 0, decimal abstainArea = 10m,
        int silent = 0, decimal silentArea = 10m,
        bool deemedConsent = false)
    {
        var units = new List<ElectorateUnit>();
        var ballots = new List<TallyBallot>();
        void Add(string prefix, int count, decimal area, string? choice)
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"{prefix}-{i + 1}";
                units.Add(Unit(id, area, "owner-" + id));
                if (choice is not null) ballots.Add(Vote(id, choice));
            }
        }
        Add("agree", agree, agreeArea, Agree);
        Add("disagree", disagree, disagreeArea, Disagree);
        Add("abstain", abstain, abstainArea, Abstain);
        Add("silent", silent, silentArea, null);
        return Owners(rule, units, ballots, deemedConsent);
    }

    /// <summary>Members m1..mN; the first <paramref name="present"/> are present; of those, the first vote agree, then disagree, then
    /// abstain.</summary>
    public static TallyRequest Meeting(string rule, int members, int present, int agree = 0, int disagree = 0, int abstain = 0)
    {
        var names = Enumerable.Range(1, members).Select(i => $"m{i}").ToList();
        var ballots = new List<TallyBallot>();
        var next = 0;
        for (var i = 0; i < agree; i++) ballots.Add(MemberVote(names[next++], Agree));
        for (var i = 0; i < disagree; i++) ballots.Add(MemberVote(names[next++], Disagree));
        for (var i = 0; i < abstain; i++) ballots.Add(MemberVote(names[next++], Abstain));
        Assert.True(next <= present, "test setup: only members present vote");
        return new TallyRequest { Rule = rule, Members = names, Present = names.Take(present).ToList(), Ballots = ballots };
    }

    public static TallyException Faulted(TallyRequest request) => Assert.Throws<TallyException>(() => Tally.Count(request));

    public static TallyFault SingleFault(TallyRequest request, string code)
    {
        var faults = Faulted(request).Faults;
        var fault = Assert.Single(faults);
        Assert.Equal(code, fault.Code);
        Assert.False(string.IsNullOrWhiteSpace(fault.MessageZh));
        Assert.False(string.IsNullOrWhiteSpace(fault.MessageEn));
        return fault;
    }
}
