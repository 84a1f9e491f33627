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
