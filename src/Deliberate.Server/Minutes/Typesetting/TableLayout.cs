using PdfSharp.Drawing;

namespace Deliberate.Server.Minutes.Typesetting;

public enum TextAlignment
{
    Left,
    Center,
    Right,
}

/// <summary>A table column: its header, its share of the table's width and how cells align.</summary>
public sealed record TableColumn(string Header, double Weight, TextAlignment Align = TextAlignment.Left);

/// <summary>A table to be written: columns, rows of cell texts, and optional styles and row height.</summary>
public sealed record Table(IReadOnlyList<TableColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public TextStyle? BodyStyle { get; init; }
    public TextStyle? HeaderStyle { get; init; }

    /// <summary>Least height of a body row, e.g. room for a signature.</summary>
    public double MinRowHeight { get; init; }

    /// <summary>Start the table on a new page rather than split it, when it fits on one page.</summary>
    public bool KeepTogether { get; init; }
}

/// <summary>
/// Lays a table out: column widths from the weights, each cell broken into lines by
/// <see cref="LineBreaker"/>, row heights from the tallest cell. Drawing a row (or a slice of its
/// lines, when a row is taller than a page) is done here; the page breaks and the repeated header
/// row are the <see cref="DocumentWriter"/>'s business.
/// </summary>
public sealed class TableLayout
{
    public const double PaddingX = 5;
    public const double PaddingY = 4;

    private static readonly XPen BorderPen = new(XColors.Black, 0.6);
    private static readonly XBrush HeaderFill = new XSolidBrush(XColor.FromArgb(242, 242, 242));

    public TableLayout(Table table, double width, TextStyle bodyStyle, TextStyle headerStyle)
    {
        if (table.Columns.Count == 0)
            throw new ArgumentException("A table needs at least one column.", nameof(table));
        Table = table;
        BodyStyle = table.BodyStyle ?? bodyStyle;
        HeaderStyle = table.HeaderStyle ?? headerStyle;

        var totalWeight = table.Columns.Sum(c => c.Weight);
        ColumnWidths = table.Columns.Select(c => width * c.Weight / totalWeight).ToArray();
        Width = width;

        Header = LayOut(table.Columns.Select(c => c.Header).ToArray(), HeaderStyle, 0, header: true);
        Rows = table.Rows.Select(r => LayOut(r, BodyStyle, table.MinRowHeight, header: false)).ToArray();
    }

    public Table Table { get; }
    public TextStyle BodyStyle { get; }
    public TextStyle HeaderStyle { get; }
    public double Width { get; }
    public double[] ColumnWidths { get; }
    public LaidOutRow Header { get; }
    public IReadOnlyList<LaidOutRow> Rows { get; }

    private LaidOutRow LayOut(IReadOnlyList<string> cells, TextStyle style, double minHeight, bool header)
    {
        if (cells.Count != ColumnWidths.Length)
            throw new ArgumentException($"A row has {cells.Count} cells for {ColumnWidths.Length} columns.");
        var texts = new string[cells.Count];
        var lines = new List<TextLine>[cells.Count];
        var maxLines = 1;
        for (var i = 0; i < cells.Count; i++)
        {
            texts[i] = cells[i] ?? "";
            lines[i] = LineBreaker.Break(texts[i], ColumnWidths[i] - 2 * PaddingX, style);
            maxLines = Math.Max(maxLines, lines[i].Count);
        }
        var height = Math.Max(minHeight, maxLines * style.LineHeight + 2 * PaddingY);
        return new LaidOutRow(texts, lines, maxLines, height, style, header);
    }

    /// <summary>Draws lines [<paramref name="fromLine"/>, <paramref name="toLine"/>) of a row in a box of the given height.</summary>
    public void Draw(XGraphics gfx, LaidOutRow row, double x, double top, double height, int fromLine, int toLine)
    {
        var cellX = x;
        for (var c = 0; c < ColumnWidths.Length; c++)
        {
            var w = ColumnWidths[c];
            if (row.IsHeader)
                gfx.DrawRectangle(HeaderFill, cellX, top, w, height);

            var lines = row.Lines[c];
            var first = Math.Min(fromLine, lines.Count);
            var last = Math.Min(toLine, lines.Count);
            var blockHeight = (last - first) * row.Style.LineHeight;
            // Cells are centred vertically, as in Chinese official tables.
            var lineTop = top + (height - blockHeight) / 2;
            var align = row.IsHeader ? TextAlignment.Center : Table.Columns[c].Align;
            for (var i = first; i < last; i++)
            {
                var line = lines[i];
                var innerWidth = w - 2 * PaddingX;
                var lineX = align switch
                {
                    TextAlignment.Center => cellX + PaddingX + (innerWidth - line.Width) / 2,
                    TextAlignment.Right => cellX + PaddingX + innerWidth - line.Width,
                    _ => cellX + PaddingX,
                };
                TextDrawing.DrawLine(gfx, row.Texts[c], line, row.Style, lineX, lineTop + row.Style.BaselineOffset,
                    align == TextAlignment.Left ? innerWidth : line.Width);
                lineTop += row.Style.LineHeight;
            }
            gfx.DrawRectangle(BorderPen, cellX, top, w, height);
            cellX += w;
        }
    }
}

/// <summary>A row with its cells broken into lines.</summary>
public sealed record LaidOutRow(string[] Texts, List<TextLine>[] Lines, int LineCount, double Height, TextStyle Style, bool IsHeader);
