using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;

namespace Deliberate.Server.Minutes.Typesetting;

/// <summary>
/// Makes PDFsharp's output a function of the content. PDFsharp draws a random six-letter tag for
/// every font subset ("VOOALC+Noto Serif SC"), random XMP document and instance ids and, unless
/// told otherwise, a random file identifier. Each is replaced in place by a value of the same
/// length derived from a hash of the file with those values masked, so cross-reference offsets
/// stay valid and equal documents give equal bytes.
/// </summary>
public static partial class DeterministicPdf
{
    private const string IdPlaceholder = "00000000000000000000000000000000";

    [GeneratedRegex(@"/([A-Z]{6})\+([A-Za-z0-9#,\-]+)")]
    private static partial Regex SubsetTag();

    [GeneratedRegex(@"uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex XmpUuid();

    public static void PrepareIdentifiers(PdfDocument document)
    {
        // Sixteen zero bytes, written as 32 hex zeros; replaced after saving.
        var zeros = new string('\0', 16);
        document.Internals.FirstDocumentID = zeros;
        document.Internals.SecondDocumentID = zeros;
    }

    public static byte[] Normalise(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var subsets = SubsetTag().Matches(text)
            .Where(m => m.Groups[2].Value.StartsWith("Noto", StringComparison.Ordinal))
            .ToList();
        var uuids = XmpUuid().Matches(text).ToList();
        var ids = new List<int>();
        for (var at = text.IndexOf("/ID[<" + IdPlaceholder, StringComparison.Ordinal); at >= 0;
             at = text.IndexOf("/ID[<" + IdPlaceholder, at + 1, StringComparison.Ordinal))
            ids.Add(at + 5);

        // Mask the random parts, then hash.
        foreach (var m in subsets)
            Write(pdf, m.Groups[1].Index, "AAAAAA");
        foreach (var m in uuids)
            Write(pdf, m.Index + 5, "00000000-0000-0000-0000-000000000000");
        var hash = SHA256.HashData(pdf);

        foreach (var m in subsets)
            Write(pdf, m.Groups[1].Index, SubsetTagFor(hash, m.Groups[2].Value));
        for (var i = 0; i < uuids.Count; i++)
            Write(pdf, uuids[i].Index + 5, UuidFor(hash, i).ToString("D"));
        var id = Convert.ToHexString(hash, 0, 16);
        foreach (var at in ids)
        {
            Write(pdf, at, id);
            if (pdf.AsSpan(at + 32, 2).SequenceEqual("><"u8))
                Write(pdf, at + 34, id);
        }
        return pdf;
    }

    private static string SubsetTagFor(byte[] documentHash, string fontName)
    {
        var bytes = SHA256.HashData([.. documentHash, .. Encoding.ASCII.GetBytes(fontName)]);
        var tag = new char[6];
        for (var i = 0; i < 6; i++)
            tag[i] = (char)('A' + bytes[i] % 26);
        return new string(tag);
    }

    private static Guid UuidFor(byte[] documentHash, int index)
    {
        var bytes = SHA256.HashData([.. documentHash, (byte)index]);
        return new Guid(bytes.AsSpan(0, 16));
    }

    private static void Write(byte[] pdf, int offset, string ascii) => Encoding.ASCII.GetBytes(ascii, pdf.AsSpan(offset));
}
