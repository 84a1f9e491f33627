using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Audit;

public sealed record ChainReport(bool Valid, long Entries, long? FirstBrokenSequence, string? Problem, string? LastHash);

/// <summary>Walks the audit chain from the start and names the first entry where it breaks.</summary>
public static class AuditVerifier
{
    const int BatchSize = 2000;

    /// <summary>Chains what is waiting to be chained (PostgreSQL), then checks every entry from the first.</summary>
    public static async Task<ChainReport> VerifyAsync(DeliberateDbContext db, CancellationToken ct = default)
    {
        await AuditChainer.ChainPendingAsync(db, ct);
        var previousHash = AuditEntry.GenesisHash;
        long expected = 1, count = 0;
        while (true)
        {
            var batch = await db.AuditLog.AsNoTracking().Where(e => e.Sequence != null && e.Sequence >= expected)
                .OrderBy(e => e.Sequence).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var entry in batch)
            {
                var problem =
                    entry.Sequence != expected ? $"entry {expected} is missing (the next is {entry.Sequence})"
                    : entry.PreviousHash != previousHash ? "its previous hash does not match the entry before it"
                    : entry.ComputeHash() != entry.Hash ? "its content does not match its hash (it was changed)"
                    : null;
                if (problem is not null) return new ChainReport(false, count, expected, problem, previousHash);
                previousHash = entry.Hash!;
                expected++;
                count++;
            }
        }
        return new ChainReport(true, count, null, null, previousHash);
    }
}
