using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Files;

/// <summary>What a file is attached to.</summary>
public enum AttachmentOwner { Matter, WorkItemUpdate, BallotParticipation, Meeting }

/// <summary>
/// A file kept in the database (photos of a matter, evidence of progress, a written proxy, a scanned
/// paper ballot), so that it is saved with the row it belongs to or not at all.
/// </summary>
public sealed class Attachment
{
    public const int MaxBytes = 5 * 1024 * 1024;

    Attachment() { }

    public Attachment(Guid id, AttachmentOwner ownerKind, Guid ownerId, string fileName, string contentType, byte[] content, string sha256,
        Guid uploadedById, DateTimeOffset uploadedAt)
    {
        Id = id;
        OwnerKind = ownerKind;
        OwnerId = ownerId;
        FileName = fileName;
        ContentType = contentType;
        Content = content;
        Size = content.Length;
        Sha256 = sha256;
        UploadedById = uploadedById;
        UploadedAt = uploadedAt;
    }

    public Guid Id { get; private set; }
    public AttachmentOwner OwnerKind { get; private set; }
    public Guid OwnerId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public int Size { get; private set; }
    public string Sha256 { get; private set; } = "";
    public byte[] Content { get; private set; } = [];
    public Guid UploadedById { get; private set; }
    public DateTimeOffset UploadedAt { get; private set; }
}

static class FilesModel
{
    public static void Configure(ModelBuilder model) => model.Entity<Attachment>(e =>
    {
        e.ToTable("Attachments");
        e.Property(x => x.OwnerKind).HasConversion<string>().HasMaxLength(30);
        e.Property(x => x.FileName).HasMaxLength(200);
        e.Property(x => x.ContentType).HasMaxLength(50);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.HasIndex(x => new { x.OwnerKind, x.OwnerId });
    });
}
