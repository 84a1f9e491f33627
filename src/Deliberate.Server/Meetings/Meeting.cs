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

public enum MeetingState { Draft, Convened, InSession, Closed, MinutesApproved }

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
    public static string Name(string code, bool english) => All.FirstOrDefault(p => p.Code == code) is var p && p.Code is not null ? (english ? p.En : p.Zh) : code;
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
        StartsAt = startsAt;
        CreatedById = createdById;
        CreatedAt = now;
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
    public string? RecorderName { get; private set; }
    public MeetingState State { get; private set; }
    public DateTimeOffset? ConvenedAt { get; private set; }
    public DateTimeOffset? OpenedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public Guid CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public List<MeetingParticipant> Participants { get; private set; } = [];
    public List<AgendaItem> Agenda { get; private set; } = [];
    public List<Resolution> Resolutions { get; private set; } = [];

    /// <summary>Days of notice the law or practice asks for (业主大会: 15 days with the full agenda).</summary>
    public static int NoticeDays(MeetingType type) => type == MeetingType.OwnersAssembly ? 15 : 0;

    public void Edit(string title, string place, DateTimeOffset startsAt, string? chair, string? recorder)
    {
        EnsureState(MeetingState.Draft);
        Title = title;
        Place = place;
        StartsAt = startsAt;
        ChairName = chair;
        RecorderName = recorder;
    }

    /// <summary>Sends the notice: the agenda as it stands is what may be decided (for an owners' assembly, nothing else can be voted on).</summary>
    public void Convene(DateTimeOffset now)
    {
        EnsureState(MeetingState.Draft);
        if (Agenda.Count == 0) throw new MeetingRuleException("emptyAgenda", "会议至少要有一个议题。", "The meeting needs at least one agenda item.");
        if (string.IsNullOrWhiteSpace(ChairName) || string.IsNullOrWhiteSpace(RecorderName))
            throw new MeetingRuleException("noChair", "请先确定主持人和记录人。", "Name the chair and the recorder first.");
        if (!Participants.Any(p => p.Role == ParticipantRole.Member))
            throw new MeetingRuleException("noMembers", "请先邀请参会成员。", "Invite the members first.");
        var days = NoticeDays(Type);
        if (StartsAt < now.AddDays(days))
            throw new MeetingRuleException("noticeTooShort", $"{Describe(Type).Zh}须提前 {days} 天通知并公布全部议题，开会时间应不早于 {now.AddDays(days):yyyy-MM-dd HH:mm}。",
                $"A {Describe(Type).En} needs {days} days' notice with the full agenda; it cannot start before {now.AddDays(days):yyyy-MM-dd HH:mm}.");
        foreach (var item in Agenda) item.Announce();
        State = MeetingState.Convened;
        ConvenedAt = now;
    }

    public void Open(DateTimeOffset now)
    {
        EnsureState(MeetingState.Convened);
        if (now < StartsAt.AddMinutes(-30))
            throw new MeetingRuleException("tooEarly", $"会议定于 {StartsAt:yyyy-MM-dd HH:mm} 开始，不能提前开会。", $"The meeting is set for {StartsAt:yyyy-MM-dd HH:mm}; it cannot open before then.");
        State = MeetingState.InSession;
        OpenedAt = now;
    }

    /// <summary>Closes the session: every member's attendance must be on record.</summary>
    public void Close(DateTimeOffset now)
    {
        EnsureState(MeetingState.InSession);
        if (Participants.Any(p => p.Role == ParticipantRole.Member && p.Attendance == Attendance.Unrecorded))
            throw new MeetingRuleException("attendanceMissing", "还有成员的出席情况没有登记。", "Some members' attendance is not recorded yet.");
        State = MeetingState.Closed;
        ClosedAt = now;
        EndsAt ??= now;
    }

    public void ApproveMinutes()
    {
        EnsureState(MeetingState.Closed);
        State = MeetingState.MinutesApproved;
    }

    public void EnsureState(params MeetingState[] allowed)
    {
        if (!allowed.Contains(State))
            throw new MeetingRuleException("badState", $"会议当前为“{StateName(State).Zh}”，不能进行此操作。", $"The meeting is {StateName(State).En}; this cannot be done now.");
    }

    /// <summary>应到: the members. 实到: the members present.</summary>
    public int Expected => Participants.Count(p => p.Role == ParticipantRole.Member);
    public int Present => Participants.Count(p => p.Role == ParticipantRole.Member && p.Attendance == Attendance.Present);

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
        _ => ("纪要已确认", "closed with approved minutes"),
    };
}

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
        RecordedAt = recordedAt;
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

    public Motion(Guid id, Guid agendaItemId, string text, string proposedBy, DateTimeOffset createdAt)
    {
        Id = id;
        AgendaItemId = agendaItemId;
        Text = text;
        ProposedBy = proposedBy;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid AgendaItemId { get; private set; }
    public string Text { get; private set; } = "";
    public string ProposedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid? BallotId { get; private set; }

    public void PutToVote(Guid ballotId)
    {
        if (BallotId is not null) throw new MeetingRuleException("alreadyVoted", "该动议已经付诸表决。", "This motion has already been put to a vote.");
        BallotId = ballotId;
    }
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
}
