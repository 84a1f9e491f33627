namespace Deliberate.Server.Minutes.Typesetting;

/// <summary>One laid-out line: a range of the source text (without the spaces around a break).</summary>
/// <param name="EndsParagraph">The last line of a paragraph or before a hard line break; it is never justified.</param>
public readonly record struct TextLine(int Start, int Length, double Width, bool EndsParagraph)
{
    public string Text(string source) => source.Substring(Start, Length);
}

/// <summary>
/// Breaks Chinese (and mixed Latin) text into lines. A break may fall between any two CJK
/// characters; Latin words, numbers (89.5, 2026-11-23, 75%) and other runs of letters and digits
/// stay whole; spaces are break points and vanish at a line's end. Kinsoku: closing punctuation
/// (，。、）》」 and the like) never starts a line and opening punctuation (（《「“) never ends one;
/// when the fitting break would do that, the break moves back and the character before is pulled
/// down to the next line. A run that cannot fit a line by itself (a very long word or address) is
/// cut where the line is full.
/// </summary>
public static class LineBreaker
{
    private const double Tolerance = 0.01;

    private const string ClosingChars =
        "，。、；：？！）》」』】〕〉〗〙〛｝］．％‰℃°′″”’々〻ゝゞヽヾーぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ｡､,.;:!?)]}";

    private const string OpeningChars = "（《「『【〔〈〖〘〚｛［“‘([{￥＄¥$£€";

    // Joins both neighbours: the middle dot inside transliterated names (阿依古丽·买买提).
    private const string GlueChars = "·・‧";

    // A pair of these (—— and ……) is one mark and is never split.
    private const string DoubledChars = "—…⸺";

    /// <summary>Breaks <paramref name="text"/> into lines of at most the given widths.</summary>
    /// <param name="firstLineWidth">Width available to the first line (less when it is indented).</param>
    /// <param name="otherLineWidth">Width available to every further line.</param>
    /// <param name="advance">Advance width of a code point in the font used.</param>
    /// <param name="preferBreakAfter">
    /// Characters after which a break is taken whenever the line has one, e.g. "、" in a list of names
    /// so that no name is split; other break points serve only when there is none.
    /// </param>
    public static List<TextLine> Break(string text, double firstLineWidth, double otherLineWidth, Func<int, double> advance,
        string? preferBreakAfter = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(advance);
        var lines = new List<TextLine>();
        var segmentStart = 0;
        while (true)
        {
            var newline = text.IndexOf('\n', segmentStart);
            var segmentEnd = newline < 0 ? text.Length : newline;
            var contentEnd = segmentEnd > segmentStart && text[segmentEnd - 1] == '\r' ? segmentEnd - 1 : segmentEnd;
            BreakSegment(text, segmentStart, contentEnd, firstLineWidth, otherLineWidth, advance, preferBreakAfter, lines);
            if (newline < 0)
                break;
            segmentStart = newline + 1;
        }
        return lines;
    }

    /// <summary>Breaks text set in <paramref name="style"/> with an optional first-line indent.</summary>
    public static List<TextLine> Break(string text, double width, TextStyle style, double firstLineIndent = 0) =>
        Break(text, width - firstLineIndent, width, style.Advance);

    private static void BreakSegment(string text, int start, int end, double firstWidth, double otherWidth,
        Func<int, double> advance, string? preferBreakAfter, List<TextLine> lines)
    {
        var lineStart = SkipSpaces(text, start, end);
        if (lineStart >= end)
        {
            lines.Add(new TextLine(start, 0, 0, EndsParagraph: true));
            return;
        }

        while (lineStart < end)
        {
            var max = lines.Count == 0 ? firstWidth : otherWidth;
            var width = 0.0;
            var lastBreak = -1;
            var lastPreferred = -1;
            var pos = lineStart;
            var brokeAt = -1;
            while (pos < end)
            {
                var size = ClusterLength(text, pos, end);
                if (pos > lineStart && CanBreakBefore(text, pos))
                {
                    lastBreak = pos;
                    if (preferBreakAfter is not null && preferBreakAfter.Contains(text[pos - 1]))
                        lastPreferred = pos;
                }
                var w = advance(CodePoint(text, pos));
                if (width + w > max + Tolerance && pos > lineStart && !IsSpace(text[pos]))
                {
                    // Break at the last opportunity; with none (one long word), cut where it overflows.
                    brokeAt = lastPreferred > lineStart ? lastPreferred : lastBreak > lineStart ? lastBreak : pos;
                    break;
                }
                width += w;
                pos += size;
            }

            if (brokeAt < 0)
            {
                var lastEnd = TrimEnd(text, lineStart, end);
                lines.Add(new TextLine(lineStart, lastEnd - lineStart, Measure(text, lineStart, lastEnd, advance), EndsParagraph: true));
                return;
            }

            var lineEnd = TrimEnd(text, lineStart, brokeAt);
            lines.Add(new TextLine(lineStart, lineEnd - lineStart, Measure(text, lineStart, lineEnd, advance), EndsParagraph: false));
            lineStart = SkipSpaces(text, brokeAt, end);
        }

        // Only spaces were left after the last break: that line still ends the paragraph.
        var last = lines[^1];
        lines[^1] = last with { EndsParagraph = true };
    }

    /// <summary>
    /// Whether a line may start at <paramref name="index"/>, i.e. break between the character before
    /// it and the character at it.
    /// </summary>
    public static bool CanBreakBefore(string text, int index)
    {
        if (index <= 0 || index >= text.Length)
            return false;
        var current = text[index];
        if (char.IsLowSurrogate(current))
            return false;
        var previousIndex = index - 1;
        if (char.IsLowSurrogate(text[previousIndex]) && previousIndex > 0 && char.IsHighSurrogate(text[previousIndex - 1]))
            previousIndex--;
        var previous = text[previousIndex];

        if (IsSpace(current))
            return false; // spaces stay at the end of the line they follow
        if (ClosingChars.Contains(current) || GlueChars.Contains(current))
            return false; // no closing punctuation at a line start
        if (OpeningChars.Contains(previous) || GlueChars.Contains(previous))
            return false; // no opening punctuation at a line end
        if (IsSpace(previous))
            return true;
        if (previous == current && DoubledChars.Contains(current))
            return false;
        if (OpeningChars.Contains(current))
            return true;

        var previousIsWord = IsWordChar(text, previousIndex);
        var currentIsWord = IsWordChar(text, index);
        if (previousIsWord && currentIsWord)
            return false; // inside a Latin word or a number
        // A Latin full stop, comma or colon inside a number or abbreviation (89.5, 1,000, 14:30, e.g.).
        if (currentIsWord && IsLatinClosing(previous))
            return false;
        return true;
    }

    /// <summary>Positions inside the line where extra space may go when the line is justified.</summary>
    public static IEnumerable<int> JustificationPoints(string text, TextLine line)
    {
        var end = line.Start + line.Length;
        for (var i = line.Start + 1; i < end; i++)
        {
            if (CanBreakBefore(text, i))
                yield return i;
        }
    }

    private static bool IsWordChar(string text, int index)
    {
        var c = text[index];
        if (IsSpace(c) || ClosingChars.Contains(c) || OpeningChars.Contains(c) || GlueChars.Contains(c))
            return false;
        if (char.IsSurrogate(c))
            return false; // CJK extension ideographs and symbols outside the BMP
        return !IsIdeographic(c);
    }

    private static bool IsLatinClosing(char c) => c is '.' or ',' or ':' or ';' or '!' or '?' or ')' or ']' or '}';

    /// <summary>Characters set on the ideographic grid, which may break on either side.</summary>
    private static bool IsIdeographic(char c) =>
        c is >= '\u2E80' and <= '\u9FFF'   // radicals, CJK symbols and punctuation, kana, CJK ideographs
            or >= '\uAC00' and <= '\uD7AF' // Hangul
            or >= '\uF900' and <= '\uFAFF' // compatibility ideographs
            or >= '\uFE30' and <= '\uFE4F' // CJK compatibility forms
            or >= '\uFF00' and <= '\uFFEF' // full-width forms
            or >= '\u2460' and <= '\u24FF' // circled numbers ①
            or '—' or '…' or '⸺';

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\u2002' or '\u2003' or '\u2009' or '\u200B';

    private static int SkipSpaces(string text, int index, int end)
    {
        while (index < end && IsSpace(text[index]))
            index++;
        return index;
    }

    private static int TrimEnd(string text, int start, int end)
    {
        while (end > start && IsSpace(text[end - 1]))
            end--;
        return end;
    }

    private static int ClusterLength(string text, int index, int end) =>
        char.IsHighSurrogate(text[index]) && index + 1 < end && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;

    private static int CodePoint(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? char.ConvertToUtf32(text[index], text[index + 1])
            : text[index];

    private static double Measure(string text, int start, int end, Func<int, double> advance)
    {
        double width = 0;
        for (var i = start; i < end; i += ClusterLength(text, i, end))
            width += advance(CodePoint(text, i));
        return width;
    }
}
