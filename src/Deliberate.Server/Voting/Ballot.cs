namespace Deliberate.Server.Voting;

/// <summary>
/// Announced: posted with its agenda and dates, voting not yet open (an owners' ballot waits out its notice period, 15 days or
/// more). Faulted: the ballot could not be counted at its close (a rule stored before rules were checked at creation); it is not retried.
/// </summary>
public enum BallotStatus { Open, Closed, Faulted, Announced }

/// <summary>
/// Who organised an owners' ballot: the owners' committee, or — where the community has none — the residents' committee
/// under the street office's guidance (the community's party secretary or residents' committee acting for it).
/// </summary>
public enum OrganiserBody { OwnersCommittee, ResidentsCommitteeUnderStreetGuidance }

/// <summary>How a vote reached the ballot: cast by the voter, by a proxy with written authorisation, or entered from paper.</summary>
public enum VoteChannel { Online, Proxy, Paper }

/// <summary>
/// A vote on one question under one rule. Owners' votes (民法典 Art. 278) snapshot the electorate — every
/// unit with its area and owners, grouped into heads — when the ballot is created; member votes snapshot
/// the members and who is present. One ballot per head, held to by a unique index. A secret ballot keeps
/// who voted and what was chosen in two tables with nothing linking them.
/// </summary>
public sealed class Ballot
{
    Ballot() { }

    public Ballot(Guid id, Guid orgUnitId, string title, string? description, string rule, string? customRuleJson, bool secret, bool allowRevote,
        bool deemedConsent, DateTimeOffset opensAt, DateTimeOffset closesAt, Guid? meetingId, Guid? agendaItemId, Guid? matterId,
        Guid createdById, DateTimeOffset now, string? kind = null, DeemedCounting? deemedCounting = null,
        OrganiserBody? organiserBody = null, string? organiserName = null, BallotProposal? proposal = null)
    {
        if (closesAt <= opensAt) throw new BallotRuleException("badWindow", "表决截止时间应晚于开始时间。", "The ballot must close after it opens.");
        // A ballot that opens later is announced now and opened by its scheduled deadline (BallotOpening).
        Status = opensAt > now ? BallotStatus.Announced : BallotStatus.Open;
        OrganiserBody = organiserBody;
        OrganiserName = organiserName;
        Id = id;
        OrgUnitId = orgUnitId;
        Title = title;
        Description = description;
        Rule = rule;
        CustomRuleJson = customRuleJson;
        Secret = secret;
        AllowRevote = allowRevote;
        DeemedConsent = deemedConsent;
        OpensAt = opensAt.ToUniversalTime(); // PostgreSQL keeps instants in UTC; a client may send +08:00
        ClosesAt = closesAt.ToUniversalTime();
        MeetingId = meetingId;
        IsOwnersVote = BallotCounting.IsOwnersRule(rule, meetingId);
        AgendaItemId = agendaItemId;
        MatterId = matterId;
        CreatedById = createdById;
        CreatedAt = now;
        Kind = kind;
        DeemedCountsTowardParticipation = deemedConsent ? deemedCounting?.TowardParticipation : null;
        DeemedCountsTowardThreshold = deemedConsent ? deemedCounting?.TowardThreshold : null;
        if (proposal is not null)
        {
            ProposalText = proposal.Text;
            ProposalReason = proposal.Reason;
            ProposalCost = proposal.Cost;
            ProposedBy = proposal.ProposedBy;
            MotionId = proposal.MotionId;
        }
    }

    public Guid Id { get; private set; }
    /// <summary>The electorate's scope (a community, a building) or, for member votes, the meeting's community.</summary>
    public Guid OrgUnitId { get; private set; }
    public string Title { get; private set; } = "";
    public string? Description { get; private set; }
    /// <summary>A rule of <see cref="TallyRules"/>; "custom" reads <see cref="CustomRuleJson"/>.</summary>
    public string Rule { get; private set; } = "";
    public string? CustomRuleJson { get; private set; }
    public bool Secret { get; private set; }
    public bool AllowRevote { get; private set; }
    /// <summary>未投票视为同意多数, taken from the community's adopted rules of procedure when the ballot was made.</summary>
    public bool DeemedConsent { get; private set; }
    /// <summary>The proposal's kind (<see cref="ProposalKinds"/>) for owners' votes; null for member votes and ballots stored before kinds.</summary>
    public string? Kind { get; private set; }
    /// <summary>
    /// With deemed consent, whether deemed heads count toward the 2/3 participation and toward the pass threshold, as the
    /// adopted rules of procedure say. Null on ballots stored before: they counted toward both, and still do.
    /// </summary>
    public bool? DeemedCountsTowardParticipation { get; private set; }
    /// <inheritdoc cref="DeemedCountsTowardParticipation"/>
    public bool? DeemedCountsTowardThreshold { get; private set; }
    public DateTimeOffset OpensAt { get; private set; }
    public DateTimeOffset ClosesAt { get; private set; }
    public Guid? MeetingId { get; private set; }
    /// <summary>
    /// An owners' vote (民法典 Art. 278, over the scope's units) rather than a member vote of a meeting: decided once, from
    /// the rule and the meeting, when the ballot is made (<see cref="BallotCounting.IsOwnersRule"/>); stored so that
    /// every reader asks the ballot instead of working it out again.
    /// </summary>
    public bool IsOwnersVote { get; private set; }
    public Guid? AgendaItemId { get; private set; }
    public Guid? MatterId { get; private set; }
    public Guid CreatedById { get; private set; }
    /// <summary>When it was made — for an owners' ballot, when it was announced.</summary>
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The body that organised an owners' ballot (null for member votes, which their meeting holds).</summary>
    public OrganiserBody? OrganiserBody { get; private set; }
    /// <summary>The organising person's name as it was when the ballot was made (the person is <see cref="CreatedById"/>).</summary>
    public string? OrganiserName { get; private set; }
    /// <summary>
    /// What the owners vote on (the motion's text, e.g. 使用公共收益约3200元更换路灯), why, its cost in yuan and who proposed it.
    /// Set when the ballot is made — which is when it is announced — and never changed after: owners vote on what was announced.
    /// Null on ballots stored before proposals were kept.
    /// </summary>
    public string? ProposalText { get; private set; }
    /// <inheritdoc cref="ProposalText"/>
    public string? ProposalReason { get; private set; }
    /// <inheritdoc cref="ProposalText"/>
    public decimal? ProposalCost { get; private set; }
    /// <inheritdoc cref="ProposalText"/>
    public string? ProposedBy { get; private set; }
    /// <summary>The meeting's motion the proposal was taken from, whose meeting's opinions the ballot shows.</summary>
    public Guid? MotionId { get; private set; }
    public BallotStatus Status { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>The <see cref="TallyResult"/> at closing, as JSON; equal to what POST /api/tally computes from the ballot's data.</summary>
    public string? ResultJson { get; private set; }
    public TallyOutcome? Outcome { get; private set; }

    public bool IsOpenAt(DateTimeOffset now) => Status == BallotStatus.Open && now >= OpensAt && now < ClosesAt;

    /// <summary>Opens an announced ballot once its opening time has come; false (and nothing changes) otherwise, so the job may fire twice or
    /// early.</summary>
    public bool Open(DateTimeOffset now)
    {
        if (Status != BallotStatus.Announced || now < OpensAt) return false;
        Status = BallotStatus.Open;
        return true;
    }

    public void Close(DateTimeOffset now, TallyOutcome outcome, string resultJson)
    {
        if (Status == BallotStatus.Closed) throw new BallotRuleException("closed", "表决已经结束。", "The ballot is already closed.");
        Status = BallotStatus.Closed;
        ClosedAt = now;
        Outcome = outcome;
        ResultJson = resultJson;
    }

    /// <summary>Stops a ballot that cannot be counted, with the reason as its result, so that the close job does not try again every
    /// minute.</summary>
    public void Fault(DateTimeOffset now, string reason)
    {
        if (Status != BallotStatus.Open) return;
        Status = BallotStatus.Faulted;
        ClosedAt = now;
        ResultJson = System.Text.Json.JsonSerializer.Serialize(new { fault = reason });
    }
}

/// <summary>What is proposed: the motion's text, the reason, the cost in yuan (optional), the proposer, and the motion it came from.</summary>
public sealed record BallotProposal(string Text, string? Reason, decimal? Cost, string? ProposedBy, Guid? MotionId);

/// <summary>Where deemed heads count, per the rules of procedure (未投票视为同意).</summary>
public sealed record DeemedCounting(bool TowardParticipation, bool TowardThreshold);

/// <summary>A rule of voting the request would break; the API answers 409 (or 400) with this message.</summary>
public sealed class BallotRuleException(string code, string messageZh, string messageEn) : Api.DomainRuleException(code, messageZh, messageEn);

/// <summary>One unit of an owners' vote's electorate, as it stood when the ballot was made.</summary>
public sealed class BallotUnit
{
    BallotUnit() { }

    public BallotUnit(Guid ballotId, Guid unitId, string number, decimal area, string owners, bool developerUnsold, string headKey)
    {
        BallotId = ballotId;
        UnitId = unitId;
        Number = number;
        Area = area;
        Owners = owners;
        DeveloperUnsold = developerUnsold;
        HeadKey = headKey;
    }

    public Guid BallotId { get; private set; }
    public Guid UnitId { get; private set; }
    /// <summary>Building-room, e.g. "1-101".</summary>
    public string Number { get; private set; } = "";
    public decimal Area { get; private set; }
    /// <summary>Owner ids, comma-separated.</summary>
    public string Owners { get; private set; } = "";
    public bool DeveloperUnsold { get; private set; }
    /// <summary>The head (表决权人) the unit belongs to: units sharing an owner, and the developer's unsold units, share one.</summary>
    public string HeadKey { get; private set; } = "";
}

/// <summary>
/// Which head an owner votes for in a ballot, with that head's units and area — part of the snapshot, so
/// a vote finds everything it needs in one row instead of reading the electorate.
/// </summary>
public sealed class BallotOwner
{
    BallotOwner() { }

    public BallotOwner(Guid ballotId, Guid ownerId, string headKey, string headUnits, decimal headArea)
    {
        BallotId = ballotId;
        OwnerId = ownerId;
        HeadKey = headKey;
        HeadUnits = headUnits;
        HeadArea = headArea;
    }

    public Guid BallotId { get; private set; }
    public Guid OwnerId { get; private set; }
    public string HeadKey { get; private set; } = "";
    /// <summary>The head's units, comma-separated, e.g. "1-101,3-202".</summary>
    public string HeadUnits { get; private set; } = "";
    public decimal HeadArea { get; private set; }
}

/// <summary>One member of a member vote (业委会, 居民会议, 居民代表会议), and whether they are present.</summary>
public sealed class BallotMember
{
    BallotMember() { }

    public BallotMember(Guid ballotId, string memberKey, string name, Guid? userId, bool present)
    {
        BallotId = ballotId;
        MemberKey = memberKey;
        Name = name;
        UserId = userId;
        Present = present;
    }

    public Guid BallotId { get; private set; }
    public string MemberKey { get; private set; } = "";
    public string Name { get; private set; } = "";
    public Guid? UserId { get; private set; }
    public bool Present { get; private set; }
}

/// <summary>
/// That a head (or member) voted, how, and when — never, for a secret ballot, what they chose.
/// Unique per ballot and head: the database refuses a second ballot of one head.
/// </summary>
public sealed class BallotParticipation
{
    BallotParticipation() { }

    public BallotParticipation(Guid id, Guid ballotId, string headKey, Guid? voterUserId, Guid? ownerId, VoteChannel channel,
        string? proxyName, Guid castById, DateTimeOffset castAt, string? openChoice)
    {
        Id = id;
        BallotId = ballotId;
        HeadKey = headKey;
        VoterUserId = voterUserId;
        OwnerId = ownerId;
        Channel = channel;
        ProxyName = proxyName;
        CastById = castById;
        CastAt = castAt;
        OpenChoice = openChoice;
    }

    public Guid Id { get; private set; }
    public Guid BallotId { get; private set; }
    public string HeadKey { get; private set; } = "";
    public Guid? VoterUserId { get; private set; }
    /// <summary>The owner the vote is for (owners' votes).</summary>
    public Guid? OwnerId { get; private set; }
    public VoteChannel Channel { get; private set; }
    /// <summary>Who cast a proxy vote, as the written authorisation names them.</summary>
    public string? ProxyName { get; private set; }
    /// <summary>The user who entered it: the voter, or the committee member entering a proxy or paper ballot.</summary>
    public Guid CastById { get; private set; }
    public DateTimeOffset CastAt { get; private set; }
    /// <summary>The choice, for named ballots only (shown to the voter while open, to the estate's owners after the close). Null for secret
    /// ballots.</summary>
    public string? OpenChoice { get; private set; }

    /// <summary>
    /// The head votes again: the record now says what counts (this channel, this proxy or none, this time and, on a
    /// named ballot, this choice); what it said before is returned for the history.
    /// </summary>
    public BallotVoteHistory Replace(VoteChannel channel, string? proxyName, Guid castById, Guid? voterUserId, string choice, DateTimeOffset now)
    {
        var before = new BallotVoteHistory(Guid.NewGuid(), BallotId, HeadKey, Channel, ProxyName, CastById, CastAt, OpenChoice, now);
        Channel = channel;
        ProxyName = proxyName;
        CastById = castById;
        VoterUserId = voterUserId ?? VoterUserId;
        CastAt = now;
        if (OpenChoice is not null) OpenChoice = choice;
        return before;
    }
}

/// <summary>
/// A vote a head later replaced: how it had come in (channel, proxy, who entered it, when) and when it was replaced —
/// for the committee to see what happened. On a secret ballot it holds no choice, as the participation never does.
/// </summary>
public sealed class BallotVoteHistory
{
    BallotVoteHistory() { }

    public BallotVoteHistory(Guid id, Guid ballotId, string headKey, VoteChannel channel, string? proxyName, Guid castById, DateTimeOffset castAt,
        string? openChoice, DateTimeOffset replacedAt)
    {
        Id = id;
        BallotId = ballotId;
        HeadKey = headKey;
        Channel = channel;
        ProxyName = proxyName;
        CastById = castById;
        CastAt = castAt;
        OpenChoice = openChoice;
        ReplacedAt = replacedAt;
    }

    public Guid Id { get; private set; }
    public Guid BallotId { get; private set; }
    public string HeadKey { get; private set; } = "";
    public VoteChannel Channel { get; private set; }
    public string? ProxyName { get; private set; }
    public Guid CastById { get; private set; }
    public DateTimeOffset CastAt { get; private set; }
    /// <summary>The replaced choice, for named ballots only. Null for secret ballots.</summary>
    public string? OpenChoice { get; private set; }
    public DateTimeOffset ReplacedAt { get; private set; }
}

/// <summary>
/// A choice as published at the close (<see cref="BallotBoxes.PublishAsync"/>): the hash of a head's receipt and the
/// choice it was counted as, so that each owner can check their own and anyone can re-tally the heads. No area (an
/// unusual area names its owner), no time, no id of its own: keyed by (ballot, receipt hash) and written all at once in that order. While the
/// ballot is open the choices exist only sealed in its <see cref="BallotBox"/>.
/// </summary>
public sealed class BallotChoice
{
    BallotChoice() { }

    public BallotChoice(Guid ballotId, string choice, string receiptHash)
    {
        BallotId = ballotId;
        Choice = choice;
        ReceiptHash = receiptHash;
    }

    public Guid BallotId { get; private set; }
    public string Choice { get; private set; } = "";
    public string ReceiptHash { get; private set; } = "";
}
