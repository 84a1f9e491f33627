using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Files;
using Deliberate.Server.Identity;
using Deliberate.Server.Minutes;
using Deliberate.Server.Notices;
using Deliberate.Server.Organisation;
using Deliberate.Server.Ratings;
using Deliberate.Server.Voting;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Matters;

/// <summary>
/// Who reads a timeline. Government staff over the matter's grid read what was written into each task's form; everyone
/// else (the raiser, neighbours of a public matter, the property company) reads what happened and what was decided, and
/// a resident also their own rating — never the notes written for staff, who voted how, or other residents' ratings.
/// </summary>
public sealed record TimelineReader(bool SeesTaskForms, Guid? ResidentId, bool SeesPeople = true)
{
    public static readonly TimelineReader Staff = new(true, null);
    public static TimelineReader Resident(Guid id) => new(false, id);
    /// <summary>
    /// A resident reading a neighbour's public matter: the raiser is "居民" and staff are their public role (网格员),
    /// with no user ids — a public matter is about the problem, not about who complained.
    /// </summary>
    public static TimelineReader Neighbour(Guid id) => new(false, id, SeesPeople: false);
    /// <summary>A posted document (the closing report): what anybody may read.</summary>
    public static readonly TimelineReader Public = new(false, null);

    /// <summary>The one place that decides how a caller reads a matter's people (its view and its timeline).</summary>
    public static TimelineReader For(Caller caller, Matter matter, OrgUnit grid) =>
        MatterAccess.CanHandle(caller, grid) ? Staff
        : MatterAccess.SeesPeople(caller, matter, grid) ? Resident(caller.Id)
        : Neighbour(caller.Id);
}

/// <summary>
/// A matter's story as people read it: the steps from its workflow's journal, woven with what the steps produced — the
/// meeting's resolutions, the owners' vote result, the work's progress with its evidence photos, the posted notices
/// and the reader's own rating.
/// </summary>
public static class MatterTimeline
{
    public static async Task<IReadOnlyList<TimelineEntry>> BuildAsync(DeliberateDbContext db, WorkflowPlans plans, Guid instanceId,
        Matter matter, bool showRaiser, CancellationToken ct, TimelineReader? reader = null)
    {
        reader ??= TimelineReader.Public;
        var instance = await db.WorkflowInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, ct);
        if (instance is null) return [];
        var plan = await plans.GetAsync(db, instance.DefinitionId, instance.DefinitionVersion, ct);
        var journal = await db.WorkflowJournal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync(ct);
        var raiserId = matter.RaisedById.ToString();

        var publicRoles = reader.SeesPeople ? null : await PublicRolesAsync(db, matter, journal, ct);

        PersonView? Person(JournalRecord j)
        {
            if (j.ActorId is null || j.ActorId == Actor.System.Id) return new PersonView(null, Text.L("系统", "System"));
            if (j.ActorId == raiserId && (!showRaiser || !reader.SeesPeople))
                return new PersonView(null, matter.Anonymous ? MatterAccess.AnonymousName : MatterAccess.ResidentName);
            if (publicRoles is not null) return new PersonView(null, publicRoles.GetValueOrDefault(j.ActorId) ?? MatterAccess.ResidentName);
            return new PersonView(Guid.TryParse(j.ActorId, out var id) ? id : null, j.ActorName ?? "");
        }

        // A task is journaled when it starts waiting and again when it is done; a task done is told once, when it was done.
        var completedTasks = journal.Where(j => j.Event == JournalEvent.Resumed && j.ActivityType == nameof(HumanTask))
            .Select(j => (j.ActivityId, j.Sequence)).ToList();
        bool DoneLater(JournalRecord j) => completedTasks.Any(c => c.ActivityId == j.ActivityId && c.Sequence > j.Sequence);

        var entries = new List<TimelineEntry>();
        // A step and the task that carries it out often share their name (网格听事): the step's line is then folded into
        // the task's, so the story tells it once.
        (int Index, MatterStep Step)? pendingStep = null;
        foreach (var j in journal)
        {
            switch (j.Event)
            {
                case JournalEvent.WorkflowStarted:
                    entries.Add(new(j.At, "raised", Text.L("居民提事", "Matter raised"), "raise", null, null, Person(j), null));
                    break;
                case JournalEvent.Executed when j.ActivityType == "SetMatterStep":
                    var step = j.DataJson is null ? null : (string?)JsonNode.Parse(j.DataJson)?["step"];
                    if (step is not null && EnumCodes.TryParseCode<MatterStep>(step, out var s))
                    {
                        var text = s == MatterStep.Closed ? matter.Resolution : null;
                        var kind = s == MatterStep.Closed ? "closed" : "step";
                        entries.Add(new(j.At, kind, MattersApi.StepName(s), step, null, null, null, null, text));
                        pendingStep = s == MatterStep.Closed ? null : (entries.Count - 1, s);
                    }
                    break;
                case JournalEvent.Suspended when j.ActivityType == nameof(HumanTask) && !DoneLater(j):
                    entries.Add(new(j.At, "taskCreated", j.ActivityName ?? "", null, null, null, null, null));
                    break;
                case JournalEvent.Resumed when j.ActivityType == nameof(HumanTask):
                    var values = reader.SeesTaskForms && j.DataJson is not null ? JsonNode.Parse(j.DataJson)?["values"]?.DeepClone() : null;
                    var entry = new TimelineEntry(j.At, "taskCompleted", j.ActivityName ?? "", null, j.Outcome,
                        OutcomeLabel(plan, j.ActivityId, j.Outcome), Person(j), values);
                    // The workflows name their tasks in Chinese: the step's Chinese name is what to compare.
                    if (pendingStep is { } ps && MattersApi.StepNames(ps.Step).Zh == j.ActivityName)
                    {
                        entries[ps.Index] = entry with { Title = entries[ps.Index].Title, Step = entries[ps.Index].Step };
                        pendingStep = null;
                    }
                    else entries.Add(entry);
                    break;
                case JournalEvent.WorkflowFinished:
                    entries.Add(new(j.At, "finished", Text.L("流程结束", "Workflow finished"), null, null, null, null, null));
                    break;
                case JournalEvent.Cancelled:
                    entries.Add(new(j.At, "cancelled", Text.L("流程已取消", "Workflow cancelled"), null, null, null, Person(j), null));
                    break;
            }
        }

        entries.AddRange(await MeetingsAsync(db, matter.Id, reader, ct));
        entries.AddRange(await ResolutionsAsync(db, matter.Id, ct));
        entries.AddRange(await VotesAsync(db, matter.Id, ct));
        entries.AddRange(await WorkAsync(db, matter.Id, ct));
        entries.AddRange(await NoticesAsync(db, matter.Id, ct));
        if (reader.ResidentId is { } residentId) entries.AddRange(await OwnRatingsAsync(db, matter.Id, residentId, ct));
        // Stable: what happened at the same instant keeps the order it was added in (the journal's first).
        return entries.OrderBy(e => e.At).ToList();
    }

    /// <summary>Order of preference when one person holds several roles over the grid: the role residents know them by.</summary>
    static readonly Role[] PublicRoleOrder = [Role.GridWorker, Role.PartySecretary, Role.ResidentsCommittee, Role.StreetOfficer,
        Role.PropertyCompany, Role.OwnersCommittee, Role.DepartmentOfficer, Role.Admin];

    /// <summary>Each staff actor's public role over the matter's grid (网格员, 社区党组织书记, …), by the journal's actor id.</summary>
    static async Task<Dictionary<string, string>> PublicRolesAsync(DeliberateDbContext db, Matter matter, List<JournalRecord> journal,
        CancellationToken ct)
    {
        var ids = journal.Select(j => Guid.TryParse(j.ActorId, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var gridPath = await db.OrgUnits.AsNoTracking().Where(o => o.Id == matter.GridId).Select(o => o.Path).FirstAsync(ct);
        var grants = await (from r in db.UserRoles.AsNoTracking()
                            join o in db.OrgUnits.AsNoTracking() on r.OrgUnitId equals o.Id
                            where ids.Contains(r.UserId)
                            select new { r.UserId, r.Role, o.Path }).ToListAsync(ct);
        return grants.Where(g => gridPath.StartsWith(g.Path, StringComparison.Ordinal) && PublicRoleOrder.Contains(g.Role))
            .GroupBy(g => g.UserId)
            .ToDictionary(g => g.Key.ToString(), g =>
            {
                var (zh, en) = Roles.DisplayNames[g.OrderBy(x => Array.IndexOf(PublicRoleOrder, x.Role)).First().Role];
                return Text.L(zh, en);
            });
    }

    /// <summary>
    /// Each meeting that sat on this matter: its name, when it actually sat (it may open early or after a reschedule — the
    /// step's line only says when the matter reached 社区议事) and each motion about the matter with its proposer and fate,
    /// in the minutes' words. A reader who does not see people (a neighbour) reads the motions without their proposers.
    /// </summary>
    static async Task<IEnumerable<TimelineEntry>> MeetingsAsync(DeliberateDbContext db, Guid matterId, TimelineReader reader,
        CancellationToken ct)
    {
        var meetings = await db.Meetings.AsNoTracking().Include(m => m.Agenda).ThenInclude(a => a.Motions)
            .Where(m => m.OpenedAt != null && m.ClosedAt != null && m.Agenda.Any(a => a.MatterId == matterId)).ToListAsync(ct);
        var motions = meetings.SelectMany(m => m.Agenda).Where(a => a.MatterId == matterId).SelectMany(a => a.Motions).ToList();
        var fates = await MotionFates.OfAsync(db, motions, ct);
        return meetings.Select(m => new TimelineEntry(m.ClosedAt!.Value, "meeting", Text.L("召开会议", "Meeting held"), null, null,
            m.Title, null, null, Meeting: new TimelineMeeting(m.Id, m.Title, m.OpenedAt!.Value, m.ClosedAt!.Value,
                m.Agenda.Where(a => a.MatterId == matterId).OrderBy(a => a.Order).SelectMany(a => a.Motions)
                    .OrderBy(x => x.CreatedAt).ThenBy(x => x.Id)
                    .Select(x => new TimelineMotion(x.Text, reader.SeesPeople ? x.ProposedBy : null, fates[x.Id].Fate.Code(),
                        Text.L(fates[x.Id].NameZh, fates[x.Id].NameEn))).ToList())));
    }

    /// <summary>What the meeting decided about this matter, each with who does it and by when (the parties' remarks stay in the minutes).</summary>
    static async Task<IEnumerable<TimelineEntry>> ResolutionsAsync(DeliberateDbContext db, Guid matterId, CancellationToken ct)
    {
        var rows = await (from r in db.Resolutions
                          join a in db.AgendaItems on r.AgendaItemId equals a.Id
                          join m in db.Meetings on r.MeetingId equals m.Id
                          where a.MatterId == matterId
                          select new { r.Id, r.Text, r.ResponsibleUnit, r.Deadline, m.Title, m.StartsAt, m.ClosedAt }).AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(r => r.Id).Select(r => new TimelineEntry(r.ClosedAt ?? r.StartsAt, "resolution", Text.L("会议议定", "The meeting decided"),
            null, null, r.Title, null, null, $"{r.Text}（{r.ResponsibleUnit}）", DueDate: r.Deadline));
    }

    /// <summary>The owners' vote once counted: the outcome and the figures by heads and by area. Nobody's choice.</summary>
    static async Task<IEnumerable<TimelineEntry>> VotesAsync(DeliberateDbContext db, Guid matterId, CancellationToken ct)
    {
        var ballots = await db.Ballots.AsNoTracking()
            .Where(b => b.MatterId == matterId && b.Status == BallotStatus.Closed && b.ResultJson != null).ToListAsync(ct);
        return ballots.OrderBy(b => b.ClosedAt).Select(b =>
        {
            var r = MeetingMinutes.StoredResult(b);
            var (zh, en) = BallotCounting.OutcomeName(r.Outcome, members: r.Totals.Area is null);
            string Figures(Figures f, bool english) => f.Area is { } area
                ? english ? $"{f.Headcount} heads, {area:0.##} m²" : $"{f.Headcount} 人、{area:0.##} 平方米"
                : english ? $"{f.Headcount} heads" : $"{f.Headcount} 人";
            var text = Text.L(
                $"应参与 {Figures(r.Totals, false)}；参与 {Figures(r.Participating, false)}；同意 {Figures(r.Agree, false)}；"
                + $"反对 {Figures(r.Disagree, false)}；弃权 {Figures(r.Abstain, false)}",
                $"Eligible {Figures(r.Totals, true)}; took part {Figures(r.Participating, true)}; agree {Figures(r.Agree, true)}; "
                + $"disagree {Figures(r.Disagree, true)}; abstain {Figures(r.Abstain, true)}");
            return new TimelineEntry(b.ClosedAt ?? b.ClosesAt, "vote", Text.L("业主表决结果", "Owners' vote result"), null,
                r.Outcome.Code(), Text.L(zh, en), null, null, text);
        });
    }

    /// <summary>The work's progress as its unit reported it, with the evidence photos; who at the unit typed it is not the point.</summary>
    static async Task<IEnumerable<TimelineEntry>> WorkAsync(DeliberateDbContext db, Guid matterId, CancellationToken ct)
    {
        var items = await db.WorkItems.AsNoTracking().Include(w => w.Updates).Where(w => w.MatterId == matterId).ToListAsync(ct);
        var updateIds = items.SelectMany(w => w.Updates).Select(u => u.Id).ToList();
        var photos = (await db.Attachments.AsNoTracking()
                .Where(p => p.OwnerKind == AttachmentOwner.WorkItemUpdate && updateIds.Contains(p.OwnerId))
                .OrderBy(p => p.UploadedAt).Select(p => new { p.Id, p.OwnerId, p.FileName, p.ContentType, p.Size }).ToListAsync(ct))
            .ToLookup(p => p.OwnerId);
        var entries = new List<TimelineEntry>();
        foreach (var w in items)
        {
            foreach (var u in w.Updates.Where(u => u.Kind is WorkItemUpdateKind.Created or WorkItemUpdateKind.Progress or WorkItemUpdateKind.Done))
            {
                var shots = photos[u.Id].Select(p => new PhotoView(p.Id, p.FileName, p.ContentType, p.Size,
                    $"/api/work-items/{w.Id}/updates/{u.Id}/photos/{p.Id}")).ToList();
                var (kind, title) = u.Kind switch
                {
                    WorkItemUpdateKind.Created => ("workStarted", Text.L("开始办理", "Work assigned")),
                    WorkItemUpdateKind.Done => ("workDone", Text.L("办理完成", "Work done")),
                    _ => ("workProgress", Text.L("办理进展", "Progress")),
                };
                var text = string.IsNullOrWhiteSpace(u.Text) || u.Kind == WorkItemUpdateKind.Created ? w.Title : u.Text;
                var onTime = u.Kind == WorkItemUpdateKind.Done ? Text.L(u.At <= w.Deadline ? "按期完成" : "逾期完成",
                    u.At <= w.Deadline ? "Done on time" : "Done late") : null;
                entries.Add(new TimelineEntry(u.At, kind, title, null, null, onTime ?? w.ResponsibleUnit, null, null, text,
                    shots.Count > 0 ? shots : null, u.Kind == WorkItemUpdateKind.Created ? ChinaTime.DueDay(w.Deadline) : null));
            }
        }
        return entries;
    }

    /// <summary>What was posted about the matter (议定事项公示 and the like), with its text.</summary>
    static async Task<IEnumerable<TimelineEntry>> NoticesAsync(DeliberateDbContext db, Guid matterId, CancellationToken ct) =>
        (await db.Notices.AsNoTracking().Where(n => n.MatterId == matterId).ToListAsync(ct)).OrderBy(n => n.PostedAt)
            .Select(n => new TimelineEntry(n.PostedAt, "notice", n.Title, null, null, Text.L("已公示", "Posted"), null, null, n.Body,
                DueDate: ChinaTime.DueDay(n.PostedUntil)));

    /// <summary>The reader's own ratings of the matter (another resident's stay theirs).</summary>
    static async Task<IEnumerable<TimelineEntry>> OwnRatingsAsync(DeliberateDbContext db, Guid matterId, Guid residentId, CancellationToken ct)
    {
        var rows = await (from r in db.Ratings
                          join round in db.RatingRounds on r.RoundId equals round.Id
                          where round.MatterId == matterId && r.UserId == residentId
                          select r).AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(r => r.At).Select(r => new TimelineEntry(r.At, "rating", Text.L("我的评价", "My rating"), null,
            r.Choice.Code(),
            RatingsApi.ChoiceName(r.Choice), null, null, r.Comment));
    }

    static string? OutcomeLabel(WorkflowPlan? plan, string? activityId, string? outcome)
    {
        if (plan is null || activityId is null || outcome is null || !plan.Contains(activityId)) return outcome;
        if (plan[activityId].Inputs.GetValueOrDefault("outcomes") is not List<TaskOutcome> outcomes) return outcome;
        var match = outcomes.FirstOrDefault(o => o.Name == outcome);
        return match is null ? outcome : Text.L(match.Label ?? match.Name, match.LabelEn ?? match.Label ?? match.Name);
    }
}
