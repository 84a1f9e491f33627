namespace Deliberate.Server.Voting;

/// <summary>
/// The vote count: pure, stateless, exact. <c>POST /api/tally</c> and the stored result of every closed ballot both
/// call <see cref="Count"/>, so they cannot disagree.
/// </summary>
/// <remarks>
/// <para><b>Heads (owners' rules).</b> Per the Supreme People's Court interpretation on 建筑物区分所有权 (Arts. 8–9)
/// each unit is one head, but an owner of several units is one head, the co-owners of a unit are one head, and all of
/// the developer's unsold units are one head. So heads are the connected components of units linked by a shared owner
/// identifier (transitively: if A and B co-own one unit and B alone owns another, both units are one head), with every
/// developer-unsold unit in one component. A head votes once; its ballot carries the area of all its units, whichever
/// of its units the ballot names. Ballots of one head with the same choice count once; different choices are a fault.</para>
/// <para><b>Taking part.</b> A head takes part when it casts a ballot, abstentions included; an abstention takes part
/// but does not agree.</para>
/// <para><b>Deemed consent</b> (未投票视为同意多数, <see cref="TallyRequest.DeemedConsent"/>). The "majority" that
/// non-voting heads follow is the choice — agree, disagree or abstain — that the cast ballots give strictly more than
/// each other choice, on every measure of the rule (for Art. 278: both area and headcount). With a tie, with area and
/// headcount leading to different choices, or with no ballots at all, there is no majority to follow and nobody is
/// deemed (the result still carries <c>deemed</c>, with zeros, to show the setting was on). By default deemed heads count as
/// taking part and under the majority choice in every figure; the rules of procedure may count them toward the quorum
/// only or the threshold only (<see cref="TallyRequest.DeemedCountsTowardParticipation"/>,
/// <see cref="TallyRequest.DeemedCountsTowardThreshold"/>). <c>deemed</c> and <c>deemedAs</c> say how much and as what;
/// <c>deemedCounting</c> gives the real turnout apart.</para>
/// <para><b>Arithmetic.</b> Areas are decimals (at most 4 places, so sums are exact); thresholds compare cross-multiplied
/// integers or decimals (<c>3 × part ≥ 2 × total</c>), so exactly 2/3 meets "≥ 2/3" and exactly 1/2 fails "&gt; 1/2".</para>
/// <para><b>Faults.</b> Every fault found is reported at once in a <see cref="TallyException"/>.</para>
/// </remarks>
public static class Tally
{
    public static TallyResult Count(TallyRequest request) => Count(request, parallel: null);

    /// <summary>
    /// The head (表决权人) of each unit, under the same rules as the count: units sharing an owner, and all of the
    /// developer's unsold units, form one head. Heads are numbered 0, 1, … in the order of their first unit.
    /// </summary>
    public static int[] HeadsOf(IReadOnlyList<ElectorateUnit> electorate) => OwnerTally.HeadsOf(electorate);

    /// <param name="parallel">Null: use two threads for large requests. Tests force either path to show they agree.</param>
    internal static TallyResult Count(TallyRequest request, bool? parallel)
    {
        ArgumentNullException.ThrowIfNull(request);
        var faults = new FaultList();
        var rule = TallyRules.Resolve(request, faults);
        return rule.Voters == VoterKind.Owners
            ? OwnerTally.Count(request, rule, faults, parallel)
            : MemberTally.Count(request, rule, faults);
    }

    // Choices as small numbers: index 0 is "did not vote", so per-choice sums are arrays indexed by choice.
    internal const byte NoVote = 0, Agree = 1, Disagree = 2, Abstain = 3;

    internal static byte ParseChoice(string? choice) => choice switch
    {
        TallyChoices.Agree => Agree,
        TallyChoices.Disagree => Disagree,
        TallyChoices.Abstain => Abstain,
        _ => NoVote,
    };

    internal static string ChoiceName(byte choice) => choice switch
    {
        Agree => TallyChoices.Agree,
        Disagree => TallyChoices.Disagree,
        _ => TallyChoices.Abstain,
    };

    internal static string ChoiceZh(byte choice) => ChoiceZh(ChoiceName(choice));

    internal static string ChoiceZh(string choice) => choice switch
    {
        TallyChoices.Agree => "同意",
        TallyChoices.Disagree => "反对",
        _ => "弃权",
    };

    internal static void AddUnknownChoice(FaultList faults, string? item, string? choice) =>
        faults.Add(TallyFaultCodes.UnknownChoice, item,
            $"“{item}”的选票意见“{choice}”无效，只能是 agree（同意）、disagree（反对）或 abstain（弃权）。",
            $"The ballot of '{item}' has unknown choice '{choice}': use agree, disagree or abstain.");

    /// <summary>Applies quorum and pass thresholds, the same way for every rule.</summary>
    internal static TallyResult Decide(RuleSpec rule, Figures totals, Figures? present, Figures participating,
        Figures agree, Figures disagree, Figures abstain, Figures? deemed, string? deemedAs, Figures? thresholdBase = null,
        DeemedReport? deemedReport = null)
    {
        var attending = rule.Voters == VoterKind.Members ? present! : participating;
        var quorumMet = rule.Quorum is null || rule.Quorum.IsMet(rule.Measures, attending, totals);
        // Owners: the threshold's base is who took part, deemed heads included only where the rules count them toward it.
        var counted = thresholdBase ?? participating;
        var passBase = rule.Pass.Base switch
        {
            Basis.Entitled => totals,
            Basis.Present => rule.Voters == VoterKind.Members ? attending : counted,
            _ => counted,
        };
        var outcome = !quorumMet ? TallyOutcome.NoDecision
            : rule.Pass.IsMet(rule.Measures, agree, passBase) ? TallyOutcome.Passed
            : TallyOutcome.Rejected;
        return new TallyResult(outcome, quorumMet, totals, present, participating, agree, disagree, abstain,
            deemed, deemedAs, rule.Description, deemedReport);
    }
}
