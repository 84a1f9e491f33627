using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Identity;

/// <summary>
/// Counting failed sign-ins per (user name as typed, client address): see <see cref="SignInFailure"/>. Rows are
/// written with single statements outside the change tracker, so that a flood of wrong passwords neither fills
/// the audit log nor loses a count to a race (ten guesses sent at once count ten).
/// </summary>
public static class SignInFailures
{
    public const int MaxNameLength = 64;

    /// <summary>The key's user name: as typed (trimmed), cut to the column's length (longer names exist nowhere).</summary>
    public static string Key(string userName)
    {
        var name = userName.Trim();
        return name.Length > MaxNameLength ? name[..MaxNameLength] : name;
    }

    /// <summary>How long the pair is still locked, or null.</summary>
    public static async Task<TimeSpan?> LockedForAsync(DeliberateDbContext db, string name, string address, DateTimeOffset now, CancellationToken ct)
    {
        var until = await db.SignInFailures.AsNoTracking().Where(f => f.UserName == name && f.ClientAddress == address)
            .Select(f => f.LockedUntil).FirstOrDefaultAsync(ct);
        return until is { } u && u > now ? u - now : null;
    }

    /// <summary>
    /// Password spraying: one address trying a few common passwords on many names stays under each name's lockout, so
    /// the address as a whole is held once this many different names have failed from it within <see cref="SprayWindow"/>.
    /// A whole estate behind one NAT on activation day signs in mostly with right passwords, so it is not held.
    /// </summary>
    public const int SprayNames = 30;
    public static readonly TimeSpan SprayWindow = TimeSpan.FromMinutes(15);

    /// <summary>How long the address is still held for spraying, or null.</summary>
    public static async Task<TimeSpan?> AddressHeldForAsync(DeliberateDbContext db, string address, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - SprayWindow;
        var recent = await db.SignInFailures.AsNoTracking().Where(f => f.ClientAddress == address && f.LastFailureAt >= since)
            .OrderByDescending(f => f.LastFailureAt).Select(f => f.LastFailureAt).Take(SprayNames).ToListAsync(ct);
        // Held until the SprayNames-th most recent failure leaves the window.
        return recent.Count >= SprayNames ? recent[^1] + SprayWindow - now : null;
    }

    /// <summary>Counts one failure (an atomic upsert) and locks the pair once it has failed often enough in a row.</summary>
    public static async Task RecordAsync(DeliberateDbContext db, string name, string address, DateTimeOffset now, CancellationToken ct)
    {
        // A pair quiet for a day starts again from zero; deleting the stale rows also keeps the table small.
        var stale = now - SignInFailure.Forgotten;
        await db.SignInFailures.Where(f => f.LastFailureAt < stale).ExecuteDeleteAsync(ct);
        // SQLite stores times as UTC ticks (see DeliberateDbContext), PostgreSQL as timestamptz.
        object at = db.UsesSqlite ? now.UtcTicks : now;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "SignInFailures" ("UserName", "ClientAddress", "Failures", "LastFailureAt", "LockedUntil")
            VALUES ({name}, {address}, 1, {at}, NULL)
            ON CONFLICT ("UserName", "ClientAddress") DO UPDATE SET "Failures" = "SignInFailures"."Failures" + 1,
                "LastFailureAt" = excluded."LastFailureAt"
            """, ct);
        var pair = db.SignInFailures.Where(f => f.UserName == name && f.ClientAddress == address);
        var failures = await pair.Select(f => f.Failures).FirstAsync(ct);
        if (SignInFailure.LockoutAfter(failures) is { } lockout)
            await pair.ExecuteUpdateAsync(s => s.SetProperty(f => f.LockedUntil, now + lockout), ct);
    }

    /// <summary>A right password from this address clears its count.</summary>
    public static Task ClearAsync(DeliberateDbContext db, string name, string address, CancellationToken ct) =>
        db.SignInFailures.Where(f => f.UserName == name && f.ClientAddress == address).ExecuteDeleteAsync(ct);
}
