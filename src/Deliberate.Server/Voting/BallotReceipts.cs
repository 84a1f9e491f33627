using System.Security.Cryptography;
using System.Text;
using Deliberate.Server.Audit;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>
/// A head's receipt code for a ballot: HMAC of (ballot, head) under a key derived from the server's key that is kept
/// outside the database (<see cref="AuditKey"/>). So the server can show an owner their own receipt at any time
/// (also for a paper or proxy ballot someone else typed in), a vote is changed through the caller's head and never
/// through a code someone presents, and whoever holds the database without that key cannot work out whose receipt
/// hash (and so whose choice row) is whose.
/// </summary>
public static class BallotReceipts
{
    const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>The receipt of <paramref name="headKey"/> in this ballot: 16 letters and digits that are hard to misread, e.g. "K7QM-…".</summary>
    public static string Of(AuditKey key, Guid ballotId, string headKey)
    {
        var receiptKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Key, 32, info: "Deliberate ballot receipts v1"u8.ToArray());
        var mac = HMACSHA256.HashData(receiptKey, Encoding.UTF8.GetBytes($"{ballotId:N}|{headKey}"));
        // 31^16 ≈ 2^79 codes, read from 128 bits: the bias is far below anything that matters.
        var value = new UInt128(BitConverter.ToUInt64(mac, 0), BitConverter.ToUInt64(mac, 8));
        var code = new char[16];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = Alphabet[(int)(value % (UInt128)Alphabet.Length)];
            value /= (UInt128)Alphabet.Length;
        }
        return $"{new string(code, 0, 4)}-{new string(code, 4, 4)}-{new string(code, 8, 4)}-{new string(code, 12, 4)}";
    }

    /// <summary>Whether a presented code is this receipt (dashes, spaces and case aside), compared in constant time.</summary>
    public static bool Matches(string presented, string receipt) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Normalise(presented)), Encoding.UTF8.GetBytes(Normalise(receipt)));

    static string Normalise(string code) => code.Replace("-", "").Replace(" ", "").Trim().ToUpperInvariant();

    /// <summary>The receipt's entry: in the published list after the close, else in the sealed box (never shown from there).</summary>
    public static async Task<(string Choice, bool Published)?> CountedAsync(DeliberateDbContext db, Guid ballotId, string hash, CancellationToken ct)
    {
        var published = await db.BallotChoices.AsNoTracking().Where(c => c.BallotId == ballotId && c.ReceiptHash == hash).Select(c => c.Choice)
            .FirstOrDefaultAsync(ct);
        if (published is not null) return (published, true);
        var sealedEntry = (await BallotBoxes.ReadAsync(db, ballotId, ct)).FirstOrDefault(e => e.ReceiptHash == hash);
        return sealedEntry is null ? null : (sealedEntry.Choice, false);
    }
}
