using Deliberate.Server.Meetings;

namespace Deliberate.Server.Consultations;

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
        OpensAt = opensAt.ToUniversalTime(); // PostgreSQL keeps instants in UTC
        ClosesAt = closesAt.ToUniversalTime();
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

    /// <summary>
    /// Records one answer: for an invited party (<paramref name="inviteeId"/>) or, without one, a resident
    /// answering for themselves. Only within the window, and once each; who may answer for whom is the API's question.
    /// </summary>
    public ConsultationResponse Answer(Guid id, Guid? inviteeId, Guid userId, ConsultationPosition position, string? text, DateTimeOffset now)
    {
        if (Status == ConsultationStatus.Closed || now >= ClosesAt)
            throw new MeetingRuleException("consultationClosed", "征求意见已经截止，不能再答复。", "The consultation has closed; no more answers can be given.");
        if (now < OpensAt)
            throw new MeetingRuleException("consultationNotOpen", "征求意见尚未开始。", "The consultation has not opened yet.");
        if (inviteeId is { } invitee)
        {
            if (Invitees.All(i => i.Id != invitee))
                throw new MeetingRuleException("unknownInvitee", "答复对象不在本次征求意见的名单中。", "That invitee is not on this consultation's list.");
            if (Responses.Any(r => r.InviteeId == invitee))
                throw new MeetingRuleException("alreadyAnswered", "该受邀方已经答复过了。", "This invitee has already answered.");
        }
        else if (Responses.Any(r => r.InviteeId == null && r.UserId == userId))
            throw new MeetingRuleException("alreadyAnswered", "您已经答复过了。", "You have already answered.");
        var response = new ConsultationResponse(id, Id, inviteeId, userId, position, text, now);
        Responses.Add(response);
        return response;
    }

    public void Close(DateTimeOffset now)
    {
        if (Status == ConsultationStatus.Closed) return;
        Status = ConsultationStatus.Closed;
        ClosedAt = now.ToUniversalTime();
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

    public ConsultationResponse(Guid id, Guid consultationId, Guid? inviteeId, Guid userId, ConsultationPosition position,
        string? text, DateTimeOffset at)
    {
        Id = id;
        ConsultationId = consultationId;
        InviteeId = inviteeId;
        UserId = userId;
        Position = position;
        Text = text;
        At = at.ToUniversalTime();
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
