namespace Deliberate.Server.Minutes;

/// <summary>
/// A ballot result notice (表决结果公告), posted after an owners' or residents' vote, typically
/// within 3 days and for 5–7 days.
/// </summary>
/// <param name="Matter">表决事项, e.g. "幸福里小区3号楼加装电梯".</param>
/// <param name="Rule">The rule's name, e.g. "《中华人民共和国民法典》第二百七十八条".</param>
/// <param name="Thresholds">Quorum and passing thresholds, worded by the tally capability.</param>
/// <param name="VotingStart">Start of the voting period (local time).</param>
/// <param name="VotingEnd">End of the voting period (local time).</param>
/// <param name="Headcount">Figures by head; <see cref="HeadcountTally.Eligible"/> is the electorate.</param>
/// <param name="Area">Figures by exclusive area, where the rule counts area.</param>
/// <param name="PostingStart">First day of the posting period (公示期).</param>
/// <param name="PostingEnd">Last day of the posting period.</param>
/// <param name="Issuer">Who issues the notice, e.g. "幸福里小区业主委员会".</param>
/// <param name="IssuedOn">Date of issue.</param>
public sealed record BallotNoticeDocument(
    string Matter,
    string Rule,
    IReadOnlyList<string> Thresholds,
    DateTimeOffset VotingStart,
    DateTimeOffset VotingEnd,
    HeadcountTally Headcount,
    AreaTally? Area,
    VoteOutcome Outcome,
    DateOnly PostingStart,
    DateOnly PostingEnd,
    string Issuer,
    DateOnly IssuedOn)
{
    /// <summary>Title; by default "关于“{Matter}”表决结果的公告".</summary>
    public string? Title { get; init; }

    /// <summary>Where objections go during the posting period, e.g. "业委会办公室（电话 0571-8888 6666）".</summary>
    public string? ObjectionContact { get; init; }

    /// <summary>What the owners voted on (表决议案), as announced, with its proposer and cost where recorded.</summary>
    public string? Proposal { get; init; }

    /// <summary>The proposal's kind under 民法典 Art. 278 ¶1, printed beside the matter.</summary>
    public string? Kind { get; init; }

    /// <summary>When the ballot was announced (公告), printed before the voting period.</summary>
    public DateOnly? AnnouncedOn { get; init; }

    /// <summary>The body and person that organised the vote, e.g. "社区居民委员会（在街道办事处指导下）（刘书记）".</summary>
    public string? Organiser { get; init; }

    /// <summary>Optional remark, e.g. how ballots were delivered and counted.</summary>
    public string? Note { get; init; }
}
