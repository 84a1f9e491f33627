using System.Diagnostics;
using Deliberate.Server.Minutes;
using Deliberate.Server.Minutes.Typesetting;
using Deliberate.Tests.Minutes;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Deliberate.Bench;

/// <summary>
/// Rendering a 20-page minutes document, warm: median time against a target of 150 ms and size against 400 KB. The
/// baseline, measured in the same run, is a plain PDFsharp document of as many pages in the same fonts with the same
/// text cut into fixed-width lines — no line breaking, no tables, no keeping together — so the ratio is the price of
/// our typesetting.
/// </summary>
internal static class MinutesBench
{
    public const string Usage = "[pages=20] [runs=15]   render minutes of about that many pages; target <= 150 ms and <= 400 KB";
    private const double TargetMilliseconds = 150;
    private const int TargetKilobytes = 400;

    public static int Run(string[] args)
    {
        var pages = args.Length > 0 ? int.Parse(args[0]) : 20;
        var runs = args.Length > 1 ? int.Parse(args[1]) : 15;

        // The sample meeting stretched until it fills the pages asked for.
        MinutesDocument doc;
        byte[] pdf;
        var items = 4;
        do
        {
            items += 2;
            doc = MinutesSamples.LongMeeting(agendaItems: items, resolutions: items * 3 / 2);
            pdf = MinutesRenderer.Render(doc);
        } while (PageCount(pdf) < pages);
        var lines = TextLines(doc);
        var baselinePdf = Baseline(lines, PageCount(pdf));

        var render = Median(runs, () => pdf = MinutesRenderer.Render(doc));
        var plain = Median(runs, () => baselinePdf = Baseline(lines, PageCount(pdf)));
        Console.WriteLine($"minutes: {items} agenda items, {doc.Resolutions.Count} resolutions, {PageCount(pdf)} pages; {Environment.ProcessorCount} "
            + $"cores{LoadAverage()}");
        Console.WriteLine($"render: median {render:F1} ms (target <= {TargetMilliseconds} ms), "
            + $"{pdf.Length / 1024} KB (target <= {TargetKilobytes} KB)");
        Console.WriteLine($"baseline plain PDFsharp, {PageCount(baselinePdf)} pages: median {plain:F1} ms, {baselinePdf.Length / 1024} KB; "
                          + $"ratio {render / plain:F2}x time, {(double)pdf.Length / baselinePdf.Length:F2}x size");
        return render <= TargetMilliseconds && pdf.Length <= TargetKilobytes * 1024 ? 0 : 1;
    }

    static int PageCount(byte[] pdf)
    {
        using var stream = new MemoryStream(pdf);
        using var document = PdfReader.Open(stream, PdfDocumentOpenMode.Import);
        return document.PageCount;
    }

    /// <summary>The document's text, as the baseline prints it.</summary>
    static List<string> TextLines(MinutesDocument doc) =>
        [doc.MeetingName, doc.Place, doc.Chair, doc.Recorder,
         .. doc.Agenda.SelectMany(a => a.Opinions.Select(o => o.Party + "：" + o.Opinion).Prepend(a.Title)),
         .. doc.Resolutions.Select(r => $"{r.Text} {r.ResponsibleUnit} {r.Deadline}")];

    /// <summary>Fixed 28-character lines (GB/T 9704's line), 22 to a page, in the same fonts, over the same number of pages.</summary>
    static byte[] Baseline(List<string> text, int pages)
    {
        PdfFonts.EnsureConfigured();
        var chunks = text.SelectMany(t =>
            Enumerable.Range(0, (t.Length + 27) / 28).Select(i => t.Substring(i * 28, Math.Min(28, t.Length - i * 28)))).ToList();
        using var document = new PdfDocument();
        var body = new XFont(PdfFonts.Sans, 16);
        var title = new XFont(PdfFonts.Serif, 22);
        for (int p = 0, line = 0; p < pages; p++)
        {
            var page = document.AddPage();
            using var gfx = XGraphics.FromPdfPage(page);
            gfx.DrawString(doc(p), title, XBrushes.Black, new XPoint(80, 100));
            for (var l = 0; l < 22; l++, line++)
                gfx.DrawString(chunks[line % chunks.Count], body, XBrushes.Black, new XPoint(80, 140 + l * 28.9));
        }
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();

        static string doc(int p) => $"— {p + 1} —";
    }

    static double Median(int runs, Action action)
    {
        for (var i = 0; i < 3; i++) action();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? ", load average " + File.ReadAllText("/proc/loadavg").Split(' ')[0] : "";
}
