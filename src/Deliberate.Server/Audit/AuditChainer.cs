using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Audit;

/// <summary>
/// PostgreSQL: puts the entries that requests wrote into the chain, in the order they were written, a moment
/// after they commit. Chaining at write time would make every write of the cluster wait for the one before
/// it to commit (the chain's head is one row of state); here only the chainers queue — one per node, under
/// an advisory lock, so the chain stays one line. An entry waits unchained for well under a second; the
/// verify API and command chain whatever is waiting before they walk the chain.
/// </summary>
public sealed class AuditChainer(IServiceScopeFactory scopes, ILogger<AuditChainer> log) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    const int BatchSize = 2000;

    /// <summary>Lock id of the chain (pg_advisory_xact_lock): one chainer at a time across the cluster.</summary>
    const long ChainLockId = 0x4445_4C49_4155_4454; // "DELIAUDT"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await ChainPendingAsync(scope.ServiceProvider.GetRequiredService<DeliberateDbContext>(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not chain the new audit entries; trying again shortly.");
            }
        }
    }

    /// <summary>Chains every entry written and committed so far that is not chained yet; returns how many.</summary>
    public static async Task<int> ChainPendingAsync(DeliberateDbContext db, CancellationToken ct = default)
    {
        if (db.UsesSqlite) return 0; // SQLite chains each entry as it is written
        var key = AuditKey.Of(db).Key;
        var chained = 0;
        while (true)
        {
            int count;
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ChainLockId})", ct);
                var pending = await db.AuditLog.Where(e => e.Sequence == null).OrderBy(e => e.Id).Take(BatchSize).ToListAsync(ct);
                if (pending.Count == 0) return chained;
                var (sequence, previous) = await AuditTrail.ReadHeadAsync(db, ct);
                foreach (var entry in pending)
                {
                    entry.Chain(++sequence, previous, key);
                    previous = entry.Hash!;
                }
                await db.SaveChangesAsync(ct); // the log itself is not audited: these are plain updates
                await transaction.CommitAsync(ct);
                count = pending.Count;
            }
            db.ChangeTracker.Clear();
            chained += count;
            if (count < BatchSize) return chained;
        }
    }
}
