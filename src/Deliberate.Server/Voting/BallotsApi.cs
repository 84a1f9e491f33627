using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Audit;
using Deliberate.Server.Data;
using Deliberate.Server.Files;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Meetings;
using Deliberate.Server.Organisation;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>
/// Ballots: owners' votes under 民法典 Art. 278 over a community's (or building's) units, and member votes
/// of a meeting. One ballot per head; secret ballots keep who from what; receipts let a voter check
/// their ballot was counted; proxies and paper ballots are entered by the owners' committee with the
/// written authorisation or the scanned sheet attached.
/// </summary>
public static class BallotsApi
{
    /// <summary>What the vote endpoints take from the request's services, bound as parameters (as eShop's CatalogServices).</summary>
    public sealed record VoteServices(Caller Caller, DeliberateDbContext Db, AuditKey Key, TimeProvider Clock, CancellationToken Ct);

    public static RouteGroupBuilder MapBallotsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ballots").WithTags("Ballots").RequireAuthorization();
        group.MapPost("/", Create).WithSummary("Open a ballot: an owners' vote over a scope's units, or a member vote of a meeting.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.OwnersCommitteeOrganises,
                ProblemCodes.CommitteeTermExpired,
                ProblemCodes.NotFound, ProblemCodes.AlreadyVoted, ProblemCodes.BadWindow, ProblemCodes.ConsultativeMeeting,
                ProblemCodes.EmptyElectorate,
                ProblemCodes.MeetingNotInSession, ProblemCodes.NotAnnounced, ProblemCodes.QuorumNotMet);
        group.MapGet("/", List).WithSummary("Ballots the caller may see; mine=true: only those the caller may vote in.")
            .Problems(ProblemCodes.Validation);
        group.MapGet("/kinds", () => TypedResults.Ok(ProposalKinds.All))
            .WithSummary("The kinds of owners' proposals (民法典 Art. 278 ¶1) and which need the major rule.");
        group.MapGet("/{id:guid}", Get).WithSummary("A ballot with its rule, electorate, participation and, once closed, its result.")
            .Problems(ProblemCodes.NotFound);
        group.MapGet("/{id:guid}/deliberation", Deliberation)
            .WithSummary("The meeting that discussed the proposal: the parties' opinions, the motions with their fates, the resolutions.")
            .Problems(ProblemCodes.NotFound);
        group.MapGet("/{id:guid}/me", Mine).WithSummary("Whether the caller may vote, for which units, and whether they have.")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/votes", Cast).WithSummary("Cast (or, where allowed, change) the caller's vote; returns a receipt code.")
            .Problems(ProblemCodes.Validation, ProblemCodes.BadReceipt, ProblemCodes.NotInElectorate, ProblemCodes.NotFound,
                ProblemCodes.AlreadyVoted, ProblemCodes.BallotNotOpen, ProblemCodes.ReceiptNeeded, ProblemCodes.RevoteUnavailable);
        group.MapPost("/{id:guid}/proxy-votes", Proxy).DisableAntiforgery().Accepts<IFormFileCollection>("multipart/form-data")
            .WithSummary("Enter a proxy vote with the written authorisation attached (owners' committee).")
            .Problems(ProblemCodes.UnitNotInElectorate, ProblemCodes.Validation, ProblemCodes.BadReceipt, ProblemCodes.Forbidden,
                ProblemCodes.NotFound, ProblemCodes.AlreadyVoted, ProblemCodes.BallotNotOpen, ProblemCodes.MembersVoteInPerson,
                ProblemCodes.ReceiptNeeded, ProblemCodes.RevoteUnavailable);
        group.MapPost("/{id:guid}/paper-votes", Paper).DisableAntiforgery().Accepts<IFormFileCollection>("multipart/form-data")
            .WithSummary("Enter a paper ballot with the scanned sheet attached (owners' committee).")
            .Problems(ProblemCodes.UnitNotInElectorate, ProblemCodes.Validation, ProblemCodes.BadReceipt, ProblemCodes.Forbidden,
                ProblemCodes.NotFound, ProblemCodes.AlreadyVoted, ProblemCodes.BallotNotOpen, ProblemCodes.MembersVoteInPerson,
                ProblemCodes.ReceiptNeeded, ProblemCodes.RevoteUnavailable);
        group.MapGet("/{id:guid}/slips/{participationId:guid}", Slip)
            .WithSummary("The receipt slip (PDF) of a proxy or paper ballot, printed by the owners' committee for the owner.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapGet("/{id:guid}/participation", Participation).WithSummary("Who has voted (and, for an open ballot, how).")
            .Problems(ProblemCodes.NotFound);
        group.MapGet("/{id:guid}/audit", Audit).WithSummary("For an open (named) ballot: the input that POST /api/tally turns into its result.")
            .Problems(ProblemCodes.ChoicesForMembers, ProblemCodes.ChoicesForOwners, ProblemCodes.NotFound, ProblemCodes.SecretBallot);
        group.MapGet("/{id:guid}/choices", Published)
            .WithSummary("After the close: every receipt hash with the choice it was counted as, and the totals — for owners to check and anyone to "
            + "re-tally.")
            .Problems(ProblemCodes.NotFound, ProblemCodes.BallotNotClosed);
        group.MapPost("/{id:guid}/close", Close).WithSummary("Close a member vote now (the chair ends the vote in the meeting).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.BadWindow, ProblemCodes.Closed, ProblemCodes.ClosesAtDeadline,
                ProblemCodes.ConsultativeMeeting);
        app.MapGet("/api/ballots/{id:guid}/receipts/{code}", CheckReceipt).WithTags("Ballots").AllowAnonymous()
            .RequireRateLimiting(TallyApi.PublicRateLimit)
            .WithSummary("Was the ballot with this receipt code counted? (No sign-in; rate-limited.)");
        return group;
    }

    static async Task<Results<Created<BallotView>, ValidationProblem, ProblemHttpResult>> Create(CreateBallotRequest request, Caller caller,
        DeliberateDbContext db, Deadlines deadlines, IConfiguration config, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("title", request.Title, "表决事项", "Title");
        errors.MaxLength("title", request.Title, 200, "表决事项", "Title");
        errors.MaxLength("description", request.Description, 4000, "说明", "Description");
        // A meeting's votes count by its body's rule and no other (issue 15 §5); the rule may then be left out.
        var rule = request.Rule;
        if (request.MeetingId is { } heldIn && await db.Meetings.AsNoTracking().Where(m => m.Id == heldIn)
                .Select(m => new { m.Type, Path = db.OrgUnits.Where(o => o.Id == m.OrgUnitId).Select(o => o.Path).First() })
                    .FirstOrDefaultAsync(ct) is { } body
            && (BallotAccess.MayOpenMemberVote(caller, body.Path) || BallotAccess.MayOpenOwnersVote(caller, body.Path)))
            rule = MeetingVotes.Resolve(body.Type, rule, request.Threshold is not null, errors);
        if ((rule is null || !TallyRules.Names.Contains(rule)) && !errors.Errors.ContainsKey("rule"))
            // The Chinese message names the rules as people know them; the codes are for API callers, in English.
            errors.Add("rule", $"请选择表决规则（{string.Join("、", TallyRules.BuiltInRules.Select(r => r.TitleZh))}）。",
                $"Choose a rule ({string.Join(", ", TallyRules.Names)}).");
        var now = clock.GetUtcNow();
        var opensAt = request.OpensAt ?? now;
        if (request.ClosesAt is not { } closesAt) errors.Add("closesAt", "请设定表决截止时间。", "Set when the ballot closes.");
        else if (closesAt <= opensAt || closesAt <= now)
            errors.Add("closesAt", "截止时间应晚于开始时间和当前时间。", "The ballot must close after it opens and after now.");
        // No backdating: a ballot cannot say it opened before it was made (a minute's slack for the client's clock).
        if (request.OpensAt is { } asked && asked < now.AddMinutes(-1))
            errors.Add("opensAt", "开始投票时间不能早于现在。", "Voting cannot open in the past.");
        if (errors.Any) return errors.ToProblem();

        var owners = BallotCounting.IsOwnersRule(rule!, request.MeetingId);
        Meeting? meeting = null;
        OrgUnit? scope = null;
        if (owners)
        {
            if (request.MeetingId is not null && rule != TallyRules.Custom)
                meeting = await db.Meetings.Include(m => m.Agenda).FirstOrDefaultAsync(m => m.Id == request.MeetingId, ct);
            scope = request.OrgUnitId is { } scopeId ? await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == scopeId, ct) : null;
            if (scope is null || scope.Level < OrgLevel.Community)
                errors.Add("orgUnitId", "业主表决须指定一个社区、网格或楼栋作为表决范围。", "An owners' vote needs a community, grid or building as its scope.");
            else if (!BallotAccess.MayOpenOwnersVote(caller, scope.Path))
                return Problems.Forbidden("forbidden", "只有本社区的业委会或党组织书记可以发起业主表决。",
                    "Only the community's owners' committee or party secretary can open an owners' vote.");
        }
        else
        {
            meeting = request.MeetingId is { } meetingId
                ? await db.Meetings.Include(m => m.Participants).Include(m => m.Agenda).FirstOrDefaultAsync(m => m.Id == meetingId, ct)
                : null;
            if (meeting is null) errors.Add("meetingId", "成员表决须在某次会议上进行，请指定会议。", "A member vote happens in a meeting; name the meeting.");
            else
            {
                scope = await db.OrgUnits.FirstAsync(o => o.Id == meeting.OrgUnitId, ct);
                if (!BallotAccess.MayOpenMemberVote(caller, scope.Path)) return Problems.NotFound("会议", "meeting");
                if (meeting.State != MeetingState.InSession)
                    return Problems.Conflict("meetingNotInSession", "只能在会议进行中发起成员表决。",
                        "A member vote can only be opened while the meeting is in session.");
                meeting.EnsureQuorum(); // no quorum, no vote: 409 quorumNotMet
            }
        }
        if (request.AgendaItemId is { } itemId && meeting is not null)
        {
            var item = meeting.Agenda.FirstOrDefault(a => a.Id == itemId);
            if (item is null) errors.Add("agendaItemId", "议题不在该会议的议程中。", "The agenda item is not on that meeting's agenda.");
            else if (meeting.Type == MeetingType.OwnersAssembly && !item.Announced)
                return Problems.Conflict("notAnnounced", "业主大会只能表决会前公告的议题。", "An owners' assembly can vote only on items announced with its notice.");
        }
        if (rule == TallyRules.Custom && request.Threshold is null)
            errors.Add("threshold", "自定义规则须给出表决门槛。", "The custom rule needs a threshold.");
        else if (request.Threshold is not null && TallyRules.Names.Contains(rule!))
            foreach (var fault in RuleFaults(rule!, request.Threshold, owners)) errors.Add("threshold", fault.MessageZh, fault.MessageEn);
        // What the ballot names must be of its own community: a matter, the meeting it is held in.
        var ballotCommunityId = scope is null ? (Guid?)null : await BallotCounting.CommunityOfAsync(db, scope.Id, ct);
        var ballotCommunity = ballotCommunityId is null ? null
            : await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == ballotCommunityId, ct);
        if (ballotCommunity is not null)
        {
            if (request.MatterId is { } matterId && !await References.MatterUnderAsync(db, matterId, ballotCommunity.Path, ct))
                errors.Add("matterId", "事项不存在，或不属于本社区。", "The matter does not exist or is not of this community.");
            if (meeting is not null && meeting.OrgUnitId != ballotCommunity.Id)
                errors.Add("meetingId", "会议不存在，或不属于本社区。", "The meeting does not exist or is not of this community.");
        }
        var agendaIds = meeting?.Agenda.Select(a => a.Id).ToList() ?? [];
        if (request.MotionId is { } motionRef && !await db.Motions.AnyAsync(m => m.Id == motionRef && agendaIds.Contains(m.AgendaItemId), ct))
            errors.Add("motionId", "动议不存在，或不属于该会议。", "The motion does not exist or is not of that meeting.");
        var motionRecord = request.MotionId is { } proposedIn
            ? await db.Motions.AsNoTracking().FirstOrDefaultAsync(m => m.Id == proposedIn, ct) : null;
        var proposal = ProposalOf(request, motionRecord, owners, errors);
        if (errors.Any) return errors.ToProblem(); // e.g. a member rule without its meeting: no community to read below
        var community = ballotCommunityId!.Value;
        BallotTiming.Organiser? organiser = null;
        if (owners)
        {
            // 15 days' notice with the full agenda (the rules of procedure may ask more) — except at an owners' assembly
            // convened with that notice, whose ballot opens in the meeting.
            var (noticeDays, earliest) = await BallotTiming.NoticeAsync(db, community, now, ct);
            // Only for an item announced with the assembly's notice, while the assembly is still to meet or in session.
            var convenedInTime = meeting is
            {
                Type: MeetingType.OwnersAssembly, ConvenedAt: { } convened,
                State: MeetingState.Convened or MeetingState.InSession
            }
                && request.AgendaItemId is not null && opensAt >= BallotTiming.EarliestOpening(convened, noticeDays);
            if (!convenedInTime)
            {
                if (request.OpensAt is null)
                    errors.Add("opensAt", $"业主表决须提前{noticeDays}日公告，请设定开始投票时间（最早 {ChinaTime.ChineseDateTime(earliest)}）。",
                        $"An owners' ballot is announced {noticeDays} days before voting opens: set when it opens (at the "
                            + $"earliest {ChinaTime.EnglishDateTime(earliest)}).");
                else if (opensAt < earliest && opensAt >= now.AddMinutes(-1)) // (the past is refused above)
                    errors.Add("opensAt", $"业主表决须在开始投票前至少{noticeDays}日公告，最早可于 {ChinaTime.ChineseDateTime(earliest)} 开始投票。",
                        $"An owners' ballot must be announced at least {noticeDays} days before voting opens; it can open "
                            + $"at {ChinaTime.EnglishDateTime(earliest)} at the earliest.");
            }
            if (request.ClosesAt is { } closes && BallotTiming.VotingPeriodFault(config, opensAt, closes) is { } tooShort)
                errors.Add("closesAt", tooShort.Zh, tooShort.En);
            // Organised by the owners' committee; where the community has none, by the residents' committee under the street's guidance.
            organiser = await BallotTiming.OwnersOrganiserAsync(db, ballotCommunity!, scope!, caller.Id, caller.DisplayName, now, ct);
            // 任期届满未换届: the committee's powers ended with its term; the residents' committee organises (e.g. the election of the next).
            if (organiser is { CommitteeTermExpired: true, ByCommitteeMember: true })
                return Problems.Conflict("committeeTermExpired",
                    "业主委员会任期已届满且未换届，不能组织业主表决；请由社区居民委员会在街道指导下组织（如选举新一届业主委员会）。",
                    "The owners' committee's term has run out and no new term is recorded: it cannot organise an owners' ballot; the residents' "
                        + "committee organises it under the street office's guidance (for instance, the election of the next committee).");
            if (organiser is { Body: OrganiserBody.OwnersCommittee, ByCommitteeMember: false })
                return Problems.Forbidden("ownersCommitteeOrganises", "本社区已有业主委员会，业主表决须由业主委员会组织。",
                    "This community has an owners' committee: owners' ballots are organised by it.");
        }
        if (errors.Any) return errors.ToProblem();

        // The matter's kind decides the least rule (Art. 278, raised by the rules of procedure); deemed consent comes from those rules only.
        var procedure = owners ? await RulesOfProcedure.CurrentAsync(db, community, ct) : null;
        if (owners && ProposalKinds.Refusal(request.Kind, rule, request.Threshold, procedure?.RaisedKinds ?? []) is { } refused) return refused;
        var ballot = new Ballot(Guid.CreateVersion7(now), scope!.Id, request.Title!.Trim(), request.Description?.Trim(), rule!,
            request.Threshold is null ? null : JsonSerializer.Serialize(request.Threshold, JsonSerializerOptions.Web),
            request.Secret ?? false, request.AllowRevote ?? false, procedure?.DeemedConsent ?? false,
            opensAt, request.ClosesAt!.Value, meeting?.Id, request.AgendaItemId, request.MatterId, caller.Id, now,
            owners ? request.Kind : null,
            procedure is null ? null : new DeemedCounting(procedure.DeemedCountsTowardParticipation, procedure.DeemedCountsTowardThreshold),
            organiser?.Body, organiser?.Name, proposal);
        db.Ballots.Add(ballot);
        if (owners)
        {
            var units = await BallotCounting.SnapshotAsync(db, ballot.Id, scope, ct);
            if (units.Count == 0)
                return Problems.Conflict("emptyElectorate", "该范围内没有登记的房屋，无法表决。", "There are no registered units in this scope to vote.");
        }
        else
        {
            var members = meeting!.Participants.Where(p => p.Role == ParticipantRole.Member).ToList();
            db.BallotMembers.AddRange(members.Select(p =>
                new BallotMember(ballot.Id, p.Id.ToString("N"), p.Name, p.UserId, p.Attendance == Attendance.Present)));
        }
        if (request.MotionId is { } motionId)
        {
            var motion = await db.Motions.FirstOrDefaultAsync(m => m.Id == motionId, ct);
            if (motion is null) return Problems.NotFound("动议", "motion");
            motion.PutToVote(ballot.Id);
        }
        if (owners) db.Notices.Add(BallotAnnouncement.Notice(ballot, community, now));
        if (ballot.Status == BallotStatus.Open) await BallotNotifications.OpenedAsync(db, ballot, now, ct);
        await db.SaveChangesAsync(ct);
        if (ballot.Status == BallotStatus.Announced) deadlines.Schedule(BallotCounting.OpeningKind, ballot.Id, ballot.OpensAt);
        deadlines.Schedule(BallotCounting.DeadlineKind, ballot.Id, ballot.ClosesAt);
        return TypedResults.Created($"/api/ballots/{ballot.Id}", await BallotViews.OneAsync(db, ballot, now, ct));
    }

    /// <summary>Longest proposal text, reason and proposer name a ballot keeps (as the columns are).</summary>
    const int MaxProposal = 2000, MaxReason = 2000, MaxProposer = 100;

    /// <summary>
    /// What the voters are asked: the proposal's text (required for an owners' ballot — they vote on it, not on a title), the reason,
    /// the cost in yuan and the proposer. A ballot on a meeting's motion takes the motion's text and proposer where the request
    /// leaves them out. Null for a member vote that names neither.
    /// </summary>
    static BallotProposal? ProposalOf(CreateBallotRequest request, Motion? motion, bool owners, FieldErrors errors)
    {
        var text = string.IsNullOrWhiteSpace(request.Proposal) ? motion?.Text : request.Proposal.Trim();
        var proposer = string.IsNullOrWhiteSpace(request.ProposedBy) ? motion?.ProposedBy : request.ProposedBy.Trim();
        if (owners) errors.Required("proposal", text, "表决议案（提议内容）", "Proposal");
        errors.MaxLength("proposal", text, MaxProposal, "表决议案（提议内容）", "Proposal");
        errors.MaxLength("reason", request.Reason, MaxReason, "提议理由", "Reason");
        errors.MaxLength("proposedBy", proposer, MaxProposer, "提议人", "Proposed by");
        if (request.Cost is { } cost && (cost < 0 || cost >= 1_000_000_000_000m || decimal.Round(cost, 2) != cost))
            errors.Add("cost", "费用应为不小于 0 的金额（元），最多两位小数。", "The cost must be an amount in yuan, not negative, with at most two decimals.");
        if (string.IsNullOrWhiteSpace(text)) return null;
        return new BallotProposal(text, string.IsNullOrWhiteSpace(request.Reason) ? motion?.Reason : request.Reason.Trim(),
            request.Cost ?? motion?.Cost,
            proposer, motion?.Id);
    }

    /// <summary>
    /// What the count would say of the rule and threshold when the ballot closes (a threshold of 1/0, -1/2 or "abc"):
    /// refused now, or the ballot could never close.
    /// </summary>
    static IReadOnlyList<TallyFault> RuleFaults(string rule, TallyThreshold threshold, bool owners)
    {
        try
        {
            TallyRules.Resolve(new TallyRequest { Rule = rule, Threshold = threshold, Electorate = owners ? [] : null, Members = owners ? null : [] },
                new FaultList());
            return [];
        }
        catch (TallyException e)
        {
            return e.Faults;
        }
    }

    /// <summary>A page of the ballots the caller may see, newest first: one query to count, one for the page, four for its views.</summary>
    static async Task<Results<Ok<Paged<BallotView>>, ValidationProblem>> List(Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct,
        string? status = null, Guid? matterId = null, Guid? meetingId = null, bool mine = false, int page = 1, int pageSize = 20)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page, pageSize);
        BallotStatus? statusFilter = null;
        if (status is not null)
        {
            if (EnumCodes.TryParseCode<BallotStatus>(status, out var s)) statusFilter = s;
            else errors.Add("status", "状态应为 announced、open、closed 或 faulted。", "Status must be announced, open, closed or faulted.");
        }
        if (errors.Any) return errors.ToProblem();
        var query = (await BallotAccess.ListedAsync(db, caller, ct)).AsNoTracking();
        if (statusFilter is { } wanted) query = query.Where(b => b.Status == wanted);
        if (matterId is { } m) query = query.Where(b => b.MatterId == m);
        if (meetingId is { } mt) query = query.Where(b => b.MeetingId == mt);
        if (mine) query = BallotAccess.MayVoteIn(db, caller, query);
        var total = await query.CountAsync(ct);
        var ballots = await query.OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id).Page(page, pageSize).ToListAsync(ct);
        return TypedResults.Ok(new Paged<BallotView>(await BallotViews.ManyAsync(db, ballots, clock.GetUtcNow(), ct), total, page, pageSize));
    }

    static async Task<Results<Ok<BallotView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var (ballot, _) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        return ballot is null ? Problems.NotFound("表决", "ballot") : TypedResults.Ok(await BallotViews.OneAsync(db, ballot, clock.GetUtcNow(), ct));
    }

    /// <summary>
    /// The meeting record behind a ballot, for whoever may see the ballot (owners included, who may not open the meeting
    /// itself): the item of the motion it was taken from, else its agenda item, else the last closed meeting that discussed
    /// its matter. 404 when no meeting discussed it.
    /// </summary>
    static async Task<Results<Ok<BallotDeliberationView>, ProblemHttpResult>> Deliberation(Guid id, Caller caller, DeliberateDbContext db,
        CancellationToken ct)
    {
        var (ballot, _) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        var itemId = ballot.MotionId is { } motionId
            ? await db.Motions.Where(m => m.Id == motionId).Select(m => (Guid?)m.AgendaItemId).FirstOrDefaultAsync(ct)
            : ballot.AgendaItemId;
        if (itemId is null && ballot.MatterId is { } matterId)
            // Ordered here: SQLite cannot order by DateTimeOffset.
            itemId = (await db.Meetings.AsNoTracking()
                .Where(m => m.State == MeetingState.Closed || m.State == MeetingState.MinutesApproved)
                .Join(db.AgendaItems.Where(a => a.MatterId == matterId), m => m.Id, a => a.MeetingId, (m, a) => new { a.Id, m.StartsAt })
                .ToListAsync(ct)).OrderByDescending(a => a.StartsAt).Select(a => (Guid?)a.Id).FirstOrDefault();
        var meeting = itemId is null ? null : await db.Meetings.AsNoTracking()
            .Include(m => m.Agenda).ThenInclude(a => a.Opinions).Include(m => m.Agenda).ThenInclude(a => a.Motions).Include(m => m.Resolutions)
            .AsSplitQuery().FirstOrDefaultAsync(m => m.Agenda.Any(a => a.Id == itemId), ct);
        if (meeting is null) return Problems.NotFound("会议记录", "meeting record");
        var item = meeting.Agenda.Single(a => a.Id == itemId);
        var motions = item.Motions.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToList();
        var fates = await MotionFates.OfAsync(db, motions, ct);
        return TypedResults.Ok(new BallotDeliberationView(meeting.Id, meeting.Title, meeting.StartsAt, meeting.Place, item.Title,
            item.Opinions.OrderBy(o => Parties.IndexOf(o.Party)).ThenBy(o => o.RecordedAt).Select(MeetingViews.Opinion).ToList(),
            motions.Select(m => new DeliberationMotionView(m.Id, m.Text, m.ProposedBy, m.Reason, m.Cost, fates[m.Id].Fate,
                Text.L(fates[m.Id].NameZh, fates[m.Id].NameEn))).ToList(),
            meeting.Resolutions.Where(r => r.AgendaItemId == item.Id).Select(r => r.Text).ToList()));
    }

    static async Task<Results<Ok<MyVoteView>, ProblemHttpResult>> Mine(Guid id, [AsParameters] VoteServices services)
    {
        var (caller, db, key, clock, ct) = services;
        var (ballot, _) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        var voter = await BallotVoting.VoterAsync(db, ballot, caller.Id, caller.OwnerId, ct);
        if (voter is null) return TypedResults.Ok(new MyVoteView(false, [], null, false, null, null, null, false, null));
        var participation = await db.BallotParticipations.AsNoTracking().FirstOrDefaultAsync(p => p.BallotId == id && p.HeadKey == voter.HeadKey, ct);
        var open = ballot.IsOpenAt(clock.GetUtcNow());
        // The head's receipt, also for a paper or proxy ballot the committee typed in; only if it is the one counted
        // (ballots cast before receipts were derived from the head hold a random code the server cannot give back).
        string? receipt = null;
        if (participation is not null)
        {
            var code = BallotReceipts.Of(key, id, voter.HeadKey);
            if (await BallotReceipts.CountedAsync(db, id, BallotCounting.HashReceipt(code), ct) is not null) receipt = code;
        }
        return TypedResults.Ok(new MyVoteView(true, voter.Units, voter.Area, participation is not null,
            participation?.Channel, participation?.CastAt, participation?.OpenChoice,
            open && (participation is null || ballot.AllowRevote), receipt));
    }

    static async Task<Results<Ok<VoteReceipt>, ValidationProblem, ProblemHttpResult>> Cast(Guid id, CastVoteRequest request,
        [AsParameters] VoteServices services)
    {
        var (caller, db, key, clock, ct) = services;
        var (ballot, _) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        var voter = await BallotVoting.VoterAsync(db, ballot, caller.Id, caller.OwnerId, ct);
        if (voter is null)
            return Problems.Forbidden("notInElectorate", "您不在本次表决的表决权人名单中。", "You are not in this ballot's electorate.");
        return await BallotVoting.RecordAsync(db, key,
            new HeadVote(ballot, voter, request.Choice, VoteChannel.Online, caller.Id, caller.OwnerId, Receipt: request.Receipt), clock, ct);
    }

    static Task<Results<Ok<VoteEntered>, ValidationProblem, ProblemHttpResult>> Proxy(Guid id, [FromForm] Guid? ownerId, [FromForm] string? choice,
        [FromForm] string? proxyName, IFormFileCollection files, [AsParameters] VoteServices services) =>
        OnBehalfAsync(new EnteredVote(id, ownerId, choice, proxyName, files, "authorisation", VoteChannel.Proxy), services);

    static Task<Results<Ok<VoteEntered>, ValidationProblem, ProblemHttpResult>> Paper(Guid id, [FromForm] Guid? ownerId, [FromForm] string? choice,
        IFormFileCollection files, [AsParameters] VoteServices services) =>
        OnBehalfAsync(new EnteredVote(id, ownerId, choice, null, files, "sheet", VoteChannel.Paper), services);

    /// <summary>What the committee typed in for an owner, and the form field its attachments come in.</summary>
    sealed record EnteredVote(Guid Id, Guid? OwnerId, string? Choice, string? ProxyName, IFormFileCollection Files,
        string FileField, VoteChannel Channel);

    /// <summary>A vote the owners' committee enters for an owner: by a proxy (with the written authorisation) or from a paper ballot (with the
    /// scan).</summary>
    static async Task<Results<Ok<VoteEntered>, ValidationProblem, ProblemHttpResult>> OnBehalfAsync(EnteredVote entered, VoteServices services)
    {
        var (id, ownerId, choice, proxyName, files, fileField, channel) = entered;
        var (caller, db, key, clock, ct) = services;
        var (ballot, scope) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        if (!BallotAccess.MayEnterForOwners(caller, scope!.Path))
            return Problems.Forbidden("forbidden", "只有业委会可以录入委托投票和纸质选票。", "Only the owners' committee enters proxy and paper ballots.");
        if (!ballot.IsOwnersVote)
            return Problems.Conflict("membersVoteInPerson", "成员会议的表决须由出席成员本人进行。", "Members of a meeting vote in person.");
        var errors = new FieldErrors();
        if (ownerId is null) errors.Add("ownerId", "请指定业主。", "Name the owner.");
        if (channel == VoteChannel.Proxy) errors.Required("proxyName", proxyName, "受托人姓名", "The proxy's name");
        if (errors.Any) return errors.ToProblem();
        var voter = await BallotVoting.VoterAsync(db, ballot, null, ownerId, ct);
        if (voter is null) return Problems.BadRequest("notInElectorate", "该业主不在本次表决的名册中。", "That owner is not in this ballot's electorate.");

        var participationId = Guid.CreateVersion7(clock.GetUtcNow());
        var (attachments, fileErrors) = await Uploads.ReadAsync(files, fileField, FileKinds.ImagesOrPdf, 3, AttachmentOwner.BallotParticipation,
            participationId, caller.Id, clock.GetUtcNow(), ct);
        if (fileErrors.Any) return fileErrors.ToProblem();
        db.Attachments.AddRange(attachments);
        var recorded = await BallotVoting.RecordAsync(db, key,
            new HeadVote(ballot, voter, choice, channel, caller.Id, ownerId, ProxyName: proxyName?.Trim(),
            ParticipationId: participationId), clock, ct);
        // The receipt is the owner's: the member who typed the ballot in gets where to print the owner's slip, not the code.
        return recorded.Result switch
        {
            Ok<VoteReceipt> { Value: { } ok } => TypedResults.Ok(new VoteEntered(ballot.Id, channel, ok.Choice, ok.Units, ok.Area,
                $"/api/ballots/{ballot.Id}/slips/{participationId}")),
            ValidationProblem invalid => invalid,
            ProblemHttpResult problem => problem,
            var other => throw new InvalidOperationException($"Unexpected result {other.GetType().Name}."),
        };
    }

    /// <summary>
    /// The slip the committee prints for an owner whose proxy or paper ballot it entered: the owner's receipt code and how
    /// to check it. The code lets its holder check that the head's vote was counted and nothing else.
    /// </summary>
    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Slip(Guid id, Guid participationId, [AsParameters] VoteServices services)
    {
        var (caller, db, key, _, ct) = services;
        var (ballot, scope) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        if (!BallotAccess.MayEnterForOwners(caller, scope!.Path))
            return Problems.Forbidden("forbidden", "只有业委会可以打印委托投票和纸质选票的回执单。",
                "Only the owners' committee prints the slips of proxy and paper ballots.");
        var participation = await db.BallotParticipations.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Id == participationId && p.BallotId == id && p.Channel != VoteChannel.Online, ct);
        if (participation is null) return Problems.NotFound("回执单", "slip");
        var units = await db.BallotUnits.AsNoTracking().Where(u => u.BallotId == id && u.HeadKey == participation.HeadKey)
            .Select(u => u.Number).ToListAsync(ct);
        var pdf = VoteSlip.Render(ballot, units.Order(StringComparer.Ordinal).ToList(), participation.Channel,
            participation.ProxyName, participation.CastAt,
            BallotReceipts.Of(key, id, participation.HeadKey));
        return TypedResults.File(pdf, "application/pdf", $"vote-slip-{participation.Id:N}.pdf");
    }


    static async Task<Results<Ok<List<BallotParticipantView>>, ProblemHttpResult>> Participation(Guid id, Caller caller,
        DeliberateDbContext db, CancellationToken ct)
    {
        var (ballot, scope) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        // Who voted, for all who see the ballot; what they chose, on a named ballot, only after the close and to those entitled (BallotAccess).
        var choices = await BallotAccess.MaySeeChoicesAsync(db, caller, ballot, scope!.Path, ct);
        // The votes heads replaced, for the staff over the scope (the owners' committee among them); never a secret ballot's choice, which is not
        // stored.
        var history = caller.IsStaffAt(scope!.Path)
            ? (await db.BallotVoteHistory.AsNoTracking().Where(h => h.BallotId == id).ToListAsync(ct)).OrderBy(h => h.ReplacedAt)
                .ToLookup(h => h.HeadKey)
            : null;
        var rows = await db.BallotParticipations.AsNoTracking().Where(p => p.BallotId == id).OrderBy(p => p.HeadKey).ToListAsync(ct);
        var units = await db.BallotUnits.AsNoTracking().Where(u => u.BallotId == id).ToListAsync(ct);
        var members = await db.BallotMembers.AsNoTracking().Where(m => m.BallotId == id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(p =>
        {
            var headUnits = units.Where(u => u.HeadKey == p.HeadKey).OrderBy(u => u.Number).ToList();
            var member = members.FirstOrDefault(m => BallotCounting.MemberHead(m.MemberKey) == p.HeadKey);
            return new BallotParticipantView(headUnits.Select(u => u.Number).ToList(), member?.Name,
                headUnits.Count > 0 ? headUnits.Sum(u => u.Area) : null,
                p.Channel, p.ProxyName, p.CastAt, choices ? p.OpenChoice : null, // a secret ballot stores none
                history?[p.HeadKey].Select(h =>
                    new VoteHistoryView(h.Channel, h.ProxyName, h.CastAt, h.ReplacedAt, choices ? h.OpenChoice : null)).ToList());
        }).ToList());
    }

    static async Task<Results<Ok<TallyRequest>, ProblemHttpResult>> Audit(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var (ballot, scope) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        if (ballot.Secret)
            return Problems.Conflict("secretBallot", "无记名表决不公开逐户选票，只公开结果、参与名单和回执码对应的选择。",
                "A secret ballot publishes no one's ballot, only the result, who took part and the choice of each receipt.");
        var input = await BallotCounting.InputAsync(db, ballot, ct);
        if (await BallotAccess.MaySeeChoicesAsync(db, caller, ballot, scope!.Path, ct)) return TypedResults.Ok(input);
        if (ballot.Status != BallotStatus.Open)
            return ballot.IsOwnersVote
                ? Problems.Forbidden("choicesForOwners", "表决票只供本物业管理区域的业主查阅；其他人可以查看表决结果。",
                    "The ballots are for the estate's owners to inspect; others see the result.")
                // A member vote's ballots are for the meeting's members (and its staff), not the estate's owners.
                : Problems.Forbidden("choicesForMembers", "成员表决的表决票只供本次会议的成员和会议组织者查阅；其他人可以查看表决结果。",
                    "A member vote's ballots are for the meeting's members and its organisers to inspect; others see the result.");
        // While the ballot is open: its rule and electorate, never a choice (nobody sees running counts).
        return TypedResults.Ok(input with { Ballots = [] });
    }

    static async Task<Results<Ok<BallotView>, ProblemHttpResult>> Close(Guid id, Caller caller, DeliberateDbContext db, WorkflowEngine engine,
        TimeProvider clock, CancellationToken ct)
    {
        var (ballot, scope) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        if (!caller.IsStaffAt(scope!.Path)) return Problems.Forbidden("forbidden", "只有会议主持方可以结束表决。", "Only the meeting's staff can end the vote.");
        if (ballot.IsOwnersVote)
            return Problems.Conflict("closesAtDeadline", "业主表决在公告的截止时间结束，不能提前结束。",
                "An owners' vote ends at its announced deadline; it cannot be ended early.");
        if (ballot.Status == BallotStatus.Closed) return Problems.Conflict("closed", "表决已经结束。", "The ballot is already closed.");
        await BallotCounting.CloseAsync(db, engine, id, caller.Actor, clock, ct);
        return TypedResults.Ok(await BallotViews.OneAsync(db,
            (await db.Ballots.AsNoTracking().FirstAsync(b => b.Id == id, ct)), clock.GetUtcNow(), ct));
    }

    /// <summary>
    /// The published choices of a closed ballot: receipt hashes (sorted) with their choices, so anyone can count the heads
    /// and each owner find their own; the area per choice only as totals — per-receipt areas would name owners of unusual units.
    /// </summary>
    static async Task<Results<Ok<PublishedChoices>, ProblemHttpResult>> Published(Guid id, Caller caller,
        DeliberateDbContext db, CancellationToken ct)
    {
        var (ballot, _) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        if (ballot.Status != BallotStatus.Closed)
            return Problems.Conflict("ballotNotClosed", "表决结束后才公布各回执码对应的选择。", "The choice of each receipt is published when the ballot closes.");
        var receipts = await db.BallotChoices.AsNoTracking().Where(c => c.BallotId == id)
            .Select(c => new PublishedChoice(c.ReceiptHash, c.Choice)).ToListAsync(ct);
        var result = ballot.ResultJson is null ? null : JsonNode.Parse(ballot.ResultJson);
        var totals = new JsonObject();
        foreach (var choice in BallotVoting.Choices) totals[choice] = result?[choice]?.DeepClone();
        return TypedResults.Ok(new PublishedChoices(id, receipts.OrderBy(r => r.ReceiptHash, StringComparer.Ordinal).ToList(), totals));
    }

    /// <summary>Counted? And, once the ballot has closed and its choices are published, the choice the receipt was counted as.</summary>
    static async Task<Ok<JsonObject>> CheckReceipt(Guid id, string code, DeliberateDbContext db, CancellationToken ct)
    {
        var counted = await BallotReceipts.CountedAsync(db, id, BallotCounting.HashReceipt(code), ct);
        return TypedResults.Ok(new JsonObject
        {
            ["ballotId"] = id.ToString(), ["counted"] = counted is not null, ["choice"] = counted is { Published: true } entry ? entry.Choice : null,
        });
    }

}
