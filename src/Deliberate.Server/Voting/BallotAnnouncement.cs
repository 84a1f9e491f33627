using System.Text;
using Deliberate.Server.Api;
using Deliberate.Server.Notices;

namespace Deliberate.Server.Voting;

/// <summary>
/// The public notice (公告) of an owners' ballot, posted in its community when it is made and up until it closes: the full
/// agenda, the rule in words, the voting period, who organised it, and whether it is secret and allows changing a vote.
/// </summary>
public static class BallotAnnouncement
{
    public static Notice Notice(Ballot ballot, Guid communityId, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), communityId, NoticeKind.BallotAnnouncement, $"业主表决公告：{ballot.Title}", Text(ballot), now, ballot.ClosesAt,
            ballot.MatterId, ballot.MeetingId, ballot.Id, ballot.CreatedById);

    public static string Text(Ballot ballot)
    {
        // Custom rules too: the owners are told the quorum and the threshold in words, never only "see the details".
        var rule = TallyRules.Describe(ballot.Rule, ballot.CustomRuleJson, owners: true);
        var text = new StringBuilder();
        text.AppendLine($"表决事项：{ballot.Title}");
        if (!string.IsNullOrWhiteSpace(ballot.Description)) text.AppendLine($"事项说明：{ballot.Description}");
        // What the owners vote on, why, what it costs and who proposed it: the 15 days' notice is for reading these.
        if (!string.IsNullOrWhiteSpace(ballot.ProposalText)) text.AppendLine($"表决议案：{ballot.ProposalText}");
        if (!string.IsNullOrWhiteSpace(ballot.ProposalReason)) text.AppendLine($"提议理由：{ballot.ProposalReason}");
        if (ballot.ProposalCost is { } cost) text.AppendLine($"预计费用：{cost:#,0.##} 元");
        if (!string.IsNullOrWhiteSpace(ballot.ProposedBy)) text.AppendLine($"提议人：{ballot.ProposedBy}");
        if (ProposalKinds.Label(ballot.Kind, english: false) is { } kind) text.AppendLine($"事项类别：{kind}");
        if (rule is not null)
        {
            text.AppendLine($"表决规则：{rule.TitleZh}");
            if (rule.Quorum is { } quorum) text.AppendLine($"　参与条件：{quorum.TextZh}");
            text.AppendLine($"　通过条件：{rule.Pass.TextZh}");
        }
        else text.AppendLine("表决规则：自定义规则（见表决详情）");
        text.AppendLine($"公告日期：{ChinaTime.ChineseDateTime(ballot.CreatedAt)}");
        text.AppendLine($"投票期间：{ChinaTime.ChineseDateTime(ballot.OpensAt)} 至 {ChinaTime.ChineseUntil(ballot.ClosesAt)}（北京时间）");
        if (ballot.OrganiserBody is not null) text.AppendLine($"组织者：{BallotTiming.OrganiserZh(ballot)}");
        text.AppendLine($"投票方式：{(ballot.Secret ? "无记名投票" : "记名投票")}；{(ballot.AllowRevote ? "截止前可以改票" : "投票后不可更改")}");
        text.Append("表决结果将在投票截止后三日内公告。");
        return text.ToString();
    }
}
