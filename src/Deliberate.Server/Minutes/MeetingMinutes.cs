using System.Text.Json;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Meetings;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Minutes;

/// <summary>
/// The minutes of a real meeting: the document built from its rows (attendance by party, agenda and opinions,
/// the votes of its ballots, resolutions), who must sign them, and generating a stored, immutable version.
/// </summary>
public static class MeetingMinutes
{
    public const string Chinese = "zh-CN", English = "en";

    /// <summary>"en…" is English; anything else the default, Chinese.</summary>
    public static string Language(string? requested) => DocumentLabels.For(requested).IsEnglish ? English : Chinese;

    /// <summary>
    /// Who confirms the minutes: the members present who have an account, and the chair and recorder when they are users.
    /// Those absent or on leave did not hear the meeting, so they do not sign for it.
    /// </summary>
    public static IReadOnlyList<(Guid UserId, string Name)> RequiredSigners(Meeting meeting)
    {
        var signers = new List<(Guid, string)>();
        void Add(Guid? userId, string? name)
        {
            if (userId is { } id && signers.All(s => s.Item1 != id)) signers.Add((id, name ?? ""));
        }
        Add(meeting.ChairUserId, meeting.ChairName);
        Add(meeting.RecorderUserId, meeting.RecorderName);
        foreach (var p in meeting.Participants.Where(p => p.Role == ParticipantRole.Member && p.Attendance == Attendance.Present)
                     .OrderBy(p => Parties.IndexOf(p.Party)).ThenBy(p => p.Name, StringComparer.Ordinal))
            Add(p.UserId, p.Name);
        return signers;
    }

    public static bool SignedByAll(Meeting meeting, MinutesVersion version) =>
        RequiredSigners(meeting).All(s => version.SignOffs.Any(o => o.UserId == s.UserId));

    /// <summary>
    /// Approving needs generated minutes whose latest version every required signer has confirmed; with nobody
    /// required to sign (no participant has an account), the organiser's approval is the confirmation.
    /// </summary>
    public static async Task EnsureApprovableAsync(DeliberateDbContext db, Meeting meeting, CancellationToken ct)
    {
        var latest = await db.Set<MinutesVersion>().Include(v => v.SignOffs).Where(v => v.MeetingId == meeting.Id)
            .OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct)
            ?? throw new MinutesRuleException("noMinutes", "尚未生成会议纪要。", "The minutes have not been generated yet.");
        var missing = RequiredSigners(meeting).Where(s => latest.SignOffs.All(o => o.UserId != s.UserId)).Select(s => s.Name).ToList();
        if (missing.Count > 0)
            throw new MinutesRuleException("minutesNotSigned", $"纪要尚待确认：{string.Join("、", missing)}。",
                $"The minutes still await the sign-off of {string.Join(", ", missing)}.");
    }

    /// <summary>
    /// Renders the meeting's minutes and adds them as the next version (not saved). The meeting must be closed; a
    /// version after the first is a correction and needs a reason.
    /// </summary>
    public static async Task<MinutesVersion> GenerateAsync(DeliberateDbContext db, Meeting meeting, string language,
        Guid? byId, string byName, string? reason, DateTimeOffset now, CancellationToken ct)
    {
        if (meeting.State == MeetingState.MinutesApproved)
            throw new MinutesRuleException("minutesApproved", "纪要已经确认，不能再生成新版本。", "The minutes are already approved; no new version can be made.");
        meeting.EnsureState(MeetingState.Closed);
        var last = await db.Set<MinutesVersion>().Where(v => v.MeetingId == meeting.Id).MaxAsync(v => (int?)v.Version, ct) ?? 0;
        if (last > 0 && string.IsNullOrWhiteSpace(reason))
            throw new MinutesRuleException("reasonRequired", "更正纪要须说明理由。", "A correction of the minutes needs a reason.");
        var lang = Language(language);
        var document = await DocumentAsync(db, meeting, lang == English, ct);
        var pdf = MinutesRenderer.Render(document, lang);
        var version = new MinutesVersion(Guid.CreateVersion7(now), meeting.Id, last + 1, lang, pdf, byId, byName,
            string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), now);
        db.Set<MinutesVersion>().Add(version);
        return version;
    }

    /// <summary>Tells those who must sign that a version is ready ("minutesReady"); added to the context with the version.</summary>
    public static void NotifyReady(DeliberateDbContext db, Meeting meeting, MinutesVersion version, DateTimeOffset now)
    {
        var correction = version.Reason is null ? "" : $"（更正：{version.Reason}）";
        var correctionEn = version.Reason is null ? "" : $" (correction: {version.Reason})";
        Notifications.Notify.Send(db, RequiredSigners(meeting).Select(s => s.UserId), Notifications.NotificationKind.MinutesReady,
            $"会议纪要待确认：{meeting.Title}", $"Minutes to sign off: {meeting.Title}",
            $"第 {version.Version} 版会议纪要已生成{correction}，请阅读并签字确认。",
            $"Version {version.Version} of the minutes is ready{correctionEn}; please read and sign it off.",
            Notifications.Notify.Links.Minutes(meeting.Id), now);
    }

    /// <summary>The minutes document from the meeting as it stands (participants, agenda with opinions and resolutions loaded).</summary>
    public static async Task<MinutesDocument> DocumentAsync(DeliberateDbContext db, Meeting meeting, bool english, CancellationToken ct)
    {
        string Party(string code) => Parties.Name(code, english);
        var members = meeting.Participants.OrderBy(p => Parties.IndexOf(p.Party)).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        List<string> Named(Attendance attendance) =>
            members.Where(p => p.Attendance == attendance)
                .Select(p => english ? $"{p.Name} ({Party(p.Party)})" : $"{p.Name}（{Party(p.Party)}）").ToList();

        var present = members.Where(p => p.Attendance == Attendance.Present).GroupBy(p => p.Party)
            .Select(g => new PartyAttendance(Party(g.Key), g.Select(p => p.Name).ToList())).ToList();
        // Every motion recorded, whatever became of it (issue 17 §6: a proposal sent on to the owners was left out).
        var fates = await MotionFates.OfAsync(db, meeting.Agenda.SelectMany(a => a.Motions), ct);
        var agenda = meeting.Agenda.OrderBy(a => a.Order).Select(a => new AgendaItem(a.Title,
            a.Opinions.OrderBy(o => Parties.IndexOf(o.Party)).ThenBy(o => o.RecordedAt)
                .Select(o => new PartyOpinion(string.IsNullOrWhiteSpace(o.Speaker) ? Party(o.Party)
                    : english ? $"{Party(o.Party)} ({o.Speaker})" : $"{Party(o.Party)}（{o.Speaker}）", o.Text)).ToList())
        {
            Motions = a.Motions.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
                .Select(m => new MotionRecord(m.Text, m.ProposedBy, m.Reason, m.Cost, english ? fates[m.Id].NameEn : fates[m.Id].NameZh)).ToList(),
        }).ToList();

        var ballots = await db.Ballots.AsNoTracking().Where(b => b.MeetingId == meeting.Id && b.Status == BallotStatus.Closed && b.ResultJson != null)
            .ToListAsync(ct);
        var votes = ballots.OrderBy(b => b.ClosedAt).ThenBy(b => b.Id).Select(b => Vote(b, english)).ToList();
        var labels = DocumentLabels.For(english ? English : Chinese);
        var resolutions = meeting.Resolutions.OrderBy(r => r.Id).Select(r => new Resolution(r.Text, r.ResponsibleUnit, r.Deadline)
        {
            Positions = MeetingViews.OrderedPositions(r).Select(p => new PartyOpinion(Party(p.Party),
                MeetingViews.PositionName(p.Position,
                english) + (string.IsNullOrWhiteSpace(p.Remark) ? "" : english ? $" ({p.Remark})" : $"（{p.Remark}）"))).ToList(),
            Consensus = r.Consensus is { } c ? labels.ConsensusText(c, r.Outstanding) : null,
        }).ToList();

        // Without its quorum the meeting could not decide: the minutes say so and what the quorum needed.
        var quorum = meeting.Quorum();
        var (ruleZh, ruleEn) = quorum.Describe();
        var quorumNotMet = quorum.Met == false
            ? DocumentLabels.For(english ? English : Chinese)
                .QuorumNotMetDetail(ruleZh, ruleEn, quorum.Counted, quorum.Of, quorum.Required ?? 0, quorum.Rule == "majorityOfParties")
            : null;

        var adjourned = meeting.AdjournedSessions().Select(a =>
        {
            var came = a.Present.Count == 0 ? labels.None
                : string.Join(labels.ClauseSeparator, a.Present.GroupBy(p => p.Party).OrderBy(g => Parties.IndexOf(g.Key))
                    .Select(g => labels.PartyNames(Party(g.Key), g.Select(p => p.Name).ToList())));
            var (zh, en) = new MeetingQuorum(a.Rule, a.Counted, a.Of, a.Required, a.Met).Describe();
            var detail = labels.QuorumNotMetDetail(zh, en, a.Counted, a.Of, a.Required ?? 0, a.Rule == "majorityOfParties");
            return labels.AdjournedSession(ChinaTime.Minutes(a.OpenedAt), came, a.Met == false ? detail : null);
        }).ToList();
        var signatories = present.Select(p => p.Party).ToList();
        return new MinutesDocument(
            MeetingName: meeting.Title,
            Start: ChinaTime.Local(meeting.OpenedAt ?? meeting.StartsAt),
            End: meeting.ClosedAt is { } closed ? ChinaTime.Local(closed) : null,
            Place: meeting.Place,
            Chair: meeting.ChairName ?? "—",
            Recorder: meeting.RecorderName ?? "—",
            Present: present,
            Attending: Named(Attendance.InAttendance),
            OnLeave: Named(Attendance.OnLeave),
            Absent: Named(Attendance.Absent),
            ExpectedCount: meeting.Expected,
            PresentCount: meeting.Present,
            Agenda: agenda,
            Votes: votes,
            Resolutions: resolutions,
            Signatories: signatories)
        { QuorumNotMet = quorumNotMet, Consultative = meeting.Type == MeetingType.FourParty, AdjournedSessions = adjourned };
    }

    /// <summary>A closed ballot's stored result as the documents print it.</summary>
    public static VoteResult Vote(Ballot ballot, bool english)
    {
        var result = StoredResult(ballot);
        var thresholds = new[] { result.Rule.Quorum, result.Rule.Pass }.Where(t => t is not null)
            .Select(t => english ? t!.TextEn : t!.TextZh).ToList();
        return new VoteResult(ballot.Title, english ? result.Rule.TitleEn : result.Rule.TitleZh, thresholds, Headcount(result), Area(result),
            // A member vote (no areas) without the meeting's quorum at the close speaks of the members present.
            result.Outcome == TallyOutcome.NoDecision && result.Totals.Area is null
                && result.QuorumMet == false ? VoteOutcome.NoDecisionMembersAbsent : Outcome(result.Outcome));
    }

    public static TallyResult StoredResult(Ballot ballot) =>
        JsonSerializer.Deserialize<TallyResult>(ballot.ResultJson
            ?? throw new MinutesRuleException("ballotOpen", "表决尚未结束。", "The ballot is still open."),
            JsonSerializerOptions.Web)!;

    public static HeadcountTally Headcount(TallyResult r) =>
        new(r.Totals.Headcount, r.Participating.Headcount, r.Agree.Headcount, r.Disagree.Headcount, r.Abstain.Headcount, r.Deemed?.Headcount ?? 0);

    public static AreaTally? Area(TallyResult r) => r.Totals.Area is { } total
        ? new AreaTally(total, r.Participating.Area ?? 0, r.Agree.Area ?? 0, r.Disagree.Area ?? 0, r.Abstain.Area ?? 0)
        : null;

    public static VoteOutcome Outcome(TallyOutcome outcome) => outcome switch
    {
        TallyOutcome.Passed => VoteOutcome.Passed,
        TallyOutcome.Rejected => VoteOutcome.Rejected,
        _ => VoteOutcome.NoDecision,
    };
}
