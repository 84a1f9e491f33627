using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Deliberate.Server.Audit;

/// <summary>
/// Turns the changes a SaveChanges is about to write into audit entries, chained onto the last one.
/// Runs inside the save's transaction, after taking the chain's lock, so that the chain stays one line
/// across requests and nodes.
/// </summary>
public static class AuditTrail
{
    /// <summary>
    /// Not audited: the audit log itself; data-protection keys (secrets); the workflow journal, which is
    /// already an append-only record of every step, and bookmarks, the runtime's own bookkeeping (the
    /// instance's changes are audited); and secret-ballot choices — an entry saying who cast the vote
    /// beside the choice row written in the same save would link voter and choice; and ballot boxes — each sealed
    /// version logged beside the voter who wrote it would let whoever later gets the key replay every vote, replaced ones too.
    /// </summary>
    static readonly HashSet<string> NotAudited =
        ["AuditEntry", "DataProtectionKey", "JournalRecord", "BookmarkRecord", "BallotChoice", "BallotBox"];

    /// <summary>
    /// Secrets and one-time codes, as "Type.Property": their values never reach the log, only <see cref="Redacted"/> (the entry still says
    /// the property was set or changed). A robot's URL carries its key (in the query, or in the path for 飞书), so all of it is withheld.
    /// </summary>
    public static readonly IReadOnlySet<string> Secret = new HashSet<string>
    {
        "User.PasswordHash", "User.SecurityStamp", "UserSession.RefreshTokenId", "PhoneCode.CodeHash", "ActivationLetter.CodeHash",
        "GroupRobot.Url", "GroupRobot.Secret",
    };

    /// <summary>Personal digits, as "Type.Property": a phone shows only its last four; an ID's last four are never shown.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string, string>> Masked = new Dictionary<string, Func<string, string>>
    {
        ["Owner.Phone"] = LastFour, ["PhoneCode.Phone"] = LastFour, ["Owner.IdLast4"] = _ => Redacted,
    };

    public const string Redacted = "****";

    static string LastFour(string phone) => phone.Length <= 4 ? Redacted : "*******" + phone[^4..];

    /// <summary>Longer values (a workflow's state, a definition) are logged as their digest and length.</summary>
    const int MaxValueLength = 1000;

    /// <summary>A change to record; <paramref name="Row"/> is the changed row (its node is looked up from it), or
    /// <paramref name="OrgUnitId"/> names the node directly (events).</summary>
    public sealed record PendingChange(string Action, string EntityType, string EntityId, string? Before, string? After, EntityEntry? Row = null,
        Guid? OrgUnitId = null);

    /// <summary>What the save will change, read before it runs (states and original values are gone after).</summary>
    public static List<PendingChange> Capture(ChangeTracker tracker)
    {
        var changes = new List<PendingChange>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var type = entry.Metadata.ClrType.Name;
            if (NotAudited.Contains(type)) continue;
            var id = string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue)));
            switch (entry.State)
            {
                case EntityState.Added:
                    changes.Add(new("added", type, id, null, Values(entry, entry.Properties, current: true), entry));
                    break;
                case EntityState.Deleted:
                    changes.Add(new("deleted", type, id, Values(entry, entry.Properties, current: false), null, entry));
                    break;
                default:
                    var modified = entry.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                    if (modified.Count == 0) continue;
                    changes.Add(new("modified", type, id, Values(entry, modified, current: false), Values(entry, modified, current: true), entry));
                    break;
            }
        }
        return changes;
    }

    /// <summary>
    /// Adds the entries for <paramref name="changes"/> to the context, to be written in the same transaction as
    /// the changes. On SQLite they are chained at once: the write gate makes this save the file's only writer.
    /// On PostgreSQL the <see cref="AuditChainer"/> chains them a moment after they commit, so that writers
    /// across the cluster never queue on the chain's head.
    /// </summary>
    public static async Task<List<AuditEntry>> AppendAsync(DeliberateDbContext db, List<PendingChange> changes, CancellationToken ct)
    {
        var (actorId, actorName) = Actor(db);
        var at = Clock(db).GetUtcNow();
        var nodes = new AuditScope(db);
        var entries = new List<AuditEntry>(changes.Count);
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false; // Capture has just detected them; looking up parents need not again
        try
        {
            foreach (var c in changes)
            {
                var node = c.OrgUnitId ?? (c.Row is { } row ? await nodes.NodeOfAsync(row, ct) : null);
                entries.Add(new AuditEntry(at, actorId, actorName, c.Action, c.EntityType, c.EntityId, c.Before, c.After, node));
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
        if (db.UsesSqlite)
        {
            var key = AuditKey.Of(db);
            var (sequence, previous) = KnownSqliteHead(db, key) ?? await ReadHeadAsync(db, ct);
            foreach (var entry in entries)
            {
                entry.Chain(++sequence, previous, key.Key);
                previous = entry.Hash!;
            }
        }
        db.AuditLog.AddRange(entries);
        return entries;
    }

    /// <summary>
    /// Records an event that changes no row — an export of personal or official data (a 台账) — as an entry of the chain, saved at
    /// once in its own transaction: <paramref name="action"/> says what was done, <paramref name="details"/> (JSON) to what.
    /// </summary>
    public static async Task RecordEventAsync(DeliberateDbContext db, string action, string entityType, string entityId, string details,
        Guid? orgUnitId, CancellationToken ct)
    {
        var entries = await AppendAsync(db, [new PendingChange(action, entityType, entityId, null, details, OrgUnitId: orgUnitId)], ct);
        try
        {
            await db.SaveChangesAsync(ct); // the entry itself is not audited, so this save writes just it
            Saved(db, entries, committed: true);
        }
        catch
        {
            foreach (var entry in entries) db.Entry(entry).State = EntityState.Detached;
            Saved(db, entries, committed: false);
            throw;
        }
    }

    /// <summary>The last chained entry's sequence and hash (0 and the genesis hash for an empty chain).</summary>
    public static async Task<(long Sequence, string Hash)> ReadHeadAsync(DeliberateDbContext db, CancellationToken ct)
    {
        var last = await db.AuditLog.AsNoTracking().Where(e => e.Sequence != null).OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        return last is null ? (0L, AuditEntry.GenesisHash) : (last.Sequence!.Value, last.Hash!);
    }

    /// <summary>
    /// SQLite: the chain's head as this application last committed it (<see cref="AuditKey.SqliteHeads"/>). The write
    /// gate makes this process the file's one writer and its saves one at a time, so the head need not be read back
    /// before each save. Only a save in its own transaction updates it: one inside a caller's transaction could still be rolled back.
    /// </summary>
    static (long, string)? KnownSqliteHead(DeliberateDbContext db, AuditKey key) =>
        db.Database.CurrentTransaction is null && key.SqliteHeads.TryGetValue(db.Database.GetConnectionString()!, out var head) ? head : null;

    /// <summary>After a save: remember the head it committed, or forget the head when the save failed or may yet roll back.</summary>
    public static void Saved(DeliberateDbContext db, List<AuditEntry> entries, bool committed)
    {
        if (!db.UsesSqlite) return;
        var heads = AuditKey.Of(db).SqliteHeads;
        var file = db.Database.GetConnectionString()!;
        if (committed && entries.Count > 0 && db.Database.CurrentTransaction is null) heads[file] = (entries[^1].Sequence!.Value, entries[^1].Hash!);
        else heads.TryRemove(file, out _);
    }

    static string Values(EntityEntry entry, IEnumerable<PropertyEntry> properties, bool current)
    {
        var json = new JsonObject();
        foreach (var property in properties)
        {
            var name = property.Metadata.Name;
            var qualified = entry.Metadata.ClrType.Name + "." + name;
            var value = current ? property.CurrentValue : property.OriginalValue;
            json[name] = value is null ? null
                : Secret.Contains(qualified) ? Redacted
                : Masked.TryGetValue(qualified, out var mask) ? mask(Format(value))
                : value is byte[]? Digest(value) : Value(value);
        }
        return json.ToJsonString(Readable);
    }

    /// <summary>Chinese stays readable in the log rather than \uXXXX escapes.</summary>
    static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static JsonNode? Value(object? value)
    {
        if (value is null) return null;
        var text = Format(value);
        return text.Length > MaxValueLength ? Digest(text) : JsonValue.Create(text);
    }

    static string Format(object? value) => value switch
    {
        null => "",
        DateTimeOffset t => t.ToString("O"),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static JsonNode? Digest(object? value)
    {
        var bytes = value switch
        {
            null => null,
            byte[] b => b,
            _ => System.Text.Encoding.UTF8.GetBytes(Format(value)),
        };
        return bytes is null ? null : JsonValue.Create($"sha256:{Convert.ToHexStringLower(SHA256.HashData(bytes))} ({bytes.Length} bytes)");
    }

    /// <summary>The signed-in user of the current request; the system when there is none (timers, start-up).</summary>
    static (Guid?, string) Actor(DeliberateDbContext db)
    {
        var user = ApplicationServices(db)?.GetService<IHttpContextAccessor>()?.HttpContext?.User;
        if (user is not null && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
            return (id, user.FindFirstValue(ClaimTypes.Name) ?? "");
        return (null, "system");
    }

    static TimeProvider Clock(DeliberateDbContext db) => ApplicationServices(db)?.GetService<TimeProvider>() ?? TimeProvider.System;

    static IServiceProvider? ApplicationServices(DeliberateDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
}
