using System.Security.Cryptography;
using Deliberate.Server.Api;

namespace Deliberate.Server.Files;

/// <summary>What kinds of file an upload accepts.</summary>
[Flags]
public enum FileKinds { Images = 1, Pdf = 2, ImagesOrPdf = Images | Pdf }

/// <summary>
/// Reads uploaded files for one owner, all or nothing: type recognised by the bytes (never by what the
/// client claims), size and count limits, and every fault in the caller's language. Images are stored without
/// their metadata (<see cref="ImageMetadata"/>), names as <see cref="FileNames.Sanitise"/> leaves them.
/// </summary>
public static class Uploads
{
    public static async Task<(List<Attachment> Files, FieldErrors Errors)> ReadAsync(IFormFileCollection files, string field, FileKinds kinds,
        int maxCount, AttachmentOwner ownerKind, Guid ownerId, Guid uploadedById, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var result = new List<Attachment>();
        foreach (var stray in files.Where(f => f.Name != field).Select(f => f.Name).Distinct())
            errors.Add(stray, $"文件请放在表单字段 {field} 中。", $"Send the files in the form field '{field}'.");
        var mine = files.Where(f => f.Name == field).ToList();
        if (mine.Count == 0) errors.Add(field, "请选择文件。", "Choose at least one file.");
        if (mine.Count > maxCount) errors.Add(field, $"最多 {maxCount} 个文件。", $"At most {maxCount} files.");

        foreach (var file in mine)
        {
            var shown = FileNames.Sanitise(file.FileName, ""); // the name as sent may hold NUL, markup or a path
            if (file.Length > Attachment.MaxBytes)
            {
                errors.Add(field, $"“{shown}”超过 5 MB。", $"'{shown}' is larger than 5 MB.");
                continue;
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            var content = buffer.ToArray();
            var type = FileSniffer.Sniff(content, kinds);
            if (type is null)
            {
                errors.Add(field, kinds.HasFlag(FileKinds.Pdf)
                        ? $"“{shown}”不是 JPEG、PNG、WebP 图片或 PDF。" : $"“{shown}”不是 JPEG、PNG 或 WebP 图片。",
                    kinds.HasFlag(FileKinds.Pdf)
                        ? $"'{shown}' is not a JPEG, PNG or WebP image or a PDF." : $"'{shown}' is not a JPEG, PNG or WebP image.");
                continue;
            }
            content = ImageMetadata.Strip(content, type); // no camera position or other metadata of a resident's photo is kept
            result.Add(new Attachment(Guid.CreateVersion7(now), ownerKind, ownerId, FileNames.Sanitise(file.FileName, type), type, content,
                Convert.ToHexStringLower(SHA256.HashData(content)), uploadedById, now));
        }
        return (result, errors);
    }
}

/// <summary>Recognises files by their first bytes.</summary>
public static class FileSniffer
{
    public static string? Sniff(ReadOnlySpan<byte> data, FileKinds kinds)
    {
        if (kinds.HasFlag(FileKinds.Images))
        {
            if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return "image/jpeg";
            if (data.Length >= 8 && data[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return "image/png";
            if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        }
        if (kinds.HasFlag(FileKinds.Pdf) && data.Length >= 5 && data[..5].SequenceEqual("%PDF-"u8)) return "application/pdf";
        return null;
    }
}
