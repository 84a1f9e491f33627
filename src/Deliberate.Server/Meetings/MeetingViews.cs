using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;

namespace Deliberate.Server.Meetings;

public sealed record ParticipantView(Guid Id, string Party, string PartyName, string Name, ParticipantRole Role, Guid? UserId,
    Attendance Attendance, string AttendanceName);
public sealed record PartyGroupView(string Party, string PartyName, IReadOnlyList<ParticipantView> Participants);
public sealed record QuorumView(string Rule, string Description, int Counted, int Of, int? Required, bool? Met);
public sealed record OpinionView(Guid Id, string Party, string PartyName, string? Speaker, string Text, DateTimeOffset RecordedAt);
public sealed record MotionView(Guid Id, string Text, string ProposedBy, DateTimeOffset CreatedAt, Guid? BallotId, string? Reason = null,
    decimal? Cost = null, DateTimeOffset? WithdrawnAt = null);
public sealed record AgendaItemView(Guid Id, int Order, string Title, string? Description, Guid? MatterId, bool Announced, bool Votable,
    IReadOnlyList<OpinionView> Opinions, IReadOnlyList<MotionView> Motions);
public sealed record PositionView(string Party, string PartyName, PartyPosition Position, string PositionName, string? Remark);
/// <param name="Consensus">Four-party meetings: 达成共识 or not; null when not recorded (and for other meetings).</param>
public sealed record ResolutionView(Guid Id, Guid? AgendaItemId, string Text, string ResponsibleUnit, DateOnly Deadline,
    IReadOnlyList<PositionView> Positions, bool? Consensus, string? ConsensusName, string? Outstanding);

public sealed record MeetingSummary(Guid Id, PlaceView Community, MeetingType Type, string TypeName, MeetingForm Form, string Title, string Place,
    DateTimeOffset StartsAt, MeetingState State, string StateName, int AgendaItems);

/// <summary>The whole meeting: what the console shows and what the minutes are made from.</summary>
public sealed record MeetingView(Guid Id, PlaceView Community, MeetingType Type, string TypeName, MeetingForm Form, string FormName,
    string Title, string Place,
    DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string? ChairName, Guid? ChairUserId, string? RecorderName, Guid? RecorderUserId,
    MeetingState State, string StateName, int NoticeDays, DateTimeOffset? ConvenedAt, DateTimeOffset? OpenedAt, DateTimeOffset? ClosedAt,
    DateTimeOffset CreatedAt, IReadOnlyList<PartyGroupView> Parties, int Expected, int Present, QuorumView Quorum,
    IReadOnlyList<AgendaItemView> Agenda, IReadOnlyList<ResolutionView> Resolutions, bool CanManage,
    int Revision, DateTimeOffset? CancelledAt, string? CancelReason, IReadOnlyList<MeetingNoticeView> Notices);

/// <summary>One line of the notice record: what was announced (kind and its name), when, and the time and place it gave.</summary>
public sealed record MeetingNoticeView(string Kind, string KindName, DateTimeOffset At, DateTimeOffset StartsAt, string Place, string? Reason);

/// <summary>
/// When and where a matter is (or was) discussed, for the resident who raised it. A draft's <c>StartsAt</c> is null and its
/// place empty: neither is announced until the notice goes out ("时间待定").
/// </summary>
/// <c>OpenedAt</c>–<c>ClosedAt</c>: when a held meeting actually sat (it may open early, or sit after a reschedule).
public sealed record MatterMeetingView(Guid MeetingId, string Title, DateTimeOffset? StartsAt, string Place, MeetingState State, string StateName,
    bool Rescheduled, string? CancelReason, DateTimeOffset? OpenedAt = null, DateTimeOffset? ClosedAt = null);

public static class MeetingViews
{


    public static string PartyName(string code) => Parties.Name(code, Text.English);

    public static string TypeName(MeetingType type) => Text.L(Meeting.Describe(type).Zh, Capitalise(Meeting.Describe(type).En));
    public static string StateName(MeetingState state) => state switch
    {
        MeetingState.Draft => Text.L("草稿", "Draft"),
        MeetingState.Convened => Text.L("已通知", "Convened"),
        MeetingState.InSession => Text.L("进行中", "In session"),
        MeetingState.Closed => Text.L("已结束", "Closed"),
        MeetingState.Cancelled => Text.L("已取消", "Cancelled"),
        _ => Text.L("纪要已确认", "Minutes approved"),
    };

    public static string FormName(MeetingForm form) => form == MeetingForm.Collective
        ? Text.L("集体讨论", "Collective discussion") : Text.L("书面征求意见", "Written consultation");

    public static string AttendanceName(Attendance attendance) => attendance switch
    {
        Attendance.Present => Text.L("出席", "Present"),
        Attendance.InAttendance => Text.L("列席", "In attendance"),
        Attendance.OnLeave => Text.L("请假", "On leave"),
        Attendance.Absent => Text.L("缺席", "Absent"),
        _ => Text.L("未登记", "Not recorded"),
    };

    static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public static MeetingSummary Summary(Meeting m, OrgUnit community) =>
        new(m.Id, new PlaceView(community.Id, community.Name), m.Type, TypeName(m.Type), m.Form, m.Title, m.Place, m.StartsAt,
            m.State, StateName(m.State), m.Agenda.Count);

    public static ParticipantView Participant(MeetingParticipant p) =>
        new(p.Id, p.Party, PartyName(p.Party), p.Name, p.Role, p.UserId, p.Attendance, AttendanceName(p.Attendance));

    public static OpinionView Opinion(PartyOpinion o) => new(o.Id, o.Party, PartyName(o.Party), o.Speaker, o.Text, o.RecordedAt);
    public static MotionView Motion(Motion m) => new(m.Id, m.Text, m.ProposedBy, m.CreatedAt, m.BallotId, m.Reason, m.Cost,
        m.WithdrawnAt);
    public static ResolutionView Resolution(Resolution r) => new(r.Id, r.AgendaItemId, r.Text, r.ResponsibleUnit, r.Deadline,
        OrderedPositions(r).Select(p => new PositionView(p.Party, PartyName(p.Party), p.Position, PositionName(p.Position), p.Remark)).ToList(),
        r.Consensus, r.Consensus is { } c ? ConsensusName(c, Text.English) : null, r.Outstanding);

    public static IEnumerable<ResolutionPosition> OrderedPositions(Resolution r) => r.Positions.OrderBy(p => Parties.IndexOf(p.Party));

    public static string PositionName(PartyPosition position, bool? english = null) => (english ?? Text.English, position) switch
    {
        (false, PartyPosition.Agree) => "同意",
        (false, PartyPosition.Disagree) => "不同意",
        (false, _) => "保留意见",
        (true, PartyPosition.Agree) => "Agree",
        (true, PartyPosition.Disagree) => "Disagree",
        _ => "Reserves its position",
    };

    public static string ConsensusName(bool consensus, bool english) => (english, consensus) switch
    {
        (false, true) => "达成共识",
        (false, false) => "未达成共识",
        (true, true) => "Consensus reached",
        _ => "No consensus",
    };

    public static AgendaItemView Item(AgendaItem item, MeetingType type) =>
        new(item.Id, item.Order, item.Title, item.Description, item.MatterId, item.Announced, item.IsVotableIn(type),
            item.Opinions.OrderBy(o => o.RecordedAt).ThenBy(o => o.Id).Select(Opinion).ToList(),
            item.Motions.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(Motion).ToList());

    public static MeetingView View(Meeting m, OrgUnit community, bool canManage)
    {
        var parties = m.Participants
            .OrderBy(p => Parties.IndexOf(p.Party)).ThenBy(p => p.Role).ThenBy(p => p.Id)
            .GroupBy(p => p.Party)
            .Select(g => new PartyGroupView(g.Key, PartyName(g.Key), g.Select(Participant).ToList()))
            .ToList();
        var quorum = m.Quorum();
        var (zh, en) = quorum.Describe();
        return new MeetingView(m.Id, new PlaceView(community.Id, community.Name), m.Type, TypeName(m.Type), m.Form, FormName(m.Form),
            // Never an end before the start (stored by an early close before that rule).
            m.Title, m.Place, m.StartsAt, m.EndsAt < m.StartsAt ? null : m.EndsAt, m.ChairName, m.ChairUserId, m.RecorderName, m.RecorderUserId,
            m.State, StateName(m.State), Meeting.NoticeDays(m.Type), m.ConvenedAt, m.OpenedAt, m.ClosedAt, m.CreatedAt,
            parties, m.Expected, m.Present, new QuorumView(quorum.Rule, Text.L(zh, en), quorum.Counted, quorum.Of, quorum.Required, quorum.Met),
            m.Agenda.OrderBy(a => a.Order).Select(a => Item(a, m.Type)).ToList(),
            m.Resolutions.OrderBy(r => r.Id).Select(Resolution).ToList(),
            canManage, m.Revision, m.CancelledAt, m.CancelReason, m.Notices().Select(Notice).ToList());
    }

    public static string NoticeKindName(string kind) => kind switch
    {
        "convened" => Text.L("发出通知", "Notice sent"),
        "rescheduled" => Text.L("改期通知", "Rescheduled"),
        "placeChanged" => Text.L("地点变更", "Place changed"),
        "cancelled" => Text.L("取消通知", "Cancelled"),
        _ => kind,
    };

    public static MeetingNoticeView Notice(MeetingNotice n) => new(n.Kind, NoticeKindName(n.Kind), n.At, n.StartsAt, n.Place, n.Reason);

    /// <summary>
    /// What closing a meeting tells the workflows waiting for it: the resolutions, and per agenda item the
    /// parties' opinions and the motions. Codes, not labels: the payload is data, whatever the caller's language.
    /// </summary>
    public static JsonObject ClosedPayload(Meeting m)
    {
        var quorum = m.Quorum();
        return new JsonObject
        {
            ["meetingId"] = m.Id.ToString(),
            ["title"] = m.Title,
            ["type"] = m.Type.Code(),
            ["closedAt"] = m.ClosedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["expected"] = m.Expected,
            ["present"] = m.Present,
            ["quorumMet"] = quorum.Met,
            ["resolutions"] = new JsonArray(m.Resolutions.OrderBy(r => r.Id).Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id.ToString(),
                ["agendaItemId"] = r.AgendaItemId?.ToString(),
                ["matterId"] = m.Agenda.FirstOrDefault(a => a.Id == r.AgendaItemId)?.MatterId?.ToString(),
                ["text"] = r.Text,
                ["responsibleUnit"] = r.ResponsibleUnit,
                ["deadline"] = r.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                // Four-party meetings: the consensus (null when not recorded), what remains open, each party's position.
                ["consensus"] = r.Consensus,
                ["outstanding"] = r.Outstanding,
                ["positions"] = new JsonArray(OrderedPositions(r).Select(p => (JsonNode)new JsonObject
                {
                    ["party"] = p.Party,
                    ["position"] = p.Position.Code(),
                    ["remark"] = p.Remark,
                }).ToArray()),
            }).ToArray()),
            ["agenda"] = new JsonArray(m.Agenda.OrderBy(a => a.Order).Select(a => (JsonNode)new JsonObject
            {
                ["agendaItemId"] = a.Id.ToString(),
                ["matterId"] = a.MatterId?.ToString(),
                ["title"] = a.Title,
                ["opinions"] = new JsonArray(a.Opinions.OrderBy(o => o.RecordedAt).ThenBy(o => o.Id).Select(o => (JsonNode)new JsonObject
                {
                    ["party"] = o.Party,
                    ["speaker"] = o.Speaker,
                    ["text"] = o.Text,
                }).ToArray()),
                ["motions"] = new JsonArray(a.Motions.OrderBy(x => x.CreatedAt).ThenBy(x => x.Id).Select(x => (JsonNode)new JsonObject
                {
                    ["text"] = x.Text,
                    ["proposedBy"] = x.ProposedBy,
                    ["ballotId"] = x.BallotId?.ToString(),
                }).ToArray()),
            }).ToArray()),
        };
    }
}
