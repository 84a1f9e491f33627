using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Matters;
using Deliberate.Server.Notices;
using Deliberate.Server.Organisation;
using Deliberate.Server.Ratings;
using Deliberate.Server.Voting;
using Deliberate.Server.WorkflowHosting;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Minutes;

/// <summary>The ballot result notice and the matter closing report, built from the stored ballot and matter.</summary>
public static class PostedDocuments
{
    /// <summary>A closed ballot's result notice; the posting period is its result notice's (公示), else 7 days from closing.</summary>
    public static async Task<BallotNoticeDocument> BallotNoticeAsync(DeliberateDbContext db, Ballot ballot, bool english, CancellationToken ct)
    {
        var result = MeetingMinutes.StoredResult(ballot);
        var vote = MeetingMinutes.Vote(ballot, english);
        var communityId = await BallotCounting.CommunityOfAsync(db, ballot.OrgUnitId, ct);
        var community = await db.OrgUnits.AsNoTracking().Where(o => o.Id == communityId).Select(o => o.Name).FirstAsync(ct);
        var closedAt = ChinaTime.Local(ballot.ClosedAt ?? ballot.ClosesAt);
        var notice = await db.Notices.AsNoTracking().Where(n => n.BallotId == ballot.Id && n.Kind == NoticeKind.BallotResult)
            .OrderBy(n => n.PostedAt).FirstOrDefaultAsync(ct);
        var postingStart = notice?.FirstDay ?? ChinaTime.Today(closedAt);
        var postingEnd = notice?.LastDay ?? postingStart.AddDays(6); // the notice's own inclusive days (Notice.LastDay)
        var owners = ballot.IsOwnersVote;
        // The body that really organised it: the owners' committee, or the residents' committee under the street's guidance.
        var issuer = ballot.OrganiserBody switch
        {
            OrganiserBody.OwnersCommittee => english ? $"Owners' Committee, {community}" : community + "业主委员会",
            OrganiserBody.ResidentsCommitteeUnderStreetGuidance => english ? $"Residents' Committee, {community}" : community + "居民委员会",
            _ => community,
        };
        string? organiser = null;
        if (ballot.OrganiserBody is { } body)
        {
            organiser = english ? BallotTiming.BodyName(body).En + (ballot.OrganiserName is { Length: > 0 } n ? $" ({n})" : "")
                : BallotTiming.OrganiserZh(ballot);
        }
        // Deemed consent: the real turnout and where the deemed counted, in words, after the thresholds.
        var thresholds = result.DeemedCounting is { } d ? [.. vote.Thresholds, BallotCounting.DeemedText(result, d, english)] : vote.Thresholds;
        return new BallotNoticeDocument(ballot.Title, vote.Rule, thresholds, ChinaTime.Local(ballot.OpensAt), closedAt,
            vote.Headcount, vote.Area, MeetingMinutes.Outcome(result.Outcome), postingStart, postingEnd, issuer, ChinaTime.Today(closedAt))
        {
            Organiser = organiser,
            AnnouncedOn = owners ? ChinaTime.Today(ballot.CreatedAt) : null,
            Note = ballot.Description,
            Kind = ProposalKinds.Label(ballot.Kind, english),
            Proposal = ballot.ProposalText is { } proposal
                ? (english ? DocumentLabels.English : DocumentLabels.Chinese).ProposalText(proposal, ballot.ProposedBy, ballot.ProposalCost) : null,
        };
    }

    /// <summary>
    /// A closed matter's report: its steps from the workflow's journal, the resolutions made about it with their
    /// work items, every work item, and the last rating round. Step names follow the current UI culture.
    /// </summary>
    public static async Task<ClosingReportDocument> ClosingReportAsync(DeliberateDbContext db, WorkflowPlans plans, Matter matter, OrgUnit grid,
        bool english, CancellationToken ct)
    {
        var closedAt = matter.ClosedAt
            ?? throw new MinutesRuleException("matterOpen", "事项尚未办结，还没有办结报告。", "The matter is not closed yet; it has no closing report.");
        var category = MatterCategories.All.FirstOrDefault(c => c.Code == matter.Category);
        var community = await db.OrgUnits.AsNoTracking().Where(o => o.Id == grid.ParentId).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? grid.Name;
        var building = matter.BuildingId is { } b
            ? await db.OrgUnits.AsNoTracking().Where(o => o.Id == b).Select(o => o.Name).FirstOrDefaultAsync(ct) : null;
        var place = string.Join(english ? ", " : "",
            new[] { community, grid.Name, building, matter.Location }.Where(s => !string.IsNullOrWhiteSpace(s)));

        var timeline = matter.WorkflowInstanceId is { } instanceId
            ? (await MatterTimeline.BuildAsync(db, plans, instanceId, matter, showRaiser: false, ct))
                .Select(e => new TimelineStep(ChinaTime.Local(e.At), e.Title, e.Actor?.Name ?? "", e.OutcomeLabel ?? "")).ToList()
            : [];

        var items = await db.WorkItems.AsNoTracking().Include(w => w.Updates).Where(w => w.MatterId == matter.Id)
            .OrderBy(w => w.CreatedAt).ToListAsync(ct);
        var resolutions = await (from r in db.Resolutions
                                 join a in db.AgendaItems on r.AgendaItemId equals a.Id
                                 where a.MatterId == matter.Id
                                 select r).AsNoTracking().ToListAsync(ct);
        string Status(WorkItem w) => w.Status switch
        {
            WorkItemStatus.Done => english ? "Done" : "已完成",
            WorkItemStatus.Overdue => english ? "Overdue" : "逾期",
            WorkItemStatus.InProgress => english ? "In progress" : "办理中",
            _ => english ? "Open" : "待办理",
        };
        DateOnly? DoneOn(WorkItem w) => w.DoneAt is { } at ? ChinaTime.Today(at) : null;
        ItemResult Result(WorkItem w)
        {
            var said = w.Updates.Where(u => u.Kind == WorkItemUpdateKind.Done).Select(u => u.Text).LastOrDefault();
            return new ItemResult(w.Title, w.ResponsibleUnit, ChinaTime.Today(w.Deadline),
                Status(w) + (string.IsNullOrWhiteSpace(said) ? "" : (english ? ": " : "：") + said), DoneOn(w));
        }
        var resolutionResults = resolutions.OrderBy(r => r.Id).Select(r =>
        {
            var work = items.Where(w => w.ResolutionId == r.Id).ToList();
            var done = work.Count > 0 && work.All(w => w.IsFinished);
            var result = work.Count == 0 ? (english ? "No work item" : "未派发工作事项") : string.Join(english ? "; " : "；", work.Select(Status).Distinct());
            return new ItemResult(r.Text, r.ResponsibleUnit, r.Deadline, result, done ? work.Max(w => DoneOn(w)) : null);
        }).ToList();

        var round = await db.RatingRounds.AsNoTracking().Where(r => r.MatterId == matter.Id && r.Status == RatingStatus.Closed)
            .OrderByDescending(r => r.Round).FirstOrDefaultAsync(ct);
        var rating = round is null ? new RatingSummary(0, 0, 0) : new RatingSummary(round.Satisfied, round.BasicallySatisfied, round.Dissatisfied);

        return new ClosingReportDocument(matter.Title, category.Code is null ? matter.Category : english ? category.En : category.Zh, place, timeline,
            resolutionResults, items.Select(Result).ToList(), rating, ChinaTime.Today(closedAt), community)
        {
            RaisedOn = ChinaTime.Today(matter.RaisedAt),
            Conclusion = matter.Resolution,
        };
    }
}
