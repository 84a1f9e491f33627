using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.SignUp;

/// <summary>Issuing and checking one-time phone codes, with their limits.</summary>
public static partial class PhoneCodes
{
    /// <summary>One code per phone and purpose a minute.</summary>
    public static readonly TimeSpan PhoneInterval = TimeSpan.FromMinutes(1);
    /// <summary>At most this many codes to one phone an hour (whoever asks).</summary>
    public const int PerPhonePerHour = 5;
    /// <summary>
    /// At most this many codes asked from one client address an hour (to any phones). High enough for an activation day at
    /// one service centre, where every resident's phone is behind one NAT address; each phone keeps its own limits above.
    /// </summary>
    public const int PerAddressPerHour = 200;

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();

    /// <summary>
    /// An 11-digit mainland mobile number, or null: spaces (full-width too), dashes and brackets dropped, and the country code
    /// as people write it (+86, 0086, 86, (+86)). The one normaliser for sign-up, codes, letters, claims and the register import.
    /// </summary>
    public static string? Normalise(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var p = new string([.. phone.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '(' or ')' or '（' or '）'))]);
        if (p.StartsWith("+86", StringComparison.Ordinal)) p = p[3..];
        else if (p.StartsWith("0086", StringComparison.Ordinal)) p = p[4..];
        // A mobile starts with 1, so 86 in front of 11 digits is always the country code.
        else if (p.Length == 13 && p.StartsWith("86", StringComparison.Ordinal)) p = p[2..];
        return Mobile().IsMatch(p) ? p : null;
    }

    public static void CheckPhone(FieldErrors errors, string field, string? phone)
    {
        errors.Required(field, phone, "手机号", "Phone number");
        if (!string.IsNullOrWhiteSpace(phone) && Normalise(phone) is null)
            errors.Add(field, "请输入 11 位大陆手机号。", "Enter an 11-digit mainland mobile number.");
    }

    /// <summary>A salted SHA-256 of a code: "salt:hash" in base64.</summary>
    public static string Hash(string code)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return Convert.ToBase64String(salt) + ":" + Convert.ToBase64String(Digest(salt, code));
    }

    public static bool Matches(string stored, string code)
    {
        var parts = stored.Split(':');
        if (parts.Length != 2) return false;
        var salt = Convert.FromBase64String(parts[0]);
        return CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(parts[1]), Digest(salt, code));
    }

    static byte[] Digest(byte[] salt, string code) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(code)]);

    /// <summary>
    /// Makes and stores a code, unless a limit says no (429 <c>codeRateLimited</c>). Returns the code for the sender only.
    /// </summary>
    public static async Task<string> IssueAsync(DeliberateDbContext db, string phone, CodePurpose purpose, string address,
        DateTimeOffset now, CancellationToken ct)
    {
        var hourAgo = now.AddHours(-1);
        var recent = await db.PhoneCodes.AsNoTracking().Where(c => c.Phone == phone && c.CreatedAt > hourAgo)
            .Select(c => new { c.Purpose, c.CreatedAt }).ToListAsync(ct);
        var fromAddress = await db.PhoneCodes.CountAsync(c => c.ClientAddress == address && c.CreatedAt > hourAgo, ct);
        if (recent.Count >= PerPhonePerHour || fromAddress >= PerAddressPerHour
            || recent.Any(c => c.Purpose == purpose && c.CreatedAt > now - PhoneInterval))
            throw new DomainRuleException(429, "codeRateLimited", "验证码发送过于频繁，请稍后再试。",
                "Too many codes have been asked for; please try again later.");
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        db.PhoneCodes.Add(new PhoneCode(Guid.CreateVersion7(now), phone, purpose, Hash(code), address, now));
        await db.SaveChangesAsync(ct);
        return code;
    }

    /// <summary>
    /// Uses the latest code for the phone and purpose: right, unexpired, unused and tried fewer than five times. A wrong
    /// try counts (in one UPDATE, so that guesses sent at once all count); the right one is used up in one UPDATE, so that
    /// of two uses at once only one wins. Any failure: 400 <c>badCode</c>, the same answer whatever the reason.
    /// </summary>
    public static async Task UseAsync(DeliberateDbContext db, string phone, CodePurpose purpose, string? code, DateTimeOffset now,
        CancellationToken ct)
    {
        var latest = await db.PhoneCodes.AsNoTracking().Where(c => c.Phone == phone && c.Purpose == purpose)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        var typed = (code ?? "").Trim();
        if (latest is null || latest.UsedAt is not null || latest.ExpiresAt <= now || latest.Attempts >= PhoneCode.MaxAttempts)
            throw BadCode();
        if (typed.Length != PhoneCode.Length || !Matches(latest.CodeHash, typed))
        {
            await db.PhoneCodes.Where(c => c.Id == latest.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), ct);
            throw BadCode();
        }
        var used = await db.PhoneCodes.Where(c => c.Id == latest.Id && c.UsedAt == null && c.Attempts < PhoneCode.MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
        if (used == 0) throw BadCode();
    }

    static DomainRuleException BadCode() => new(400, "badCode", "验证码不正确或已失效，请重新获取。",
        "The code is wrong or no longer valid; ask for a new one.");
}
