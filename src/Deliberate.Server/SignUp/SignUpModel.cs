using Deliberate.Server.Api;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.SignUp;

/// <summary>What a one-time phone code is for: a code sent for one purpose is no good for the other.</summary>
public enum CodePurpose { SignUp, Reset, Activate }

/// <summary>
/// A one-time code sent to a phone. Only a salted SHA-256 of the code is kept; with a million possible codes that hides
/// it from a glance at the table, no more — what protects it is the ten minutes, the five tries and single use.
/// </summary>
public sealed class PhoneCode
{
    public const int Length = 6;
    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    PhoneCode() { }

    public PhoneCode(Guid id, string phone, CodePurpose purpose, string codeHash, string clientAddress, DateTimeOffset now)
    {
        Id = id;
        Phone = phone;
        Purpose = purpose;
        CodeHash = codeHash;
        ClientAddress = clientAddress;
        CreatedAt = now;
        ExpiresAt = now + Lifetime;
    }

    public Guid Id { get; private set; }
    public string Phone { get; private set; } = "";
    public CodePurpose Purpose { get; private set; }
    public string CodeHash { get; private set; } = "";
    /// <summary>Who asked for it: codes are limited per address as well as per phone.</summary>
    public string ClientAddress { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    /// <summary>Wrong codes tried against it (counted in the database, atomically).</summary>
    public int Attempts { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
}

/// <summary>How a claimant says they live in the unit.</summary>
public enum ClaimRelation { Owner, Family, Tenant }

public enum ClaimStatus { Pending, Verified, Refused }

/// <summary>
/// A resident's claim to live in a unit. An owner whose ID digits (and phone, when the register has one) match is verified
/// at once; every other claim waits for the grid worker of the building's grid or the property company.
/// </summary>
public sealed class HomeClaim
{
    HomeClaim() { }

    public HomeClaim(Guid id, Guid userId, Guid unitId, Guid buildingId, ClaimRelation relation, string? note, DateTimeOffset now)
    {
        Id = id;
        UserId = userId;
        UnitId = unitId;
        BuildingId = buildingId;
        Relation = relation;
        Note = note;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public Guid UnitId { get; private set; }
    public Guid BuildingId { get; private set; }
    public ClaimRelation Relation { get; private set; }
    public ClaimStatus Status { get; private set; }
    /// <summary>What the claimant wrote, or why the claim did not verify itself (for the verifier).</summary>
    public string? Note { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid? DecidedById { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? RefusalReason { get; private set; }
    /// <summary>The owner on the register this claim made the account (set when an owner's claim is verified).</summary>
    public Guid? OwnerId { get; private set; }

    /// <summary>Verified: by the register's own digits (<paramref name="byId"/> null) or by a verifier.</summary>
    public void Verify(Guid? byId, Guid? ownerId, DateTimeOffset now)
    {
        if (Status != ClaimStatus.Pending) throw Decided();
        Status = ClaimStatus.Verified;
        DecidedById = byId;
        DecidedAt = now;
        OwnerId = ownerId;
    }

    /// <summary>409 <c>claimDecided</c>: decided before (or, of two verifiers at once, by the other one).</summary>
    public static DomainRuleException Decided() =>
        new("claimDecided", "这条认证申请已经处理过了。", "This claim has already been decided.");

    public void Refuse(Guid byId, string reason, DateTimeOffset now)
    {
        if (Status != ClaimStatus.Pending) throw Decided();
        Status = ClaimStatus.Refused;
        DecidedById = byId;
        DecidedAt = now;
        RefusalReason = reason;
    }
}

/// <summary>
/// One try of a unit's ID digits, by an account (rows, not a counter: tries sent at once each count). Five tries within a
/// day lock the unit's self-verification until they age out (claims can still go to the verifier's queue); the right digits
/// clear the unit's tries. Counted per unit, because accounts are cheap, and also per account: ten tries a day, across units,
/// stop that account's tries, so that one account cannot lock every unit of a community.
/// </summary>
public sealed class ClaimAttempt
{
    public const int TriesBeforeLock = 5;
    public const int TriesPerAccount = 10;
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    ClaimAttempt() { }

    public ClaimAttempt(Guid id, Guid unitId, Guid userId, DateTimeOffset at)
    {
        Id = id;
        UnitId = unitId;
        UserId = userId;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid UnitId { get; private set; }
    /// <summary>Who tried (null for tries made before accounts were counted).</summary>
    public Guid? UserId { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>
/// An invitation letter for one unit, printed by the owners' committee, with a one-time activation code. Only the
/// code's SHA-256 is kept (12 characters from a 31-letter alphabet: about 59 bits, beyond guessing at the rate limit).
/// Printing the building again revokes the letters not yet used.
/// </summary>
public sealed class ActivationLetter
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    ActivationLetter() { }

    public ActivationLetter(Guid id, Guid unitId, Guid buildingId, string codeHash, Guid issuedById, DateTimeOffset now)
    {
        Id = id;
        UnitId = unitId;
        BuildingId = buildingId;
        CodeHash = codeHash;
        IssuedById = issuedById;
        IssuedAt = now;
        ExpiresAt = now + Lifetime;
    }

    public Guid Id { get; private set; }
    public Guid UnitId { get; private set; }
    public Guid BuildingId { get; private set; }
    public string CodeHash { get; private set; } = "";
    public Guid IssuedById { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    public Guid? UsedById { get; private set; }
}

static class SignUpModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<PhoneCode>(e =>
        {
            e.ToTable("PhoneCodes");
            e.Property(x => x.Phone).HasMaxLength(20);
            e.Property(x => x.Purpose).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.CodeHash).HasMaxLength(100);
            e.Property(x => x.ClientAddress).HasMaxLength(64);
            e.HasIndex(x => new { x.Phone, x.Purpose, x.CreatedAt });
            e.HasIndex(x => new { x.ClientAddress, x.CreatedAt });
        });
        model.Entity<HomeClaim>(e =>
        {
            e.ToTable("HomeClaims");
            e.Property(x => x.Relation).HasConversion<string>().HasMaxLength(10);
            // A decision writes only where the claim is still pending: of two verifiers at once, one wins (the other: claimDecided).
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(10).IsConcurrencyToken();
            e.Property(x => x.Note).HasMaxLength(500);
            e.Property(x => x.RefusalReason).HasMaxLength(500);
            e.HasIndex(x => new { x.BuildingId, x.Status });
            // One open or granted claim per account and unit: two sent at once, one wins.
            e.HasIndex(x => new { x.UserId, x.UnitId }).IsUnique().HasFilter("\"Status\" <> 'Refused'");
            e.HasOne<Identity.User>().WithMany().HasForeignKey(x => x.UserId);
            e.HasOne<Organisation.PropertyUnit>().WithMany().HasForeignKey(x => x.UnitId);
        });
        model.Entity<ClaimAttempt>(e =>
        {
            e.ToTable("ClaimAttempts");
            e.HasIndex(x => new { x.UnitId, x.At });
            e.HasIndex(x => new { x.UserId, x.At });
        });
        model.Entity<ActivationLetter>(e =>
        {
            e.ToTable("ActivationLetters");
            e.Property(x => x.CodeHash).HasMaxLength(100);
            e.HasIndex(x => x.CodeHash).IsUnique();
            e.HasIndex(x => new { x.BuildingId, x.UsedAt, x.RevokedAt });
            e.HasOne<Organisation.PropertyUnit>().WithMany().HasForeignKey(x => x.UnitId);
        });
    }
}
