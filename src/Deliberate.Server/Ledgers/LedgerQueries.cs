using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Meetings;
using Deliberate.Server.Organisation;
using Deliberate.Server.Tasks;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Ledgers;

/// <summary>
/// The filters of a ledger: the rows under <see cref="Node"/> (else under the caller's whole staff scope), whose date lies in
/// [<see cref="From"/>, <see cref="To"/>), in a status (a code of the ledger's own, checked by <see cref="LedgerKinds"/>).
/// </summary>
public sealed record LedgerFilter(OrgUnit? Node, DateTimeOffset? From, DateTimeOffset? To, string? Status);

/// <summary>
/// The rows of each ledger, read in batches: first the ordered keys of the rows in scope (a few bytes each), then the rows and what
/// they need, <see cref="BatchSize"/> at a time, with no change tracking — so a 20,000-matter export never holds the table.
/// Each ledger starts from its list's own scope query (<c>*Access.VisibleAsync</c>) and narrows it to the staff scope or the
/// chosen node with <see cref="OrgScopes"/>.
/// </summary>
public static class LedgerQueries
{
    public const int BatchSize = 500;

    /// <summary>The paths the rows must lie under: the chosen node, else everything the caller is staff at.</summary>
    static IReadOnlyList<string> Roots(Caller caller, LedgerFilter filter) =>
        filter.Node is { } node ? [node.Path] : caller.StaffPaths.Distinct().ToList();

    static string Time(DateTimeOffset? at) => at is { } t ? ChinaTime.Minutes(t) : "";
    static string YesNo(bool value) => value ? "是" : "否";

    /// <summary>The names of the nodes under the roots (buildings aside), for the place columns.</summary>
    static async Task<Dictionary<Guid, OrgUnit>> UnitsAsync(DeliberateDbContext db, IReadOnlyList<string> roots, CancellationToken ct) =>
        await db.OrgUnits.AsNoTracking().Where(o => o.Level != OrgLevel.Building).Under(roots).ToDictionaryAsync(o => o.Id, ct);

    // ---- 民情台账 ----

    public static readonly IReadOnlyList<string> MatterStatuses = ["raise", "hear", "deliberate", "decide", "execute", "rate", "closed"];

    public static async IAsyncEnumerable<MatterLedgerRow> MattersAsync(DeliberateDbContext db, Caller caller, LedgerFilter filter,
        DateTimeOffset now, [EnumeratorCancellation] CancellationToken ct)
    {
        var roots = Roots(caller, filter);
        var units = await UnitsAsync(db, roots, ct);
        var grids = units.Values.Where(u => u.Level == OrgLevel.Grid).Select(u => u.Id).ToList();
        var query = (await MatterAccess.VisibleAsync(db, caller, ct)).Where(m => grids.Contains(m.GridId));
        if (filter.From is { } from) query = query.Where(m => m.RaisedAt >= from);
        if (filter.To is { } to) query = query.Where(m => m.RaisedAt < to);
        if (filter.Status is { } s && EnumCodes.TryParseCode<MatterStep>(s, out var step)) query = query.Where(m => m.Step == step);
        var ids = await query.OrderBy(m => m.RaisedAt).ThenBy(m => m.Id).Select(m => m.Id).ToListAsync(ct);

        var no = 0;
        foreach (var batch in ids.Chunk(BatchSize))
        {
            var matters = await db.Matters.AsNoTracking().Where(m => batch.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
            var instances = matters.Values.Where(m => m.WorkflowInstanceId != null).Select(m => m.WorkflowInstanceId!.Value).ToList();
            // The step dates are in the workflows' journals: each SetMatterStep records the step it moved the matter to.
            var steps = (await db.WorkflowJournal.AsNoTracking()
                    .Where(j => instances.Contains(j.InstanceId) && j.ActivityType == nameof(SetMatterStep) && j.DataJson != null)
                    .Select(j => new { j.InstanceId, j.At, j.DataJson }).ToListAsync(ct))
                .Select(j => JsonNode.Parse(j.DataJson!) is var data
                    ? (j.InstanceId, j.At, Step: data?["step"]?.GetValue<string>(), Triage: data?["triage"]?.GetValue<string>()) : default)
                .ToLookup(j => j.InstanceId);
            var ratedAt = (await (from r in db.Ratings
                                  join round in db.RatingRounds on r.RoundId equals round.Id
                                  where batch.Contains(round.MatterId)
                                  select new { round.MatterId, r.At }).ToListAsync(ct))
                .GroupBy(r => r.MatterId).ToDictionary(g => g.Key, g => g.Min(r => r.At));
            // Overdue: a task left open past its due time or done after it, or a work item that ran over its deadline.
            var lateTasks = await db.InboxTasks.AsNoTracking()
                .Where(t => t.MatterId != null && batch.Contains(t.MatterId.Value) && t.DueAt != null
                    && ((t.Status == InboxTaskStatus.Open && t.DueAt < now) || (t.CompletedAt != null && t.CompletedAt > t.DueAt)))
                .Select(t => t.MatterId!.Value).Distinct().ToListAsync(ct);
            var lateWork = await db.WorkItems.AsNoTracking()
                .Where(w => w.MatterId != null && batch.Contains(w.MatterId.Value)
                    && (w.Status == WorkItemStatus.Overdue || (w.DoneAt != null && w.DoneAt > w.Deadline)
                        || db.WorkItemUpdates.Any(u => u.WorkItemId == w.Id && u.Kind == WorkItemUpdateKind.Overdue)))
                .Select(w => w.MatterId!.Value).Distinct().ToListAsync(ct);
            var late = lateTasks.Concat(lateWork).ToHashSet();

            foreach (var id in batch)
            {
                var m = matters[id];
                var journal = m.WorkflowInstanceId is { } instance ? steps[instance].ToList() : [];
                DateTimeOffset? First(string code) => journal.Where(j => j.Step == code).Select(j => (DateTimeOffset?)j.At).Min();
                var grid = units.GetValueOrDefault(m.GridId);
                var community = grid?.ParentId is { } parent ? units.GetValueOrDefault(parent) : null;
                yield return new MatterLedgerRow
                {
                    No = ++no,
                    Title = m.Title,
                    Category = MatterCategories.All.FirstOrDefault(c => c.Code == m.Category).Zh ?? m.Category,
                    Community = community?.Name ?? "",
                    Grid = grid?.Name ?? "",
                    Source = m.Source switch { "gridWorker" => "网格员代提", "hotline" => "12345热线", _ => "居民提出" },
                    RaisedAt = Time(m.RaisedAt),
                    // Heard: when the hearing ended in a triage (私事, 小事, 大事, 上报) — the step "hear" itself starts on raising.
                    HeardAt = Time(journal.Where(j => j.Triage is not null).Select(j => (DateTimeOffset?)j.At).Min()),
                    Triage = m.Triage switch
                    {
                        MatterTriage.Private => "私事",
                        MatterTriage.Minor => "小事",
                        MatterTriage.Major => "大事",
                        MatterTriage.Escalate => "上报",
                        _ => "",
                    },
                    DecidedAt = Time(First("decide")),
                    DoneAt = Time(First("rate")),
                    RatedAt = Time(ratedAt.TryGetValue(id, out var rated) ? rated : null),
                    ClosedAt = Time(m.ClosedAt),
                    Step = MattersApi.StepName(m.Step),
                    Overdue = YesNo(late.Contains(id)),
                    Resolution = m.Resolution ?? "",
                };
            }
        }
    }

    // ---- 会议台账 and 议定事项台账 ----

    public static readonly IReadOnlyList<string> MeetingStatuses = ["draft", "convened", "inSession", "closed", "minutesApproved", "cancelled"];

    static async Task<(IQueryable<Meeting> Query, Dictionary<Guid, OrgUnit> Units)> MeetingsInScopeAsync(DeliberateDbContext db, Caller caller,
        LedgerFilter filter, CancellationToken ct)
    {
        var units = await UnitsAsync(db, Roots(caller, filter), ct);
        // A meeting belongs to its community: a node below one (a grid) narrows to the community it is in.
        var communities = filter.Node is { Level: OrgLevel.Grid } grid && grid.ParentId is { } parent
            ? [parent]
            : units.Values.Where(u => u.Level == OrgLevel.Community).Select(u => u.Id).ToList();
        var query = (await MeetingAccess.VisibleAsync(db, caller, ct)).Where(m => communities.Contains(m.OrgUnitId));
        if (filter.From is { } from) query = query.Where(m => m.StartsAt >= from);
        if (filter.To is { } to) query = query.Where(m => m.StartsAt < to);
        if (filter.Node is { Level: OrgLevel.Grid } g && g.ParentId is { } p && !units.ContainsKey(p))
            units[p] = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == p, ct);
        return (query, units);
    }

    public static async IAsyncEnumerable<MeetingLedgerRow> MeetingsAsync(DeliberateDbContext db, Caller caller, LedgerFilter filter,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var (query, units) = await MeetingsInScopeAsync(db, caller, filter, ct);
        if (filter.Status is { } s && EnumCodes.TryParseCode<MeetingState>(s, out var state)) query = query.Where(m => m.State == state);
        var ids = await query.OrderBy(m => m.StartsAt).ThenBy(m => m.Id).Select(m => m.Id).ToListAsync(ct);
        var no = 0;
        foreach (var batch in ids.Chunk(BatchSize))
        {
            var meetings = await db.Meetings.AsNoTracking().AsSplitQuery().Include(m => m.Participants).Include(m => m.Resolutions)
                .Where(m => batch.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
            foreach (var id in batch)
            {
                var m = meetings[id];
                var members = m.Participants.Where(p => p.Role == ParticipantRole.Member).ToList();
                var byParty = m.Participants.GroupBy(p => p.Party).OrderBy(g => Parties.IndexOf(g.Key))
                    .Select(g =>
                    {
                        var counted = g.Where(p => p.Role == ParticipantRole.Member).ToList();
                        var attending = g.Count(p => p.Attendance is Attendance.Present or Attendance.InAttendance);
                        return counted.Count > 0
                            ? $"{Parties.Name(g.Key, false)} {counted.Count(p => p.Attendance == Attendance.Present)}/{counted.Count}"
                            : $"{Parties.Name(g.Key, false)} 列席{attending}";
                    });
                yield return new MeetingLedgerRow
                {
                    No = ++no,
                    Title = m.Title,
                    Type = Meeting.Describe(m.Type).Zh,
                    Form = m.Form == MeetingForm.Collective ? "集体讨论" : "书面征求意见",
                    Community = units.GetValueOrDefault(m.OrgUnitId)?.Name ?? "",
                    Place = m.Place,
                    StartsAt = Time(m.StartsAt),
                    OpenedAt = Time(m.OpenedAt),
                    ClosedAt = Time(m.ClosedAt),
                    State = m.State switch
                    {
                        MeetingState.Draft => "草稿",
                        MeetingState.Convened => "已通知",
                        MeetingState.InSession => "进行中",
                        MeetingState.Closed => "已结束",
                        MeetingState.Cancelled => "已取消",
                        _ => "纪要已确认",
                    },
                    Chair = m.ChairName ?? "",
                    Expected = members.Count,
                    Present = members.Count(p => p.Attendance == Attendance.Present),
                    InAttendance = m.Participants.Count(p => p.Attendance == Attendance.InAttendance),
                    ByParty = string.Join("；", byParty),
                    ResolutionCount = m.Resolutions.Count,
                    Resolutions = string.Join("；",
                        m.Resolutions.Select((r, i) => $"{i + 1}. {r.Text}（{r.ResponsibleUnit}，{r.Deadline:yyyy-MM-dd}前）")),
                };
            }
        }
    }

    /// <summary>pending: no work yet and not due; inProgress; done: all its work done; overdue: past its deadline unfinished.</summary>
    public static readonly IReadOnlyList<string> ResolutionStatuses = ["pending", "inProgress", "done", "overdue"];

    static readonly Dictionary<string, string> ResolutionStatusNames = new()
    {
        ["pending"] = "待落实", ["inProgress"] = "办理中", ["done"] = "已完成", ["overdue"] = "已逾期",
    };

    public static async IAsyncEnumerable<ResolutionLedgerRow> ResolutionsAsync(DeliberateDbContext db, Caller caller, LedgerFilter filter,
        DateTimeOffset now, [EnumeratorCancellation] CancellationToken ct)
    {
        var (meetings, units) = await MeetingsInScopeAsync(db, caller, filter, ct);
        var keys = await (from r in db.Resolutions
                          join m in meetings on r.MeetingId equals m.Id
                          orderby m.StartsAt, m.Id, r.Deadline, r.Id
                          select r.Id).ToListAsync(ct);
        var today = ChinaTime.Today(now);
        var no = 0;
        foreach (var batch in keys.Chunk(BatchSize))
        {
            var rows = await (from r in db.Resolutions.AsNoTracking()
                              join m in db.Meetings on r.MeetingId equals m.Id
                              where batch.Contains(r.Id)
                              select new { Resolution = r, m.Title, m.StartsAt, m.OrgUnitId }).ToDictionaryAsync(x => x.Resolution.Id, ct);
            var work = (await db.WorkItems.AsNoTracking().Where(w => w.ResolutionId != null && batch.Contains(w.ResolutionId.Value))
                    .Select(w => new { ResolutionId = w.ResolutionId!.Value, w.Status, w.DoneAt }).ToListAsync(ct))
                .ToLookup(w => w.ResolutionId);
            foreach (var id in batch)
            {
                var x = rows[id];
                var items = work[id].ToList();
                var done = items.Count > 0 && items.All(w => w.Status == WorkItemStatus.Done);
                var status = done ? "done"
                    : today > x.Resolution.Deadline || items.Any(w => w.Status == WorkItemStatus.Overdue) ? "overdue"
                    : items.Count > 0 ? "inProgress" : "pending";
                if (filter.Status is { } wanted && wanted != status) continue;
                yield return new ResolutionLedgerRow
                {
                    No = ++no,
                    Text = x.Resolution.Text,
                    Meeting = x.Title,
                    MeetingAt = Time(x.StartsAt),
                    Community = units.GetValueOrDefault(x.OrgUnitId)?.Name ?? "",
                    ResponsibleUnit = x.Resolution.ResponsibleUnit,
                    Deadline = x.Resolution.Deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Consensus = x.Resolution.Consensus switch { true => "达成共识", false => "未达成共识", null => "" },
                    Status = ResolutionStatusNames[status],
                    DoneAt = done ? Time(items.Max(w => w.DoneAt)) : "",
                };
            }
        }
    }

    // ---- 工作事项台账 ----

    public static readonly IReadOnlyList<string> WorkItemStatuses = ["open", "inProgress", "done", "overdue"];

    public static async IAsyncEnumerable<WorkItemLedgerRow> WorkItemsAsync(DeliberateDbContext db, Caller caller, LedgerFilter filter,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var units = await UnitsAsync(db, Roots(caller, filter), ct);
        var nodes = units.Keys.ToList();
        var query = (await WorkItemAccess.VisibleAsync(db, caller, ct)).Where(w => nodes.Contains(w.OrgUnitId));
        if (filter.From is { } from) query = query.Where(w => w.CreatedAt >= from);
        if (filter.To is { } to) query = query.Where(w => w.CreatedAt < to);
        if (filter.Status is { } s && EnumCodes.TryParseCode<WorkItemStatus>(s, out var status)) query = query.Where(w => w.Status == status);
        var ids = await query.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).Select(w => w.Id).ToListAsync(ct);
        var no = 0;
        foreach (var batch in ids.Chunk(BatchSize))
        {
            var items = await db.WorkItems.AsNoTracking().Include(w => w.Updates).Where(w => batch.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
            var matterIds = items.Values.Where(w => w.MatterId != null).Select(w => w.MatterId!.Value).Distinct().ToList();
            var matters = await db.Matters.AsNoTracking().Where(m => matterIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Title, ct);
            foreach (var id in batch)
            {
                var w = items[id];
                var escalations = w.Updates.Where(u => u.Kind == WorkItemUpdateKind.Escalated).OrderBy(u => u.At).ToList();
                yield return new WorkItemLedgerRow
                {
                    No = ++no,
                    Title = w.Title,
                    ResponsibleUnit = w.ResponsibleUnit,
                    Level = LevelName(w.Level),
                    Node = units.GetValueOrDefault(w.OrgUnitId)?.Name ?? "",
                    Matter = w.MatterId is { } m ? matters.GetValueOrDefault(m) ?? "" : "",
                    CreatedAt = Time(w.CreatedAt),
                    Deadline = Time(w.Deadline),
                    Status = w.Status switch
                    {
                        WorkItemStatus.Done => "已完成",
                        WorkItemStatus.Overdue => "逾期",
                        WorkItemStatus.InProgress => "办理中",
                        _ => "待办理",
                    },
                    Progress = w.Progress,
                    DoneAt = Time(w.DoneAt),
                    Escalations = escalations.Count,
                    EscalationLog = string.Join("；", escalations.Select(u =>
                        $"{Time(u.At)} {(u.FromLevel is { } f ? LevelName(f) : "")}→{(u.ToLevel is { } t ? LevelName(t) : "")}"
                        + (string.IsNullOrWhiteSpace(u.Text) ? "" : $"（{u.Text}）"))),
                    Rework = YesNo(w.Rework),
                };
            }
        }
    }

    static string LevelName(EscalationLevel level) => level switch
    {
        EscalationLevel.Grid => "网格",
        EscalationLevel.Community => "社区",
        EscalationLevel.Street => "街道",
        _ => "职能部门",
    };

    // ---- 表决台账 ----

    public static readonly IReadOnlyList<string> BallotStatuses = ["open", "closed", "faulted", "announced"];

    public static async IAsyncEnumerable<BallotLedgerRow> BallotsAsync(DeliberateDbContext db, Caller caller, LedgerFilter filter,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var roots = Roots(caller, filter);
        var scopes = await db.OrgUnits.AsNoTracking().Under(roots).Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var scopeIds = scopes.Keys.ToList();
        var query = (await BallotAccess.ListedAsync(db, caller, ct)).Where(b => scopeIds.Contains(b.OrgUnitId));
        if (filter.From is { } from) query = query.Where(b => b.OpensAt >= from);
        if (filter.To is { } to) query = query.Where(b => b.OpensAt < to);
        if (filter.Status is { } s && EnumCodes.TryParseCode<BallotStatus>(s, out var status)) query = query.Where(b => b.Status == status);
        var ids = await query.OrderBy(b => b.OpensAt).ThenBy(b => b.Id).Select(b => b.Id).ToListAsync(ct);
        var no = 0;
        foreach (var batch in ids.Chunk(BatchSize))
        {
            var ballots = await db.Ballots.AsNoTracking().Where(b => batch.Contains(b.Id)).ToDictionaryAsync(b => b.Id, ct);
            // Totals only: the electorate's heads and area, and which heads took part — never a choice.
            var units = (await db.BallotUnits.AsNoTracking().Where(u => batch.Contains(u.BallotId))
                .Select(u => new { u.BallotId, u.HeadKey, u.Area }).ToListAsync(ct)).ToLookup(u => u.BallotId);
            var members = (await db.BallotMembers.AsNoTracking().Where(m => batch.Contains(m.BallotId))
                .Select(m => m.BallotId).ToListAsync(ct)).ToLookup(m => m);
            var voted = (await db.BallotParticipations.AsNoTracking().Where(p => batch.Contains(p.BallotId))
                .Select(p => new { p.BallotId, p.HeadKey }).ToListAsync(ct)).ToLookup(p => p.BallotId, p => p.HeadKey);
            foreach (var id in batch)
            {
                var b = ballots[id];
                var electorate = units[id].ToList();
                var owners = electorate.Count > 0;
                var votedHeads = voted[id].ToHashSet();
                var entitledHeads = owners ? electorate.Select(u => u.HeadKey).Distinct().Count() : members[id].Count();
                decimal? entitledArea = owners ? electorate.Sum(u => u.Area) : null;
                decimal? votedArea = owners ? electorate.Where(u => votedHeads.Contains(u.HeadKey)).Sum(u => u.Area) : null;
                var result = b.ResultJson is null || b.Status != BallotStatus.Closed ? null : JsonNode.Parse(b.ResultJson);
                int? Heads(string choice) => result?[choice]?["headcount"]?.GetValue<int>();
                decimal? Area(string choice) => result?[choice]?["area"]?.GetValue<decimal>();
                yield return new BallotLedgerRow
                {
                    No = ++no,
                    Title = b.Title,
                    Kind = ProposalKinds.Label(b.Kind, english: false) ?? "",
                    Rule = TallyRules.Describe(b.Rule, b.CustomRuleJson, b.IsOwnersVote)?.TitleZh ?? b.Rule,
                    Secrecy = b.Secret ? "不记名" : "记名",
                    Scope = scopes.GetValueOrDefault(b.OrgUnitId) ?? "",
                    OpensAt = Time(b.OpensAt),
                    ClosesAt = Time(b.ClosesAt),
                    Status = b.Status switch
                    {
                        BallotStatus.Announced => "已公告待投票",
                        BallotStatus.Open => "投票中",
                        BallotStatus.Closed => "已计票",
                        _ => "计票异常",
                    },
                    EntitledHeads = entitledHeads,
                    EntitledArea = entitledArea,
                    VotedHeads = votedHeads.Count,
                    VotedArea = votedArea,
                    HeadTurnout = entitledHeads == 0 ? null : Math.Round(100m * votedHeads.Count / entitledHeads, 2),
                    AreaTurnout = entitledArea is > 0 ? Math.Round(100m * votedArea!.Value / entitledArea.Value, 2) : null,
                    AgreeHeads = Heads("agree"),
                    AgreeArea = Area("agree"),
                    DisagreeHeads = Heads("disagree"),
                    AbstainHeads = Heads("abstain"),
                    Result = result is null ? "" : b.Outcome switch
                    {
                        TallyOutcome.Passed => "通过",
                        TallyOutcome.Rejected => "未通过",
                        TallyOutcome.NoDecision => "未形成决定",
                        _ => "",
                    },
                };
            }
        }
    }
}
