using Deliberate.Server.Api;

namespace Deliberate.Server.Meetings;

/// <summary>The kinds of meeting, each with its own quorum rule and notice period.</summary>
public enum MeetingType
{
    /// <summary>四方联席会议: party organisation, residents' committee, owners' committee, property company, residents.</summary>
    FourParty,
    /// <summary>业委会会议: more than half of the members present; decisions by more than half of all members.</summary>
    OwnersCommittee,
    /// <summary>居民会议 (居委会组织法 Art. 9): more than half present; more than half of those present.</summary>
    ResidentsMeeting,
    /// <summary>居民代表会议: at least 2/3 present; more than half of those present.</summary>
    RepresentativesMeeting,
    /// <summary>业主大会: 15 days' notice with the full agenda; collective discussion or written consultation.</summary>
    OwnersAssembly,
}

/// <summary>集体讨论 (people meet) or 书面征求意见 (answers in writing over a window).</summary>
public enum MeetingForm { Collective, WrittenConsultation }

/// <summary>Cancelled (取消) comes from Draft or Convened only: a meeting that sat closes or adjourns instead.</summary>
public enum MeetingState { Draft, Convened, InSession, Closed, MinutesApproved, Cancelled }

/// <summary>出席 / 列席 / 请假 / 缺席, or not yet recorded.</summary>
public enum Attendance { Unrecorded, Present, InAttendance, OnLeave, Absent }

/// <summary>A member counts in 应到; an invitee attends (列席) without counting.</summary>
public enum ParticipantRole { Member, Invitee }

/// <summary>The parties of the four-party pattern and the others who join meetings.</summary>
public static class Parties
{
    public static readonly IReadOnlyList<(string Code, string Zh, string En)> All =
    [
        ("partyOrganisation", "社区党组织", "Party organisation"),
        ("residentsCommittee", "居委会", "Residents' committee"),
        ("ownersCommittee", "业委会", "Owners' committee"),
        ("propertyCompany", "物业公司", "Property company"),
        ("residentRepresentatives", "居民代表", "Residents' representatives"),
        ("residentUnits", "驻区单位", "Resident units"),
        ("streetOffice", "街道", "Street office"),
        ("department", "职能部门", "Department"),
        ("other", "其他", "Other"),
    ];

    public static bool IsKnown(string? code) => All.Any(p => p.Code == code);

    /// <summary>The four parties of a 四方联席会议 (DOMAIN.md): 党组织, 居委会, 业委会, 物业.</summary>
    public static readonly IReadOnlyList<string> FourParties = ["partyOrganisation", "residentsCommittee", "ownersCommittee", "propertyCompany"];

    /// <summary>The role whose holders in a community speak for the party (null: the party has no role of its own).</summary>
    public static Identity.Role? RoleFor(string code) => code switch
    {
        "partyOrganisation" => Identity.Role.PartySecretary,
        "residentsCommittee" => Identity.Role.ResidentsCommittee,
        "ownersCommittee" => Identity.Role.OwnersCommittee,
        "propertyCompany" => Identity.Role.PropertyCompany,
        "streetOffice" => Identity.Role.StreetOfficer,
        "department" => Identity.Role.DepartmentOfficer,
        _ => null,
    };

    /// <summary>Where the party stands in <see cref="All"/>: the order parties are listed in.</summary>
    public static int IndexOf(string code)
    {
        for (var i = 0; i < All.Count; i++)
            if (All[i].Code == code) return i;
        return All.Count;
    }
    public static string Name(string code, bool english) =>
        All.FirstOrDefault(p => p.Code == code) is var p && p.Code is not null ? (english ? p.En : p.Zh) : code;
}

/// <summary>
/// A meeting (会议): convened by the party organisation or a committee, with its participants,
/// agenda, opinions, motions and resolutions. Its state moves Draft → Convened → InSession → Closed →
/// MinutesApproved, and only by the guard methods here.
/// </summary>
public sealed class Meeting
{
    Meeting() { }

    public Meeting(Guid id, Guid orgUnitId, MeetingType type, MeetingForm form, string title, string place, DateTimeOffset startsAt,
        Guid createdById, DateTimeOffset now)
    {
        Id = id;
        OrgUnitId = orgUnitId;
        Type = type;
        Form = form;
        Title = title;
        Place = place;
        StartsAt = startsAt.ToUniversalTime(); // PostgreSQL keeps instants in UTC
        CreatedById = createdById;
        CreatedAt = now.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    /// <summary>The community (or street) the meeting belongs to.</summary>
    public Guid OrgUnitId { get; private set; }
    public MeetingType Type { get; private set; }
    public MeetingForm Form { get; private set; }
    public string Title { get; private set; } = "";
    public string Place { get; private set; } = "";
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset? EndsAt { get; private set; }
    public string? ChairName { get; private set; }
    /// <summary>The chair's account when the chair is a user: they may then run the meeting.</summary>
    public Guid? ChairUserId { get; private set; }
    public string? RecorderName { get; private set; }
    /// <summary>The recorder's account when the recorder is a user: they may then keep the record.</summary>
    public Guid? RecorderUserId { get; private set; }
    public MeetingState State { get; private set; }
    public DateTimeOffset? ConvenedAt { get; private set; }
    public DateTimeOffset? OpenedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public Guid CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public List<MeetingParticipant> Participants { get; private set; } = [];
    public List<AgendaItem> Agenda { get; private set; } = [];
    public List<Resolution> Resolutions { get; private set; } = [];
    /// <summary>Earlier sessions ended by 休会改期, as JSON (<see cref="AdjournedSession"/>): the minutes name them.</summary>
    public string? AdjournedSessionsJson { get; private set; }
    /// <summary>The notice record as JSON (<see cref="MeetingNotice"/>): the notice and every change announced after it.</summary>
    public string? NoticesJson { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public string? CancelReason { get; private set; }
    /// <summary>Counts changes to the meeting's header; a concurrency token, so that two secretaries editing at once do not both win.</summary>
    public int Revision { get; private set; }

    /// <summary>How far ahead a meeting may be set: beyond it a date is a typing mistake (2062 for 2026), not a plan.</summary>
    public static readonly TimeSpan MaxLead = TimeSpan.FromDays(366);

    public IReadOnlyList<MeetingNotice> Notices() => NoticesJson is null ? []
        : System.Text.Json.JsonSerializer.Deserialize<List<MeetingNotice>>(NoticesJson, System.Text.Json.JsonSerializerOptions.Web) ?? [];

    void RecordNotice(string kind, DateTimeOffset now, string? reason) =>
        NoticesJson = System.Text.Json.JsonSerializer.Serialize(Notices().Append(new MeetingNotice(kind, now.ToUniversalTime(), StartsAt, Place,
            reason)).ToList(), System.Text.Json.JsonSerializerOptions.Web);

    /// <summary>Whether the notice is out and not withdrawn: then changes are announced to everyone invited.</summary>
    public bool Noticed => State == MeetingState.Convened;

    public IReadOnlyList<AdjournedSession> AdjournedSessions() => AdjournedSessionsJson is null ? []
        : System.Text.Json.JsonSerializer.Deserialize<List<AdjournedSession>>(AdjournedSessionsJson,
            System.Text.Json.JsonSerializerOptions.Web) ?? [];

    /// <summary>Days of notice the law or practice asks for (业主大会: 15 days with the full agenda).</summary>
    public static int NoticeDays(MeetingType type) => type == MeetingType.OwnersAssembly ? 15 : 0;

    /// <summary>
    /// Edits the header while the meeting is drafted or noticed. Once the notice is out the time moves only by
    /// <see cref="Reschedule"/> (with a reason and a new notice); a new place is recorded on the notice record.
    /// Returns whether invitees must hear of the change.
    /// </summary>
    public bool Edit(string title, string place, DateTimeOffset startsAt, string? chair, Guid? chairUserId, string? recorder, Guid? recorderUserId,
        DateTimeOffset? now = null)
    {
        EnsureState(MeetingState.Draft, MeetingState.Convened);
        var announce = false;
        if (State == MeetingState.Convened)
        {
            if (startsAt.ToUniversalTime() != StartsAt)
                throw new MeetingRuleException("useReschedule", "会议通知已发出，改时间请用“改期”并说明原因，系统会重新通知参会人。",
                    "The notice is out: move the time with Reschedule and a reason, so that everyone invited is told.");
            announce = place != Place;
        }
        Title = title;
        Place = place;
        StartsAt = startsAt.ToUniversalTime();
        ChairName = chair;
        ChairUserId = chairUserId;
        RecorderName = recorder;
        RecorderUserId = recorderUserId;
        Revision++;
        if (announce) RecordNotice("placeChanged", now ?? throw new ArgumentNullException(nameof(now)), null);
        return announce;
    }

    /// <summary>
    /// 改期: a new time and why. A noticed meeting records a new notice (the caller tells everyone invited); an owners'
    /// assembly still needs its 15 days. A draft's new time is only an edit: no notice line, nobody told.
    /// The workflows waiting for the meeting keep waiting for it.
    /// </summary>
    public void Reschedule(DateTimeOffset startsAt, string reason, DateTimeOffset now)
    {
        EnsureChangeable("改期", "rescheduled");
        EnsureTime(startsAt, now);
        var days = NoticeDays(Type);
        if (State == MeetingState.Convened && startsAt < now.AddDays(days))
            throw new MeetingRuleException("noticeTooShort",
                $"{Describe(Type).Zh}须提前 {days} 天通知，改定的时间应不早于 {ChinaTime.Minutes(now.AddDays(days))}。",
                $"A {Describe(Type).En} needs {days} days' notice; the new time cannot be before {ChinaTime.Minutes(now.AddDays(days))}.");
        StartsAt = startsAt.ToUniversalTime();
        Revision++;
        // Before the notice goes out nobody was told the old time: moving it is an edit, not a public 改期.
        if (State == MeetingState.Convened) RecordNotice("rescheduled", now, reason);
    }

    /// <summary>取消 with a reason. The caller moves the agenda and the waiting workflows (see MeetingCancellation).</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        EnsureChangeable("取消", "cancelled");
        State = MeetingState.Cancelled;
        CancelledAt = now.ToUniversalTime();
        CancelReason = reason;
        Revision++;
        RecordNotice("cancelled", now, reason);
    }

    void EnsureChangeable(string zh, string en)
    {
        if (State == MeetingState.InSession)
            throw new MeetingRuleException("meetingInSession", $"会议正在进行，不能{zh}；可以休会改期或结束会议。",
                $"The meeting is in session and cannot be {en}; adjourn or close it instead.");
        EnsureState(MeetingState.Draft, MeetingState.Convened);
    }

    /// <summary>A meeting time: not past, and not beyond <see cref="MaxLead"/>.</summary>
    public static void EnsureTime(DateTimeOffset startsAt, DateTimeOffset now)
    {
        if (startsAt <= now)
            throw new MeetingRuleException("startsInPast", $"改定的开会时间 {ChinaTime.Minutes(startsAt)} 已过，请另定时间。",
                $"The new time {ChinaTime.Minutes(startsAt)} has passed; set a later one.");
        if (startsAt > now + MaxLead)
            throw new MeetingRuleException("tooFarAhead", $"开会时间 {ChinaTime.Minutes(startsAt)} 距今超过一年，请检查日期。",
                $"The time {ChinaTime.Minutes(startsAt)} is more than a year away; check the date.");
    }

    /// <summary>Invites a member (counted in 应到) or an invitee (列席), before or after the notice; each user once.</summary>
    public MeetingParticipant AddParticipant(Guid id, string party, string name, ParticipantRole role, Guid? userId)
    {
        EnsureState(MeetingState.Draft, MeetingState.Convened);
        if (userId is not null && Participants.Any(p => p.UserId == userId))
            throw new MeetingRuleException("alreadyParticipant", "此人已在参会名单中。", "This person is already on the list of participants.");
        var participant = new MeetingParticipant(id, Id, party, name, role, userId);
        Participants.Add(participant);
        return participant;
    }

    public MeetingParticipant? RemoveParticipant(Guid participantId)
    {
        EnsureState(MeetingState.Draft, MeetingState.Convened);
        var participant = Participants.FirstOrDefault(p => p.Id == participantId);
        if (participant is not null) Participants.Remove(participant);
        return participant;
    }

    /// <summary>
    /// Puts an item on the agenda. Items added after the notice are not announced: an owners' assembly
    /// cannot vote on them (民法典 Art. 278 with the 15 days' notice of the full agenda).
    /// </summary>
    public AgendaItem AddAgendaItem(Guid id, string title, string? description, Guid? matterId)
    {
        EnsureState(MeetingState.Draft, MeetingState.Convened, MeetingState.InSession);
        if (matterId is not null && Agenda.Any(a => a.MatterId == matterId))
            throw new MeetingRuleException("matterOnAgenda", "该事项已在本次会议的议程中。", "This matter is already on the meeting's agenda.");
        var item = new AgendaItem(id, Id, Agenda.Count == 0 ? 1 : Agenda.Max(a => a.Order) + 1, title, description, matterId);
        Agenda.Add(item);
        return item;
    }

    /// <summary>出席 / 列席 / 请假 / 缺席, once the notice is out and during the session.</summary>
    public void RecordAttendance(Guid participantId, Attendance attendance)
    {
        EnsureState(MeetingState.Convened, MeetingState.InSession);
        if (attendance == Attendance.Unrecorded)
            throw new MeetingRuleException("badAttendance", "请登记出席、列席、请假或缺席。", "Record present, in attendance, on leave or absent.");
        var participant = Participants.FirstOrDefault(p => p.Id == participantId)
            ?? throw new MeetingRuleException("unknownParticipant", "参会人不在本次会议的名单中。", "The participant is not on this meeting's list.");
        participant.Record(attendance);
    }

    /// <summary>One party's opinion on an item (讨论情况), while the meeting is in session.</summary>
    public PartyOpinion AddOpinion(Guid id, Guid agendaItemId, string party, string? speaker, string text, Guid recordedById, DateTimeOffset now)
    {
        EnsureState(MeetingState.InSession);
        var item = Item(agendaItemId);
        var opinion = new PartyOpinion(id, item.Id, party, speaker, text, recordedById, now);
        item.Opinions.Add(opinion);
        return opinion;
    }

    public Motion AddMotion(Guid id, Guid agendaItemId, string text, string proposedBy, DateTimeOffset now, string? reason = null,
        decimal? cost = null)
    {
        EnsureState(MeetingState.InSession);
        var item = Item(agendaItemId);
        var motion = new Motion(id, item.Id, text, proposedBy, now, reason, cost);
        item.Motions.Add(motion);
        return motion;
    }

    /// <summary>Records that a motion's proposer withdrew it, in session and before it is put to a vote.</summary>
    public Motion WithdrawMotion(Guid agendaItemId, Guid motionId, DateTimeOffset now)
    {
        EnsureState(MeetingState.InSession);
        var motion = Item(agendaItemId).Motions.FirstOrDefault(m => m.Id == motionId)
            ?? throw new MeetingRuleException("unknownMotion", "动议不在本次会议的议程中。", "The motion is not on this meeting's agenda.");
        motion.Withdraw(now);
        return motion;
    }

    /// <summary>
    /// Puts a motion to a vote. An owners' assembly votes only on items announced with the notice.
    /// </summary>
    public void PutMotionToVote(Guid motionId, Guid ballotId)
    {
        EnsureState(MeetingState.InSession);
        var item = Agenda.FirstOrDefault(a => a.Motions.Any(m => m.Id == motionId))
            ?? throw new MeetingRuleException("unknownMotion", "动议不在本次会议的议程中。", "The motion is not on this meeting's agenda.");
        EnsureQuorum();
        if (Type == MeetingType.FourParty)
            throw new MeetingRuleException("consultativeMeeting", "四方联席会议是协商议事会议，不进行成员表决。",
                "A four-party joint meeting is consultative and takes no member vote.");
        if (!item.IsVotableIn(Type))
            throw new MeetingRuleException("notAnnounced", "业主大会只能表决会前公告的议题，此议题是通知后增加的。",
                "An owners' assembly votes only on items announced with the notice; this item was added afterwards.");
        item.Motions.Single(m => m.Id == motionId).PutToVote(ballotId);
    }

    /// <summary>
    /// A decision (议定事项) with its responsible unit and deadline. Only in session: closing hands the
    /// resolutions to the workflows waiting for the meeting, so none may come after.
    /// </summary>
    /// <param name="consultation">A four-party meeting's resolutions are consultative: each party's position and whether
    /// consensus was reached (null: not recorded). Other bodies decide by vote and record no such thing.</param>
    public Resolution AddResolution(Guid id, Guid? agendaItemId, string text, string responsibleUnit, DateOnly deadline,
        Consultative? consultation = null)
    {
        EnsureState(MeetingState.InSession);
        if (agendaItemId is { } itemId) Item(itemId);
        EnsureQuorum();
        if (consultation is not null && Type != MeetingType.FourParty)
            throw new MeetingRuleException("notConsultative", $"{Describe(Type).Zh}按表决作出决定，议定事项不记录各方立场和共识（这是四方联席会议的做法）。",
                $"A {Describe(Type).En} decides by vote; its resolutions record no parties' positions or consensus "
                + "(a four-party joint meeting's do).");
        var resolution = new Resolution(id, Id, agendaItemId, text, responsibleUnit, deadline);
        if (consultation is not null) resolution.RecordConsultation(consultation);
        Resolutions.Add(resolution);
        return resolution;
    }

    AgendaItem Item(Guid agendaItemId) => Agenda.FirstOrDefault(a => a.Id == agendaItemId)
        ?? throw new MeetingRuleException("unknownAgendaItem", "议题不在本次会议的议程中。", "The item is not on this meeting's agenda.");

    /// <summary>Sends the notice: the agenda as it stands is what may be decided (for an owners' assembly, nothing else can be voted on).</summary>
    public void Convene(DateTimeOffset now)
    {
        EnsureState(MeetingState.Draft);
        if (Agenda.Count == 0) throw new MeetingRuleException("emptyAgenda", "会议至少要有一个议题。", "The meeting needs at least one agenda item.");
        // Name exactly what is missing: a draft from a workflow often has a chair but no recorder or place.
        var missing = new List<(string Zh, string En)>();
        if (string.IsNullOrWhiteSpace(ChairName)) missing.Add(("主持人", "the chair"));
        if (string.IsNullOrWhiteSpace(RecorderName)) missing.Add(("记录人", "the recorder"));
        if (Form == MeetingForm.Collective && string.IsNullOrWhiteSpace(Place)) missing.Add(("地点", "the place"));
        if (missing.Count > 0)
            throw new MeetingRuleException("noChair", $"发通知前请先确定{string.Join("、", missing.Select(m => m.Zh))}。",
                $"Before the notice goes out, name {string.Join(" and ", missing.Select(m => m.En))}.");
        if (!Participants.Any(p => p.Role == ParticipantRole.Member))
            throw new MeetingRuleException("noMembers", "请先邀请参会成员。", "Invite the members first.");
        if (Type == MeetingType.FourParty)
        {
            // A 四方联席会议 is the four parties meeting (DOMAIN.md): each must be invited, or it is not that meeting.
            var absent = Parties.FourParties.Where(code => !Participants.Any(p => p.Role == ParticipantRole.Member && p.Party == code)).ToList();
            if (absent.Count > 0)
                throw new MeetingRuleException("partiesMissing",
                    $"四方联席会议须邀请四方各至少一人，尚未邀请：{string.Join("、", absent.Select(c => Parties.Name(c, false)))}。",
                    $"A four-party meeting needs at least one invitee from each of the four parties; not yet invited: "
                    + $"{string.Join(", ", absent.Select(c => Parties.Name(c, true)))}.");
        }
        var days = NoticeDays(Type);
        if (StartsAt < now.AddDays(days))
            throw days == 0
                ? new MeetingRuleException("startsInPast", $"会议时间 {ChinaTime.Minutes(StartsAt)} 已过，请先改定开会时间。",
                    $"The meeting time {ChinaTime.Minutes(StartsAt)} has passed; set a new time first.")
                : new MeetingRuleException("noticeTooShort",
                    $"{Describe(Type).Zh}须提前 {days} 天通知并公布全部议题，开会时间应不早于 {ChinaTime.Minutes(now.AddDays(days))}。",
                    $"A {Describe(Type).En} needs {days} days' notice with the full agenda; it cannot start "
                        + $"before {ChinaTime.Minutes(now.AddDays(days))}.");
        foreach (var item in Agenda) item.Announce();
        State = MeetingState.Convened;
        ConvenedAt = now.ToUniversalTime();
        RecordNotice("convened", now, null);
    }

    public void Open(DateTimeOffset now)
    {
        EnsureState(MeetingState.Convened);
        if (now < StartsAt.AddMinutes(-30))
            throw new MeetingRuleException("tooEarly",
                $"会议定于 {ChinaTime.Minutes(StartsAt)} 开始，最早 {ChinaTime.Minutes(StartsAt.AddMinutes(-30))} 可以开会；要提前开，请先改期。",
                $"The meeting is set for {ChinaTime.Minutes(StartsAt)}; it can open from {ChinaTime.Minutes(StartsAt.AddMinutes(-30))}. "
                + "To hold it sooner, reschedule it first.");
        State = MeetingState.InSession;
        OpenedAt = now.ToUniversalTime();
    }

    /// <summary>
    /// Without its quorum (<see cref="MeetingQuorum"/>, the one rule) a meeting may discuss — opinions, motions — but
    /// not decide: no resolution and no vote. The refusal names who is present and what the quorum needs.
    /// An owners' assembly has no meeting quorum (its ballot decides under Art. 278), so it passes here.
    /// </summary>
    public void EnsureQuorum()
    {
        var quorum = Quorum();
        if (quorum.Met != false) return;
        var (ruleZh, ruleEn) = quorum.Describe();
        var parties = quorum.Rule == "majorityOfParties";
        var present = PresentMembers().ToList();
        var whoZh = present.Count == 0 ? "无人出席" : "出席：" + string.Join("、", present.Select(p => $"{p.Name}（{Parties.Name(p.Party, false)}）"));
        var whoEn = present.Count == 0 ? "nobody is present"
            : "present: " + string.Join(", ", present.Select(p => $"{p.Name} ({Parties.Name(p.Party, true)})"));
        var (unitZh, unitEn) = parties ? ("方", "parties") : ("人", "members");
        throw new MeetingRuleException("quorumNotMet",
            $"未达到法定人数，不能形成决议或进行表决：本次{Describe(Type).Zh}须{ruleZh}（应到 {quorum.Of} {unitZh}，至少 {quorum.Required} {unitZh}），"
            + $"实到 {quorum.Counted} {unitZh}，{whoZh}。会议可以讨论，也可以休会另定时间。",
            $"The quorum is not met, so no resolution can be recorded and no vote taken: this {Describe(Type).En} needs {ruleEn} "
            + $"(at least {quorum.Required} of {quorum.Of} {unitEn}); {quorum.Counted} {unitEn} present — {whoEn}. "
            + "The meeting may discuss, or adjourn to a new time.");
    }

    /// <summary>The members present, by party in the usual order, then by name.</summary>
    public IEnumerable<MeetingParticipant> PresentMembers() =>
        Participants.Where(p => p.Role == ParticipantRole.Member && p.Attendance == Attendance.Present)
            .OrderBy(p => Parties.IndexOf(p.Party)).ThenBy(p => p.Name, StringComparer.Ordinal);

    /// <summary>
    /// 休会改期: ends a session that took no decisions and sets the time of the next one. The meeting is convened again
    /// for that time, with attendance cleared for the new session (who comes then decides the quorum then); what was
    /// discussed stays on record. The caller checks that no vote of the meeting was opened (ballots live elsewhere).
    /// </summary>
    public void Adjourn(DateTimeOffset newStartsAt, DateTimeOffset now)
    {
        EnsureState(MeetingState.InSession);
        if (Resolutions.Count > 0 || Agenda.Any(a => a.Motions.Any(m => m.BallotId is not null)))
            throw new MeetingRuleException("decisionsTaken", "本次会议已形成决议或进行了表决，应结束会议，不能休会。",
                "The meeting has recorded resolutions or taken votes; close it instead of adjourning.");
        if (newStartsAt <= now)
            throw new MeetingRuleException("startsInPast", $"改定的开会时间 {ChinaTime.Minutes(newStartsAt)} 已过，请另定时间。",
                $"The new time {ChinaTime.Minutes(newStartsAt)} has passed; set a later one.");
        // Attendance is cleared for the next session: keep who came to this one and its quorum for the minutes.
        var quorum = Quorum();
        var sessions = AdjournedSessions().Append(new AdjournedSession((OpenedAt ?? StartsAt).ToUniversalTime(), now.ToUniversalTime(),
            PresentMembers().Select(p => new AdjournedAttendee(p.Name, p.Party)).ToList(), quorum.Rule, quorum.Counted, quorum.Of,
            quorum.Required, quorum.Met)).ToList();
        AdjournedSessionsJson = System.Text.Json.JsonSerializer.Serialize(sessions, System.Text.Json.JsonSerializerOptions.Web);
        StartsAt = newStartsAt.ToUniversalTime();
        OpenedAt = null;
        State = MeetingState.Convened;
        foreach (var participant in Participants) participant.Record(Attendance.Unrecorded);
    }

    /// <summary>Closes the session: every member's attendance must be on record.</summary>
    public void Close(DateTimeOffset now)
    {
        EnsureState(MeetingState.InSession);
        if (Participants.Any(p => p.Role == ParticipantRole.Member && p.Attendance == Attendance.Unrecorded))
            throw new MeetingRuleException("attendanceMissing", "还有成员的出席情况没有登记。", "Some members' attendance is not recorded yet.");
        State = MeetingState.Closed;
        ClosedAt = now.ToUniversalTime();
        // A meeting may open up to 30 minutes early and close before its planned start: the end is then when it closed
        // only if that is not before the start the notice gave (OpenedAt–ClosedAt tell when it sat).
        if (ClosedAt >= StartsAt) EndsAt ??= ClosedAt;
    }

    public void ApproveMinutes()
    {
        EnsureState(MeetingState.Closed);
        State = MeetingState.MinutesApproved;
    }

    public void EnsureState(params MeetingState[] allowed)
    {
        if (!allowed.Contains(State))
            throw new MeetingRuleException("badState", $"会议当前为“{StateName(State).Zh}”，不能进行此操作。",
                $"The meeting is {StateName(State).En}; this cannot be done now.");
    }

    /// <summary>应到: the members. 实到: the members present.</summary>
    public int Expected => Participants.Count(p => p.Role == ParticipantRole.Member);
    public int Present => Participants.Count(p => p.Role == ParticipantRole.Member && p.Attendance == Attendance.Present);

    /// <summary>Whether enough are here for the meeting to decide, by the rule of its type (see <see cref="MeetingQuorum"/>).</summary>
    public MeetingQuorum Quorum() => MeetingQuorum.For(Type, Participants);

    public static (string Zh, string En) Describe(MeetingType type) => type switch
    {
        MeetingType.FourParty => ("四方联席会议", "four-party joint meeting"),
        MeetingType.OwnersCommittee => ("业委会会议", "owners' committee meeting"),
        MeetingType.ResidentsMeeting => ("居民会议", "residents' meeting"),
        MeetingType.RepresentativesMeeting => ("居民代表会议", "residents' representatives meeting"),
        _ => ("业主大会", "owners' assembly"),
    };

    public static (string Zh, string En) StateName(MeetingState state) => state switch
    {
        MeetingState.Draft => ("草稿", "a draft"),
        MeetingState.Convened => ("已通知", "convened"),
        MeetingState.InSession => ("进行中", "in session"),
        MeetingState.Closed => ("已结束", "closed"),
        MeetingState.Cancelled => ("已取消", "cancelled"),
        _ => ("纪要已确认", "closed with approved minutes"),
    };
}

/// <summary>A session ended by 休会改期: when it sat, who came, and its quorum then.</summary>
public sealed record AdjournedSession(DateTimeOffset OpenedAt, DateTimeOffset AdjournedAt, IReadOnlyList<AdjournedAttendee> Present,
    string Rule, int Counted, int Of, int? Required, bool? Met);

public sealed record AdjournedAttendee(string Name, string Party);

/// <summary>One line of the notice record: convened, rescheduled, placeChanged or cancelled; the time and place it announced.</summary>
public sealed record MeetingNotice(string Kind, DateTimeOffset At, DateTimeOffset StartsAt, string Place, string? Reason);

/// <summary>A rule of procedure the request would break; the API answers 409 with this message.</summary>
public sealed class MeetingRuleException(string code, string messageZh, string messageEn) : Api.DomainRuleException(code, messageZh, messageEn);

public sealed class MeetingParticipant
{
    MeetingParticipant() { }

    public MeetingParticipant(Guid id, Guid meetingId, string party, string name, ParticipantRole role, Guid? userId)
    {
        Id = id;
        MeetingId = meetingId;
        Party = party;
        Name = name;
        Role = role;
        UserId = userId;
    }

    public Guid Id { get; private set; }
    public Guid MeetingId { get; private set; }
    /// <summary>A code from <see cref="Parties"/>.</summary>
    public string Party { get; private set; } = "";
    public string Name { get; private set; } = "";
    public Guid? UserId { get; private set; }
    public ParticipantRole Role { get; private set; }
    public Attendance Attendance { get; private set; }

    public void Record(Attendance attendance) => Attendance = attendance;
}

public sealed class AgendaItem
{
    AgendaItem() { }

    public AgendaItem(Guid id, Guid meetingId, int order, string title, string? description, Guid? matterId)
    {
        Id = id;
        MeetingId = meetingId;
        Order = order;
        Title = title;
        Description = description;
        MatterId = matterId;
    }

    public Guid Id { get; private set; }
    public Guid MeetingId { get; private set; }
    public int Order { get; private set; }
    public string Title { get; private set; } = "";
    public string? Description { get; private set; }
    public Guid? MatterId { get; private set; }
    /// <summary>On the agenda when the meeting was convened (announced with the notice).</summary>
    public bool Announced { get; private set; }
    public List<PartyOpinion> Opinions { get; private set; } = [];
    public List<Motion> Motions { get; private set; } = [];

    public void Announce() => Announced = true;

    /// <summary>
    /// An owners' assembly decides only what its notice announced; a four-party joint meeting takes no vote (it consults);
    /// other meetings may vote on any item.
    /// </summary>
    public bool IsVotableIn(MeetingType type) => type switch
    {
        MeetingType.FourParty => false,
        MeetingType.OwnersAssembly => Announced,
        _ => true,
    };
}

/// <summary>One party's stated opinion on an agenda item (讨论情况).</summary>
public sealed class PartyOpinion
{
    PartyOpinion() { }

    public PartyOpinion(Guid id, Guid agendaItemId, string party, string? speaker, string text, Guid recordedById, DateTimeOffset recordedAt)
    {
        Id = id;
        AgendaItemId = agendaItemId;
        Party = party;
        Speaker = speaker;
        Text = text;
        RecordedById = recordedById;
        RecordedAt = recordedAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid AgendaItemId { get; private set; }
    public string Party { get; private set; } = "";
    public string? Speaker { get; private set; }
    public string Text { get; private set; } = "";
    public Guid RecordedById { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}

/// <summary>A proposal on an agenda item that can be put to a vote.</summary>
public sealed class Motion
{
    Motion() { }

    public Motion(Guid id, Guid agendaItemId, string text, string proposedBy, DateTimeOffset createdAt, string? reason = null,
        decimal? cost = null)
    {
        Reason = reason;
        Cost = cost;
        Id = id;
        AgendaItemId = agendaItemId;
        Text = text;
        ProposedBy = proposedBy;
        CreatedAt = createdAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid AgendaItemId { get; private set; }
    public string Text { get; private set; } = "";
    public string ProposedBy { get; private set; } = "";
    /// <summary>Why it is proposed; an owners' ballot on the motion shows it.</summary>
    public string? Reason { get; private set; }
    /// <summary>What it would cost, in yuan, where the proposer said.</summary>
    public decimal? Cost { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid? BallotId { get; private set; }

    /// <summary>When the proposer withdrew the motion (recorded by the meeting's secretary); a withdrawn motion is never voted on.</summary>
    public DateTimeOffset? WithdrawnAt { get; private set; }

    public void PutToVote(Guid ballotId)
    {
        if (BallotId is not null) throw new MeetingRuleException("alreadyVoted", "该动议已经付诸表决。", "This motion has already been put to a vote.");
        if (WithdrawnAt is not null) throw new MeetingRuleException("motionWithdrawn", "该动议已撤回，不能付诸表决。",
            "This motion was withdrawn; it cannot be put to a vote.");
        BallotId = ballotId;
    }

    /// <summary>The proposer withdraws the motion before it is voted on; once put to a vote it stands (the vote decides it).</summary>
    public void Withdraw(DateTimeOffset now)
    {
        if (BallotId is not null)
            throw new MeetingRuleException("alreadyVoted", "该动议已经付诸表决，不能撤回。", "This motion has already been put to a vote; it cannot be withdrawn.");
        if (WithdrawnAt is not null) throw new MeetingRuleException("motionWithdrawn", "该动议已经撤回。", "This motion was already withdrawn.");
        WithdrawnAt = now;
    }
}

/// <summary>A party's stand on a four-party resolution: 同意, 不同意 or 保留意见.</summary>
public enum PartyPosition { Agree, Disagree, Reserve }

/// <summary>What a four-party meeting records with a resolution: each party's position and the consensus.</summary>
/// <param name="Outstanding">When no consensus was reached: what remains open (required then).</param>
public sealed record Consultative(IReadOnlyList<(string Party, PartyPosition Position, string? Remark)> Positions,
    bool Consensus, string? Outstanding);

/// <summary>One party's position on a four-party resolution, with an optional remark.</summary>
public sealed class ResolutionPosition
{
    ResolutionPosition() { }

    public ResolutionPosition(Guid id, Guid resolutionId, string party, PartyPosition position, string? remark)
    {
        Id = id;
        ResolutionId = resolutionId;
        Party = party;
        Position = position;
        Remark = remark;
    }

    public Guid Id { get; private set; }
    public Guid ResolutionId { get; private set; }
    /// <summary>A code from <see cref="Parties"/>.</summary>
    public string Party { get; private set; } = "";
    public PartyPosition Position { get; private set; }
    public string? Remark { get; private set; }
}

/// <summary>A decision of the meeting (议定事项), with who carries it out and by when.</summary>
public sealed class Resolution
{
    Resolution() { }

    public Resolution(Guid id, Guid meetingId, Guid? agendaItemId, string text, string responsibleUnit, DateOnly deadline)
    {
        Id = id;
        MeetingId = meetingId;
        AgendaItemId = agendaItemId;
        Text = text;
        ResponsibleUnit = responsibleUnit;
        Deadline = deadline;
    }

    public Guid Id { get; private set; }
    public Guid MeetingId { get; private set; }
    public Guid? AgendaItemId { get; private set; }
    public string Text { get; private set; } = "";
    /// <summary>责任单位, e.g. 物业公司 or 社区居委会.</summary>
    public string ResponsibleUnit { get; private set; } = "";
    /// <summary>完成时限.</summary>
    public DateOnly Deadline { get; private set; }
    /// <summary>Four-party meetings: 达成共识 (true) or 未达成共识 (false); null when not recorded or not consultative.</summary>
    public bool? Consensus { get; private set; }
    /// <summary>What remains open when no consensus was reached.</summary>
    public string? Outstanding { get; private set; }
    public List<ResolutionPosition> Positions { get; private set; } = [];

    /// <summary>
    /// The parties' positions and the consensus. Consensus with a party disagreeing is a contradiction (a reservation
    /// is not); no consensus must say what remains open.
    /// </summary>
    public void RecordConsultation(Consultative c)
    {
        // Consensus is every party present agreeing: a reservation is not agreement.
        if (c.Consensus && c.Positions.Any(p => p.Position != PartyPosition.Agree))
            throw new MeetingRuleException("consensusContradicted", "有参会方不同意或保留意见，不能记为达成共识；请记为未达成共识并写明分歧。",
                "A party disagrees or reserves its position, so this cannot be recorded as consensus; record no consensus and what remains open.");
        if (c.Consensus && c.Positions.Select(p => p.Party).Distinct().Count() < 2)
            throw new MeetingRuleException("consensusNeedsParties", "共识须由至少两个出席方一致同意，只有一方出席时不能记为达成共识。",
                "Consensus needs at least two parties present and agreeing; with one party it cannot be recorded as consensus.");
        if (!c.Consensus && string.IsNullOrWhiteSpace(c.Outstanding))
            throw new MeetingRuleException("outstandingMissing", "未达成共识的，请写明尚存的分歧或待解决的问题。",
                "Where no consensus was reached, say what remains open.");
        Consensus = c.Consensus;
        Outstanding = c.Consensus ? null : c.Outstanding!.Trim();
        Positions = c.Positions.Select(p => new ResolutionPosition(Guid.NewGuid(), Id, p.Party, p.Position, p.Remark)).ToList();
    }
}
