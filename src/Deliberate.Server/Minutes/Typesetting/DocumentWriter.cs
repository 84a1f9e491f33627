using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Deliberate.Server.Minutes.Typesetting;

/// <summary>
/// Writes a flowing document onto A4 pages with GB/T 9704-2012 margins (top 37 mm, bottom 35 mm,
/// left 28 mm, right 26 mm). It keeps the cursor, starts a new page when the next line or table row
/// does not fit, and puts the page number "— N —" centred 7 mm below the type area.
/// </summary>
public sealed class DocumentWriter : IDisposable
{
    public const double Millimetre = 72 / 25.4;
    public const double PageWidth = 210 * Millimetre;
    public const double PageHeight = 297 * Millimetre;
    public const double MarginTop = 37 * Millimetre;
    public const double MarginBottom = 35 * Millimetre;
    public const double MarginLeft = 28 * Millimetre;
    public const double MarginRight = 26 * Millimetre;

    private readonly PdfDocument _document;
    private XGraphics? _gfx;
    private bool _finished;

    public DocumentWriter(DocumentStyles? styles = null)
    {
        PdfFonts.EnsureConfigured(); // the licence must be chosen before a PdfDocument exists
        _document = new PdfDocument();
        Styles = styles ?? DocumentStyles.Default;
        // Body lines sit on a grid of whole ideographs: 27 characters of 3号 in the 156 mm line, so
        // every full line of Chinese ends at the same place and none needs spreading.
        BodyWidth = Math.Floor(ContentWidth / Styles.Body.Em) * Styles.Body.Em;
        NewPage();
    }

    public DocumentStyles Styles { get; }

    public double ContentLeft => MarginLeft;
    public double ContentTop => MarginTop;
    public double ContentBottom => PageHeight - MarginBottom;
    public double ContentWidth => PageWidth - MarginLeft - MarginRight;
    public double ContentHeight => ContentBottom - ContentTop;

    /// <summary>Width of body text lines: the type area rounded down to whole ideographs.</summary>
    public double BodyWidth { get; }

    /// <summary>The cursor: distance of the next line's top from the page's top edge.</summary>
    public double Y { get; private set; }

    public int PageCount => _document.PageCount;

    private XGraphics Gfx => _gfx ?? throw new InvalidOperationException("The document is finished.");

    private double Remaining => ContentBottom - Y;

    public void NewPage()
    {
        _gfx?.Dispose();
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        _gfx = XGraphics.FromPdfPage(page);
        Y = ContentTop;
        DrawPageNumber(_document.PageCount);
    }

    /// <summary>Starts a new page unless <paramref name="height"/> still fits on this one.</summary>
    public void EnsureSpace(double height)
    {
        if (height > Remaining + 0.01 && Y > ContentTop + 0.01)
            NewPage();
    }

    /// <summary>Moves the cursor down; at a page's top, space is dropped.</summary>
    public void Skip(double height)
    {
        if (Y <= ContentTop + 0.01)
            return;
        if (height >= Remaining)
            NewPage();
        else
            Y += height;
    }

    /// <summary>
    /// Lines centred in the type area, e.g. a title. A long one is broken into lines of even length
    /// (the narrowest width that needs no more lines), so no word is left alone on the last line.
    /// </summary>
    public void Centered(string text, TextStyle style)
    {
        var lines = LineBreaker.Break(text, ContentWidth, style);
        if (lines.Count > 1)
        {
            double low = ContentWidth / lines.Count, high = ContentWidth;
            for (var i = 0; i < 12; i++)
            {
                var mid = (low + high) / 2;
                if (LineBreaker.Break(text, mid, style).Count > lines.Count)
                    low = mid;
                else
                    high = mid;
            }
            lines = LineBreaker.Break(text, high, style);
        }
        foreach (var line in lines)
        {
            EnsureSpace(style.LineHeight);
            var x = ContentLeft + (ContentWidth - line.Width) / 2;
            Gfx.DrawString(line.Text(text), style.Font, XBrushes.Black, x, Y + style.BaselineOffset);
            Y += style.LineHeight;
        }
    }

    /// <summary>
    /// A paragraph: the first line indented (two characters by default, as Chinese paragraphs are),
    /// optionally opened by a <paramref name="lead"/> in another style ("业委会：" in bold) that the
    /// text runs on from. Lines are justified except the last.
    /// </summary>
    /// <param name="keepWithNext">Points of what follows (e.g. <see cref="TableLeadHeight"/>) that must share the page with the paragraph's
    /// last line: when they do not fit, the paragraph starts on the next page (a paragraph taller than a page still breaks).</param>
    public void Paragraph(string text, TextStyle? style = null, double? firstLineIndent = null,
        string? lead = null, TextStyle? leadStyle = null, double leftIndent = 0, bool justify = true, double keepWithNext = 0)
    {
        style ??= Styles.Body;
        leadStyle ??= style;
        var indent = firstLineIndent ?? 2 * style.Em;
        var width = BodyWidth - leftIndent;
        var leadWidth = lead is null ? 0 : leadStyle.Measure(lead);
        var lines = LineBreaker.Break(text, Math.Max(style.Em, width - indent - leadWidth), width, style.Advance);
        if (keepWithNext > 0 && lines.Count * style.LineHeight + keepWithNext <= ContentHeight)
            EnsureSpace(lines.Count * style.LineHeight + keepWithNext);

        for (var i = 0; i < lines.Count; i++)
        {
            EnsureSpace(style.LineHeight);
            var x = ContentLeft + leftIndent;
            var lineWidth = width;
            if (i == 0)
            {
                x += indent;
                lineWidth -= indent;
                if (lead is not null)
                {
                    Gfx.DrawString(lead, leadStyle.Font, XBrushes.Black, x, Y + style.BaselineOffset);
                    x += leadWidth;
                    lineWidth -= leadWidth;
                }
            }
            TextDrawing.DrawLine(Gfx, text, lines[i], style, x, Y + style.BaselineOffset, justify ? lineWidth : lines[i].Width);
            Y += style.LineHeight;
        }
    }

    /// <summary>A numbered head ("一、会议议题"); it is kept on a page with <paramref name="keepWithNext"/> points of what follows.</summary>
    public void Heading(string text, TextStyle style, double keepWithNext = -1, double firstLineIndent = -1)
    {
        if (keepWithNext < 0)
            keepWithNext = 2 * Styles.Body.LineHeight;
        var indent = firstLineIndent < 0 ? 2 * style.Em : firstLineIndent;
        var lines = LineBreaker.Break(text, BodyWidth, style, indent);
        EnsureSpace(lines.Count * style.LineHeight + keepWithNext);
        Paragraph(text, style, indent, justify: false);
    }

    /// <summary>
    /// A header field ("时　间：2026年11月20日"): the label, then the value with its wrapped lines
    /// hanging under the value's start. A list of names breaks only after "、" (no name is split)
    /// and is set ragged.
    /// </summary>
    public void Field(string label, string value, double labelWidth = 0, bool isList = false)
    {
        var style = Styles.Body;
        var width = Math.Max(labelWidth, style.Measure(label));
        var valueWidth = BodyWidth - width;
        var lines = LineBreaker.Break(value, valueWidth, valueWidth, style.Advance, isList ? "、，,;；" : null);
        for (var i = 0; i < lines.Count; i++)
        {
            EnsureSpace(style.LineHeight);
            if (i == 0 && label.Length > 0)
                Gfx.DrawString(label, style.Font, XBrushes.Black, ContentLeft, Y + style.BaselineOffset);
            TextDrawing.DrawLine(Gfx, value, lines[i], style, ContentLeft + width, Y + style.BaselineOffset,
                isList ? lines[i].Width : valueWidth);
            Y += style.LineHeight;
        }
    }

    /// <summary>
    /// Height a paragraph will take, to keep it on a page with what follows (a closing paragraph
    /// with the issuer and date).
    /// </summary>
    public double ParagraphHeight(string text, TextStyle? style = null, double? firstLineIndent = null, string? lead = null,
        TextStyle? leadStyle = null)
    {
        style ??= Styles.Body;
        var indent = (firstLineIndent ?? 2 * style.Em) + (lead is null ? 0 : (leadStyle ?? style).Measure(lead));
        return LineBreaker.Break(text, BodyWidth, style, indent).Count * style.LineHeight;
    }

    /// <summary>
    /// 落款 after GB/T 9704 7.3.5: the date four characters in from the right edge and the issuer
    /// centred over it (or, when the issuer is the wider, two characters in and the date centred
    /// under it). Kept on one page.
    /// </summary>
    public void IssuerAndDate(string issuer, string date)
    {
        var style = Styles.Body;
        EnsureSpace(2 * style.LineHeight);
        var right = ContentLeft + BodyWidth;
        var issuerWidth = style.Measure(issuer);
        var dateWidth = style.Measure(date);
        double centre;
        if (issuerWidth <= dateWidth + 4 * style.Em)
            centre = right - 4 * style.Em - dateWidth / 2;
        else
            centre = right - 2 * style.Em - issuerWidth / 2;
        // Neither line may leave the type area.
        centre = Math.Min(centre, right - Math.Max(issuerWidth, dateWidth) / 2);
        Gfx.DrawString(issuer, style.Font, XBrushes.Black, centre - issuerWidth / 2, Y + style.BaselineOffset);
        Y += style.LineHeight;
        Gfx.DrawString(date, style.Font, XBrushes.Black, centre - dateWidth / 2, Y + style.BaselineOffset);
        Y += style.LineHeight;
    }

    /// <summary>
    /// A signature line: "主持人（签字）：" with a rule to sign on, and a date to fill in at the right
    /// ("　　年　　月　　日").
    /// </summary>
    public void SignatureLine(string label, string dateLabel, string datePlaceholder)
    {
        var style = Styles.Body;
        var height = style.LineHeight * 1.5;
        EnsureSpace(height);
        var baseline = Y + height - (style.LineHeight - style.BaselineOffset);
        var x = ContentLeft;
        Gfx.DrawString(label, style.Font, XBrushes.Black, x, baseline);
        var ruleStart = x + style.Measure(label);
        var dateText = dateLabel + datePlaceholder;
        var dateX = ContentLeft + BodyWidth - style.Measure(dateText);
        var ruleEnd = Math.Max(ruleStart + 4 * style.Em, dateX - 2 * style.Em);
        Gfx.DrawLine(SignaturePen, ruleStart, baseline + 3, ruleEnd, baseline + 3);
        Gfx.DrawString(dateText, style.Font, XBrushes.Black, dateX, baseline);
        Y += height;
    }

    private static readonly XPen SignaturePen = new(XColors.Black, 0.6);

    /// <summary>
    /// A table across the type area. Rows never split unless one is taller than a page; every page
    /// the table continues on starts with its header row again.
    /// </summary>
    public void Table(Table table)
    {
        var layout = new TableLayout(table, ContentWidth, Styles.Table, Styles.TableHeader);
        var header = layout.Header;
        var firstRowHeight = layout.Rows.Count > 0 ? layout.Rows[0].Height : 0;
        var wholeHeight = header.Height + layout.Rows.Sum(r => r.Height);
        if (table.KeepTogether && wholeHeight <= ContentHeight)
            EnsureSpace(wholeHeight);
        else
            EnsureSpace(header.Height + Math.Min(firstRowHeight, 3 * layout.BodyStyle.LineHeight));
        DrawHeader();

        foreach (var row in layout.Rows)
        {
            if (row.Height <= Remaining + 0.01)
            {
                layout.Draw(Gfx, row, ContentLeft, Y, row.Height, 0, row.LineCount);
                Y += row.Height;
                continue;
            }
            if (row.Height <= ContentHeight - header.Height)
            {
                NewPage();
                DrawHeader();
                layout.Draw(Gfx, row, ContentLeft, Y, row.Height, 0, row.LineCount);
                Y += row.Height;
                continue;
            }
            // Taller than a page: slice it by lines, repeating the header on each page.
            var lineHeight = row.Style.LineHeight;
            var from = 0;
            while (from < row.LineCount)
            {
                var fits = (int)Math.Floor((Remaining - 2 * TableLayout.PaddingY) / lineHeight);
                if (fits < 1)
                {
                    NewPage();
                    DrawHeader();
                    continue;
                }
                var to = Math.Min(row.LineCount, from + fits);
                var height = (to - from) * lineHeight + 2 * TableLayout.PaddingY;
                layout.Draw(Gfx, row, ContentLeft, Y, height, from, to);
                Y += height;
                from = to;
                if (from < row.LineCount)
                {
                    NewPage();
                    DrawHeader();
                }
            }
        }

        // A little air between a table and what follows it.
        Skip(Styles.Body.LineHeight / 4);

        void DrawHeader()
        {
            layout.Draw(Gfx, header, ContentLeft, Y, header.Height, 0, header.LineCount);
            Y += header.Height;
        }
    }

    /// <summary>
    /// Height a table needs on the page it starts on (its header and first row, or all of it when it
    /// is kept together), to keep a head above it.
    /// </summary>
    public double TableLeadHeight(Table table)
    {
        var layout = new TableLayout(table.KeepTogether ? table : table with { Rows = table.Rows.Take(1).ToArray() },
            ContentWidth, Styles.Table, Styles.TableHeader);
        var height = layout.Header.Height + layout.Rows.Sum(r => r.Height);
        return height <= ContentHeight ? height : layout.Header.Height + (layout.Rows.Count > 0 ? layout.Rows[0].Height : 0);
    }

    private void DrawPageNumber(int number)
    {
        // GB/T 9704-2012 7.5: 4号 Arabic numerals between em dashes, 7 mm below the type area.
        var style = Styles.Footer;
        var text = $"— {number} —";
        var width = style.Measure(text);
        var top = ContentBottom + 7 * Millimetre;
        Gfx.DrawString(text, style.Font, XBrushes.Black, ContentLeft + (ContentWidth - width) / 2, top + 0.88 * style.Size);
    }

    /// <summary>
    /// A square of dark modules (a QR code's matrix, quiet zone included), <paramref name="size"/> points wide, centred in the
    /// type area: drawn as vector squares, so that it prints sharp at any resolution.
    /// </summary>
    public void CenteredModules(IReadOnlyList<System.Collections.BitArray> rows, double size)
    {
        EnsureSpace(size);
        var module = size / rows.Count;
        var left = ContentLeft + (ContentWidth - size) / 2;
        for (var r = 0; r < rows.Count; r++)
            for (var c = 0; c < rows[r].Count; c++)
                if (rows[r][c])
                    Gfx.DrawRectangle(XBrushes.Black, left + c * module, Y + r * module, module, module);
        Y += size;
    }

    /// <summary>
    /// Finishes the document and returns the PDF. Equal documents give equal bytes: the creation
    /// date is <paramref name="documentDate"/> and PDFsharp's random identifiers are replaced by
    /// ones derived from the content (see <see cref="DeterministicPdf"/>).
    /// </summary>
    public byte[] ToPdf(string title, string subject, DateTime documentDate)
    {
        if (_finished)
            throw new InvalidOperationException("The document is finished.");
        _finished = true;
        _gfx?.Dispose();
        _gfx = null;

        _document.Info.Title = title;
        _document.Info.Subject = subject;
        _document.Info.Creator = "Deliberate";
        _document.Info.CreationDate = documentDate;
        _document.Info.ModificationDate = documentDate;
        DeterministicPdf.PrepareIdentifiers(_document);
        using var stream = new MemoryStream();
        _document.Save(stream);
        return DeterministicPdf.Normalise(stream.ToArray());
    }

    public void Dispose()
    {
        _gfx?.Dispose();
        _gfx = null;
        _document.Dispose();
    }
}
