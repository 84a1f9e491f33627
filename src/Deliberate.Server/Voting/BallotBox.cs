using System.Security.Cryptography;
using System.Text;
using Deliberate.Server.Audit;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>
/// A ballot's counted choices while it is open: ONE row per ballot holding every {receipt hash, choice, area} sealed
/// with AES-256-GCM under a key derived from the server key kept outside the database (<see cref="AuditKey"/>), in a
/// fresh random order, rewritten whole on every vote. So the database shows no per-vote row, order, time or sequence
/// that could be lined up with the participations, and no area in the clear; a replaced choice is overwritten. Every
/// write changes <see cref="Version"/> (random, so it counts nothing): two votes at once cannot both rewrite the same
/// version — the later one reads the box again and retries.
/// </summary>
public sealed class BallotBox
{
    BallotBox() { }

    public BallotBox(Guid ballotId, byte[] sealedEntries)
    {
        BallotId = ballotId;
        Sealed = sealedEntries;
        Version = Guid.NewGuid();
    }

    public Guid BallotId { get; private set; }
    /// <summary>nonce (12) | tag (16) | ciphertext of fixed-size entries (<see cref="BallotBoxes.EntrySize"/> bytes each).</summary>
    public byte[] Sealed { get; private set; } = [];
    /// <summary>The optimistic concurrency token: random, so it says nothing about how many writes there were.</summary>
    public Guid Version { get; private set; }

    public void Reseal(byte[] sealedEntries)
    {
        Sealed = sealedEntries;
        Version = Guid.NewGuid();
    }
}

/// <summary>One counted choice inside a sealed box: the hash of the head's receipt, the choice, and the head's area (owners' votes).</summary>
public sealed record BoxEntry(string ReceiptHash, string Choice, decimal? Area);

/// <summary>Sealing, opening, voting into and publishing a <see cref="BallotBox"/>.</summary>
public static class BallotBoxes
{
    /// <summary>
    /// Every entry has the same size (hash 32, choice 1, area flag 1, area 16), so the box's length says how many
    /// voted (public anyway) and never, from one version to the next, which choice or area was added.
    /// </summary>
    public const int EntrySize = 32 + 1 + 1 + 16;
    const int NonceSize = 12, TagSize = 16;
    static readonly string[] ChoiceCodes = ["", TallyChoices.Agree, TallyChoices.Disagree, TallyChoices.Abstain];

    /// <summary>The ballot's own key: HKDF of the server key with a label of its own and the ballot id.</summary>
    static byte[] KeyOf(AuditKey key, Guid ballotId) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Key, 32, info: Encoding.UTF8.GetBytes($"Deliberate ballot box v1|{ballotId:N}"));

    public static byte[] Seal(AuditKey key, Guid ballotId, IReadOnlyList<BoxEntry> entries)
    {
        var shuffled = entries.ToArray();
        RandomNumberGenerator.Shuffle<BoxEntry>(shuffled); // no order: not of votes, not of heads
        var plain = new byte[shuffled.Length * EntrySize];
        for (var i = 0; i < shuffled.Length; i++)
        {
            var at = plain.AsSpan(i * EntrySize, EntrySize);
            Convert.FromHexString(shuffled[i].ReceiptHash).CopyTo(at[..32]);
            at[32] = (byte)Array.IndexOf(ChoiceCodes, shuffled[i].Choice);
            if (shuffled[i].Area is { } area)
            {
                at[33] = 1;
                var bits = decimal.GetBits(area);
                for (var b = 0; b < 4; b++) BitConverter.TryWriteBytes(at.Slice(34 + 4 * b, 4), bits[b]);
            }
        }
        var result = new byte[NonceSize + TagSize + plain.Length];
        var nonce = result.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(KeyOf(key, ballotId), TagSize);
        aes.Encrypt(nonce, plain, result.AsSpan(NonceSize + TagSize), result.AsSpan(NonceSize, TagSize), ballotId.ToByteArray());
        return result;
    }

    /// <summary>The entries of a box; throws (AuthenticationTagMismatchException) if it was altered, moved to another ballot or sealed under another
    /// key.</summary>
    public static List<BoxEntry> Open(AuditKey key, Guid ballotId, byte[] sealedEntries)
    {
        var plain = new byte[sealedEntries.Length - NonceSize - TagSize];
        using var aes = new AesGcm(KeyOf(key, ballotId), TagSize);
        aes.Decrypt(sealedEntries.AsSpan(0, NonceSize), sealedEntries.AsSpan(NonceSize + TagSize), sealedEntries.AsSpan(NonceSize, TagSize), plain,
            ballotId.ToByteArray());
        var entries = new List<BoxEntry>(plain.Length / EntrySize);
        for (var i = 0; i < plain.Length / EntrySize; i++)
        {
            var at = plain.AsSpan(i * EntrySize, EntrySize);
            decimal? area = null;
            if (at[33] == 1)
            {
                var bits = new int[4];
                for (var b = 0; b < 4; b++) bits[b] = BitConverter.ToInt32(at.Slice(34 + 4 * b, 4));
                area = new decimal(bits);
            }
            entries.Add(new BoxEntry(Convert.ToHexStringLower(at[..32]), ChoiceCodes[at[32]], area));
        }
        return entries;
    }

    /// <summary>The open ballot's counted choices (none before its first vote).</summary>
    public static async Task<List<BoxEntry>> ReadAsync(DeliberateDbContext db, Guid ballotId, CancellationToken ct)
    {
        var box = await db.BallotBoxes.AsNoTracking().FirstOrDefaultAsync(b => b.BallotId == ballotId, ct);
        return box is null ? [] : Open(AuditKey.Of(db), ballotId, box.Sealed);
    }

    /// <summary>
    /// Saves the context's pending changes (the participation, its history) together with the head's choice put into
    /// the box — a new entry, or, with <paramref name="replace"/>, the head's entry replaced, its old choice gone.
    /// When another vote rewrote the box first, reads it again and retries. False when <paramref name="replace"/>
    /// finds no entry of the head. A save refused for another reason (the head's second ballot) is thrown.
    /// </summary>
    public static async Task<bool> SaveWithVoteAsync(DeliberateDbContext db, Guid ballotId, BoxEntry vote, bool replace,
        Func<Task<bool>> refusedForOtherReason,
        CancellationToken ct)
    {
        var key = AuditKey.Of(db);
        for (var attempt = 1; ; attempt++)
        {
            var box = await db.BallotBoxes.FirstOrDefaultAsync(b => b.BallotId == ballotId, ct);
            var entries = box is null ? [] : Open(key, ballotId, box.Sealed);
            var mine = entries.FindIndex(e => e.ReceiptHash == vote.ReceiptHash);
            if (replace && mine < 0) return false;
            if (mine >= 0) entries[mine] = vote;
            else entries.Add(vote);
            var sealedEntries = Seal(key, ballotId, entries);
            if (box is null) db.BallotBoxes.Add(box = new BallotBox(ballotId, sealedEntries));
            else box.Reseal(sealedEntries);
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException) when (attempt < 100)
            {
                db.Entry(box).State = EntityState.Detached;
                if (await refusedForOtherReason()) throw;
                // Another vote rewrote (or created) the box a moment ago: wait a little, then read it again.
                await Task.Delay(Random.Shared.Next(1, 5 * Math.Min(attempt, 10)), ct);
            }
        }
    }

    /// <summary>
    /// At the close: the box is opened for good and replaced by the published list — each receipt hash with the choice
    /// it was counted as, in the order of the hashes (which says nothing about who or when), without areas. The box row goes.
    /// </summary>
    public static async Task PublishAsync(DeliberateDbContext db, Guid ballotId, IReadOnlyList<BoxEntry> entries, CancellationToken ct)
    {
        db.BallotChoices.AddRange(entries.OrderBy(e => e.ReceiptHash, StringComparer.Ordinal)
            .Select(e => new BallotChoice(ballotId, e.Choice, e.ReceiptHash)));
        var box = await db.BallotBoxes.FirstOrDefaultAsync(b => b.BallotId == ballotId, ct);
        if (box is not null) db.BallotBoxes.Remove(box);
    }

    /// <summary>
    /// At start-up, once: choice rows of ballots still open that were stored before boxes existed (one row per vote, which
    /// lined up with the participations) are sealed into the ballot's box and deleted. Each row's area is found again
    /// through its receipt: the receipt is derived from (ballot, head), so the server finds the head. A row whose receipt
    /// matches no head (a random receipt from before receipts were tied to heads) is sealed without an area, and logged.
    /// </summary>
    public static async Task SealLegacyChoicesAsync(DeliberateDbContext db, ILogger log, CancellationToken ct)
    {
        var ballotIds = await (from c in db.BallotChoices
                               join b in db.Ballots on c.BallotId equals b.Id
                               where b.Status == BallotStatus.Open
                               select b.Id).Distinct().ToListAsync(ct);
        if (ballotIds.Count == 0) return;
        var key = AuditKey.Of(db);
        foreach (var ballotId in ballotIds)
        {
            var heads = await db.BallotParticipations.AsNoTracking().Where(p => p.BallotId == ballotId).Select(p => p.HeadKey).ToListAsync(ct);
            var areas = (await db.BallotUnits.AsNoTracking().Where(u => u.BallotId == ballotId)
                .Select(u => new { u.HeadKey, u.Area }).ToListAsync(ct))
                .GroupBy(u => u.HeadKey).ToDictionary(g => g.Key, g => g.Sum(u => u.Area));
            var areaOfReceipt = heads.ToDictionary(h => BallotCounting.HashReceipt(BallotReceipts.Of(key, ballotId, h)),
                h => areas.TryGetValue(h, out var a) ? a : (decimal?)null);
            var rows = await db.BallotChoices.Where(c => c.BallotId == ballotId).ToListAsync(ct);
            var unmatched = rows.Count(r => !areaOfReceipt.ContainsKey(r.ReceiptHash));
            if (unmatched > 0 && areas.Count > 0)
                log.LogWarning("Ballot {BallotId}: {Count} choice(s) cast before receipts were tied to heads were sealed without their area; " +
                    "the area totals of this ballot will be short of them.", ballotId, unmatched);
            var existing = await ReadAsync(db, ballotId, ct);
            var entries = existing.Concat(rows.Select(r =>
                new BoxEntry(r.ReceiptHash, r.Choice, areaOfReceipt.GetValueOrDefault(r.ReceiptHash)))).ToList();
            var box = await db.BallotBoxes.FirstOrDefaultAsync(b => b.BallotId == ballotId, ct);
            if (box is null) db.BallotBoxes.Add(new BallotBox(ballotId, Seal(key, ballotId, entries)));
            else box.Reseal(Seal(key, ballotId, entries));
            db.BallotChoices.RemoveRange(rows);
            await db.SaveChangesAsync(ct);
        }
    }
}
