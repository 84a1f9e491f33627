using Deliberate.Server.Minutes.Typesetting;

namespace Deliberate.Tests.Minutes;

public class LineBreakerTests
{
    // A plain metric: ideographs and full-width marks 1 unit, everything else half a unit, spaces a quarter.
    private static double Advance(int codePoint) => codePoint switch
    {
        ' ' => 0.25,
        < 0x2000 => 0.5,
        _ => 1.0,
    };

    private static List<string> Lines(string text, double width, string? preferBreakAfter = null) =>
        LineBreaker.Break(text, width, width, Advance, preferBreakAfter).Select(l => l.Text(text)).ToList();

    private const string ClosingMarks = "，。、；：？！）》」』”’,.;:!?)";
    private const string OpeningMarks = "（《「『“‘(";

    [Fact]
    public void Chinese_text_breaks_between_any_two_characters_when_the_line_is_full()
    {
        Assert.Equal(["一二三四", "五六七八", "九十"], Lines("一二三四五六七八九十", 4));
    }

    [Fact]
    public void A_line_break_loses_no_character_and_adds_none()
    {
        const string text = "社区党委统筹，业委会监督，物业实施，居民评价。四方共治（2026年）89.5%的居民满意。";
        for (var width = 2.0; width <= 20; width += 0.5)
            Assert.Equal(text, string.Concat(Lines(text, width)));
    }

    [Theory]
    [InlineData("PDFsharp")]
    [InlineData("89.5")]
    [InlineData("2026-11-23")]
    [InlineData("75.5%")]
    [InlineData("14:30")]
    [InlineData("1,000")]
    public void Latin_words_and_numbers_stay_whole(string token)
    {
        var text = $"经会议讨论，同意按{token}执行方案，并报送街道。";
        for (var width = token.Length * 0.5; width <= 16; width += 0.25)
        {
            var lines = Lines(text, width);
            Assert.Contains(lines, l => l.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Closing_punctuation_never_starts_a_line()
    {
        const string text = "他说：“好的。”我们同意（一）加装电梯、（二）停车管理；其余事项？会后再议！《议事规则》」已印发。";
        // From 3 units up: no run that may not be broken ("的。”", "（一）") is wider than a line.
        for (var width = 3.0; width <= 20; width += 0.5)
        {
            foreach (var line in Lines(text, width).Skip(1))
                Assert.DoesNotContain(line[0], ClosingMarks);
        }
    }

    [Fact]
    public void Opening_punctuation_never_ends_a_line()
    {
        const string text = "会议审议了《幸福里小区管理规约》（修订稿）和“停车管理办法”，同意（一）事项。";
        for (var width = 3.0; width <= 20; width += 0.5)
        {
            foreach (var line in Lines(text, width))
                Assert.DoesNotContain(line[^1], OpeningMarks);
        }
    }

    [Fact]
    public void The_character_before_a_closing_mark_is_pulled_down_with_it()
    {
        Assert.Equal(["一二三", "四。"], Lines("一二三四。", 4));
    }

    [Fact]
    public void An_opening_mark_that_would_end_a_line_moves_to_the_next()
    {
        Assert.Equal(["一二三", "（四）"], Lines("一二三（四）", 4));
    }

    [Fact]
    public void A_word_longer_than_the_line_is_cut_where_the_line_is_full()
    {
        const string word = "https://xingfuli.example/minutes/2026/q4/four-party-meeting";
        var lines = LineBreaker.Break(word, 5, 5, Advance);
        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.True(l.Width <= 5 + 1e-9));
        Assert.Equal(word, string.Concat(lines.Select(l => l.Text(word))));
    }

    [Fact]
    public void Spaces_at_a_break_vanish()
    {
        Assert.Equal(["hello", "world", "again"], Lines("hello world again", 3));
    }

    [Fact]
    public void A_line_feed_starts_a_new_line_and_ends_a_paragraph()
    {
        var lines = LineBreaker.Break("第一行\n第二行", 10, 10, Advance);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(l.EndsParagraph));
    }

    [Fact]
    public void A_list_of_names_breaks_after_the_enumeration_comma_rather_than_inside_a_name()
    {
        var lines = Lines("王建华、李晓雯、陈志刚、欧阳明月", 9, preferBreakAfter: "、");
        Assert.Equal(["王建华、李晓雯、", "陈志刚、欧阳明月"], lines);
    }

    [Fact]
    public void Lines_set_in_the_real_font_fit_the_width_measured_by_PDFsharp()
    {
        var style = DocumentStyles.Default.Body;
        const string text = "业委会支持加装电梯，建议费用按楼层梯度分摊：一层不分摊，二层系数0.5，三层1.0，四层1.3，五层1.5，六层1.7。";
        var lines = LineBreaker.Break(text, 432, style, firstLineIndent: 32);
        Assert.True(lines.Count >= 2);
        Assert.True(lines[0].Width <= 400 + 0.01);
        Assert.All(lines, l => Assert.True(l.Width <= 432 + 0.01));
        Assert.Equal(16, style.Measure("党"), 1);
    }
}
