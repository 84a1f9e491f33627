using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Audit;

/// <summary>
/// One state change, append-only: who, what, when, before and after. Entries form a hash chain — each
/// carries the previous entry's hash and its own hash over both — so that changing, removing or
/// reordering any entry breaks the chain from that entry on. The hash is an HMAC-SHA256 keyed with the
/// <see cref="AuditKey"/>, which is not in the database, so that an altered chain cannot be re-hashed by
/// whoever can only write the database. Entries written before the chain was keyed carry plain SHA-256
/// hashes; they verify as such, but only before the first keyed entry. An entry is written with its change
/// and joins the chain then (SQLite) or a moment later (PostgreSQL: <see cref="AuditChainer"/>).
/// </summary>
public sealed class AuditEntry
{
    AuditEntry() { }

    public AuditEntry(DateTimeOffset at, Guid? actorId, string actorName, string action, string entityType, string entityId,
        string? before, string? after, Guid? orgUnitId = null)
    {
        At = at.AddTicks(-(at.UtcTicks % 10)); // whole microseconds: what PostgreSQL keeps, so the hash verifies after a round trip
        ActorId = actorId;
        ActorName = actorName;
        Action = action;
        EntityType = entityType;
        EntityId = entityId;
        Before = before;
        After = after;
        OrgUnitId = orgUnitId;
    }

    /// <summary>Order of writing (database-generated); the chain's order is <see cref="Sequence"/>.</summary>
    public long Id { get; private set; }
    /// <summary>1, 2, 3, … with no gaps: the position in the chain; null until the entry is chained.</summary>
    public long? Sequence { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>The signed-in user, or null for the system (timers, start-up).</summary>
    public Guid? ActorId { get; private set; }
    public string ActorName { get; private set; } = "";
    /// <summary>added, modified or deleted.</summary>
    public string Action { get; private set; } = "";
    public string EntityType { get; private set; } = "";
    public string EntityId { get; private set; } = "";
    /// <summary>JSON of the changed properties before (null when added).</summary>
    public string? Before { get; private set; }
    /// <summary>JSON of the changed properties after (null when deleted).</summary>
    public string? After { get; private set; }
    public string? PreviousHash { get; private set; }
    public string? Hash { get; private set; }
    /// <summary>
    /// The organisation node the changed row belongs to (its own OrgUnitId, CommunityId, … or its parent's), or null for rows of no node
    /// (accounts, global settings). It decides which administrators may read the entry; it is an index for access, not part of the
    /// evidence, so it is not hashed — entries written before it existed verify as they did.
    /// </summary>
    public Guid? OrgUnitId { get; private set; }

    /// <summary>The hash of the first entry's predecessor.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Puts the entry at <paramref name="sequence"/> in the chain, after the entry whose hash is <paramref name="previousHash"/>.</summary>
    public void Chain(long sequence, string previousHash, byte[] key)
    {
        if (Sequence is not null) throw new InvalidOperationException($"Audit entry {Id} is already chained at {Sequence}.");
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = HashAs(previousHash, key);
    }

    /// <summary>The entry's hash: keyed (HMAC-SHA256) with <paramref name="key"/>, or plain SHA-256 — how entries were hashed before the chain was
    /// keyed — when it is null.</summary>
    public string HashAs(string? previousHash, byte[]? key)
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical(previousHash));
        return Convert.ToHexStringLower(key is null ? SHA256.HashData(bytes) : HMACSHA256.HashData(key, bytes));
    }

    /// <summary>The previous hash and every field, each length-prefixed so that no two entries can collide by shifting text between fields.</summary>
    string Canonical(string? previousHash)
    {
        var text = new StringBuilder();
        foreach (var field in new[] { previousHash ?? "", Sequence?.ToString() ?? "", At.UtcTicks.ToString(), ActorId?.ToString() ?? "", ActorName,
            Action, EntityType, EntityId, Before ?? "\0", After ?? "\0" })
            text.Append(field.Length).Append(':').Append(field).Append('|');
        return text.ToString();
    }
}

public static class AuditModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<AuditEntry>(e =>
        {
            e.ToTable("AuditLog");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.HasIndex(x => x.Sequence).IsUnique();
            // The chainer's work list: entries not yet chained, in the order they were written.
            e.HasIndex(x => x.Id, "IX_AuditLog_Unchained").HasFilter("\"Sequence\" IS NULL");
            e.Property(x => x.ActorName).HasMaxLength(200);
            e.Property(x => x.Action).HasMaxLength(16);
            e.Property(x => x.EntityType).HasMaxLength(100);
            e.Property(x => x.EntityId).HasMaxLength(200);
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.HasIndex(x => new { x.EntityType, x.EntityId });
            e.HasIndex(x => x.At);
            e.HasIndex(x => x.OrgUnitId);
        });
    }
}
