using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Deliberate.Server.Files;

/// <summary>
/// Removes what a camera or phone writes beside the picture — EXIF (with the GPS position of a resident's home),
/// XMP, comments, text chunks — from JPEG and PNG uploads, at the byte level (no image library): the pixels are
/// not decoded or touched. JPEG keeps APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform),
/// which are needed to show the picture right, and drops every other APPn and COM; the EXIF orientation goes with
/// the EXIF, consistently: a photo shows as its pixels are stored. PNG drops tEXt, iTXt, zTXt, eXIf and tIME. WebP
/// drops its EXIF and XMP chunks and clears their flags in VP8X. Where a
/// file stops following the format, the rest is kept as it is (a picture the filter cannot read is not its business).
/// </summary>
public static class ImageMetadata
{
    public static byte[] Strip(byte[] content, string contentType) => contentType switch
    {
        "image/jpeg" => StripJpeg(content),
        "image/png" => StripPng(content),
        "image/webp" => StripWebp(content),
        _ => content,
    };

    static byte[] StripJpeg(byte[] data)
    {
        var output = new MemoryStream(data.Length);
        output.Write(data, 0, 2); // SOI
        var at = 2;
        while (at + 4 <= data.Length && data[at] == 0xFF)
        {
            var marker = data[at + 1];
            if (marker == 0xDA || marker == 0xD9 || marker == 0xFF) break; // start of scan, end of image, fill: the rest is image data
            var length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at + 2));
            if (length < 2 || at + 2 + length > data.Length) break;
            var metadata = marker == 0xFE || (marker is >= 0xE1 and <= 0xEF && marker is not 0xE2 and not 0xEE);
            if (!metadata) output.Write(data, at, 2 + length);
            at += 2 + length;
        }
        output.Write(data, at, data.Length - at);
        return output.ToArray();
    }

    static readonly HashSet<string> PngMetadata = ["tEXt", "iTXt", "zTXt", "eXIf", "tIME"];

    static byte[] StripPng(byte[] data)
    {
        var output = new MemoryStream(data.Length);
        output.Write(data, 0, 8); // signature
        var at = 8;
        while (at + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            if (length > data.Length - at - 12) break;
            var type = Encoding.ASCII.GetString(data, at + 4, 4);
            if (!PngMetadata.Contains(type)) output.Write(data, at, 12 + (int)length);
            at += 12 + (int)length;
        }
        output.Write(data, at, data.Length - at);
        return output.ToArray();
    }

    /// <summary>RIFF: "RIFF", size (LE), "WEBP", then chunks of FourCC, size (LE) and data padded to an even length.</summary>
    static byte[] StripWebp(byte[] data)
    {
        if (data.Length < 12) return data;
        var output = new MemoryStream(data.Length);
        output.Write(data, 0, 12);
        var at = 12;
        while (at + 8 <= data.Length)
        {
            var type = Encoding.ASCII.GetString(data, at, 4);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 4));
            var padded = length + (length & 1);
            if (padded > (uint)(data.Length - at - 8)) break;
            var start = (int)output.Position;
            if (type is not ("EXIF" or "XMP ")) output.Write(data, at, 8 + (int)padded);
            if (type == "VP8X" && length >= 4) output.GetBuffer()[start + 8] &= unchecked((byte)~(0x08 | 0x04)); // no EXIF, no XMP
            at += 8 + (int)padded;
        }
        output.Write(data, at, data.Length - at);
        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }
}

/// <summary>Upload file names made safe to store and show: the name only, no control or markup characters, bounded, Chinese kept.</summary>
public static class FileNames
{
    public const int MaxLength = 100;

    public static string Sanitise(string? sent, string contentType)
    {
        var name = sent ?? "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..]; // path parts, whichever separator the client's system uses
        var kept = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var category = char.GetUnicodeCategory(c);
            // NUL and other controls, bidi overrides (a name that reads "gpj.exe" backwards), and characters of markup and paths.
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned) continue;
            if ("<>:\"|?*&'`".Contains(c)) continue;
            kept.Append(c);
        }
        name = kept.ToString().Trim().Trim('.').Trim();
        var extension = Path.GetExtension(name);
        if (extension.Length > 10) extension = "";
        if (name.Length > MaxLength) name = name[..(MaxLength - extension.Length)].TrimEnd() + extension;
        if (name.Length == 0 || name == extension) name = "file" + contentType switch
        {
            "image/jpeg" => ".jpg",
            "image/png" => ".png",
            "image/webp" => ".webp",
            "application/pdf" => ".pdf",
            _ => "",
        };
        return name;
    }
}
