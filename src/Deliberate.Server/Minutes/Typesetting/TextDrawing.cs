using PdfSharp.Drawing;

namespace Deliberate.Server.Minutes.Typesetting;

/// <summary>Draws laid-out lines, justifying those that do not end a paragraph.</summary>
public static class TextDrawing
{
    /// <summary>
    /// Draws <paramref name="line"/> at (<paramref name="x"/>, <paramref name="baseline"/>). A line
    /// that does not end its paragraph and is shorter than <paramref name="width"/> (a character was
    /// pulled down, or a Latin word did not fit) is justified: the slack is shared among the break
    /// points inside it (its spaces, when it has any), as Chinese text is set flush on both sides. Other lines are drawn as one
    /// string, which keeps the content stream small.
    /// </summary>
    public static void DrawLine(XGraphics gfx, string text, TextLine line, TextStyle style, double x, double baseline, double width)
    {
        if (line.Length == 0)
            return;
        var slack = width - line.Width;
        if (line.EndsParagraph || slack < 0.5)
        {
            gfx.DrawString(line.Text(text), style.Font, XBrushes.Black, x, baseline);
            return;
        }

        var points = LineBreaker.JustificationPoints(text, line).ToList();
        // A line with inter-word spaces (English, or Chinese mixed with it) is justified at those
        // spaces only, as Latin text is; a line of Chinese between its characters.
        var atSpaces = points.Where(p => text[p - 1] == ' ').ToList();
        if (atSpaces.Count > 0)
            points = atSpaces;
        // Beyond an em per gap the spacing looks broken rather than justified: set the line ragged.
        if (points.Count == 0 || slack / points.Count > style.Em)
        {
            gfx.DrawString(line.Text(text), style.Font, XBrushes.Black, x, baseline);
            return;
        }

        var extra = slack / points.Count;
        var segmentStart = line.Start;
        var offset = 0.0;
        for (var i = 0; i <= points.Count; i++)
        {
            var segmentEnd = i < points.Count ? points[i] : line.Start + line.Length;
            var length = segmentEnd - segmentStart;
            gfx.DrawString(text.Substring(segmentStart, length), style.Font, XBrushes.Black, x + offset, baseline);
            offset += style.Measure(text, segmentStart, length) + extra;
            segmentStart = segmentEnd;
        }
    }
}
