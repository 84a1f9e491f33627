using System.Diagnostics;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Ledgers;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deliberate.Bench;

/// <summary>
/// 民情台账 export of a large district: the real query path (LedgerQueries.MattersAsync, batched reads) written by the real writer
/// (LedgersApi.WriteAsync, MiniExcel over an IAsyncEnumerable) into a file, first for a quarter of the matters and then for all of
/// them. Streaming means the managed heap at the peak of the export is about the same for both; a ledger built in memory would
/// grow with the rows. Target: the peak heap growth of the full export ≤ 100 MB and ≤ 2× that of the quarter export.
/// </summary>
public static class LedgerBench
{
    public const string Usage = "[matters=20000] [--pg CONNECTION]  民情台账 export: peak managed heap for N/4 and N matters (streaming: flat)";

    public static int Run(string[] args)
    {
        var matters = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } n ? int.Parse(n) : 20_000;
        var pg = Array.IndexOf(args, "--pg") is var i and >= 0 ? args[i + 1] : null;
        return RunAsync(matters, pg).GetAwaiter().GetResult();
    }

    static ServiceProvider Services(string? pg, string file)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = pg is null ? "sqlite" : "postgres",
            ["ConnectionStrings:Deliberate"] = pg is null ? $"Data Source={file}" : $"{pg};Database=bench_ledger_{Guid.NewGuid():N}",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        var database = services.AddDeliberateDatabase(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(p => Deliberate.Server.Audit.AuditKey.Load(config, database, demo: true,
            p.GetRequiredService<ILogger<Deliberate.Server.Audit.AuditKey>>()));
        return services.BuildServiceProvider();
    }

    static async Task<int> RunAsync(int count, string? pg)
    {
        var load = File.ReadAllText("/proc/loadavg").Trim();
        Console.WriteLine($"ledger bench: {count} matters on {(pg is null ? "SQLite" : "PostgreSQL")}; load average {load}");
        var folder = Directory.CreateTempSubdirectory("deliberate-ledger-bench").FullName;
        await using var services = Services(pg, Path.Combine(folder, "ledger.db"));
        Caller admin;
        var start = DateTimeOffset.UtcNow.AddDays(-count / 100.0 - 1);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            await DatabaseSetup.MigrateAsync(db);
            var district = new OrgUnit(Guid.CreateVersion7(), OrgLevel.District, "区", null);
            var street = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Street, "街道", district);
            var community = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Community, "幸福里社区", street);
            var grids = Enumerable.Range(1, 4).Select(g => new OrgUnit(Guid.CreateVersion7(), OrgLevel.Grid, $"第{g}网格", community)).ToList();
            db.OrgUnits.AddRange([district, street, community, .. grids]);
            var user = new User(Guid.CreateVersion7(), "bench", "bench", "not-a-hash", isDemo: true); // the raiser and the exporter
            db.Users.Add(user);
            await db.SaveChangesAsync();
            admin = new Caller
            {
                Id = user.Id, UserName = "bench", DisplayName = "bench",
                Grants = [new Grant(Role.Admin, district.Id, district.Path, OrgLevel.District, district.Name)],
            };
            var watch = Stopwatch.StartNew();
            for (var done = 0; done < count; done += 2000)
            {
                for (var m = done; m < Math.Min(count, done + 2000); m++)
                    db.Matters.Add(new Matter(Guid.CreateVersion7(), $"第{m}号事项：楼道灯不亮，晚上出行不便", "说明", "facilities", grids[m % 4].Id, null,
                        $"{m % 30 + 1}号楼", false, null, admin.Id, "resident", start.AddMinutes(15 * m)));
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
            Console.WriteLine($"  seeded {count} matters in {watch.Elapsed.TotalSeconds:0.0} s");
        }

        async Task<(int Rows, double Seconds, double PeakHeapMb, long Bytes)> ExportAsync(DateTimeOffset? to)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            var peak = before;
            var rows = 0;
            async IAsyncEnumerable<MatterLedgerRow> Sampled()
            {
                var filter = new LedgerFilter(null, null, to, null);
                await foreach (var row in LedgerQueries.MattersAsync(db, admin, filter, DateTimeOffset.UtcNow, default))
                {
                    if (++rows % 250 == 0) peak = Math.Max(peak, GC.GetTotalMemory(false));
                    yield return row;
                }
            }
            var path = Path.Combine(folder, $"ledger-{Guid.NewGuid():N}.xlsx");
            var watch = Stopwatch.StartNew();
            await using (var file = File.Create(path))
                await LedgersApi.WriteAsync(file, "民情台账", Sampled(), default);
            var seconds = watch.Elapsed.TotalSeconds;
            peak = Math.Max(peak, GC.GetTotalMemory(false));
            var bytes = new FileInfo(path).Length;
            File.Delete(path);
            return (rows, seconds, (peak - before) / 1024.0 / 1024.0, bytes);
        }

        await ExportAsync(start.AddMinutes(15 * 100)); // warm-up: JIT, EF model, MiniExcel
        var quarter = await ExportAsync(start.AddMinutes(15 * (count / 4)));
        var all = await ExportAsync(null);
        foreach (var (name, r) in new[] { ("quarter", quarter), ("all", all) })
            Console.WriteLine($"  {name}: {r.Rows} rows in {r.Seconds:0.00} s, {r.Bytes / 1024.0 / 1024.0:0.0} MB file, "
                + $"peak managed heap +{r.PeakHeapMb:0.0} MB");
        if (pg is not null)
            await using (var scope = services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Database.EnsureDeletedAsync();
        Directory.Delete(folder, true);
        var ok = all.Rows == count && all.PeakHeapMb <= 100 && all.PeakHeapMb <= 2 * Math.Max(quarter.PeakHeapMb, 10);
        Console.WriteLine(ok ? "  PASS (streams: the peak does not grow with the rows)" : "  MISS");
        return ok ? 0 : 1;
    }
}
