using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;


public sealed record CreateBallotRequest(string? Title, string? Description, string? Rule, TallyThreshold? Threshold, Guid? OrgUnitId,
    Guid? MeetingId, Guid? AgendaItemId, Guid? MotionId, Guid? MatterId, bool? Secret, bool? AllowRevote,
    // Opening is a moment ("2026-12-09" would be read as the end of that day); closing may be a date, which is the end of it.
    [property: TimeRequired("开始投票时间需要具体到时分。", "Give the time of day voting opens as well as its date.")] DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt,
    string? Kind = null, string? Proposal = null, string? Reason = null, decimal? Cost = null, string? ProposedBy = null);
public sealed record CastVoteRequest(string? Choice, string? Receipt);

public sealed record ElectorateView(int Units, int Heads, decimal? Area, int Members, int Present);
public sealed record ParticipationView(int Heads, decimal? Area);
public sealed record BallotView(Guid Id, string Title, string? Description, string Rule, RuleDescription? RuleDescription,
    bool Secret, bool AllowRevote,
    bool DeemedConsent, string? Kind, string? KindName, PlaceView Scope, Guid? MeetingId, Guid? AgendaItemId, Guid? MatterId,
    DateTimeOffset OpensAt, DateTimeOffset ClosesAt,
    BallotStatus Status, bool IsOpen, ElectorateView Electorate, ParticipationView Participation, JsonNode? Result, TallyOutcome? Outcome,
    DateTimeOffset AnnouncedAt, OrganiserView? Organiser, ProposalView? Proposal, string? NoticePdf);
/// <summary>What is proposed, as announced: the text, why, the cost in yuan and who proposed it; <c>MotionId</c> the meeting's motion it came
/// from.</summary>
public sealed record ProposalView(string Text, string? Reason, decimal? Cost, string? ProposedBy, Guid? MotionId);
/// <summary>A motion of the meeting that discussed the proposal, with what became of it.</summary>
public sealed record DeliberationMotionView(Guid Id, string Text, string ProposedBy, string? Reason, decimal? Cost, MotionFate Fate, string FateName);
/// <summary>
/// The meeting that discussed what the ballot proposes: its item, each party's opinion, the motions with their fates and the
/// meeting's resolutions on the item — what an owner reads before voting.
/// </summary>
public sealed record BallotDeliberationView(Guid MeetingId, string MeetingTitle, DateTimeOffset StartsAt, string Place, string ItemTitle,
    IReadOnlyList<Meetings.OpinionView> Opinions, IReadOnlyList<DeliberationMotionView> Motions, IReadOnlyList<string> Resolutions);
/// <summary>Who organised an owners' ballot: <c>Body</c> is ownersCommittee or residentsCommitteeUnderStreetGuidance; <c>Name</c> the person, as at
/// creation.</summary>
public sealed record OrganiserView(OrganiserBody Body, string BodyName, string? Name);
public sealed record VoteReceipt(Guid BallotId, string Receipt, string Choice, IReadOnlyList<string> Units, decimal? Area, bool Revote);
/// <summary>What the committee gets back for a proxy or paper ballot it entered: no receipt (that is the owner's), only where to print the owner's
/// slip.</summary>
public sealed record VoteEntered(Guid BallotId, VoteChannel Channel, string Choice, IReadOnlyList<string> Units, decimal? Area, string Slip);
/// <summary>The caller's own vote; <c>Receipt</c> is their receipt code once their head has voted, however the vote came in.</summary>
public sealed record MyVoteView(bool Eligible, IReadOnlyList<string> Units, decimal? Area, bool Voted, VoteChannel? Channel, DateTimeOffset? CastAt,
    string? Choice, bool CanVote,
    string? Receipt);
/// <summary>A receipt's hash (SHA-256 of the code, as <c>GET …/receipts/{code}</c> computes it) and the choice it was counted as.</summary>
public sealed record PublishedChoice(string ReceiptHash, string Choice);
public sealed record PublishedChoices(Guid BallotId, IReadOnlyList<PublishedChoice> Receipts, JsonObject Totals);
/// <summary>A vote the head replaced; <c>Choice</c> only on a named ballot.</summary>
public sealed record VoteHistoryView(VoteChannel Channel, string? ProxyName, DateTimeOffset CastAt, DateTimeOffset ReplacedAt, string? Choice);
/// <summary>What counts now for a head; <c>History</c> (the votes it replaced) only for the staff over the ballot's scope, the owners' committee
/// among them.</summary>
public sealed record BallotParticipantView(IReadOnlyList<string> Units, string? Member, decimal? Area, VoteChannel Channel, string? ProxyName,
    DateTimeOffset CastAt, string? Choice,
    IReadOnlyList<VoteHistoryView>? History);

/// <summary>What the ballot endpoints answer: a ballot as the list and the detail show it.</summary>
public static class BallotViews
{
    /// <summary>
    /// The views of a page of ballots in four queries whatever its size (scopes, units, members, participations),
    /// in the order given.
    /// </summary>
    public static async Task<List<BallotView>> ManyAsync(DeliberateDbContext db, IReadOnlyList<Ballot> ballots,
        DateTimeOffset now, CancellationToken ct)
    {
        var ids = ballots.Select(b => b.Id).ToList();
        var scopeIds = ballots.Select(b => b.OrgUnitId).Distinct().ToList();
        var scopes = await db.OrgUnits.AsNoTracking().Where(o => scopeIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var units = (await db.BallotUnits.AsNoTracking().Where(u => ids.Contains(u.BallotId))
            .Select(u => new { u.BallotId, u.HeadKey, u.Area }).ToListAsync(ct))
            .ToLookup(u => u.BallotId, u => (u.HeadKey, u.Area));
        var members = (await db.BallotMembers.AsNoTracking().Where(m => ids.Contains(m.BallotId))
            .Select(m => new { m.BallotId, m.Present }).ToListAsync(ct))
            .ToLookup(m => m.BallotId, m => m.Present);
        var voted = (await db.BallotParticipations.AsNoTracking().Where(p => ids.Contains(p.BallotId))
            .Select(p => new { p.BallotId, p.HeadKey }).ToListAsync(ct))
            .ToLookup(p => p.BallotId, p => p.HeadKey);
        return ballots.Select(b => View(b, scopes[b.OrgUnitId], units[b.Id].ToList(), members[b.Id].ToList(), voted[b.Id].ToList(), now)).ToList();
    }

    public static async Task<BallotView> OneAsync(DeliberateDbContext db, Ballot ballot, DateTimeOffset now, CancellationToken ct) =>
        (await ManyAsync(db, [ballot], now, ct))[0];

    static BallotView View(Ballot ballot, OrgUnit scope, List<(string HeadKey, decimal Area)> units, List<bool> members,
        List<string> voted, DateTimeOffset now)
    {
        var owners = units.Count > 0;
        var votedHeads = voted.ToHashSet();
        decimal? votedArea = owners ? units.Where(u => votedHeads.Contains(u.HeadKey)).Sum(u => u.Area) : null;
        // Turnout only: no running counts for anyone while the ballot is open, named or secret; the result at the close.
        var rule = TallyRules.Describe(ballot.Rule, ballot.CustomRuleJson, ballot.IsOwnersVote);
        return new BallotView(ballot.Id, ballot.Title, ballot.Description, ballot.Rule, rule, ballot.Secret, ballot.AllowRevote, ballot.DeemedConsent,
            ballot.Kind, ProposalKinds.Label(ballot.Kind, Text.English),
            new PlaceView(scope.Id, scope.Name), ballot.MeetingId, ballot.AgendaItemId, ballot.MatterId, ballot.OpensAt, ballot.ClosesAt,
            ballot.Status, ballot.IsOpenAt(now),
            new ElectorateView(units.Count, units.Select(u => u.HeadKey).Distinct().Count(), owners ? units.Sum(u => u.Area) : null,
            members.Count, members.Count(p => p)),
            new ParticipationView(voted.Count, votedArea),
            ballot.ResultJson is null ? null : JsonNode.Parse(ballot.ResultJson), ballot.Outcome,
            ballot.CreatedAt,
            ballot.OrganiserBody is { } body ? new OrganiserView(body, BallotTiming.BodyName(body).Zh, ballot.OrganiserName) : null,
            ballot.ProposalText is { } text
                ? new ProposalView(text, ballot.ProposalReason, ballot.ProposalCost, ballot.ProposedBy, ballot.MotionId) : null,
            // The result notice (表决结果公告) the server renders once the ballot is counted.
            ballot.Status == BallotStatus.Closed ? $"/api/ballots/{ballot.Id}/notice.pdf" : null);
    }
}
