using Deliberate.Server.Data;

namespace Deliberate.Server.Audit;

/// <summary>
/// <c>Deliberate.Server audit verify [--anchors FILE] [--manifest backups/…/MANIFEST] [--Database:Provider=… --ConnectionStrings:Deliberate=…]</c>:
/// checks the chain of the configured database with the configured key, against the anchor file (the configured
/// one unless <c>--anchors</c> names another) and a backup's manifest when given; exits 0 when it holds, 1 naming
/// the first broken entry when not. Without any recorded head (the anchor file deleted or emptied, no manifest) a
/// chain with entries does not pass: removing its last entries could not be noticed. <c>--without-anchors</c> checks
/// the chain alone, and says so.
/// </summary>
public static class AuditCommand
{
    public static bool Matches(string[] args) => args.Length >= 2 && args[0] == "audit" && args[1] == "verify";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var anchorPath = Option("--anchors") ?? services.GetRequiredService<AuditAnchor>().Path;
        var anchors = AuditAnchor.Read(anchorPath).ToList();
        if (Option("--manifest") is { } manifest) anchors.AddRange(AuditAnchor.ReadManifest(manifest));
        await using var scope = services.CreateAsyncScope();
        var report = await AuditVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<DeliberateDbContext>(), anchors);
        Console.WriteLine(report.Valid
            ? $"Audit chain valid: {report.Entries} entries ({report.PlainEntries} from before the chain was keyed), last "
                + $"hash {report.LastHash}; {report.AnchorsChecked} recorded heads match."
            : $"Audit chain BROKEN at entry {report.FirstBrokenSequence}: {report.Problem}. {report.Entries} entries before it hold.");
        if (anchors.Count > 0 || report.Entries == 0) return report.Valid ? 0 : 1;
        if (args.Contains("--without-anchors"))
        {
            Console.WriteLine($"Checked without recorded heads, as asked: entries removed from the end could not be noticed.");
            return report.Valid ? 0 : 1;
        }
        Console.WriteLine($"NOT VERIFIED: no recorded head was found ({anchorPath} is missing or empty, and no --manifest was given), so "
            + "entries removed from the end could not be noticed. Give the operator's copy of the anchor file (--anchors) or a backup's "
            + "MANIFEST (--manifest); --without-anchors checks the chain alone.");
        return 1;
    }
}
