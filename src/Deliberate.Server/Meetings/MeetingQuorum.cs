namespace Deliberate.Server.Meetings;

/// <summary>
/// Whether a meeting has its quorum, by the rule of its type:
/// <list type="bullet">
/// <item>四方联席会议: more than half of the invited parties (the parties of the members) have a member present.
/// DOMAIN leaves a joint meeting's rule to configuration; "a majority of the parties" is the one chosen here.</item>
/// <item>业委会会议 and 居民会议: more than half of the members present.</item>
/// <item>居民代表会议: at least two thirds of the representatives present.</item>
/// <item>业主大会: decided by its ballot (民法典 Art. 278: 2/3 of the area and of the heads take part), so no meeting quorum.</item>
/// </list>
/// </summary>
/// <param name="Rule">majorityOfParties, majorityOfMembers, twoThirdsOfMembers or civilCode278.</param>
/// <param name="Counted">Parties present (four-party) or members present.</param>
/// <param name="Of">Parties invited (four-party) or members (应到).</param>
/// <param name="Required">The least <paramref name="Counted"/> that meets the rule; null when the ballot decides.</param>
/// <param name="Met">Null when the ballot decides.</param>
public sealed record MeetingQuorum(string Rule, int Counted, int Of, int? Required, bool? Met)
{
    public static MeetingQuorum For(MeetingType type, IEnumerable<MeetingParticipant> participants)
    {
        var members = participants.Where(p => p.Role == ParticipantRole.Member).ToList();
        var present = members.Count(p => p.Attendance == Attendance.Present);
        switch (type)
        {
            case MeetingType.FourParty:
                {
                    var parties = members.Select(p => p.Party).Distinct().Count();
                    var partiesPresent = members.Where(p => p.Attendance == Attendance.Present).Select(p => p.Party).Distinct().Count();
                    var required = parties / 2 + 1;
                    return new("majorityOfParties", partiesPresent, parties, required, parties > 0 && partiesPresent >= required);
                }
            case MeetingType.OwnersCommittee or MeetingType.ResidentsMeeting:
                {
                    var required = members.Count / 2 + 1;
                    return new("majorityOfMembers", present, members.Count, required, members.Count > 0 && present >= required);
                }
            case MeetingType.RepresentativesMeeting:
                {
                    var required = (members.Count * 2 + 2) / 3; // ceiling of 2/3
                    return new("twoThirdsOfMembers", present, members.Count, required, members.Count > 0 && present >= required);
                }
            default:
                return new("civilCode278", present, members.Count, null, null);
        }
    }

    public (string Zh, string En) Describe() => Rule switch
    {
        "majorityOfParties" => ("过半数受邀方有人出席", "more than half of the invited parties present"),
        "majorityOfMembers" => ("过半数成员出席", "more than half of the members present"),
        "twoThirdsOfMembers" => ("三分之二以上成员出席", "at least two thirds of the members present"),
        _ => ("由业主表决依民法典第二百七十八条确定（专有部分面积和人数均占三分之二以上参与）",
            "decided by the owners' ballot under Civil Code Art. 278 (two thirds of the area and of the owners take part)"),
    };
}
