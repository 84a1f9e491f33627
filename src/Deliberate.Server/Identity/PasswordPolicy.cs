using System.Reflection;
using System.Security.Cryptography;
using Deliberate.Server.Api;

namespace Deliberate.Server.Identity;

/// <summary>
/// What a password must be, wherever one is set (changed by its user, given by an administrator, printed by
/// <c>admin create</c>): at least <see cref="MinLength"/> characters, not one of the 10,000 most common passwords (the
/// list shipped as common-passwords.txt: the first 10,000 of the "passwords" frequency list of zxcvbn 4.4.2, MIT
/// licence, © Dan Wheeler and Dropbox), not containing the user name or the display name, and not a run of one short pattern
/// or a simple sequence (aaaaaaaaaa, abcabcabca, 1234567890, 9876543210: the first guesses of any cracker).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 200;

    static readonly Lazy<HashSet<string>> Common = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Deliberate.Server.Identity.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-passwords list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) set.Add(line);
        return set;
    });

    /// <summary>How many passwords the shipped list refuses.</summary>
    public static int CommonCount => Common.Value.Count;

    /// <summary>The policy's objections to <paramref name="password"/>, in zh-CN and en (none: it may be used).</summary>
    public static List<(string Zh, string En)> Check(string password, string userName, string? displayName)
    {
        var problems = new List<(string, string)>();
        if (password.Length < MinLength)
            problems.Add(($"密码至少 {MinLength} 个字符。", $"The password needs at least {MinLength} characters."));
        if (password.Length > MaxLength)
            problems.Add(($"密码最多 {MaxLength} 个字符。", $"The password may have at most {MaxLength} characters."));
        if (password == DemoOptions.Password || Common.Value.Contains(password))
            problems.Add(("这是最常见的密码之一，很容易被猜中，请换一个。", "This is one of the most common passwords and easily guessed; choose another."));
        else if (IsPattern(password))
            problems.Add(("密码不能是重复的字符或简单的序列（如 aaaaaaaaaa、1234567890、abcabcabca）。",
                "The password cannot be one repeated character, a short repeated pattern or a simple sequence " +
                "(like aaaaaaaaaa, 1234567890, abcabcabca)."));
        if (Contains(password, userName) || Contains(password, displayName))
            problems.Add(("密码不能包含用户名或姓名。", "The password cannot contain the user name or the display name."));
        return problems;
    }

    /// <summary>Adds the objections as errors of <paramref name="field"/>.</summary>
    public static void Check(FieldErrors errors, string field, string? password, string userName, string? displayName)
    {
        errors.Required(field, password, "新密码", "New password");
        if (string.IsNullOrEmpty(password)) return;
        foreach (var (zh, en) in Check(password, userName, displayName)) errors.Add(field, zh, en);
    }

    /// <summary>A repetition of a pattern of at most four characters, or a run of characters each one up or one down from the last.</summary>
    static bool IsPattern(string password)
    {
        var p = password.ToLowerInvariant();
        if (p.Length < 2) return false;
        for (var period = 1; period <= Math.Min(4, p.Length / 2); period++)
        {
            var repeats = true;
            for (var i = period; i < p.Length && repeats; i++) repeats = p[i] == p[i - period];
            if (repeats) return true;
        }
        foreach (var step in new[] { 1, -1 })
        {
            var sequence = true;
            // 7890 wraps round: "1234567890" is the row of keys as typed.
            for (var i = 1; i < p.Length && sequence; i++)
                sequence = p[i] - p[i - 1] == step || (step == 1 && p[i - 1] == '9' && p[i] == '0') || (step == -1 && p[i - 1] == '0' && p[i] == '9');
            if (sequence) return true;
        }
        return false;
    }

    static bool Contains(string password, string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Trim().Length >= 2 && password.Contains(name.Trim(), StringComparison.OrdinalIgnoreCase);

    // No 0/O, 1/l/I: the administrator reads it out or writes it down for the user.
    const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A one-time password of 14 characters (≈81 bits) from a cryptographic source, in groups of four for reading out.</summary>
    public static string Generate()
    {
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, 14);
        return new string(chars, 0, 4) + "-" + new string(chars, 4, 5) + "-" + new string(chars, 9, 5);
    }
}
