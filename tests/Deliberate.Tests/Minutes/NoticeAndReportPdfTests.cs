using Deliberate.Server.Minutes;

namespace Deliberate.Tests.Minutes;

public class NoticeAndReportPdfTests
{
    [Fact]
    public void A_ballot_notice_states_the_matter_rule_period_figures_outcome_and_posting_period()
    {
        var doc = MinutesSamples.ParkingBallotNotice();
        var pages = PdfReading.Pages(BallotNoticeRenderer.Render(doc));
        var text = string.Concat(pages.Select(p => p.Text));
        Assert.Contains("关于“幸福里小区地面停车收费标准调整方案”表决结果的公告", text);
        Assert.Contains("一、表决事项：幸福里小区地面停车收费标准调整方案。", text);
        Assert.Contains("《中华人民共和国民法典》第二百七十八条", text);
        Assert.Contains("2026年11月5日 09:00至2026年11月18日 18:00", text);
        Assert.Contains("应参与表决业主1486人，专有部分总面积138520.36平方米。", text);
        Assert.Contains("五、表决结果：通过。", text);
        Assert.Contains("自2026年11月21日至2026年11月27日，共7日。", text);
        Assert.Contains("幸福里小区业主委员会2026年11月20日", text);
        Assert.All(pages, p => Assert.Equal($"—{p.Number}—", p.FootText));
    }

    [Fact]
    public void A_ballot_notice_in_English_uses_English_labels()
    {
        var text = PdfReading.AllText(BallotNoticeRenderer.Render(MinutesSamples.ParkingBallotNotice(), "en-GB"));
        Assert.Contains("Notice of the Ballot Result", text);
        Assert.Contains("Posting period", text);
        Assert.Contains("5. Result: Passed.", text);
        Assert.DoesNotContain("公示期", text);
    }

    [Fact]
    public void A_closing_report_shows_the_timeline_results_and_rating()
    {
        var doc = MinutesSamples.FireLaneClosingReport();
        var text = PdfReading.AllText(ClosingReportRenderer.Render(doc));
        Assert.Contains("“小区东门消防通道被占用”事项办结报告", text);
        Assert.Contains("停车管理", text);
        foreach (var step in doc.Timeline)
        {
            Assert.Contains(step.Step, text);
            Assert.Contains(step.Detail, text);
        }
        foreach (var item in doc.Resolutions.Concat(doc.WorkItems))
        {
            Assert.Contains(item.Text, text);
            Assert.Contains(item.ResponsibleUnit, text);
        }
        Assert.Contains("满意基本满意不满意合计满意率", text);
        Assert.Contains("8621511295.54%", text); // 86 + 21 + 5 = 112, (86 + 21) / 112
        Assert.Contains("办结日期：2026年12月20日", text);
    }

    [Fact]
    public void A_closing_report_prints_a_rate_given_by_the_ratings_capability_with_its_definition()
    {
        var doc = MinutesSamples.FireLaneClosingReport() with
        {
            Rating = new RatingSummary(86, 21, 5) { Rate = 0.7679m, RateDefinition = "注：满意率＝满意÷评价总数。" },
        };
        var text = PdfReading.AllText(ClosingReportRenderer.Render(doc));
        Assert.Contains("76.79%", text);
        Assert.Contains("注：满意率＝满意÷评价总数。", text);
    }

    [Fact]
    public void Notices_and_reports_are_deterministic()
    {
        Assert.Equal(BallotNoticeRenderer.Render(MinutesSamples.ParkingBallotNotice()),
            BallotNoticeRenderer.Render(MinutesSamples.ParkingBallotNotice()));
        Assert.Equal(ClosingReportRenderer.Render(MinutesSamples.FireLaneClosingReport()),
            ClosingReportRenderer.Render(MinutesSamples.FireLaneClosingReport()));
    }
}
