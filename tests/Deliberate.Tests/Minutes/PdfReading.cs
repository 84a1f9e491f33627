using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Deliberate.Tests.Minutes;

/// <summary>Reads our PDFs back with PdfPig, and the GB/T 9704 geometry the tests check against.</summary>
internal static class PdfReading
{
    public const double Mm = 72 / 25.4;
    public const double PageWidth = 210 * Mm;
    public const double PageHeight = 297 * Mm;
    public const double Left = 28 * Mm;
    public const double Right = PageWidth - 26 * Mm;
    public const double Top = PageHeight - 37 * Mm;     // PDF y grows upwards
    public const double Bottom = 35 * Mm;

    public sealed record PageText(int Number, string Text, IReadOnlyList<Letter> Letters)
    {
        /// <summary>Letters in the type area, i.e. all but the page number in the foot margin.</summary>
        public IEnumerable<Letter> Body => Letters.Where(l => l.StartBaseLine.Y > Bottom);

        public IEnumerable<Letter> Foot => Letters.Where(l => l.StartBaseLine.Y <= Bottom);

        public string FootText => new(Foot.Select(l => l.Value).Where(v => v != " ").SelectMany(v => v).ToArray());
    }

    public static List<PageText> Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(p => new PageText(p.Number, p.Text, p.Letters.ToList())).ToList();
    }

    public static string AllText(byte[] pdf) => string.Concat(Pages(pdf).Select(p => p.Text));

    /// <summary>The BaseFont names of all fonts in the file, read from the raw bytes.</summary>
    public static List<string> BaseFonts(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var names = new List<string>();
        for (var at = text.IndexOf("/BaseFont/", StringComparison.Ordinal); at >= 0; at = text.IndexOf("/BaseFont/", at + 1,
            StringComparison.Ordinal))
        {
            var start = at + "/BaseFont/".Length;
            var end = start;
            while (end < text.Length && text[end] is not ('/' or ' ' or '>' or '[' or '\r' or '\n'))
                end++;
            names.Add(text[start..end].Replace("#20", " "));
        }
        return names;
    }
}
