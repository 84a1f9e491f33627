using Deliberate.Server.Api;
using Deliberate.Server.Minutes.Typesetting;

namespace Deliberate.Server.Voting;

/// <summary>
/// 表决回执单: the slip the owners' committee prints for an owner whose proxy or paper ballot it entered, so that the
/// receipt reaches the owner and not the answer the member's screen shows. It names the units, how the vote came in
/// and the code — never the choice.
/// </summary>
public static class VoteSlip
{
    public static byte[] Render(Ballot ballot, IReadOnlyList<string> units, VoteChannel channel, string? proxyName,
        DateTimeOffset castAt, string receipt)
    {
        using var w = new DocumentWriter();
        var s = w.Styles;
        w.Centered("表决回执单", s.Title);
        w.Skip(s.Body.LineHeight);
        w.Field("表决事项：", ballot.Title);
        w.Field("房　　屋：", string.Join("、", units), isList: true);
        w.Field("投票方式：", channel == VoteChannel.Proxy ? $"委托投票（受托人：{proxyName}）" : "纸质选票");
        w.Field("录入时间：", ChinaTime.Minutes(castAt));
        w.Field("回 执 码：", receipt);
        w.Skip(s.Body.LineHeight);
        w.Paragraph("凭回执码可随时查询您的选票是否已计入（业主端“我的投票”，或 /api/ballots/" + ballot.Id +
            "/receipts/回执码）。回执码只用于查询，不能用来改票；允许改票的表决，业主本人登录后改票，改票以最后一次为准。");
        w.Paragraph("本回执单请交业主本人。");
        return w.ToPdf("表决回执单", ballot.Title, ChinaTime.Local(castAt).DateTime);
    }
}
