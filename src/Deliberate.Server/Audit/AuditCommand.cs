using Deliberate.Server.Data;

namespace Deliberate.Server.Audit;

/// <summary>
/// <c>Deliberate.Server audit verify [--Database:Provider=… --ConnectionStrings:Deliberate=…]</c>: checks the
/// chain of the configured database and exits 0 when it holds, 1 naming the first broken entry when not.
/// </summary>
public static class AuditCommand
{
    public static bool Matches(string[] args) => args.Length >= 2 && args[0] == "audit" && args[1] == "verify";

    public static async Task<int> RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var report = await AuditVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<DeliberateDbContext>());
        Console.WriteLine(report.Valid
            ? $"Audit chain valid: {report.Entries} entries, last hash {report.LastHash}."
            : $"Audit chain BROKEN at entry {report.FirstBrokenSequence}: {report.Problem}. {report.Entries} entries before it hold.");
        return report.Valid ? 0 : 1;
    }
}
