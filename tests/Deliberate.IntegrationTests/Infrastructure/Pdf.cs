using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig;

namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>Reads the PDFs the endpoints answer with, the way a reader's viewer would.</summary>
public static class Pdf
{
    public static async Task<byte[]> GetPdfAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The text of each page.</summary>
    public static List<string> Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(p => p.Text).ToList();
    }

    public static string Text(byte[] pdf) => string.Concat(Pages(pdf));

    /// <summary>Every font the letters are set in is an embedded subset: its name carries a "XXXXXX+" tag.</summary>
    public static void AssertSubsetFonts(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var fonts = document.GetPages().SelectMany(p => p.Letters).Select(l => l.FontName).Distinct().ToList();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.Matches(new Regex(@"^[A-Z]{6}\+Noto (Serif|Sans) SC"), f));
        Assert.Contains("/FontFile2", Encoding.Latin1.GetString(pdf)); // the outlines are in the file
    }
}
