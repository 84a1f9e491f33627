namespace Deliberate.Server.Meetings;

public enum ConsultationStatus { Open, Closed }

/// <summary>How someone answered a written consultation.</summary>
public enum ConsultationPosition { Agree, Disagree, Abstain, Comment }

/// <summary>
/// A written consultation (书面征求意见): each invited party — and, when asked, every resident of a
/// scope — answers within a window. It closes at its deadline or as soon as everyone invited has answered.
/// </summary>
public sealed class Consultation
{
    Consultation() { }

    public Consultation(Guid id, Guid orgUnitId, string title, string question, DateTimeOffset opensAt, DateTimeOffset closesAt,
        Guid? residentsScopeId, Guid? meetingId, Guid? matterId, Guid createdById)
    {
        if (closesAt <= opensAt) throw new MeetingRuleException("badWindow", "截止时间应晚于开始时间。", "The deadline must come after the start.");
        Id = id;
        OrgUnitId = orgUnitId;
        Title = title;
        Question = question;
        OpensAt = opensAt;
        ClosesAt = closesAt;
        ResidentsScopeId = residentsScopeId;
        MeetingId = meetingId;
        MatterId = matterId;
        CreatedById = createdById;
    }

    public Guid Id { get; private set; }
    public Guid OrgUnitId { get; private set; }
    public string Title { get; private set; } = "";
    public string Question { get; private set; } = "";
    public DateTimeOffset OpensAt { get; private set; }
    public DateTimeOffset ClosesAt { get; private set; }
    /// <summary>When set, every resident of this organisation node is invited too.</summary>
    public Guid? ResidentsScopeId { get; private set; }
    public Guid? MeetingId { get; private set; }
    public Guid? MatterId { get; private set; }
    public Guid CreatedById { get; private set; }
    public ConsultationStatus Status { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public List<ConsultationInvitee> Invitees { get; private set; } = [];
    public List<ConsultationResponse> Responses { get; private set; } = [];

    public bool IsOpenAt(DateTimeOffset now) => Status == ConsultationStatus.Open && now >= OpensAt && now < ClosesAt;

    public void Close(DateTimeOffset now)
    {
        if (Status == ConsultationStatus.Closed) return;
        Status = ConsultationStatus.Closed;
        ClosedAt = now;
    }
}

/// <summary>A party (or a named person) asked to answer.</summary>
public sealed class ConsultationInvitee
{
    ConsultationInvitee() { }

    public ConsultationInvitee(Guid id, Guid consultationId, string party, string name, Guid? userId)
    {
        Id = id;
        ConsultationId = consultationId;
        Party = party;
        Name = name;
        UserId = userId;
    }

    public Guid Id { get; private set; }
    public Guid ConsultationId { get; private set; }
    public string Party { get; private set; } = "";
    public string Name { get; private set; } = "";
    public Guid? UserId { get; private set; }
}

/// <summary>One answer; at most one per invitee or per resident (the database holds it to that).</summary>
public sealed class ConsultationResponse
{
    ConsultationResponse() { }

    public ConsultationResponse(Guid id, Guid consultationId, Guid? inviteeId, Guid userId, ConsultationPosition position, string? text, DateTimeOffset at)
    {
        Id = id;
        ConsultationId = consultationId;
        InviteeId = inviteeId;
        UserId = userId;
        Position = position;
        Text = text;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid ConsultationId { get; private set; }
    /// <summary>The invited party answered for; null for a resident answering for themselves.</summary>
    public Guid? InviteeId { get; private set; }
    public Guid UserId { get; private set; }
    public ConsultationPosition Position { get; private set; }
    public string? Text { get; private set; }
    public DateTimeOffset At { get; private set; }
}
