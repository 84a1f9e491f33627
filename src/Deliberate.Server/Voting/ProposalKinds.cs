using Deliberate.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deliberate.Server.Voting;

/// <summary>One kind of matter owners decide jointly, from 民法典 Art. 278 ¶1 (一)–(九).</summary>
/// <param name="Item">The item of Art. 278 ¶1, 1–9.</param>
/// <param name="Major">Items (六)(七)(八): decided by ≥ 3/4 of the participating area and heads.</param>
public sealed record ProposalKind(string Code, int Item, string NameZh, string NameEn, bool Major);

/// <summary>
/// The kinds of owners' proposals and the least rule each may be decided by. The law sets the floor: (六)(七)(八) need the
/// major rule, the rest at least the ordinary one; the community's rules of procedure may raise a kind to the major rule,
/// never lower one.
/// </summary>
public static class ProposalKinds
{
    public const string RulesOfProcedure = "rules-of-procedure";
    public const string ManagementStatute = "management-statute";
    public const string OwnersCommittee = "owners-committee";
    public const string PropertyService = "property-service";
    public const string FundUse = "maintenance-fund-use";
    public const string FundRaising = "maintenance-fund-raising";
    public const string Rebuilding = "rebuilding";
    public const string CommonPartsUse = "common-parts-use";
    public const string OtherMajor = "other-major-matter";

    public static IReadOnlyList<ProposalKind> All { get; } =
    [
        new(RulesOfProcedure, 1, "制定和修改业主大会议事规则", "Adopting or amending the owners' assembly rules of procedure", false),
        new(ManagementStatute, 2, "制定和修改管理规约", "Adopting or amending the management statute", false),
        new(OwnersCommittee, 3, "选举业主委员会或者更换业主委员会成员", "Electing the owners' committee or replacing its members", false),
        new(PropertyService, 4, "选聘和解聘物业服务企业或者其他管理人", "Hiring or dismissing the property service company or other manager", false),
        new(FundUse, 5, "使用建筑物及其附属设施的维修资金", "Using the maintenance fund of the buildings and their facilities", false),
        new(FundRaising, 6, "筹集建筑物及其附属设施的维修资金", "Raising the maintenance fund of the buildings and their facilities", true),
        new(Rebuilding, 7, "改建、重建建筑物及其附属设施", "Altering or rebuilding the buildings and their facilities", true),
        new(CommonPartsUse, 8, "改变共有部分的用途或者利用共有部分从事经营活动", "Changing the use of common parts or using them for business", true),
        new(OtherMajor, 9, "有关共有和共同管理权利的其他重大事项", "Other major matters of common ownership and management", false),
    ];

    public static ProposalKind? Find(string? code) => All.FirstOrDefault(k => k.Code == code);

    /// <summary>The kind's name for notices: "筹集建筑物及其附属设施的维修资金（民法典第二百七十八条第一款第六项）".</summary>
    public static string? Label(string? code, bool english)
    {
        if (Find(code) is not { } k) return null;
        string[] items = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];
        return english ? $"{k.NameEn} (Civil Code Art. 278 ¶1 item {k.Item})" : $"{k.NameZh}（民法典第二百七十八条第一款第{items[k.Item - 1]}项）";
    }

    /// <summary>
    /// Why an owners' ballot of this kind may not be decided by this rule, as a 400; null when it may. A kind is required;
    /// <paramref name="raisedToMajor"/> are the kinds the adopted rules of procedure put under the major rule.
    /// </summary>
    public static ProblemHttpResult? Refusal(string? code, string? rule, TallyThreshold? threshold, IReadOnlyCollection<string> raisedToMajor)
    {
        if (Fault(code, rule, threshold, raisedToMajor) is not { } fault) return null;
        var list = new Dictionary<string, object?>
        {
            ["kinds"] = All.Select(k => new { k.Code, name = Text.L(k.NameZh, k.NameEn), k.Major })
            .ToList()
        };
        return Problems.BadRequest(fault.Code, fault.MessageZh, fault.MessageEn, list);
    }

    /// <summary>
    /// The one check behind <see cref="Refusal"/> and the workflow's Vote activity: kindRequired, unknownKind or
    /// ruleTooLowForKind with its messages, or null when the kind may be decided by the rule.
    /// </summary>
    public static TallyFault? Fault(string? code, string? rule, TallyThreshold? threshold, IReadOnlyCollection<string> raisedToMajor)
    {
        var names = string.Join("；", All.Select(k => $"{k.Code}（{k.NameZh}）"));
        var namesEn = string.Join("; ", All.Select(k => $"{k.Code} ({k.NameEn})"));
        if (string.IsNullOrWhiteSpace(code))
            return new("kindRequired", "kind", $"业主表决须写明事项类别（kind），可选：{names}。",
                $"An owners' ballot must state its kind: {namesEn}.");
        if (Find(code) is not { } kind)
            return new("unknownKind", "kind", $"未知的事项类别“{code}”，可选：{names}。", $"Unknown kind '{code}'. Kinds: {namesEn}.");

        var major = kind.Major || raisedToMajor.Contains(kind.Code);
        if (AtLeast(rule, threshold, major)) return null;
        var why = kind.Major ? ("民法典第二百七十八条", "Civil Code Art. 278") : ("本小区业主大会议事规则", "the community's rules of procedure");
        return major
            ? new("ruleTooLowForKind", "kind",
                $"“{kind.NameZh}”须经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意（{why.Item1}），应使用重大事项规则（{TallyRules.CivilCode278Major}），不能使用更低的规则。",
                $"'{kind.NameEn}' needs the agreement of at least 3/4 of the participating area and heads ({why.Item2}): use the major rule "
                    + $"({TallyRules.CivilCode278Major}), not a lower one.")
            : new("ruleTooLowForKind", "kind",
                $"“{kind.NameZh}”至少须适用民法典第二百七十八条的一般事项规则（参与表决面积和人数均过半数同意，且三分之二以上参与），自定义规则不能低于它。",
                $"'{kind.NameEn}' needs at least the ordinary rule of Civil Code Art. 278 (more than 1/2 of the participating area and heads, with "
                    + $"2/3 taking part); a custom rule may not be lower.");
    }

    /// <summary>Whether the rule is at least as demanding as Art. 278's ordinary (or, with <paramref name="major"/>, major) rule.</summary>
    static bool AtLeast(string? rule, TallyThreshold? threshold, bool major)
    {
        if (rule == TallyRules.CivilCode278Major) return true;
        if (rule == TallyRules.CivilCode278Ordinary) return !major;
        if (rule != TallyRules.Custom || threshold is null) return false;
        // A custom owners' rule: both measures, a quorum of at least 2/3 of the entitled, and agreement of at least the
        // law's share of the participating (the entitled is a larger base, so it is stricter still).
        var measures = threshold.Measures ?? ["area", "headcount"];
        if (!measures.Contains("area") || !measures.Contains("headcount")) return false;
        if (threshold.Quorum is not { } q || !NoLower(q.Fraction, q.Inclusive, 2, 3, inclusive: true)) return false;
        if (threshold.Base is not ("participating" or "present" or "entitled")) return false;
        return major ? NoLower(threshold.Fraction, threshold.Inclusive, 3, 4, inclusive: true)
            : NoLower(threshold.Fraction, threshold.Inclusive, 1, 2, inclusive: false);
    }

    /// <summary>"num/den" with its inclusiveness is at least as strict as n/d: a larger fraction, or the same one held strictly.</summary>
    static bool NoLower(string? fraction, bool? isInclusive, long n, long d, bool inclusive)
    {
        if (fraction is null || isInclusive is null) return false;
        var parts = fraction.Split('/');
        if (!long.TryParse(parts[0], out var num)) return false;
        var den = 1L;
        if (parts.Length > 2 || (parts.Length == 2 && !long.TryParse(parts[1], out den)) || den <= 0) return false;
        var cmp = (num * d).CompareTo(n * den);
        return cmp > 0 || (cmp == 0 && (!isInclusive.Value || inclusive));
    }
}
