using System.Globalization;
using Deliberate.Server.Api;

namespace Deliberate.Server.Minutes;

/// <summary>
/// Every fixed label of the documents, in zh-CN and English, and how dates, figures and head
/// numbers are written in each. Data text is never translated.
/// </summary>
public sealed class DocumentLabels
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private DocumentLabels(bool english) => IsEnglish = english;

    public static DocumentLabels Chinese { get; } = new(english: false);
    public static DocumentLabels English { get; } = new(english: true);

    /// <summary>"en", "en-US", "en-GB"… give English; anything else the default, zh-CN.</summary>
    public static DocumentLabels For(string? language) =>
        language is not null && (language.Equals("en", StringComparison.OrdinalIgnoreCase)
                                 || language.StartsWith("en-", StringComparison.OrdinalIgnoreCase))
            ? English
            : Chinese;

    public bool IsEnglish { get; }

    private string T(string zh, string en) => Text.In(IsEnglish, zh, en);

    // ---- shared -------------------------------------------------------------------------------

    public string None => T("无", "None");
    public string ListSeparator => T("、", ", ");
    public string ClauseSeparator => T("；", "; ");
    public string FullStop => T("。", ".");
    public string NotApplicable => "—";
    public string Colon => T("：", ": ");

    public string Join(IEnumerable<string> items)
    {
        var list = items.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        return list.Count == 0 ? None : string.Join(ListSeparator, list);
    }

    /// <summary>Head numbers after GB/T 9704: 一、 （一） 1. (1); in English 1. (1) (a) (i).</summary>
    public string HeadNumber(int level, int n) => (level, IsEnglish) switch
    {
        (1, false) => ChineseNumeral(n) + "、",
        (2, false) => "（" + ChineseNumeral(n) + "）",
        (3, false) => n.ToString(Invariant) + "．", // full-width, so "1．3号楼" cannot read as 1.3
        (_, false) => "(" + n.ToString(Invariant) + ")",
        (1, true) => n.ToString(Invariant) + ". ",
        (2, true) => "(" + n.ToString(Invariant) + ") ",
        (3, true) => "(" + (char)('a' + (n - 1) % 26) + ") ",
        (_, true) => "(" + RomanNumeral(n) + ") ",
    };

    public static string ChineseNumeral(int n)
    {
        const string digits = "零一二三四五六七八九";
        if (n is < 1 or > 999)
            return n.ToString(Invariant);
        if (n < 10)
            return digits[n].ToString();
        if (n < 100)
        {
            var tens = n / 10;
            var ones = n % 10;
            return (tens == 1 ? "" : digits[tens].ToString()) + "十" + (ones == 0 ? "" : digits[ones].ToString());
        }
        var hundreds = n / 100;
        var rest = n % 100;
        var text = digits[hundreds] + "百";
        if (rest == 0)
            return text;
        if (rest < 10)
            return text + "零" + digits[rest];
        return text + (rest < 20 ? "一" : "") + ChineseNumeral(rest);
    }

    private static string RomanNumeral(int n)
    {
        var numerals = new[] { (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i") };
        var result = "";
        foreach (var (value, letters) in numerals)
        {
            while (n >= value)
            {
                result += letters;
                n -= value;
            }
        }
        return result;
    }

    public string Date(DateOnly date) => IsEnglish
        ? date.ToString("d MMMM yyyy", Invariant)
        : $"{date.Year}年{date.Month}月{date.Day}日";

    public string Date(DateTimeOffset at) => Date(DateOnly.FromDateTime(at.DateTime));

    public string DateTime(DateTimeOffset at) => IsEnglish
        ? $"{Date(at)}, {at.ToString("HH:mm", Invariant)}"
        : $"{Date(at)} {at.ToString("HH:mm", Invariant)}";

    public string Weekday(DayOfWeek day) => IsEnglish
        ? day.ToString()
        : "星期" + "日一二三四五六"[(int)day];

    /// <summary>"2026年11月20日（星期五）14:30—16:30" / "Friday, 20 November 2026, 14:30–16:30".</summary>
    public string MeetingTime(DateTimeOffset start, DateTimeOffset? end)
    {
        var startTime = start.ToString("HH:mm", Invariant);
        string endTime;
        if (end is null)
            endTime = "";
        else if (DateOnly.FromDateTime(end.Value.DateTime) == DateOnly.FromDateTime(start.DateTime))
            endTime = T("—", "–") + end.Value.ToString("HH:mm", Invariant);
        else
            endTime = T("至", " to ") + DateTime(end.Value);
        return IsEnglish
            ? $"{Weekday(start.DayOfWeek)}, {Date(start)}, {startTime}{endTime}"
            : $"{Date(start)}（{Weekday(start.DayOfWeek)}）{startTime}{endTime}";
    }

    public string Period(DateTimeOffset start, DateTimeOffset end) =>
        T($"{DateTime(start)}至{DateTime(end)}", $"{DateTime(start)} to {DateTime(end)}");

    public string Period(DateOnly start, DateOnly end) => T($"{Date(start)}至{Date(end)}", $"{Date(start)} to {Date(end)}");

    public string Deadline(DateOnly? date) => date is null ? NotApplicable : Date(date.Value);

    public static string Count(int n) => n.ToString(Invariant);

    public static string Area(decimal squareMetres) => squareMetres.ToString("0.00", Invariant);

    /// <summary>A share in per cent with two decimals (66.67%), so a result near a bound reads right.</summary>
    public string Share(decimal part, decimal whole) =>
        whole == 0 ? NotApplicable : (part / whole * 100).ToString("0.00", Invariant) + "%";

    public string Outcome(VoteOutcome outcome) => outcome switch
    {
        VoteOutcome.Passed => T("通过", "Passed"),
        VoteOutcome.Rejected => T("未通过", "Rejected"),
        VoteOutcome.NoDecision => T("未形成决定（参与表决未达规定比例）", "No decision (quorum not met)"),
        VoteOutcome.NoDecisionMembersAbsent => T("未形成决议（出席成员人数未达法定比例）", "No decision (not enough members present)"),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    // ---- minutes ------------------------------------------------------------------------------

    public string MinutesTitle(string meetingName)
    {
        if (IsEnglish)
            return "Minutes of " + meetingName;
        if (meetingName.EndsWith("纪要", StringComparison.Ordinal))
            return meetingName;
        return meetingName.EndsWith("会议", StringComparison.Ordinal) ? meetingName + "纪要" : meetingName + "会议纪要";
    }

    public string MinutesSubject => T("会议纪要", "Minutes");
    public string Time => T("时　间：", "Time: ");
    public string Place => T("地　点：", "Venue: ");
    public string Chair => T("主持人：", "Chair: ");
    public string Recorder => T("记录人：", "Recorder: ");
    public string Present => T("出　席：", "Present: ");
    public string Attending => T("列　席：", "In attendance: ");
    public string OnLeave => T("请　假：", "Apologies: ");
    public string Absent => T("缺　席：", "Absent: ");
    public string Attendance => T("人　数：", "Attendance: ");

    public string AttendanceFigures(int expected, int present) =>
        T($"应到{expected}人，实到{present}人", $"{present} present of {expected} expected");

    public string PartyNames(string party, IReadOnlyList<string> names) => party + Colon + Join(names);

    public string AgendaSection => T("会议议题", "Agenda");
    public string DiscussionSection => T("讨论情况", "Discussion");
    public string VotesSection => T("表决结果", "Votes");
    public string ResolutionsSection => T("议定事项", "Resolutions");

    public string NoAgenda => T("本次会议无议题。", "There was no agenda item.");
    public string NoOpinions => T("各方无意见。", "No party stated an opinion.");
    public string NoVotes => T("本次会议未进行表决。", "No vote was taken.");
    public string NoResolutions => T("本次会议未形成议定事项。", "The meeting made no resolutions.");
    public string Quorum => T("法定人数", "Quorum");
    // The field's label already says 法定人数: the value starts with what happened to it.
    public string QuorumNotMet(string detail) => T($"未达到（{detail}）。", $"Not met ({detail}).");
    public string QuorumLostAtClose(string detail) => T($"表决开始时已达到；其后出席成员减少，会议结束时未达到（{detail}）。",
        $"Met when the vote opened; members left afterwards and it was not met at the close ({detail}).");
    public string QuorumLostAfterVotes =>
        T("表决开始后出席成员减少，出席未达到法定人数，此后会议未形成决议；出席不足时结束的表决未形成决议。",
            "Members left after the vote opened and the quorum was lost: the meeting recorded no resolution after that, and a vote closed without "
                + "the quorum made no decision.");
    public string AdjournedSession(string date, string present, string? quorumNotMet) => quorumNotMet is not null
        ? T($"本次会议曾于 {date} 开会，因出席未达到法定人数（{quorumNotMet}）休会改期。当时出席：{present}。",
            $"The meeting first sat on {date} and was adjourned as the quorum was not met ({quorumNotMet}). Present then: {present}.")
        : T($"本次会议曾于 {date} 开会，休会改期。当时出席：{present}。", $"The meeting first sat on {date} and was adjourned. Present then: {present}.");
    public string QuorumNotMetDetail(string ruleZh, string ruleEn, int counted, int of, int required, bool parties) => parties
        ? T($"须{ruleZh}：应到 {of} 方，至少 {required} 方，实到 {counted} 方", $"{ruleEn} needed: at least {required} of {of} parties, {counted} present")
        : T($"须{ruleZh}：应到 {of} 人，至少 {required} 人，实到 {counted} 人", $"{ruleEn} needed: at least {required} of {of} members, {counted} present");
    public string NoDecisionWithoutQuorum(string present) =>
        T($"因出席未达到法定人数，本次会议只进行了讨论，未形成决议，也未进行表决。出席：{present}。",
            $"As the quorum was not met, the meeting only discussed: it recorded no resolution and took no vote. Present: {present}.");
    public string ResolutionsIntro => T("经会议研究，议定以下事项：", "The meeting resolved as follows:");
    public string ConsultativeSection => T("协商共识", "Outcome of the consultation");
    public string ConsultativeIntro => T("经协商，形成以下共识：", "After consultation, the parties concluded as follows:");
    public string NoConsensusRecords => T("本次会议未形成协商共识。", "The consultation reached no conclusion on record.");
    public string PositionsLead => T("各方立场：", "Positions: ");
    public string ConsensusLead => T("共识情况：", "Consensus: ");
    public string ConsensusText(bool consensus, string? outstanding) => consensus
        ? T("达成共识。", "Consensus reached.")
        : T($"未达成共识，尚待解决：{outstanding}", $"No consensus; still open: {outstanding}");

    public string ChairSummary => T("主持人小结：", "Chair's summary: ");
    public string MotionLead => T("动议：", "Motion: ");

    /// <summary>
    /// A motion's particulars after its text: "（提议人：周主任；理由：……；费用约 3,200 元）处理结果：提交业主表决" —
    /// the proposer, the reason and the cost where recorded, then what became of it.
    /// </summary>
    public string MotionParticulars(string proposedBy, string? reason, decimal? cost, string fate)
    {
        var parts = new List<string> { T("提议人：", "proposed by ") + proposedBy };
        if (!string.IsNullOrWhiteSpace(reason)) parts.Add(T("理由：", "reason: ") + reason);
        if (cost is { } c) parts.Add(T($"费用约 {c.ToString("#,0.##", Invariant)} 元", $"cost about {c.ToString("#,0.##", Invariant)} yuan"));
        return T("（" + string.Join("；", parts) + "）处理结果：" + fate + "。",
            " (" + string.Join("; ", parts) + "). Outcome: " + fate + ".");
    }
    public string PartyLead(string party) => party + Colon;

    public string Rule => T("表决规则：", "Rule: ");
    public string Thresholds => T("表决门槛：", "Thresholds: ");
    public string Result => T("表决结果：", "Result: ");
    public string DeemedNote(int n) => T($"其中未投票视为同意{n}人", $"including {n} non-voters deemed to agree");

    public string FigureItem => T("项目", "Item");
    public string Headcount => T("人数", "Heads");
    public string AreaColumn => T("专有部分面积（㎡）", "Exclusive area (m²)");
    public string ShareColumn => T("占比", "Share");
    public string Eligible => T("全体（应参与）", "Eligible");
    public string Participating => T("参与表决", "Participating");
    public string Agree => T("同意", "Agree");
    public string Disagree => T("反对", "Disagree");
    public string Abstain => T("弃权", "Abstain");
    public string ShareNote => T("注：参与表决的占比以全体为基数，同意、反对、弃权的占比以参与表决为基数。",
        "Note: the participating share is of all eligible; agree, disagree and abstain are shares of those participating.");

    public string SerialNumber => T("序号", "No.");
    public string ResolutionColumn => T("议定事项", "Resolution");
    public string ResponsibleUnit => T("责任单位", "Responsible unit");
    public string DeadlineColumn => T("完成时限", "Deadline");

    public string ChairSignature => T("主持人（签字）：", "Chair (signature): ");
    public string RecorderSignature => T("记录人（签字）：", "Recorder (signature): ");
    public string DateLabel => T("日期：", "Date: ");
    public string DatePlaceholder => T("　　　　年　　月　　日", "____________");
    public string PartiesSignatures => T("参会各方签字：", "Signatures of the parties:");
    public string PartyColumn => T("参会方", "Party");
    public string SignatureColumn => T("签字", "Signature");
    public string DateColumn => T("日期", "Date");

    // ---- ballot notice ------------------------------------------------------------------------

    public string BallotNoticeTitle(string matter) => T($"关于“{matter}”表决结果的公告", $"Notice of the Ballot Result: {matter}");
    public string BallotNoticeSubject => T("表决结果公告", "Ballot result notice");

    public string BallotIntro(string issuer, string matter, DateTimeOffset start, DateTimeOffset end) => T(
        $"{issuer}于{DateTime(start)}至{DateTime(end)}组织对“{matter}”进行了表决。现将表决结果公告如下：",
        $"From {DateTime(start)} to {DateTime(end)}, {issuer} held a ballot on “{matter}”. The result is announced as follows.");

    public string MatterSection => T("表决事项", "Matter");
    public string ProposalSection => T("表决议案", "Proposal");

    /// <summary>"使用公共收益约3200元更换路灯（提议人：周主任；费用约 3,200 元）": the proposal with its proposer and cost where recorded.</summary>
    public string ProposalText(string text, string? proposedBy, decimal? cost)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(proposedBy)) parts.Add(T("提议人：", "proposed by ") + proposedBy);
        if (cost is { } c) parts.Add(T($"费用约 {c.ToString("#,0.##", Invariant)} 元", $"cost about {c.ToString("#,0.##", Invariant)} yuan"));
        return parts.Count == 0 ? text : text + T("（" + string.Join("；", parts) + "）", " (" + string.Join("; ", parts) + ")");
    }
    public string RuleSection => T("表决规则", "Rule");
    public string VotingPeriodSection => T("表决期间", "Voting period");
    public string AnnouncedSection => T("公告日期", "Announced on");
    public string OrganiserSection => T("组织者", "Organised by");
    public string FiguresSection => T("表决情况", "Figures");
    public string ResultSection => T("表决结果", "Result");
    public string PostingSection => T("公示期", "Posting period");

    public string Electorate(int headcount, decimal? area) => (area, IsEnglish) switch
    {
        (null, false) => $"应参与表决{headcount}人。",
        (null, true) => $"Eligible to vote: {headcount}.",
        (_, false) => $"应参与表决业主{headcount}人，专有部分总面积{Area(area.Value)}平方米。",
        (_, true) => $"Eligible owners: {headcount}; total exclusive area: {Area(area.Value)} m².",
    };

    public string Posting(DateOnly from, DateOnly to, string? contact)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var text = T($"自{Date(from)}至{Date(to)}，共{days}日。", $"From {Date(from)} to {Date(to)} ({days} days).");
        if (!string.IsNullOrWhiteSpace(contact))
            text += T($"公示期内对表决结果有异议的，请向{contact}反映。", $" Objections to the result may be raised during the posting period with {contact}.");
        return text;
    }

    // ---- closing report -----------------------------------------------------------------------

    public string ClosingReportTitle(string matter) => T($"“{matter}”事项办结报告", $"Closing Report: {matter}");
    public string ClosingReportSubject => T("事项办结报告", "Closing report");
    public string MatterName => T("事项名称：", "Matter: ");
    public string Reference => T("事项编号：", "Reference: ");
    public string Category => T("事项类别：", "Category: ");
    public string MatterPlace => T("地　　点：", "Place: ");
    public string RaisedOn => T("提出日期：", "Raised on: ");
    public string ClosedOn => T("办结日期：", "Closed on: ");

    public string TimelineSection => T("办理过程", "Course of handling");
    public string ResolutionResultsSection => T("议定事项落实情况", "Resolutions carried out");
    public string WorkItemsSection => T("工作事项完成情况", "Work items");
    public string RatingSection => T("群众评价", "Residents' rating");
    public string ConclusionSection => T("办结意见", "Conclusion");

    public string TimeColumn => T("时间", "Date");
    public string StepColumn => T("环节", "Step");
    public string ActorColumn => T("办理人", "By");
    public string DetailColumn => T("办理情况", "Details");
    public string ItemColumn => T("事项", "Item");
    public string ResultColumn => T("完成情况", "Result");
    public string CompletedOn(DateOnly date) => T($"（{Date(date)}完成）", $" (completed {Date(date)})");
    public string NoItems => T("无。", "None.");

    public string Satisfied => T("满意", "Satisfied");
    public string BasicallySatisfied => T("基本满意", "Basically satisfied");
    public string Dissatisfied => T("不满意", "Dissatisfied");
    public string TotalRatings => T("合计", "Total");
    public string SatisfactionRate => T("满意率", "Satisfaction rate");
    public string DefaultRateDefinition => T("注：满意率＝（满意＋基本满意）÷评价总数。", "Note: satisfaction rate = (satisfied + basically satisfied) ÷ all ratings.");

    public string Rate(decimal? fraction) => fraction is null ? NotApplicable : (fraction.Value * 100).ToString("0.00", Invariant) + "%";
}
