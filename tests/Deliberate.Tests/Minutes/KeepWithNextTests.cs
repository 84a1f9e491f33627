using Deliberate.Server.Minutes;
using Deliberate.Server.Minutes.Typesetting;

namespace Deliberate.Tests.Minutes;

/// <summary>
/// Keep-with-next in the typesetter (issue 17 §6): a heading that would sit alone at a page foot while its table moves on
/// goes to the next page with the table.
/// </summary>
public class KeepWithNextTests
{
    static readonly Table Signatures = new(
        [new("参与方", 3, TextAlignment.Center), new("签字", 5), new("日期", 3)],
        [["社区党组织", "", ""], ["社区居委会", "", ""], ["业主委员会", "", ""], ["物业服务企业", "", ""]])
    {
        MinRowHeight = 36,
        KeepTogether = true,
    };

    /// <summary>A page filled so that two body lines are left: room for the heading, not for the table.</summary>
    static List<PdfReading.PageText> Render(bool keepWithNext)
    {
        using var w = new DocumentWriter();
        w.Paragraph("会议记录正文。");
        w.Skip(w.ContentBottom - w.Y - 2 * w.Styles.Body.LineHeight);
        w.Paragraph("参会各方签字", firstLineIndent: 0, keepWithNext: keepWithNext ? w.TableLeadHeight(Signatures) : 0);
        w.Table(Signatures);
        return PdfReading.Pages(w.ToPdf("纪要", "测试", new DateTime(2026, 12, 6)));
    }

    static int PageOf(List<PdfReading.PageText> pages, string text) =>
        pages.First(p => string.Concat(p.Text.Where(c => !char.IsWhiteSpace(c))).Contains(text)).Number;

    [Fact]
    public void A_heading_that_would_sit_at_a_page_foot_moves_to_the_next_page_with_its_table()
    {
        var pages = Render(keepWithNext: true);
        Assert.Equal(2, pages.Count);
        Assert.Equal(2, PageOf(pages, "参会各方签字"));
        Assert.Equal(2, PageOf(pages, "社区党组织"));
    }

    [Fact]
    public void Without_keep_with_next_the_same_heading_is_orphaned_at_the_foot()
    {
        // The layout above does orphan the heading when nothing keeps it: the first test is not passing by accident.
        var pages = Render(keepWithNext: false);
        Assert.Equal(1, PageOf(pages, "参会各方签字"));
        Assert.Equal(2, PageOf(pages, "社区党组织"));
    }
}

/// <summary>The minutes print every motion of an item with its proposer, reason, cost and fate (issue 17 §6).</summary>
public class MinutesMotionTests
{
    [Fact]
    public void Every_motion_is_printed_with_its_proposer_reason_cost_and_fate_and_the_signature_heading_sits_with_its_table()
    {
        var sample = MinutesSamples.FourPartyMeeting();
        var first = sample.Agenda[0] with
        {
            Motions =
            [
                new("使用公共收益约3200元更换路灯", "周主任", "路灯不亮，老人夜间出行不便", 3200m, "提交业主表决"),
                new("由物业公司垫付维修费用", "吴经理", null, null, "未付表决"),
            ],
        };
        var pdf = MinutesRenderer.Render(sample with { Agenda = [first, .. sample.Agenda.Skip(1)] });
        var pages = PdfReading.Pages(pdf);
        var flat = System.Text.RegularExpressions.Regex.Replace(
            string.Concat(string.Concat(pages.Select(p => p.Text)).Where(c => !char.IsWhiteSpace(c))), @"—\d+—", "");
        Assert.Contains("动议：使用公共收益约3200元更换路灯（提议人：周主任；理由：路灯不亮，老人夜间出行不便；费用约3,200元）处理结果：提交业主表决。", flat);
        Assert.Contains("动议：由物业公司垫付维修费用（提议人：吴经理）处理结果：未付表决。", flat);
        // The heading shares its page with the first party's row of the table.
        var signing = pages.Select(p => p.Text.Replace(" ", "")).Single(t => t.Contains("参会各方签字"));
        var firstParty = sample.Signatories.Count > 0 ? sample.Signatories[0] : sample.Present[0].Party;
        Assert.Contains(firstParty, signing[signing.IndexOf("参会各方签字", StringComparison.Ordinal)..]);
    }
}
