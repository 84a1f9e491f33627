using System.Text.Json.Serialization;

namespace Deliberate.Server.Voting;

/// <summary>
/// What <see cref="Tally.Count"/> is asked to count. One shape serves every rule; which fields a rule reads:
/// <list type="bullet">
/// <item>Owners' rules (<c>civil-code-278-ordinary</c>, <c>civil-code-278-major</c>, and <c>custom</c> when
/// <see cref="Electorate"/> is given): <see cref="Electorate"/>, <see cref="Ballots"/> naming <c>unit</c>,
/// <see cref="DeemedConsent"/>.</item>
/// <item>Member rules (<c>owners-committee</c>, <c>residents-meeting</c>, <c>representatives-meeting</c>, and
/// <c>custom</c> when <see cref="Members"/> is given): <see cref="Members"/>, <see cref="Present"/>,
/// <see cref="Ballots"/> naming <c>voter</c>.</item>
/// <item><c>custom</c> also needs <see cref="Threshold"/>.</item>
/// </list>
/// Identifiers (units, owners, members) are compared exactly (ordinal, no trimming, case-sensitive).
/// </summary>
public sealed record TallyRequest
{
    /// <summary>One of <see cref="TallyRules.Names"/>.</summary>
    public string? Rule { get; init; }

    /// <summary>Every unit entitled to vote (owners' rules). The denominator of the quorum.</summary>
    public IReadOnlyList<ElectorateUnit>? Electorate { get; init; }

    /// <summary>Ballots cast; <c>unit</c> for owners' rules, <c>voter</c> for member rules. Null means none.</summary>
    public IReadOnlyList<TallyBallot>? Ballots { get; init; }

    /// <summary>
    /// "未投票视为同意多数" (owners' rules only, off by default): heads that did not vote are counted as taking part
    /// and as casting the majority choice of those who voted. See <see cref="Tally"/> for the exact definition.
    /// </summary>
    public bool DeemedConsent { get; init; }

    /// <summary>
    /// With <see cref="DeemedConsent"/>: whether deemed heads count toward the quorum (the 2/3 taking part). Null means
    /// yes, as ballots stored before the rules of procedure said which were counted.
    /// </summary>
    public bool? DeemedCountsTowardParticipation { get; init; }

    /// <summary>
    /// With <see cref="DeemedConsent"/>: whether deemed heads count toward the pass threshold (they join the majority
    /// choice and the base it is measured against). Null means yes, as before.
    /// </summary>
    public bool? DeemedCountsTowardThreshold { get; init; }

    /// <summary>Everyone entitled to vote in a member rule (e.g. the owners' committee's members).</summary>
    public IReadOnlyList<string>? Members { get; init; }

    /// <summary>The members present (member rules). Only present members may vote.</summary>
    public IReadOnlyList<string>? Present { get; init; }

    /// <summary>The configurable rule; required by <c>custom</c>, refused by every other rule.</summary>
    public TallyThreshold? Threshold { get; init; }
}

/// <summary>
/// One unit of the electorate (户): its exclusive area from the property register (else surveyed, else the sales
/// contract) and its owners. Units sharing an owner form one head; all <see cref="DeveloperUnsold"/> units form one
/// head together; a unit with no owner listed that is not the developer's is its own head.
/// </summary>
/// <param name="Unit">The unit's identifier, e.g. "1-101"; unique in the electorate.</param>
/// <param name="Owners">Owner identifiers. The same string means the same person, so pass a stable identity
/// (an owner id), not a display name that two people may share.</param>
/// <param name="Area">Exclusive area in m²: positive, at most 4 decimal places, at most 10⁹.</param>
/// <param name="DeveloperUnsold">The developer's unsold or undelivered unit.</param>
public sealed record ElectorateUnit(string Unit, IReadOnlyList<string>? Owners, decimal Area, bool DeveloperUnsold = false);

/// <summary>
/// One ballot: <see cref="Unit"/> for owners' rules (the ballot of that unit's head), <see cref="Voter"/> for
/// member rules. <see cref="Choice"/> is one of <see cref="TallyChoices"/>.
/// </summary>
public sealed record TallyBallot(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Voter,
    string? Choice)
{
    public static TallyBallot ForUnit(string unit, string choice) => new(unit, null, choice);
    public static TallyBallot ForMember(string voter, string choice) => new(null, voter, choice);
}

/// <summary>The choices a ballot may carry. Abstaining takes part but does not agree.</summary>
public static class TallyChoices
{
    public const string Agree = "agree";
    public const string Disagree = "disagree";
    public const string Abstain = "abstain";
}

/// <summary>
/// The configurable rule (<c>"rule": "custom"</c>). A decision passes when the quorum is met and, on every measure,
/// the agreeing votes reach <see cref="Fraction"/> of the <see cref="Base"/>:
/// <c>den × agree ≥ num × base</c> when <see cref="Inclusive"/> ("以上", Art. 1259), <c>&gt;</c> otherwise ("过半数").
/// Comparisons are exact (cross-multiplied integers and decimals, never floating point); a base of zero is never met.
/// </summary>
/// <remarks>
/// Which voters: with <c>electorate</c> the rule counts owners' heads (area and headcount, deemed consent allowed);
/// with <c>members</c> it counts members (headcount only). Giving both or neither is a fault.
/// </remarks>
public sealed record TallyThreshold
{
    /// <summary>"num/den" (or a whole "1"), with 0 &lt; num/den ≤ 1 and den ≤ 10000; e.g. "2/3".</summary>
    public string? Fraction { get; init; }

    /// <summary>
    /// What the agreeing votes are measured against:
    /// <c>entitled</c> — the whole electorate or all members;
    /// <c>participating</c> — those who cast a ballot (abstentions included; deemed heads included);
    /// <c>present</c> — for members, those present whether or not they voted; for owners, taking part in the vote
    /// is being present, so it equals <c>participating</c>.
    /// </summary>
    public string? Base { get; init; }

    /// <summary>Required: true for "at least" (以上, 不少于), false for "more than" (过半数, 超过).</summary>
    public bool? Inclusive { get; init; }

    /// <summary>
    /// Who must take part, as a fraction of the entitled: owners who cast a ballot, or members present.
    /// Null means no quorum.
    /// </summary>
    public TallyQuorum? Quorum { get; init; }

    /// <summary>
    /// <c>area</c> and/or <c>headcount</c>; every listed measure must meet both the quorum and the threshold.
    /// Omitted: both for owners, headcount for members. Members have no area.
    /// </summary>
    public IReadOnlyList<string>? Measures { get; init; }
}

/// <summary>A quorum of the custom rule: the fraction of the entitled that must take part (or be present).</summary>
public sealed record TallyQuorum
{
    /// <summary>"num/den", as <see cref="TallyThreshold.Fraction"/>.</summary>
    public string? Fraction { get; init; }

    /// <summary>Required: true for "at least", false for "more than".</summary>
    public bool? Inclusive { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<TallyOutcome>))]
public enum TallyOutcome
{
    [JsonStringEnumMemberName("passed")] Passed,
    [JsonStringEnumMemberName("rejected")] Rejected,
    /// <summary>The quorum was not met: the body has not decided (未形成决定).</summary>
    [JsonStringEnumMemberName("noDecision")] NoDecision,
}

/// <summary>A count on both measures. <see cref="Area"/> is null (and not written) for member rules.</summary>
public sealed record Figures(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Area,
    int Headcount);

/// <summary>
/// The tally. <see cref="Participating"/> is what the quorum was applied to; <see cref="Agree"/>, <see cref="Disagree"/>
/// and <see cref="Abstain"/> are what the pass threshold was applied to. With deemed consent they include the deemed
/// heads where the rules say those count (by default both); <see cref="Deemed"/> says how much was deemed,
/// <see cref="DeemedAs"/> under which choice, and <see cref="DeemedCounting"/> the real turnout and where deemed heads counted.
/// </summary>
public sealed record TallyResult(
    TallyOutcome Outcome,
    bool QuorumMet,
    Figures Totals,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Figures? Present,
    Figures Participating,
    Figures Agree,
    Figures Disagree,
    Figures Abstain,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Figures? Deemed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeemedAs,
    RuleDescription Rule,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeemedReport? DeemedCounting = null);

/// <summary>
/// With deemed consent on, what really happened beside what was deemed: the heads and area that actually voted (with
/// their share of the totals, in percent), and where the deemed heads were counted.
/// </summary>
/// <param name="Voted">Heads and area that cast a ballot; deemed heads are never in it.</param>
/// <param name="VotedPercent">Voted as a percentage of the totals, rounded to two places.</param>
/// <param name="TowardParticipation">Deemed heads counted toward the quorum: then <see cref="TallyResult.Participating"/> includes them.</param>
/// <param name="TowardThreshold">Deemed heads counted toward the pass threshold: then agree (or the majority choice) and
/// <paramref name="ThresholdBase"/> include them.</param>
/// <param name="ThresholdBase">What the pass fraction was measured against when the rule's base is the participating.</param>
public sealed record DeemedReport(Figures Voted, Percentages VotedPercent, bool TowardParticipation, bool TowardThreshold, Figures ThresholdBase);

/// <summary>Shares in percent, two decimal places; <see cref="Area"/> null for member rules.</summary>
public sealed record Percentages(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Area,
    decimal Headcount);

/// <summary>The rule a tally applied, for the result, the minutes and the UI.</summary>
public sealed record RuleDescription(
    string Name,
    string TitleZh,
    string TitleEn,
    ThresholdDescription? Quorum,
    ThresholdDescription Pass);

/// <summary>
/// One threshold: <see cref="Counted"/> must reach <see cref="Numerator"/>/<see cref="Denominator"/> of
/// <see cref="Base"/> on every one of <see cref="Measures"/>, inclusively or strictly.
/// </summary>
/// <param name="Counted"><c>participating</c>, <c>present</c> or <c>agree</c>.</param>
/// <param name="Base"><c>entitled</c>, <c>participating</c> or <c>present</c>.</param>
public sealed record ThresholdDescription(
    string Fraction,
    int Numerator,
    int Denominator,
    bool Inclusive,
    string Counted,
    string Base,
    IReadOnlyList<string> Measures,
    string TextZh,
    string TextEn);
