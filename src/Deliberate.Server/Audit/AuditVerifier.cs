using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Audit;

/// <summary>
/// What a walk of the chain found. <see cref="PlainEntries"/>: entries hashed with plain SHA-256 before the chain was
/// keyed (only accepted before the first keyed entry). <see cref="AnchorsChecked"/>: recorded heads compared.
/// </summary>
public sealed record ChainReport(bool Valid, long Entries, long? FirstBrokenSequence, string? Problem, string? LastHash,
    long PlainEntries = 0, int AnchorsChecked = 0);

/// <summary>
/// Walks the audit chain from the start and names the first entry where it breaks: an entry missing or out of
/// order, a previous hash that does not match, content that does not match its keyed hash (changed, or re-hashed
/// without the key or with another one), and — against heads recorded outside the database (the anchor file, a
/// backup's manifest) — an entry rewritten since, or entries removed from the end.
/// </summary>
public static class AuditVerifier
{
    const int BatchSize = 2000;

    /// <summary>Chains what is waiting to be chained (PostgreSQL), then checks every entry from the first.</summary>
    public static async Task<ChainReport> VerifyAsync(DeliberateDbContext db, IReadOnlyList<AnchorPoint> anchors, CancellationToken ct = default)
    {
        await AuditChainer.ChainPendingAsync(db, ct);
        var key = AuditKey.Of(db).Key;
        var anchored = anchors.ToLookup(a => a.Sequence);
        var previousHash = AuditEntry.GenesisHash;
        long expected = 1, count = 0, plain = 0;
        var keyed = false;
        var checkedAnchors = 0;
        while (true)
        {
            var batch = await db.AuditLog.AsNoTracking().Where(e => e.Sequence != null && e.Sequence >= expected)
                .OrderBy(e => e.Sequence).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var entry in batch)
            {
                string? problem = null;
                if (entry.Sequence != expected) problem = $"entry {expected} is missing (the next is {entry.Sequence})";
                else if (entry.PreviousHash != previousHash) problem = "its previous hash does not match the entry before it";
                else if (entry.HashAs(entry.PreviousHash, key) == entry.Hash) keyed = true;
                else if (entry.HashAs(entry.PreviousHash, null) != entry.Hash)
                    problem = "its content does not match its hash (it was changed, or re-hashed with another key)";
                else if (keyed) problem = "it carries a plain SHA-256 hash after keyed entries (it was changed and re-hashed without the key)";
                else plain++;
                foreach (var anchor in anchored[expected])
                {
                    if (problem is not null) break;
                    checkedAnchors++;
                    if (anchor.Hash != entry.Hash)
                        problem = $"its hash differs from the one {anchor.Source} recorded (the chain was rewritten up to here)";
                }
                if (problem is not null) return new ChainReport(false, count, expected, problem, previousHash, plain, checkedAnchors);
                previousHash = entry.Hash!;
                expected++;
                count++;
            }
        }
        if (anchors.Count > 0 && anchors.MaxBy(a => a.Sequence) is { } last && last.Sequence > count)
            return new ChainReport(false, count, count + 1,
                $"the chain ends at entry {count}, but {last.Source} recorded entry {last.Sequence}: entries {count + 1}–{last.Sequence} were "
                    + $"removed",
                previousHash, plain, checkedAnchors);
        return new ChainReport(true, count, null, null, previousHash, plain, checkedAnchors);
    }
}
