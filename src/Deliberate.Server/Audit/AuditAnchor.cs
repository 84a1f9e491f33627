using System.Globalization;
using Deliberate.Server.Data;

namespace Deliberate.Server.Audit;

/// <summary>A head of the chain recorded outside the database: entry <see cref="Sequence"/> had hash <see cref="Hash"/>.</summary>
public sealed record AnchorPoint(long Sequence, string Hash, string Source);

/// <summary>
/// Writes the chain's head (sequence and hash) to a file outside the database — at start, every
/// <c>Audit:AnchorInterval</c> (5 minutes) when it moved, and at shutdown — so that removing the last entries, or
/// rewriting the chain, shows against what the file recorded. The file (<c>Audit:AnchorPath</c>; default beside the
/// SQLite database as <c>&lt;name&gt;.audit-anchors</c>, or <c>data/&lt;database&gt;.audit-anchors</c> for PostgreSQL)
/// is only appended to, one line per head: <c>time sequence hash</c>. Ship it to a log the operator keeps elsewhere.
/// </summary>
public sealed class AuditAnchor(string path)
{
    public string Path { get; } = path;
    readonly SemaphoreSlim gate = new(1, 1);
    long lastWritten = -1;

    public static AuditAnchor From(IConfiguration config, DatabaseSettings database)
    {
        if (config["Audit:AnchorPath"] is { Length: > 0 } configured) return new AuditAnchor(System.IO.Path.GetFullPath(configured));
        if (database.SqliteFile() is { } file) return new AuditAnchor(System.IO.Path.ChangeExtension(file, ".audit-anchors"));
        var name = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = database.ConnectionString }
            .TryGetValue("Database", out var value) ? value?.ToString() : null;
        return new AuditAnchor(System.IO.Path.GetFullPath(System.IO.Path.Combine("data",
            $"{(string.IsNullOrEmpty(name) ? "deliberate" : name)}.audit-anchors")));
    }

    /// <summary>Appends the chain's current head (chaining what waits first, on PostgreSQL) unless it was the last one written; returns it.</summary>
    public async Task<(long Sequence, string Hash)> WriteHeadAsync(DeliberateDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        await AuditChainer.ChainPendingAsync(db, ct);
        var head = await AuditTrail.ReadHeadAsync(db, ct);
        await gate.WaitAsync(ct);
        try
        {
            if (head.Sequence == 0 || head.Sequence == lastWritten) return head;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var line =
                $"{clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} {head.Sequence} {head.Hash}\n";
            await using (var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 4096, FileOptions.WriteThrough))
                await file.WriteAsync(System.Text.Encoding.ASCII.GetBytes(line), ct);
            lastWritten = head.Sequence;
            return head;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The heads an anchor file recorded (none when it does not exist); lines that are not "time sequence hash" are skipped.</summary>
    public static IReadOnlyList<AnchorPoint> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var points = new List<AnchorPoint>();
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && IsHash(parts[2]))
                points.Add(new AnchorPoint(sequence, parts[2], $"{path} ({parts[0]})"));
        }
        return points;
    }

    /// <summary>The head a backup's MANIFEST (scripts/backup.sh) recorded: <c>audit_sequence=</c> and <c>audit_hash=</c>.</summary>
    public static IReadOnlyList<AnchorPoint> ReadManifest(string path)
    {
        var values = File.ReadLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!values.TryGetValue("audit_sequence", out var text)
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !values.TryGetValue("audit_hash", out var hash) || !IsHash(hash))
            throw new InvalidOperationException($"{path} records no audit head (audit_sequence and audit_hash).");
        return [new AnchorPoint(sequence, hash, $"{path} (created {values.GetValueOrDefault("created")})")];
    }

    static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}

/// <summary>Writes the anchor at start, every interval while the head moves, and at shutdown.</summary>
public sealed class AuditAnchorService(AuditAnchor anchor, IServiceScopeFactory scopes, TimeProvider clock, IConfiguration config,
    ILogger<AuditAnchorService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = config.GetValue("Audit:AnchorInterval", TimeSpan.FromMinutes(5));
        await WriteAsync(stoppingToken);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await WriteAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteAsync(cancellationToken); // the last head this node saw, so that nothing written before shutdown can go unnoticed
    }

    async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await anchor.WriteHeadAsync(scope.ServiceProvider.GetRequiredService<DeliberateDbContext>(), clock, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Could not write the audit chain's head to {Path}.", anchor.Path);
        }
    }
}
