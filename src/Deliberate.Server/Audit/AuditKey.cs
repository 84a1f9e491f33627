using System.Security.Cryptography;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Deliberate.Server.Audit;

/// <summary>
/// The secret that keys the audit chain (HMAC-SHA256). It is never stored in the database: whoever can write the
/// database but not read this key cannot re-hash an altered chain so that it verifies.
/// <list type="bullet">
/// <item><c>Audit:Key</c> — the key itself, base64 (at least 32 bytes); or</item>
/// <item><c>Audit:KeyPath</c> — a file holding it (base64), outside the database's folder. A demo server on SQLite
/// may leave it unset: <c>audit.key</c> in the database's folder, created on first start.</item>
/// </list>
/// On PostgreSQL one of the two is required (every node must use the same key), except in demo mode, where the
/// published <see cref="DemoKey"/> is used and a warning logged: a demo chain is then no stronger than plain SHA-256.
/// </summary>
public sealed class AuditKey
{
    public const int MinBytes = 32;

    /// <summary>Known to everyone: only for demo servers on PostgreSQL that were given no key.</summary>
    static readonly byte[] DemoKey = SHA256.HashData("Deliberate demo audit key - not secret"u8);

    AuditKey(byte[] key, string source)
    {
        Key = key;
        Source = source;
    }

    public byte[] Key { get; }
    /// <summary>Where the key came from (for the log and the operator), never the key.</summary>
    public string Source { get; }

    public static AuditKey Load(IConfiguration config, DatabaseSettings database, bool demo, ILogger log)
    {
        if (config["Audit:Key"] is { Length: > 0 } text) return new AuditKey(Decode(text, "Audit:Key"), "Audit:Key");
        var databaseFolder = database.SqliteFile() is { } file ? Path.GetDirectoryName(Path.GetFullPath(file))! : null;
        var path = config["Audit:KeyPath"] is { Length: > 0 } configured ? Path.GetFullPath(configured)
            : databaseFolder is not null ? Path.Combine(databaseFolder, "audit.key")
            : null;
        // The key also seals secret ballots (docs/voting-secrecy.md): whoever copies the database's folder — a backup, a
        // stolen disk — must not get it too. A demo may keep it there; a real server may not.
        if (!demo && path is not null && databaseFolder is not null && IsWithin(path, databaseFolder))
            throw new InvalidOperationException(
                $"The audit key (which also seals secret ballots) must not sit in the database's folder {databaseFolder}, which backups copy: " +
                "set Audit:KeyPath to a file elsewhere, e.g. /etc/deliberate/audit.key readable by the server's user only " +
                $"(an existing {Path.Combine(databaseFolder, "audit.key")} moves there as it is).");
        if (path is null)
        {
            if (database.Provider == DatabaseProvider.Postgres && !demo)
                throw new InvalidOperationException(
                    "The audit chain needs a key outside the database: set Audit:KeyPath (a file holding 32 random bytes in base64, " +
                    "e.g. `head -c 32 /dev/urandom | base64 > /etc/deliberate/audit.key`, the same file on every node) or Audit:Key.");
            log.LogWarning("Audit:Key and Audit:KeyPath are not set: the demo's published audit key is used. Never run a real community on it.");
            return new AuditKey(DemoKey, "demo key (published; not secret)");
        }
        if (!File.Exists(path))
        {
            if (database.Provider == DatabaseProvider.Postgres && !demo)
                throw new InvalidOperationException($"Audit:KeyPath {path} does not exist. Create it once (32 random bytes in base64) and give every "
                    + $"node the same file.");
            Create(path, log);
        }
        return new AuditKey(Decode(File.ReadAllText(path).Trim(), path), path);
    }

    static bool IsWithin(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, Path.GetDirectoryName(path)!);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    /// <summary>A new random key, readable by the server's user only; another process creating it at the same moment wins.</summary>
    static void Create(string path, ILogger log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinBytes)));
            log.LogWarning("Created the audit key {Path}. Keep a copy of it apart from the database's backups: without it the audit chain cannot be "
                + "verified.", path);
        }
        catch (IOException) when (File.Exists(path)) { /* created meanwhile by another process */ }
    }

    static byte[] Decode(string text, string source)
    {
        byte[] key;
        try { key = Convert.FromBase64String(text); }
        catch (FormatException) { throw new InvalidOperationException($"The audit key in {source} is not base64."); }
        if (key.Length < MinBytes)
            throw new InvalidOperationException($"The audit key in {source} has {key.Length} bytes; it needs at least {MinBytes}.");
        return key;
    }

    /// <summary>
    /// SQLite: the chain's head as this application last committed it, per database file (see <c>AuditTrail.Saved</c>).
    /// Kept here because it belongs to one running application, as the key does, not to the process.
    /// </summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, (long Sequence, string Hash)> SqliteHeads { get; } = new();

    /// <summary>The key of the application a context belongs to.</summary>
    public static AuditKey Of(DeliberateDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<AuditKey>()
        ?? throw new InvalidOperationException("No audit key is registered; audited rows can only be saved within the server.");
}
