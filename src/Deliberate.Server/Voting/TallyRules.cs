using System.Globalization;
using static Deliberate.Server.Voting.TallyFaultCodes;

namespace Deliberate.Server.Voting;

/// <summary>
/// The rules a tally can apply. Every rule, built in or custom, is one <see cref="RuleSpec"/>: who votes, the measures,
/// an optional quorum and a pass threshold; <see cref="Tally"/> evaluates them all with the same code.
/// </summary>
public static class TallyRules
{
    /// <summary>民法典 Art. 278 ¶2, ordinary matters: quorum ≥ 2/3 of area and heads; passes with &gt; 1/2 of the participating area and
    /// heads.</summary>
    public const string CivilCode278Ordinary = "civil-code-278-ordinary";
    /// <summary>民法典 Art. 278 ¶2, major matters (raising the fund, rebuilding, changing use of common parts): ≥ 3/4 of the participating area and
    /// heads.</summary>
    public const string CivilCode278Major = "civil-code-278-major";
    /// <summary>业委会会议: more than half of members present; a decision needs more than half of ALL members.</summary>
    public const string OwnersCommittee = "owners-committee";
    /// <summary>居民会议 (居委会组织法 Art. 9): more than half present; passes by more than half of those present.</summary>
    public const string ResidentsMeeting = "residents-meeting";
    /// <summary>居民(村民)代表会议: ≥ 2/3 present; passes by more than half of those present.</summary>
    public const string RepresentativesMeeting = "representatives-meeting";
    /// <summary>Configured by <see cref="TallyRequest.Threshold"/>.</summary>
    public const string Custom = "custom";

    public static IReadOnlyList<string> Names { get; } =
        [CivilCode278Ordinary, CivilCode278Major, OwnersCommittee, ResidentsMeeting, RepresentativesMeeting, Custom];

    private static readonly Fraction Half = new(1, 2);
    private static readonly Fraction TwoThirds = new(2, 3);
    private static readonly Fraction ThreeQuarters = new(3, 4);

    private static readonly RuleSpec[] BuiltIn =
    [
        Spec(CivilCode278Ordinary, "业主共同决定事项（一般事项，民法典第二百七十八条）",
            "Owners' joint decision, ordinary matter (Civil Code Art. 278)", VoterKind.Owners, Measures.Both,
            new Threshold(TwoThirds, Inclusive: true, Basis.Entitled), new Threshold(Half, Inclusive: false, Basis.Participating)),
        Spec(CivilCode278Major, "业主共同决定事项（重大事项，民法典第二百七十八条）",
            "Owners' joint decision, major matter (Civil Code Art. 278)", VoterKind.Owners, Measures.Both,
            new Threshold(TwoThirds, Inclusive: true, Basis.Entitled), new Threshold(ThreeQuarters, Inclusive: true, Basis.Participating)),
        Spec(OwnersCommittee, "业主委员会会议", "Owners' committee meeting", VoterKind.Members, Measures.Headcount,
            new Threshold(Half, Inclusive: false, Basis.Entitled), new Threshold(Half, Inclusive: false, Basis.Entitled)),
        Spec(ResidentsMeeting, "居民会议", "Residents' meeting", VoterKind.Members, Measures.Headcount,
            new Threshold(Half, Inclusive: false, Basis.Entitled), new Threshold(Half, Inclusive: false, Basis.Present)),
        Spec(RepresentativesMeeting, "居民代表会议", "Residents' representatives meeting", VoterKind.Members, Measures.Headcount,
            new Threshold(TwoThirds, Inclusive: true, Basis.Entitled), new Threshold(Half, Inclusive: false, Basis.Present)),
    ];

    /// <summary>The built-in rules, described as a result would describe them (for the UI and the minutes).</summary>
    public static IReadOnlyList<RuleDescription> BuiltInRules { get; } = BuiltIn.Select(r => r.Description).ToArray();

    /// <summary>
    /// A ballot's rule in words — a built-in rule, or a custom rule with its own quorum and threshold, so that those who
    /// vote are told the bar as they are for the law's rules. Null only when a stored custom rule cannot be read.
    /// </summary>
    public static RuleDescription? Describe(string rule, string? customRuleJson, bool owners)
    {
        if (BuiltInRules.FirstOrDefault(r => r.Name == rule) is { } builtIn) return builtIn;
        if (rule != Custom || customRuleJson is null) return null;
        try
        {
            var threshold = System.Text.Json.JsonSerializer.Deserialize<TallyThreshold>(customRuleJson, System.Text.Json.JsonSerializerOptions.Web);
            var request = new TallyRequest { Rule = Custom, Threshold = threshold, Electorate = owners ? [] : null, Members = owners ? null : [] };
            return Resolve(request, new FaultList()).Description;
        }
        catch (Exception e) when (e is TallyException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads the request's rule, or throws a <see cref="TallyException"/> when it cannot be used.</summary>
    internal static RuleSpec Resolve(TallyRequest request, FaultList faults)
    {
        var name = request.Rule;
        RuleSpec? rule = null;
        foreach (var candidate in BuiltIn)
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal)) rule = candidate;

        if (rule is not null)
        {
            if (request.Threshold is not null)
                faults.Add(InvalidThreshold, name, $"只有自定义规则（custom）可以设置表决门槛，规则“{name}”的门槛由法律规定。",
                    $"Only the custom rule takes a threshold; rule '{name}' has its thresholds set by law.");
        }
        else if (string.Equals(name, Custom, StringComparison.Ordinal))
            rule = ResolveCustom(request, faults);
        else
            faults.Fail(UnknownRule, name, $"未知的表决规则“{name}”。可用规则：{string.Join("、", Names)}。",
                $"Unknown rule '{name}'. Known rules: {string.Join(", ", Names)}.");

        if (rule is not null && rule.Voters == VoterKind.Members && request.DeemedConsent)
            faults.Add(DeemedConsentNotAllowed, name, "“未投票视为同意多数”只适用于业主共同决定，成员会议须由出席成员亲自表决。",
                "Deemed consent applies only to owners' votes; members of a meeting vote in person.");
        faults.ThrowIfAny();
        return rule!;
    }

    private static RuleSpec? ResolveCustom(TallyRequest request, FaultList faults)
    {
        void Bad(string zh, string en) => faults.Add(InvalidThreshold, Custom, zh, en);

        var t = request.Threshold;
        if (t is null)
        {
            Bad("自定义规则（custom）需要表决门槛 threshold。", "The custom rule needs a threshold.");
            return null;
        }

        VoterKind voters;
        if (request.Electorate is not null && request.Members is not null)
        {
            Bad("自定义规则只能统计业主名册（electorate）或成员名单（members）之一，不能同时提供。",
                "A custom rule counts either an electorate or members, not both.");
            return null;
        }
        if (request.Electorate is not null) voters = VoterKind.Owners;
        else if (request.Members is not null) voters = VoterKind.Members;
        else
        {
            faults.Add(EmptyElectorate, null, "自定义规则需要业主名册（electorate）或成员名单（members）。",
                "A custom rule needs an electorate or members.");
            return null;
        }

        var measures = voters == VoterKind.Owners ? Measures.Both : Measures.Headcount;
        if (t.Measures is not null)
        {
            measures = 0;
            foreach (var m in t.Measures)
            {
                if (m == "area" && voters == VoterKind.Owners) measures |= Measures.Area;
                else if (m == "headcount") measures |= Measures.Headcount;
                else if (m == "area")
                    Bad("成员表决没有面积，measures 只能是 [\"headcount\"]。", "Members have no area: measures can only be [\"headcount\"].");
                else
                    Bad($"未知的计量“{m}”，只能是 area 或 headcount。", $"Unknown measure '{m}': use area or headcount.");
            }
            if (t.Measures.Count == 0)
                Bad("measures 不能为空。", "Measures cannot be empty.");
        }

        var pass = ParseFraction(t.Fraction, "threshold.fraction", faults);
        Basis? basis = t.Base switch
        {
            "entitled" => Basis.Entitled,
            "participating" => Basis.Participating,
            "present" => Basis.Present,
            _ => null,
        };
        if (basis is null)
            Bad($"门槛基数 base“{t.Base}”无效，只能是 present、participating 或 entitled。",
                $"Threshold base '{t.Base}' is not valid: use present, participating or entitled.");
        if (t.Inclusive is null)
            Bad("须写明 inclusive：true 表示“以上/不少于”（含本数），false 表示“超过/过半数”。",
                "State inclusive: true for 'at least', false for 'more than'.");
        if (pass is { } p && t.Inclusive == false && p.Numerator == p.Denominator)
            Bad("“超过全部”的门槛永远达不到。", "A threshold of more than the whole can never be met.");

        Threshold? quorum = null;
        if (t.Quorum is { } q)
        {
            var qf = ParseFraction(q.Fraction, "threshold.quorum.fraction", faults);
            if (q.Inclusive is null)
                Bad("法定人数须写明 inclusive。", "State the quorum's inclusive.");
            if (qf is { } f && q.Inclusive == false && f.Numerator == f.Denominator)
                Bad("“超过全部”的法定人数永远达不到。", "A quorum of more than the whole can never be met.");
            if (qf is { } ok && q.Inclusive is { } qi) quorum = new Threshold(ok, qi, Basis.Entitled);
        }

        if (pass is null || basis is null || t.Inclusive is null || measures == 0 || (t.Quorum is not null && quorum is null))
            return null;
        return Spec(Custom, "自定义表决规则", "Custom rule", voters, measures, quorum,
            new Threshold(pass.Value, t.Inclusive.Value, basis.Value));
    }

    private static Fraction? ParseFraction(string? text, string field, FaultList faults)
    {
        const int MaxDenominator = 10_000;
        if (text is not null)
        {
            var slash = text.IndexOf('/');
            var numText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
            var denText = slash < 0 ? "1".AsSpan() : text.AsSpan(slash + 1);
            if (int.TryParse(numText, NumberStyles.None, CultureInfo.InvariantCulture, out var num)
                && int.TryParse(denText, NumberStyles.None, CultureInfo.InvariantCulture, out var den)
                && num > 0 && den > 0 && num <= den && den <= MaxDenominator)
                return new Fraction(num, den);
        }
        faults.Add(InvalidThreshold, Custom,
            $"{field}“{text}”无效：须为“分子/分母”形式的分数，大于 0、不超过 1，分母不超过 {MaxDenominator}，如“2/3”。",
            $"{field} '{text}' is not valid: write a fraction 'num/den' above 0 and at most 1, den at most {MaxDenominator}, e.g. '2/3'.");
        return null;
    }

    private static RuleSpec Spec(string name, string titleZh, string titleEn, VoterKind voters, Measures measures,
        Threshold? quorum, Threshold pass) =>
        new(name, voters, measures, quorum, pass,
            new RuleDescription(name, titleZh, titleEn,
                quorum is null ? null : DescribeQuorum(voters, measures, quorum),
                DescribePass(voters, measures, pass)));

    private static ThresholdDescription DescribeQuorum(VoterKind voters, Measures measures, Threshold t)
    {
        var f = t.Fraction.ToString();
        var (opZh, opEn) = Operator(t.Inclusive);
        string zh, en;
        if (voters == VoterKind.Owners)
        {
            zh = $"参与表决业主的{MeasuresZh(measures)}{opZh}全体业主的 {f}";
            en = $"Owners taking part hold {opEn} {f} of the total {MeasuresEn(measures)}";
        }
        else
        {
            zh = $"出席人数{opZh}全体成员的 {f}";
            en = $"Members present number {opEn} {f} of all members";
        }
        return Describe(t, voters == VoterKind.Owners ? "participating" : "present", measures, zh, en);
    }

    private static ThresholdDescription DescribePass(VoterKind voters, Measures measures, Threshold t)
    {
        var f = t.Fraction.ToString();
        var (opZh, opEn) = Operator(t.Inclusive);
        string zh, en;
        if (voters == VoterKind.Owners)
        {
            var (baseZh, baseEn) = t.Base == Basis.Entitled ? ("全体业主", "total") : ("参与表决业主", "participating");
            zh = $"同意业主的{MeasuresZh(measures)}{opZh}{baseZh}的 {f}";
            en = $"Agreeing owners hold {opEn} {f} of the {baseEn} {MeasuresEn(measures)}";
        }
        else
        {
            var (baseZh, baseEn) = t.Base switch
            {
                Basis.Entitled => ("全体成员", "all members"),
                Basis.Present => ("出席成员", "the members present"),
                _ => ("参与表决成员", "the members voting"),
            };
            zh = $"同意人数{opZh}{baseZh}的 {f}";
            en = $"Agreeing members number {opEn} {f} of {baseEn}";
        }
        return Describe(t, "agree", measures, zh, en);
    }

    private static ThresholdDescription Describe(Threshold t, string counted, Measures measures, string zh, string en) =>
        new(t.Fraction.ToString(), t.Fraction.Numerator, t.Fraction.Denominator, t.Inclusive, counted,
            t.Base switch { Basis.Entitled => "entitled", Basis.Present => "present", _ => "participating" },
            measures switch { Measures.Both => ["area", "headcount"], Measures.Area => ["area"], _ => ["headcount"] },
            zh, en);

    private static (string Zh, string En) Operator(bool inclusive) => inclusive ? ("不少于", "at least") : ("超过", "more than");

    private static string MeasuresZh(Measures m) => m switch
    {
        Measures.Both => "专有部分面积和人数均",
        Measures.Area => "专有部分面积",
        _ => "人数",
    };

    private static string MeasuresEn(Measures m) => m switch
    {
        Measures.Both => "area and headcount",
        Measures.Area => "area",
        _ => "headcount",
    };
}

internal enum VoterKind { Owners, Members }

/// <summary>What a pass threshold is measured against (a quorum is always against the entitled).</summary>
internal enum Basis { Entitled, Participating, Present }

[Flags]
internal enum Measures { Area = 1, Headcount = 2, Both = Area | Headcount }

internal readonly record struct Fraction(int Numerator, int Denominator)
{
    public override string ToString() => $"{Numerator}/{Denominator}";
}

/// <param name="Inclusive">"以上/不少于" (≥, Art. 1259) when true; "过半数/超过" (&gt;) when false.</param>
internal sealed record Threshold(Fraction Fraction, bool Inclusive, Basis Base)
{
    /// <summary>Exact: den × part vs num × whole. A whole of zero is never met (nothing passes on nobody's votes).</summary>
    public bool IsMet(long part, long whole)
    {
        if (whole <= 0) return false;
        long left = Fraction.Denominator * part, right = Fraction.Numerator * whole;
        return Inclusive ? left >= right : left > right;
    }

    /// <inheritdoc cref="IsMet(long, long)"/>
    public bool IsMet(decimal part, decimal whole)
    {
        if (whole <= 0m) return false;
        decimal left = Fraction.Denominator * part, right = Fraction.Numerator * whole;
        return Inclusive ? left >= right : left > right;
    }

    /// <summary>Met on every measure. Area figures are only read when the measures include area.</summary>
    public bool IsMet(Measures measures, Figures part, Figures whole) =>
        ((measures & Measures.Area) == 0 || IsMet(part.Area ?? 0m, whole.Area ?? 0m))
        && ((measures & Measures.Headcount) == 0 || IsMet(part.Headcount, whole.Headcount));
}

internal sealed record RuleSpec(string Name, VoterKind Voters, Measures Measures, Threshold? Quorum, Threshold Pass, RuleDescription Description);
