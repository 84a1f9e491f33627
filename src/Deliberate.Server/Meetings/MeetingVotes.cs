using Deliberate.Server.Api;
using Deliberate.Server.Voting;

namespace Deliberate.Server.Meetings;

/// <summary>
/// Which rule a vote held in a meeting counts by: the rule of the body that meets, and no other (issue 15 §5).
/// 业委会会议 → owners-committee (more than half of ALL members), 居民会议 → residents-meeting, 居民代表会议 →
/// representatives-meeting. A four-party joint meeting is consultative and takes no member vote (its resolutions
/// record each party's position and the consensus); an owners' assembly decides by the owners' ballot under 民法典
/// Art. 278, never by a member vote. An owners' ballot may still be linked to a joint meeting that referred the
/// matter to the owners: the owners vote on it, over their units, not the meeting's members.
/// </summary>
public static class MeetingVotes
{
    /// <summary>The rule a member vote of the body counts by; null where the body's members do not vote.</summary>
    public static string? MemberRule(MeetingType type) => type switch
    {
        MeetingType.OwnersCommittee => TallyRules.OwnersCommittee,
        MeetingType.ResidentsMeeting => TallyRules.ResidentsMeeting,
        MeetingType.RepresentativesMeeting => TallyRules.RepresentativesMeeting,
        _ => null,
    };

    static bool IsOwnersRule(string? rule) => rule is TallyRules.CivilCode278Ordinary or TallyRules.CivilCode278Major;

    /// <summary>
    /// The rule a ballot in a meeting of <paramref name="type"/> counts by, given what the request asked for (null:
    /// the body's rule). A different rule or a threshold of one's own is a field error naming the body's rule; a
    /// member vote in a four-party meeting is refused outright (409 consultativeMeeting).
    /// </summary>
    public static string? Resolve(MeetingType type, string? requested, bool threshold, FieldErrors errors)
    {
        var (bodyZh, bodyEn) = Meeting.Describe(type);
        switch (type)
        {
            case MeetingType.FourParty when IsOwnersRule(requested):
            case MeetingType.OwnersAssembly when IsOwnersRule(requested):
                return requested;
            case MeetingType.FourParty:
                throw new MeetingRuleException("consultativeMeeting",
                    "四方联席会议是协商议事会议，不进行成员表决：请记录各方的意见和是否达成共识。须由业主决定的事项，提交业主依民法典第二百七十八条表决。",
                    "A four-party joint meeting is consultative and takes no member vote: record each party's position and whether consensus was "
                        + "reached. "
                    + "Matters for the owners to decide go to an owners' ballot under Civil Code Art. 278.");
            case MeetingType.OwnersAssembly:
                errors.Add("rule", $"业主大会由业主依民法典第二百七十八条表决，不是成员表决：规则应为 {TallyRules.CivilCode278Ordinary} 或 {TallyRules.CivilCode278Major}。",
                    $"An owners' assembly decides by the owners' ballot under Civil Code Art. 278, not by a member vote: the rule must "
                        + $"be {TallyRules.CivilCode278Ordinary} or {TallyRules.CivilCode278Major}.");
                return requested;
        }
        var rule = MemberRule(type)!;
        var title = TallyRules.BuiltInRules.First(r => r.Name == rule);
        if (requested is not null && requested != rule)
            errors.Add("rule", $"{bodyZh}的表决只能适用本机构的规则 {rule}（{title.TitleZh}：{title.Pass.TextZh}），不能改用 {requested}。",
                $"A vote of a {bodyEn} counts only by the body's own rule, {rule} ({title.TitleEn}: {title.Pass.TextEn}), not {requested}.");
        if (threshold)
            errors.Add("threshold", $"{bodyZh}的表决按本机构的规则 {rule} 计票，不能另设门槛。",
                $"A vote of a {bodyEn} counts by the body's rule {rule}; it cannot set a threshold of its own.");
        return rule;
    }
}
