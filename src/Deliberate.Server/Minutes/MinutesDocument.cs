namespace Deliberate.Server.Minutes;

/// <summary>
/// What the minutes (会议纪要) of a meeting print. The meetings capability fills it; the text in it
/// is printed as given, in whatever language it was written.
/// </summary>
/// <param name="MeetingName">The meeting, e.g. "幸福里社区四方联席会议"; the title adds "纪要" (or "会议纪要").</param>
/// <param name="Start">Start, in the community's local time (its offset is kept as given).</param>
/// <param name="End">End, when known.</param>
/// <param name="Place">地点.</param>
/// <param name="Chair">主持人, e.g. "王建华（社区党委书记）".</param>
/// <param name="Recorder">记录人.</param>
/// <param name="Present">出席: each party with the names of those present for it.</param>
/// <param name="Attending">列席: present without a vote.</param>
/// <param name="OnLeave">请假.</param>
/// <param name="Absent">缺席.</param>
/// <param name="ExpectedCount">应到.</param>
/// <param name="PresentCount">实到.</param>
/// <param name="Agenda">议题, in order; each with the parties' opinions (讨论情况).</param>
/// <param name="Votes">表决结果.</param>
/// <param name="Resolutions">议定事项.</param>
/// <param name="Signatories">Parties that sign the minutes; when empty, the parties in <paramref name="Present"/>.</param>
public sealed record MinutesDocument(
    string MeetingName,
    DateTimeOffset Start,
    DateTimeOffset? End,
    string Place,
    string Chair,
    string Recorder,
    IReadOnlyList<PartyAttendance> Present,
    IReadOnlyList<string> Attending,
    IReadOnlyList<string> OnLeave,
    IReadOnlyList<string> Absent,
    int ExpectedCount,
    int PresentCount,
    IReadOnlyList<AgendaItem> Agenda,
    IReadOnlyList<VoteResult> Votes,
    IReadOnlyList<Resolution> Resolutions,
    IReadOnlyList<string> Signatories)
{
    /// <summary>Optional line under the title, e.g. "（2026年第四季度）" or "（第4期）".</summary>
    public string? Issue { get; init; }

    /// <summary>
    /// Set when the meeting lacked its quorum: what the quorum needed and how many came, e.g. "须过半数受邀方有人出席（应到 5 方，
    /// 至少 3 方），实到 1 方". The minutes then say the meeting could only discuss, in place of any decision.
    /// </summary>
    public string? QuorumNotMet { get; init; }

    /// <summary>
    /// A four-party joint meeting: its resolutions are consultative, so the minutes say 经协商，形成以下共识 (not 议定)
    /// and print under each resolution the parties' positions and the consensus.
    /// </summary>
    public bool Consultative { get; init; }

    /// <summary>Earlier sessions adjourned without their quorum, each in one sentence (date, who came, the quorum).</summary>
    public IReadOnlyList<string> AdjournedSessions { get; init; } = [];
}

/// <summary>A party (社区党委, 业委会, 物业公司, 居民代表…) and the names of those present for it.</summary>
public sealed record PartyAttendance(string Party, IReadOnlyList<string> Names);

/// <summary>An agenda item (议题) and its discussion: each party's opinion, and the chair's summing-up.</summary>
public sealed record AgendaItem(string Title, IReadOnlyList<PartyOpinion> Opinions)
{
    /// <summary>Optional conclusion of the discussion (主持人小结).</summary>
    public string? Conclusion { get; init; }

    /// <summary>Every motion recorded on the item, in the order recorded, with what became of it.</summary>
    public IReadOnlyList<MotionRecord> Motions { get; init; } = [];
}

/// <summary>A motion (动议) as the minutes print it: its text, proposer, reason and cost where recorded, and its fate in words.</summary>
public sealed record MotionRecord(string Text, string ProposedBy, string? Reason, decimal? Cost, string Fate);

public sealed record PartyOpinion(string Party, string Opinion);

/// <summary>
/// One vote and its result. <paramref name="Thresholds"/> are printed as given (the tally
/// capability words them, e.g. "参与表决：专有部分面积和人数均占三分之二以上").
/// </summary>
/// <param name="Subject">What was voted on.</param>
/// <param name="Rule">The rule's name, e.g. "《中华人民共和国民法典》第二百七十八条（一般事项）".</param>
/// <param name="Headcount">Figures by head.</param>
/// <param name="Area">Figures by exclusive area (㎡), where the rule counts area.</param>
public sealed record VoteResult(
    string Subject,
    string Rule,
    IReadOnlyList<string> Thresholds,
    HeadcountTally Headcount,
    AreaTally? Area,
    VoteOutcome Outcome)
{
    /// <summary>Optional remark printed under the figures.</summary>
    public string? Note { get; init; }
}

/// <param name="Eligible">All who may vote (全体业主 / 应参与).</param>
/// <param name="Participating">Those who took part (参与表决).</param>
/// <param name="DeemedAgree">Of <paramref name="Agree"/>, non-voters deemed to follow the majority, where the community's rules say so.</param>
public sealed record HeadcountTally(int Eligible, int Participating, int Agree, int Disagree, int Abstain, int DeemedAgree = 0);

/// <summary>Exclusive area in square metres.</summary>
public sealed record AreaTally(decimal Eligible, decimal Participating, decimal Agree, decimal Disagree, decimal Abstain);

public enum VoteOutcome
{
    /// <summary>通过.</summary>
    Passed,

    /// <summary>未通过.</summary>
    Rejected,

    /// <summary>未形成决定: the quorum was not met.</summary>
    NoDecision,

    /// <summary>未形成决议: a member vote whose meeting had too few members present at the close.</summary>
    NoDecisionMembersAbsent,
}

/// <summary>A resolution (议定事项) with its responsible unit (责任单位) and deadline (完成时限).</summary>
public sealed record Resolution(string Text, string ResponsibleUnit, DateOnly? Deadline)
{
    /// <summary>A four-party meeting's resolution: each party's position, e.g. ("社区党组织", "同意（费用由公共收益列支）").</summary>
    public IReadOnlyList<PartyOpinion> Positions { get; init; } = [];
    /// <summary>A four-party meeting's resolution: "达成共识", or "未达成共识：" with what remains open; null when not recorded.</summary>
    public string? Consensus { get; init; }
}
