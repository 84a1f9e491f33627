using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Minutes;

/// <summary>
/// One generated PDF of a meeting's minutes, kept as it was made: its bytes never change, and its SHA-256 lets
/// anyone check a printed or mailed copy. A correction is a new version with a reason; old versions stay.
/// </summary>
public sealed class MinutesVersion
{
    MinutesVersion() { }

    public MinutesVersion(Guid id, Guid meetingId, int version, string language, byte[] content, Guid? createdById, string createdByName,
        string? reason, DateTimeOffset createdAt)
    {
        Id = id;
        MeetingId = meetingId;
        Version = version;
        Language = language;
        Content = content;
        Size = content.Length;
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        CreatedById = createdById;
        CreatedByName = createdByName;
        Reason = reason;
        CreatedAt = createdAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid MeetingId { get; private set; }
    /// <summary>1, 2, 3… per meeting; a higher version supersedes the lower ones.</summary>
    public int Version { get; private set; }
    /// <summary>"zh-CN" or "en": the language of the fixed labels.</summary>
    public string Language { get; private set; } = "zh-CN";
    public string Sha256 { get; private set; } = "";
    public int Size { get; private set; }
    public byte[] Content { get; private set; } = [];
    /// <summary>Null when a workflow generated it.</summary>
    public Guid? CreatedById { get; private set; }
    public string CreatedByName { get; private set; } = "";
    /// <summary>Why a correction was made; null for the first version.</summary>
    public string? Reason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public List<MinutesSignOff> SignOffs { get; private set; } = [];

    /// <summary>A required signer confirms this version, once, while it is the latest.</summary>
    public MinutesSignOff SignOff(Guid id, Guid userId, string name, DateTimeOffset now, int latestVersion)
    {
        if (Version != latestVersion)
            throw new MinutesRuleException("superseded", "这一版纪要已被更正，请确认最新版本。", "This version has been corrected; sign off the latest one.");
        if (SignOffs.Any(s => s.UserId == userId))
            throw new MinutesRuleException("alreadySigned", "您已确认过这一版纪要。", "You have already signed off this version of the minutes.");
        var signOff = new MinutesSignOff(id, Id, userId, name, now);
        SignOffs.Add(signOff);
        return signOff;
    }
}

/// <summary>A participant's confirmation (签字确认) of one version of the minutes.</summary>
public sealed class MinutesSignOff
{
    MinutesSignOff() { }

    public MinutesSignOff(Guid id, Guid minutesVersionId, Guid userId, string name, DateTimeOffset signedAt)
    {
        Id = id;
        MinutesVersionId = minutesVersionId;
        UserId = userId;
        Name = name;
        SignedAt = signedAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid MinutesVersionId { get; private set; }
    public Guid UserId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeOffset SignedAt { get; private set; }
}

/// <summary>A rule about minutes the request would break; the API answers 409.</summary>
public sealed class MinutesRuleException(string code, string messageZh, string messageEn) : Api.DomainRuleException(code, messageZh, messageEn);

static class MinutesModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<MinutesVersion>(e =>
        {
            e.ToTable("MinutesVersions");
            e.Property(x => x.Language).HasMaxLength(10);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.CreatedByName).HasMaxLength(100);
            e.Property(x => x.Reason).HasMaxLength(500);
            // Two generations at the same moment cannot both be version n.
            e.HasIndex(x => new { x.MeetingId, x.Version }).IsUnique();
            e.HasOne<Meetings.Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.SignOffs).WithOne().HasForeignKey(x => x.MinutesVersionId);
        });
        model.Entity<MinutesSignOff>(e =>
        {
            e.ToTable("MinutesSignOffs");
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasIndex(x => new { x.MinutesVersionId, x.UserId }).IsUnique();
        });
    }
}
