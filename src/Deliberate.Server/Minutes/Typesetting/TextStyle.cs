using System.Collections.Concurrent;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Deliberate.Server.Minutes.Typesetting;

/// <summary>
/// A font at a size with a fixed line pitch. Advance widths are measured once per character with
/// <see cref="XGraphics.MeasureString(string, XFont)"/> and cached for the life of the process, so
/// laying out a document does not measure the same character twice.
/// </summary>
public sealed class TextStyle
{
    private static readonly object MeasureGate = new();
    private static XGraphics? _measureContext;

    private readonly ConcurrentDictionary<int, double> _advances = new();

    public TextStyle(string family, double size, bool bold, double lineHeight)
    {
        PdfFonts.EnsureConfigured();
        Family = family;
        Size = size;
        Bold = bold;
        LineHeight = lineHeight;
        // Unicode encoding makes PDFsharp write Type 0 fonts with Identity-H and a ToUnicode map,
        // so text can be extracted and searched; TrueType outlines are embedded as subsets.
        Font = new XFont(family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular,
            new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset));
    }

    public string Family { get; }
    public double Size { get; }
    public bool Bold { get; }
    public double LineHeight { get; }
    public XFont Font { get; }

    /// <summary>
    /// Distance from the top of a line box to the baseline: centres the ideographic em box
    /// (about −0.12 em to 0.88 em around the baseline) in the line.
    /// </summary>
    public double BaselineOffset => LineHeight / 2 + 0.38 * Size;

    /// <summary>Width of one ideograph, the unit of indents ("空两字").</summary>
    public double Em => Size;

    public double Advance(int codePoint)
    {
        if (_advances.TryGetValue(codePoint, out var width))
            return width;
        var text = char.ConvertFromUtf32(codePoint);
        lock (MeasureGate)
        {
            _measureContext ??= XGraphics.CreateMeasureContext(new XSize(595, 842), XGraphicsUnit.Point, XPageDirection.Downwards);
            width = _measureContext.MeasureString(text, Font).Width;
        }
        _advances.TryAdd(codePoint, width);
        return width;
    }

    public double Measure(string text) => Measure(text, 0, text.Length);

    public double Measure(string text, int start, int length)
    {
        double width = 0;
        var end = start + length;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(text[i + 1]))
            {
                width += Advance(char.ConvertToUtf32(c, text[i + 1]));
                i++;
            }
            else
            {
                width += Advance(c);
            }
        }
        return width;
    }
}

/// <summary>
/// The styles of our documents, after GB/T 9704-2012: title 2号 (22 pt) in the Song face, body
/// 3号 (16 pt) on a 22-line grid, first-level heads in the Hei face, tables and notes 小四 (12 pt)
/// so that figures fit, page numbers 4号 (14 pt). Noto Serif SC stands in for 小标宋 / 仿宋 and Noto Sans SC for 黑体.
/// </summary>
public sealed class DocumentStyles
{
    private static readonly Lazy<DocumentStyles> Shared = new(() => new DocumentStyles(), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The shared styles; their fonts and measured widths are reused by every document.</summary>
    public static DocumentStyles Default => Shared.Value;

    /// <summary>Body line pitch: 225 mm of type area divided into 22 lines.</summary>
    public const double BodyLineHeight = 225 / 25.4 * 72 / 22;

    private DocumentStyles()
    {
        Title = new TextStyle(PdfFonts.Serif, 22, bold: true, lineHeight: 36);
        Body = new TextStyle(PdfFonts.Serif, 16, bold: false, lineHeight: BodyLineHeight);
        BodyBold = new TextStyle(PdfFonts.Serif, 16, bold: true, lineHeight: BodyLineHeight);
        Heading1 = new TextStyle(PdfFonts.Sans, 16, bold: true, lineHeight: BodyLineHeight);
        Heading2 = BodyBold;
        Table = new TextStyle(PdfFonts.Serif, 12, bold: false, lineHeight: 18);
        TableHeader = new TextStyle(PdfFonts.Sans, 12, bold: true, lineHeight: 18);
        Footer = new TextStyle(PdfFonts.Serif, 14, bold: false, lineHeight: 21);
    }

    public TextStyle Title { get; }
    public TextStyle Body { get; }
    public TextStyle BodyBold { get; }
    public TextStyle Heading1 { get; }
    public TextStyle Heading2 { get; }
    public TextStyle Table { get; }
    public TextStyle TableHeader { get; }
    public TextStyle Footer { get; }
}
