using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Meetings;
using Deliberate.Server.Organisation;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>
/// 民主定事: opens a ballot under a rule and waits until it closes (at its deadline for owners' votes; when
/// the chair ends a member vote), then goes out by the outcome. The electorate is a scope's units (owners'
/// votes) or the members present at a meeting (member votes).
/// </summary>
[Activity("Vote", "Voting", "表决", "Vote",
    DescriptionZh = "按表决规则发起投票（业主按民法典第二百七十八条，或会议成员），截止后按结果走“通过”“未通过”或“未形成决定”。",
    DescriptionEn =
        "Opens a vote under a rule (owners under Civil Code Art. 278, or a meeting's members) and goes out by passed, rejected or no decision once "
            + "it closes.")]
[Outcome("passed", "通过", "Passed")]
[Outcome("rejected", "未通过", "Rejected")]
[Outcome("noDecision", "未形成决定", "No decision")]
public sealed class Vote(DeliberateDbContext db, IConfiguration config) : Activity
{
    [Input("表决事项", "Title", UiHint = UiHints.Template, Required = true)]
    public string Title { get; set; } = "";

    [Input("说明", "Description", UiHint = UiHints.Template)]
    public string? Description { get; set; }

    [Input("表决规则", "Rule", UiHint = UiHints.Select, Required = true,
        Options = [TallyRules.CivilCode278Ordinary, TallyRules.CivilCode278Major, TallyRules.OwnersCommittee, TallyRules.ResidentsMeeting,
        TallyRules.RepresentativesMeeting])]
    public string Rule { get; set; } = TallyRules.CivilCode278Ordinary;

    [Input("事项类别", "Kind", UiHint = UiHints.Select,
        Options = [ProposalKinds.RulesOfProcedure, ProposalKinds.ManagementStatute, ProposalKinds.OwnersCommittee, ProposalKinds.PropertyService,
            ProposalKinds.FundUse, ProposalKinds.FundRaising, ProposalKinds.Rebuilding, ProposalKinds.CommonPartsUse, ProposalKinds.OtherMajor],
        DescriptionZh = "业主表决必填：民法典第二百七十八条第一款所列事项类别；筹集维修资金、改建重建、改变共有部分用途须用重大事项规则",
        DescriptionEn =
            "Required for owners' votes: the kind of matter under Civil Code Art. 278 ¶1; raising the fund, rebuilding and changing the use of "
                + "common parts need the major rule")]
    public string? Kind { get; set; }

    [Input("事项类别取自", "Kind from", UiHint = UiHints.Script,
        DescriptionZh = "业主表决：给出事项类别的 JavaScript 表达式，如决策任务表单所选的 variables.decisionMode.values.kind；有值时取代“事项类别”。"
            + "所选类别须用重大事项规则（民法典或本小区议事规则）而本节点为一般事项规则的，按重大事项规则表决",
        DescriptionEn = "Owners' votes: a JavaScript expression giving the kind, e.g. the deciding task's choice variables.decisionMode.values.kind; "
            + "when it gives one it replaces Kind. A kind that needs the major rule (by law or the community's rules of procedure) chosen for a "
            + "node with the ordinary rule is voted on under the major rule")]
    public string? KindFrom { get; set; }

    [Input("表决范围", "Scope", UiHint = UiHints.Script,
        DescriptionZh = "业主表决：组织节点 id 的 JavaScript 表达式，默认 variables.communityId",
        DescriptionEn = "Owners' votes: a JavaScript expression giving the organisation node; default variables.communityId")]
    public string? Scope { get; set; }

    [Input("会议", "Meeting", UiHint = UiHints.Script,
        DescriptionZh = "成员表决：会议 id 的 JavaScript 表达式，如 variables.deliberation.meetingId",
        DescriptionEn = "Member votes: a JavaScript expression giving the meeting id, e.g. variables.deliberation.meetingId")]
    public string? Meeting { get; set; }

    [Input("表决期限", "Duration", UiHint = UiHints.Duration,
        DescriptionZh = "投票期，默认 7 天；业主表决自公告期满（至少15日）起算，且不少于系统设置的最短投票天数",
        DescriptionEn =
            "How long voting stays open, an ISO 8601 duration; default P7D. Owners' votes open when the notice period (at least 15 days) has run and "
                + "stay open at least Voting:MinimumVotingDays")]
    public TimeSpan? Duration { get; set; }

    [Input("无记名投票", "Secret ballot", UiHint = UiHints.Checkbox)]
    public bool Secret { get; set; }

    [Input("允许改票", "Allow changing a vote", UiHint = UiHints.Checkbox)]
    public bool AllowRevote { get; set; }

    [Input("结果存入变量", "Store result in", UiHint = UiHints.Variable)]
    public string? OutputVariable { get; set; }

    /// <summary>
    /// The kind the person deciding chose (<see cref="KindFrom"/>), else the definition's; and the rule the kind decides: the person
    /// states the kind, and a kind under the major rule is voted on under it even from the ordinary branch (docs/workflow-format.md).
    /// </summary>
    (string? Kind, string Rule) KindAndRule(ActivityContext context, IReadOnlyCollection<string> raisedToMajor)
    {
        var chosen = string.IsNullOrWhiteSpace(KindFrom) ? null
            : context.Evaluate(KindFrom) is JsonValue v && v.TryGetValue(out string? text) && !string.IsNullOrWhiteSpace(text) ? text : null;
        if (chosen is null) return (Kind, Rule);
        var major = ProposalKinds.Find(chosen) is { } k && (k.Major || raisedToMajor.Contains(k.Code));
        return (chosen, major && Rule == TallyRules.CivilCode278Ordinary ? TallyRules.CivilCode278Major : Rule);
    }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var now = context.Now;
        var matterId = Guid.TryParse(context.GetVariable("matterId")?.GetValue<string>(), out var m) ? m : (Guid?)null;
        var owners = BallotCounting.IsOwnersRule(Rule, null);
        if (matterId is { } mid)
        {
            var matter = await db.Matters.FirstOrDefaultAsync(x => x.Id == mid, ct)
                ?? throw new InvalidOperationException($"Matter {mid} does not exist.");
            await (await InstanceScope.OfAsync(db, context)).EnsureMatterAsync(db, matter, InstanceScope.OpenVote, ct);
        }
        var title = context.Render(Title);
        Ballot ballot;
        if (owners)
        {
            var scopeId = GuidOf(context.Evaluate(string.IsNullOrWhiteSpace(Scope) ? "variables.communityId" : Scope), "scope");
            var scope = await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == scopeId, ct)
                ?? throw new InvalidOperationException($"No organisation node {scopeId}.");
            (await InstanceScope.OfAsync(db, context))
                .EnsurePlace(scope, InstanceScope.OpenVote, caller => BallotAccess.MayOpenOwnersVote(caller, scope.Path));
            var community = await BallotCounting.CommunityOfAsync(db, scope.Id, ct);
            var procedure = await RulesOfProcedure.CurrentAsync(db, community, ct);
            // The same law as POST /api/ballots: the kind decides the least rule; the ballot is announced now and opens when the
            // notice period has run; the voting period is at least Voting:MinimumVotingDays. A definition that asks otherwise faults.
            var (kind, rule) = KindAndRule(context, procedure?.RaisedKinds ?? []);
            if (ProposalKinds.Fault(kind, rule, null, procedure?.RaisedKinds ?? []) is { } refused)
                throw new DomainRuleException(refused.Code, refused.MessageZh, refused.MessageEn);
            var (_, opensAt) = await BallotTiming.NoticeAsync(db, community, now, ct);
            var closesAt = opensAt + (Duration ?? TimeSpan.FromDays(7));
            if (BallotTiming.VotingPeriodFault(config, opensAt, closesAt) is { } tooShort)
                throw new DomainRuleException("votingPeriodTooShort", tooShort.Zh, tooShort.En);
            // The organiser by the API's rule: the owners' committee where the community has one — named by the body alone when whoever
            // completed the step (the secretary) is not of it — else the residents' committee under the street's guidance.
            var communityUnit = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == community, ct);
            var organiser = await BallotTiming.OwnersOrganiserAsync(db, communityUnit, scope, CreatorOf(context), context.Actor.Name, now, ct);
            // The owners vote on what the meeting proposed (issue 17 §4), not on the matter's title: the last motion recorded on the
            // matter at a closed meeting and not yet put to a vote; without one, the definition's description is the proposal.
            var motion = matterId is { } forMatter ? await MeetingMotionAsync(forMatter, ct) : null;
            var description = Render(context, Description);
            var proposal = motion is not null
                ? new BallotProposal(motion.Text, motion.Reason ?? description, motion.Cost, motion.ProposedBy, motion.Id)
                : description is null ? null : new BallotProposal(description, null, null, null, null);
            ballot = new Ballot(context.NewId(), scope.Id, title, Render(context, Description), rule, null, Secret, AllowRevote,
                procedure?.DeemedConsent ?? false,
                opensAt, closesAt, null, null, matterId, CreatorOf(context), now, kind,
                procedure is null ? null : new DeemedCounting(procedure.DeemedCountsTowardParticipation, procedure.DeemedCountsTowardThreshold),
                organiser.Body, organiser.Name, proposal);
            motion?.PutToVote(ballot.Id);
            db.Notices.Add(BallotAnnouncement.Notice(ballot, community, now));
            // A ballot announced in the committee's name by a workflow step: all its members must hear of it (issue 17).
            if (organiser.Body == OrganiserBody.OwnersCommittee)
                await BallotNotifications.AnnouncedForCommitteeAsync(db, ballot, community, now, ct);
            var units = await BallotCounting.SnapshotAsync(db, ballot.Id, scope, ct);
            if (units.Count == 0) throw new InvalidOperationException($"There are no units under {scope.Name} to vote.");
        }
        else
        {
            var meetingId = GuidOf(context.Evaluate(Meeting ?? "null"), "meeting");
            var meeting = await db.Meetings.Include(x => x.Participants).FirstOrDefaultAsync(x => x.Id == meetingId, ct)
                ?? throw new InvalidOperationException($"No meeting {meetingId}.");
            var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == meeting.OrgUnitId, ct);
            (await InstanceScope.OfAsync(db, context))
                .EnsurePlace(community, InstanceScope.OpenVote, caller => BallotAccess.MayOpenMemberVote(caller, community.Path));
            // The body decides the rule, as for POST /api/ballots: a definition naming another one fails rather than count by it.
            var bodyRule = MeetingVotes.MemberRule(meeting.Type);
            if (bodyRule != Rule)
                throw new MeetingRuleException("ruleOfBody",
                    $"{Meetings.Meeting.Describe(meeting.Type).Zh}的表决不能按规则 {Rule} 进行（{(bodyRule is null ? "该会议不进行成员表决" : "只能按 " + bodyRule)}）。",
                    $"A vote of a {Meetings.Meeting.Describe(meeting.Type).En} cannot count by {Rule} "
                        + $"({(bodyRule is null ? "it takes no member vote" : "only by " + bodyRule)}).");
            meeting.EnsureQuorum(); // no quorum, no vote, as for POST /api/ballots: the instance faults with quorumNotMet naming who is present
            ballot = new Ballot(context.NewId(), meeting.OrgUnitId, title, Render(context, Description), Rule, null, Secret, AllowRevote, false,
                now, now + (Duration ?? TimeSpan.FromHours(2)), meeting.Id, null, matterId, CreatorOf(context), now);
            db.BallotMembers.AddRange(meeting.Participants.Where(p => p.Role == ParticipantRole.Member)
                .Select(p => new BallotMember(ballot.Id, p.Id.ToString("N"), p.Name, p.UserId, p.Attendance == Attendance.Present)));
        }
        db.Ballots.Add(ballot);
        if (ballot.Status == BallotStatus.Open) await BallotNotifications.OpenedAsync(db, ballot, now, ct);
        var (id, opens, closes) = (ballot.Id, ballot.OpensAt, ballot.ClosesAt);
        // Both once the instance's changes are committed, as the API does after its SaveChanges; the opening tells the voters.
        if (ballot.Status == BallotStatus.Announced) context.ScheduleDeadline(BallotCounting.OpeningKind, id, opens);
        context.ScheduleDeadline(BallotCounting.DeadlineKind, id, closes);
        context.JournalData = new JsonObject
        {
            ["ballotId"] = id.ToString(), ["status"] = ballot.Status == BallotStatus.Announced ? "announced" : "open",
            ["opensAt"] = opens.ToString("O", CultureInfo.InvariantCulture), ["closesAt"] = closes.ToString("O", CultureInfo.InvariantCulture),
        };
        return ActivityResult.Wait(DomainEvents.Await(DomainEvents.BallotClosed, id, new JsonObject { ["ballotId"] = id.ToString() }));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        var outcome = payload?["outcome"]?.GetValue<string>() ?? "noDecision";
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, payload);
        context.JournalData = payload?.DeepClone();
        return new(ActivityResult.Done(outcome));
    }

    /// <summary>The matter's latest motion at a closed meeting that no ballot has taken yet (tracked: the ballot takes it).</summary>
    async Task<Motion?> MeetingMotionAsync(Guid matterId, CancellationToken ct)
    {
        // Two plain queries: the motions nested under the agenda need APPLY, which SQLite lacks; DateTimeOffset is ordered here, as
        // SQLite cannot order by it.
        var items = await db.Meetings.AsNoTracking()
            .Where(m => m.State == MeetingState.Closed || m.State == MeetingState.MinutesApproved)
            .Join(db.AgendaItems.Where(a => a.MatterId == matterId), m => m.Id, a => a.MeetingId, (m, a) => new { a.Id, m.StartsAt })
            .ToDictionaryAsync(a => a.Id, a => a.StartsAt, ct);
        var itemIds = items.Keys.ToList();
        var candidates = await db.Motions.AsNoTracking().Where(x => itemIds.Contains(x.AgendaItemId) && x.BallotId == null && x.WithdrawnAt == null)
            .Select(x => new { x.Id, x.AgendaItemId, x.CreatedAt }).ToListAsync(ct);
        var latest = candidates.OrderByDescending(c => items[c.AgendaItemId]).ThenByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .FirstOrDefault();
        return latest is null ? null : await db.Motions.FirstAsync(m => m.Id == latest.Id, ct);
    }

    /// <summary>The user whose action ran the step (Guid.Empty when the system did, e.g. a timer).</summary>
    static Guid CreatorOf(ActivityContext context) => Guid.TryParse(context.Actor.Id, out var id) ? id : Guid.Empty;

    static string? Render(ActivityContext context, string? template) => string.IsNullOrEmpty(template) ? null : context.Render(template);

    static Guid GuidOf(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue(out string? text) && Guid.TryParse(text, out var id)
            ? id : throw new InvalidOperationException($"The vote's {what} expression did not give an id.");
}
