using System.Text.RegularExpressions;
using Deliberate.Server.Minutes;

namespace Deliberate.Tests.Minutes;

public class MinutesPdfTests
{
    private static readonly Lazy<MinutesDocument> Sample = new(() =>
    {
        var sample = MinutesSamples.FourPartyMeeting();
        // A party organisation below the community's: "党支部" must come out of the PDF as written.
        return sample with { Attending = [.. sample.Attending, "幸福里小区第一党支部书记周明"] };
    });

    private static readonly Lazy<byte[]> SamplePdf = new(() => MinutesRenderer.Render(Sample.Value));
    private static readonly Lazy<byte[]> LongPdf = new(() => MinutesRenderer.Render(MinutesSamples.LongMeeting(agendaItems: 40, resolutions: 60)));

    [Fact]
    public void Fonts_are_embedded_as_subsets_with_Identity_H_encoding()
    {
        var pdf = SamplePdf.Value;
        var fonts = PdfReading.BaseFonts(pdf);
        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.Matches(new Regex(@"^[A-Z]{6}\+Noto (Serif|Sans) SC"), f));
        var raw = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.Contains("/Identity-H", raw);
        Assert.Contains("/FontFile2", raw);   // TrueType outlines, embedded
        Assert.Contains("/ToUnicode", raw);
        foreach (var page in PdfReading.Pages(pdf))
            Assert.All(page.Letters, l => Assert.Matches(new Regex(@"^[A-Z]{6}\+Noto"), l.FontName));
    }

    [Fact]
    public void Chinese_text_can_be_extracted_exactly()
    {
        var text = PdfReading.AllText(SamplePdf.Value);
        Assert.Contains("党支部", text);
        Assert.Contains("业委会", text);
        Assert.Contains("幸福里社区四方联席会议纪要", text);
        Assert.Contains("（2026年第四季度）", text);
        foreach (var resolution in Sample.Value.Resolutions)
        {
            Assert.Contains(resolution.Text, text);
            Assert.Contains(resolution.ResponsibleUnit, text);
        }
        Assert.Contains("2026年12月31日", text);
        Assert.Contains("民法典》第二百七十八条", text);
        Assert.Contains("88.24%", text);
    }

    [Fact]
    public void The_title_is_set_in_the_Song_face_at_22_points_and_the_body_at_16()
    {
        var page = PdfReading.Pages(SamplePdf.Value)[0];
        var title = page.Letters.First(l => l.Value == "幸");
        Assert.Equal(22, title.PointSize, 1);
        Assert.Contains("Serif", title.FontName);
        var body = page.Letters.First(l => l.Value == "时");
        Assert.Equal(16, body.PointSize, 1);
    }

    [Fact]
    public void Long_minutes_run_to_many_pages_each_numbered_in_its_foot()
    {
        var pages = PdfReading.Pages(LongPdf.Value);
        Assert.True(pages.Count >= 20, $"only {pages.Count} pages");
        foreach (var page in pages)
            Assert.Equal($"—{page.Number}—", page.FootText);
    }

    [Fact]
    public void Every_page_number_is_centred_below_the_type_area()
    {
        foreach (var page in PdfReading.Pages(LongPdf.Value))
        {
            var foot = page.Foot.ToList();
            var centre = (foot.Min(l => l.BoundingBox.Left) + foot.Max(l => l.BoundingBox.Right)) / 2;
            Assert.Equal((PdfReading.Left + PdfReading.Right) / 2, centre, 2);
            Assert.All(foot, l => Assert.True(l.BoundingBox.Top < PdfReading.Bottom - 5 * PdfReading.Mm));
        }
    }

    [Fact]
    public void A_resolutions_table_that_spans_pages_repeats_its_header_row_on_each_of_them()
    {
        var doc = MinutesSamples.LongMeeting(agendaItems: 1, resolutions: 80);
        var pages = PdfReading.Pages(MinutesRenderer.Render(doc));
        var tablePages = pages.Where(p => p.Text.Contains("（第", StringComparison.Ordinal) && Regex.IsMatch(p.Text, @"（第\d+条）")).ToList();
        Assert.True(tablePages.Count >= 3, $"the table is on {tablePages.Count} pages");
        foreach (var page in tablePages)
        {
            Assert.Contains("序号议定事项责任单位完成时限", page.Text);
            // The header row is the table's first row on the page: above every resolution on it.
            var headerTop = page.Letters.First(l => l.Value == "序").StartBaseLine.Y;
            var rowLetters = page.Letters.Where(l => l.Value == "第" && l.StartBaseLine.Y < PdfReading.Top).ToList();
            Assert.All(rowLetters, l => Assert.True(l.StartBaseLine.Y < headerTop));
        }
        // Every resolution is printed once, whole.
        var all = string.Concat(pages.Select(p => p.Text));
        foreach (var r in doc.Resolutions)
            Assert.Single(Regex.Matches(all, Regex.Escape(r.Text)));
    }

    [Fact]
    public void All_text_stays_inside_the_GB_T_9704_margins()
    {
        const double tolerance = 0.5;
        foreach (var pdf in new[] { SamplePdf.Value, LongPdf.Value, MinutesRenderer.Render(Sample.Value, "en") })
        {
            foreach (var page in PdfReading.Pages(pdf))
            {
                foreach (var letter in page.Body.Where(l => !string.IsNullOrWhiteSpace(l.Value)))
                {
                    var box = letter.BoundingBox;
                    Assert.True(box.Left >= PdfReading.Left - tolerance, $"'{letter.Value}' at x {box.Left:F1} on page {page.Number}");
                    Assert.True(box.Right <= PdfReading.Right + tolerance, $"'{letter.Value}' ends at x {box.Right:F1} on page {page.Number}");
                    Assert.True(box.Top <= PdfReading.Top + tolerance, $"'{letter.Value}' reaches y {box.Top:F1} on page {page.Number}");
                    Assert.True(box.Bottom >= PdfReading.Bottom - tolerance,
                        $"'{letter.Value}' reaches down to y {box.Bottom:F1} on page {page.Number}");
                }
            }
        }
    }

    [Fact]
    public void English_labels_are_used_when_asked_and_data_is_printed_as_given()
    {
        var text = PdfReading.AllText(MinutesRenderer.Render(Sample.Value, "en"));
        foreach (var label in new[] { "Minutes of", "Time:", "Venue:", "Chair:", "Recorder:", "Present:", "Apologies:", "Agenda", "Discussion",
            "Votes", "Resolutions", "Responsible", "Deadline", "Passed", "Chair (signature):" })
            Assert.Contains(label, text);
        foreach (var label in new[] { "时　间", "地　点", "会议议题", "讨论情况", "表决结果", "议定事项", "责任单位", "完成时限", "主持人（签字）" })
            Assert.DoesNotContain(label, text);
        Assert.Contains("业委会", text);
        Assert.Contains(Sample.Value.Resolutions[0].Text, text);
        Assert.Contains("31 December", text); // the year wraps in the narrow deadline column
    }

    [Fact]
    public void Chinese_labels_are_the_default()
    {
        var text = PdfReading.AllText(SamplePdf.Value);
        foreach (var label in new[] { "时　间：", "地　点：", "主持人：", "记录人：", "出　席：", "列　席：", "请　假：", "缺　席：", "应到13人，实到12人", "一、会议议题", "二、讨论情况", "三、表决结果",
            "四、议定事项", "责任单位", "完成时限", "主持人（签字）", "记录人（签字）", "参会各方签字" })
            Assert.Contains(label, text);
    }

    [Fact]
    public void Each_vote_shows_its_figures_rule_and_outcome()
    {
        var doc = Sample.Value with
        {
            Votes =
            [
                Sample.Value.Votes[0] with { Outcome = VoteOutcome.NoDecision },
                Sample.Value.Votes[1] with { Outcome = VoteOutcome.Rejected },
                Sample.Value.Votes[2],
            ],
        };
        var text = PdfReading.AllText(MinutesRenderer.Render(doc));
        Assert.Contains("表决结果：未形成决定", text);
        Assert.Contains("表决结果：未通过", text);
        Assert.Contains("表决结果：通过", text);
        Assert.Contains("同意", text);
        Assert.Contains("反对", text);
        Assert.Contains("弃权", text);
        Assert.Contains("138520.36", text);
        Assert.Contains("专有部分面积（㎡）", text);
        Assert.Contains("参与表决：专有部分面积占比三分之二以上", text);
    }

    [Fact]
    public void Equal_minutes_give_equal_bytes()
    {
        Assert.Equal(SamplePdf.Value, MinutesRenderer.Render(Sample.Value));
    }

    [Fact]
    public void Different_minutes_get_different_font_subset_tags()
    {
        var other = MinutesRenderer.Render(Sample.Value with { Place = "幸福里社区居委会会议室" });
        Assert.NotEqual(PdfReading.BaseFonts(SamplePdf.Value)[0][..6], PdfReading.BaseFonts(other)[0][..6]);
    }

    [Fact]
    public void Minutes_without_votes_or_resolutions_say_so()
    {
        var text = PdfReading.AllText(MinutesRenderer.Render(Sample.Value with { Votes = [], Resolutions = [] }));
        Assert.Contains("本次会议未进行表决。", text);
        Assert.Contains("本次会议未形成议定事项。", text);
    }

    [Fact]
    public void Minutes_can_be_rendered_from_many_threads_at_once()
    {
        var results = new byte[8][];
        Parallel.For(0, results.Length, i => results[i] = MinutesRenderer.Render(Sample.Value));
        Assert.All(results, r => Assert.Equal(SamplePdf.Value, r));
    }
}
