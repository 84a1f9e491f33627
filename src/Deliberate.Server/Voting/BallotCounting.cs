using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Meetings;
using Deliberate.Server.Notices;
using Deliberate.Server.Organisation;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>
/// Making a ballot (with its electorate snapshot), building the tally's input from what is stored, and
/// closing: the stored result is <see cref="Tally.Count"/> of that input — the same function behind
/// POST /api/tally — so anyone can check it.
/// </summary>
public static class BallotCounting
{
    public const string DeadlineKind = "ballot.close";
    /// <summary>The deadline that opens an announced ballot at its <see cref="Ballot.OpensAt"/>.</summary>
    public const string OpeningKind = "ballot.open";

    /// <summary>Whether a ballot of this rule, held in this meeting (or none), is an owners' vote; stored as <see
    /// cref="Ballot.IsOwnersVote"/>.</summary>
    public static bool IsOwnersRule(string rule, Guid? meetingId) =>
        rule is TallyRules.CivilCode278Ordinary or TallyRules.CivilCode278Major || (rule == TallyRules.Custom && meetingId is null);

    /// <summary>
    /// Snapshots the owners' electorate into the ballot: every unit under <paramref name="scope"/> with its
    /// area and owners, grouped into heads the way the count groups them, and each owner's head. Returns the units.
    /// </summary>
    public static async Task<List<BallotUnit>> SnapshotAsync(DeliberateDbContext db, Guid ballotId, OrgUnit scope, CancellationToken ct)
    {
        var units = await db.PropertyUnits.AsNoTracking()
            .Where(u => u.RetiredAt == null && db.OrgUnits.Any(b => b.Id == u.BuildingId && b.Path.StartsWith(scope.Path)))
            .Select(u => new { u.Id, u.Number, u.Area, u.DeveloperUnsold, Owners = u.Owners.Select(o => o.OwnerId).ToList() })
            .ToListAsync(ct);
        units = units.OrderBy(u => u.Number, StringComparer.Ordinal).ToList();
        var electorate = units.Select(u =>
            new ElectorateUnit(u.Id.ToString(), u.Owners.Select(o => o.ToString()).Order().ToList(), u.Area, u.DeveloperUnsold)).ToList();
        var heads = Tally.HeadsOf(electorate);
        var firstUnitOfHead = new Dictionary<int, Guid>();
        for (var i = 0; i < units.Count; i++) firstUnitOfHead.TryAdd(heads[i], units[i].Id);
        var snapshot = units.Select((u, i) =>
            new BallotUnit(ballotId, u.Id, u.Number, u.Area, string.Join(",", electorate[i].Owners!), u.DeveloperUnsold,
            "unit:" + firstUnitOfHead[heads[i]].ToString("N"))).ToList();
        db.BallotUnits.AddRange(snapshot);
        var headsByKey = snapshot.GroupBy(u => u.HeadKey).ToDictionary(g => g.Key,
            g => (Units: string.Join(",", g.Select(u => u.Number).Order(StringComparer.Ordinal)), Area: g.Sum(u => u.Area)));
        db.BallotOwners.AddRange(snapshot.SelectMany(u => u.Owners.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(o => (Owner: Guid.Parse(o), u.HeadKey))).Distinct()
            .Select(x => new BallotOwner(ballotId, x.Owner, x.HeadKey, headsByKey[x.HeadKey].Units, headsByKey[x.HeadKey].Area)));
        return snapshot;
    }

    /// <summary>
    /// What the count is given. An open ballot: the real electorate and each head's ballot under one of its
    /// units — exactly what <c>GET /api/ballots/{id}/audit</c> publishes. A secret ballot cannot say whose
    /// ballot is whose, so it is counted from an equivalent electorate: one stand-in unit per counted choice
    /// (with its head's area) and one per head that did not vote — the same heads, areas and choices, hence
    /// the same result.
    /// </summary>
    /// <remarks>A secret ballot's choices are read from its sealed box (<paramref name="box"/> when the caller has opened it already).</remarks>
    public static async Task<TallyRequest> InputAsync(DeliberateDbContext db, Ballot ballot, CancellationToken ct,
        IReadOnlyList<BoxEntry>? box = null)
    {
        var threshold = ballot.CustomRuleJson is null ? null
            : JsonSerializer.Deserialize<TallyThreshold>(ballot.CustomRuleJson, JsonSerializerOptions.Web);
        var participations = await db.BallotParticipations.AsNoTracking().Where(p => p.BallotId == ballot.Id).ToListAsync(ct);
        var choices = ballot.Secret
            ? (box ?? await BallotBoxes.ReadAsync(db, ballot.Id, ct)).OrderBy(c => c.Choice, StringComparer.Ordinal).ThenBy(c => c.Area).ToList()
            : [];

        if (ballot.IsOwnersVote)
        {
            var units = await db.BallotUnits.AsNoTracking().Where(u => u.BallotId == ballot.Id).OrderBy(u => u.Number).ToListAsync(ct);
            if (!ballot.Secret)
            {
                var unitOfHead = units.GroupBy(u => u.HeadKey).ToDictionary(g => g.Key, g => g.First().Number);
                return new TallyRequest
                {
                    Rule = ballot.Rule,
                    Threshold = threshold,
                    DeemedConsent = ballot.DeemedConsent,
                    DeemedCountsTowardParticipation = ballot.DeemedCountsTowardParticipation,
                    DeemedCountsTowardThreshold = ballot.DeemedCountsTowardThreshold,
                    Electorate = units.Select(u =>
                        new ElectorateUnit(u.Number, u.Owners.Split(',', StringSplitOptions.RemoveEmptyEntries), u.Area, u.DeveloperUnsold)).ToList(),
                    Ballots = participations.OrderBy(p => unitOfHead[p.HeadKey], StringComparer.Ordinal)
                        .Select(p => TallyBallot.ForUnit(unitOfHead[p.HeadKey], p.OpenChoice!)).ToList(),
                };
            }
            var voted = participations.Select(p => p.HeadKey).ToHashSet();
            var silent = units.Where(u => !voted.Contains(u.HeadKey)).GroupBy(u => u.HeadKey).Select(g => g.Sum(u => u.Area)).ToList();
            var electorate = choices.Select((c, i) => new ElectorateUnit($"v{i + 1}", [$"v{i + 1}"], c.Area ?? 0m))
                .Concat(silent.Select((area, i) => new ElectorateUnit($"h{i + 1}", [$"h{i + 1}"], area))).ToList();
            return new TallyRequest
            {
                Rule = ballot.Rule,
                Threshold = threshold,
                DeemedConsent = ballot.DeemedConsent,
                DeemedCountsTowardParticipation = ballot.DeemedCountsTowardParticipation,
                DeemedCountsTowardThreshold = ballot.DeemedCountsTowardThreshold,
                Electorate = electorate,
                Ballots = choices.Select((c, i) => TallyBallot.ForUnit($"v{i + 1}", c.Choice)).ToList(),
            };
        }

        var members = await db.BallotMembers.AsNoTracking().Where(m => m.BallotId == ballot.Id).OrderBy(m => m.MemberKey).ToListAsync(ct);
        var byHead = participations.ToDictionary(p => p.HeadKey);
        List<TallyBallot> ballots;
        if (!ballot.Secret)
            ballots = members.Where(m => byHead.ContainsKey(MemberHead(m.MemberKey)))
                .Select(m => TallyBallot.ForMember(m.MemberKey, byHead[MemberHead(m.MemberKey)].OpenChoice!)).ToList();
        else
        {
            // Who voted is known, what each chose is not: give the choices to the voters in a fixed order.
            var voters = members.Where(m => byHead.ContainsKey(MemberHead(m.MemberKey))).Select(m => m.MemberKey).ToList();
            ballots = voters.Zip(choices, (voter, choice) => TallyBallot.ForMember(voter, choice.Choice)).ToList();
        }
        return new TallyRequest
        {
            Rule = ballot.Rule,
            Threshold = threshold,
            Members = members.Select(m => m.MemberKey).ToList(),
            Present = members.Where(m => m.Present).Select(m => m.MemberKey).ToList(),
            Ballots = ballots,
        };
    }

    public static string MemberHead(string memberKey) => "member:" + memberKey;

    /// <summary>
    /// Closes the ballot if it is still open: counts it, stores the result, posts the result notice (公示,
    /// 7 days) and wakes the workflows waiting for it — all in one transaction.
    /// </summary>
    public static async Task CloseAsync(DeliberateDbContext db, WorkflowEngine engine, Guid ballotId, Actor actor,
        TimeProvider clock, CancellationToken ct)
    {
        var ballot = await db.Ballots.FirstOrDefaultAsync(b => b.Id == ballotId, ct);
        if (ballot is null || ballot.Status != BallotStatus.Open) return;
        var now = clock.GetUtcNow();
        TallyResult result;
        List<BoxEntry> box;
        try
        {
            box = await BallotBoxes.ReadAsync(db, ballot.Id, ct);
            result = Tally.Count(await InputAsync(db, ballot, ct, box));
        }
        catch (Exception e) when (e is TallyException or JsonException or CryptographicException)
        {
            // A box that does not open (altered, or the server key changed) would fail the same way every time too.
            // A rule that cannot be counted (stored before thresholds were checked at creation) would fail the same way
            // at every attempt: mark the ballot and stop.
            ballot.Fault(now, e is TallyException t ? string.Join(" ", t.Faults.Select(f => f.MessageEn)) : e.Message);
            await db.SaveChangesAsync(ct);
            return;
        }
        result = await MeetingQuorumAtCloseAsync(db, ballot, result, ct);
        var json = JsonSerializer.Serialize(result, JsonSerializerOptions.Web);
        ballot.Close(now, result.Outcome, json);
        // Unsealed for good: each receipt hash with its choice, for owners to check and anyone to re-tally.
        await BallotBoxes.PublishAsync(db, ballot.Id, box, ct);

        var community = await CommunityOfAsync(db, ballot.OrgUnitId, ct);
        var (outcomeZh, _) = OutcomeName(result.Outcome);
        db.Notices.Add(new Notice(Guid.CreateVersion7(now), community, NoticeKind.BallotResult, $"表决结果公告：{ballot.Title}",
            ResultText(ballot, result), now, Notice.EndOfDays(now, 7), ballot.MatterId, ballot.MeetingId, ballot.Id, null));
        await BallotNotifications.ClosedAsync(db, ballot, result.Outcome, now, ct);

        var payload = new JsonObject
        {
            ["ballotId"] = ballot.Id.ToString(),
            ["outcome"] = result.Outcome.Code(),
            ["outcomeName"] = outcomeZh,
            ["result"] = JsonNode.Parse(json),
            // For the 议定事项公示 a workflow posts next: what was voted on, the figures in words, and the day it was decided.
            ["proposal"] = ballot.ProposalText ?? ballot.Title,
            ["figures"] = FiguresText(result),
            ["decidedOn"] = ChineseDate(now),
            ["summary"] = $"业主表决事项：{ballot.ProposalText ?? ballot.Title}\n业主表决结果：{outcomeZh}（{FiguresText(result)}）\n表决日期：{ChineseDate(now)}",
        };
        await DomainEvents.PublishAsync(engine, db, DomainEvents.BallotClosed, ballot.Id, payload, actor, ct);
    }

    /// <summary>
    /// A member vote decides only while its meeting can decide: when the meeting has lost its quorum by the close (members
    /// left after the vote opened), the vote is no decision (未形成决议：出席成员人数未达法定比例), whatever the count. The one
    /// rule for every close, by hand or at the deadline; the figures stay as counted, <c>present</c> becomes who is present now.
    /// </summary>
    static async Task<TallyResult> MeetingQuorumAtCloseAsync(DeliberateDbContext db, Ballot ballot, TallyResult result, CancellationToken ct)
    {
        if (ballot.MeetingId is not { } meetingId || ballot.IsOwnersVote) return result;
        var meeting = await db.Meetings.Include(m => m.Participants).AsNoTracking().FirstOrDefaultAsync(m => m.Id == meetingId, ct);
        if (meeting is null || meeting.Quorum().Met != false) return result;
        return result with { Outcome = TallyOutcome.NoDecision, QuorumMet = false, Present = new Figures(null, meeting.Present) };
    }

    /// <summary>The community a ballot's scope belongs to (where its notices are posted and its settings live).</summary>
    public static async Task<Guid> CommunityOfAsync(DeliberateDbContext db, Guid orgUnitId, CancellationToken ct)
    {
        var unit = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == orgUnitId, ct);
        var path = unit.AncestorIdsAndSelf().ToList();
        return path.Count > (int)OrgLevel.Community ? path[(int)OrgLevel.Community] : unit.Id;
    }

    /// <summary>The outcome in words; a member vote's "no decision" speaks of members present, as members have no area.</summary>
    public static (string Zh, string En) OutcomeName(TallyOutcome outcome, bool members = false) => outcome switch
    {
        TallyOutcome.Passed => ("通过", "passed"),
        TallyOutcome.Rejected => ("未通过", "rejected"),
        _ when members => ("未形成决定（出席成员人数未达法定比例）", "no decision (not enough members present)"),
        _ => ("未形成决定（参与表决人数或面积未达法定比例）", "no decision (quorum not met)"),
    };

    /// <summary>"2026年12月21日", the day in China.</summary>
    static string ChineseDate(DateTimeOffset at) => ChinaTime.ChineseDateTime(at).Split(' ')[0];

    /// <summary>
    /// The count in one sentence, heads and (for owners) area as the rule counts them: "应参与 12 人、1,020 平方米；参与 9 人、800 平方米；
    /// 同意 8 人、700 平方米，反对 1 人、100 平方米，弃权 0 人、0 平方米".
    /// </summary>
    public static string FiguresText(TallyResult r)
    {
        static string F(Figures f) => f.Area is { } area ? $"{f.Headcount} 人、{area:0.##} 平方米" : $"{f.Headcount} 人";
        var deemed = r.Deemed is { } d && r.DeemedAs is { } a ? $"（未投票视为{Tally.ChoiceZh(a)}：{F(d)}）" : "";
        return $"应参与 {F(r.Totals)}；参与 {F(r.Participating)}；同意 {F(r.Agree)}，反对 {F(r.Disagree)}，弃权 {F(r.Abstain)}{deemed}";
    }

    static string ResultText(Ballot ballot, TallyResult r)
    {
        var text = new StringBuilder();
        text.AppendLine($"表决事项：{ballot.Title}");
        if (ballot.ProposalText is { } proposal) text.AppendLine($"表决议案：{proposal}");
        text.AppendLine($"表决规则：{r.Rule.TitleZh}");
        if (ballot.OrganiserBody is not null) text.AppendLine($"组织者：{BallotTiming.OrganiserZh(ballot)}");
        text.AppendLine($"表决期间：{ChinaTime.Minutes(ballot.OpensAt)} 至 {ChinaTime.MinutesUntil(ballot.ClosesAt)}");
        string Figures(Figures f) => f.Area is { } area ? $"{f.Headcount} 人、{area:0.##} 平方米" : $"{f.Headcount} 人";
        if (ProposalKinds.Label(ballot.Kind, english: false) is { } kind) text.AppendLine($"事项类别：{kind}");
        if (r.DeemedCounting is { } d)
        {
            // Deemed consent: the real turnout first, the deemed heads apart, and in words where they were counted.
            var pct = d.VotedPercent.Area is { } ap ? $"人数的 {d.VotedPercent.Headcount:0.##}%、面积的 {ap:0.##}%"
                : $"人数的 {d.VotedPercent.Headcount:0.##}%";
            text.AppendLine($"应参与：{Figures(r.Totals)}；实际投票：{Figures(d.Voted)}（占{pct}）");
            text.AppendLine($"未投票视为同意多数意见（{(r.DeemedAs is { } a ? Tally.ChoiceZh(a) : "无多数意见，未计入")}）：{Figures(r.Deemed ?? new Figures(0m, 0))}");
            text.AppendLine(DeemedRuleText(d));
            text.AppendLine($"计入法定参与比例的：{Figures(r.Participating)}；计算通过比例的基数：{Figures(d.ThresholdBase)}");
        }
        else
            text.AppendLine($"应参与：{Figures(r.Totals)}；参与：{Figures(r.Participating)}");
        text.AppendLine($"同意：{Figures(r.Agree)}；反对：{Figures(r.Disagree)}；弃权：{Figures(r.Abstain)}");
        text.Append($"表决结果：{OutcomeName(r.Outcome, members: r.Totals.Area is null).Zh}");
        return text.ToString();
    }

    /// <summary>In words, where the rules of procedure count deemed votes (for the result notice).</summary>
    public static string DeemedRuleText(DeemedReport d) => (d.TowardParticipation, d.TowardThreshold) switch
    {
        (true, true) => "依议事规则，视为同意的票数既计入参与表决的三分之二，也计入通过比例。",
        (true, false) => "依议事规则，视为同意的票数计入参与表决的三分之二，但不计入通过比例（通过比例按实际投票计算）。",
        (false, true) => "依议事规则，视为同意的票数不计入参与表决的三分之二（按实际投票计算），但计入通过比例。",
        _ => "依议事规则，视为同意的票数既不计入参与表决的三分之二，也不计入通过比例（均按实际投票计算）。",
    };

    /// <summary>One sentence for the notice PDF: who really voted, how many were deemed, and where they counted.</summary>
    public static string DeemedText(TallyResult r, DeemedReport d, bool english)
    {
        var deemed = r.Deemed ?? new Figures(0m, 0);
        if (english)
            return $"Actually voted: {d.Voted.Headcount} heads, {d.Voted.Area ?? 0:0.##} m² ({d.VotedPercent.Headcount:0.##} % of "
                + $"heads, {d.VotedPercent.Area ?? 0:0.##} % of area); "
                + $"deemed to follow the majority: {deemed.Headcount} heads, {deemed.Area ?? 0:0.##} m²; "
                + (d.TowardParticipation ? "counted" : "not counted") + " toward the 2/3 participation and " + (d.TowardThreshold ? "counted"
                    : "not counted") + " toward the pass threshold, as the rules of procedure say";
        return $"实际投票 {d.Voted.Headcount} 人、{d.Voted.Area ?? 0:0.##} 平方米（人数的 {d.VotedPercent.Headcount:0.##}%、面积的 {d.VotedPercent.Area ?? 0:0.##}%），"
            + $"未投票视为同意多数意见 {deemed.Headcount} 人、{deemed.Area ?? 0:0.##} 平方米；" + DeemedRuleText(d).TrimEnd('。');
    }

    /// <summary>A random receipt code (demo data): 16 letters and digits that are hard to misread.</summary>
    public static string NewReceipt()
    {
        const string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        var code = new char[16];
        for (var i = 0; i < code.Length; i++) code[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return $"{new string(code, 0, 4)}-{new string(code, 4, 4)}-{new string(code, 8, 4)}-{new string(code, 12, 4)}";
    }

    /// <summary>What is stored of a receipt: its hash, so that the code alone (which only the voter has) finds the choice.</summary>
    public static string HashReceipt(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Replace("-", "").Trim().ToUpperInvariant())));
}

/// <summary>Closes ballots at their deadline.</summary>
public sealed class BallotDeadline(DeliberateDbContext db, WorkflowEngine engine, TimeProvider clock) : IDeadlineHandler
{
    public string Kind => BallotCounting.DeadlineKind;

    public Task HandleAsync(Guid id, CancellationToken ct) => BallotCounting.CloseAsync(db, engine, id, Actor.System, clock, ct);

    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct) =>
        (await db.Ballots.AsNoTracking().Where(b => b.Status == BallotStatus.Open && (until == null || b.ClosesAt <= until))
            .Select(b => new { b.Id, b.ClosesAt }).ToListAsync(ct))
            .Select(b => (b.Id, b.ClosesAt)).ToList();
}

/// <summary>
/// Opens announced ballots at their opening time and tells the voters; idempotent (an open ballot is left alone), and persistent
/// like the close: the reconciler gives every announced ballot its trigger again after a restart.
/// </summary>
public sealed class BallotOpening(DeliberateDbContext db, Deadlines deadlines, TimeProvider clock) : IDeadlineHandler
{
    public string Kind => BallotCounting.OpeningKind;

    public async Task HandleAsync(Guid id, CancellationToken ct)
    {
        var ballot = await db.Ballots.FirstOrDefaultAsync(b => b.Id == id, ct);
        var now = clock.GetUtcNow();
        if (ballot is null || !ballot.Open(now)) return;
        await BallotNotifications.OpenedAsync(db, ballot, now, ct);
        await db.SaveChangesAsync(ct);
        deadlines.Schedule(BallotCounting.DeadlineKind, ballot.Id, ballot.ClosesAt);
    }

    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct) =>
        (await db.Ballots.AsNoTracking().Where(b => b.Status == BallotStatus.Announced && (until == null || b.OpensAt <= until))
            .Select(b => new { b.Id, b.OpensAt }).ToListAsync(ct))
            .Select(b => (b.Id, b.OpensAt)).ToList();
}
