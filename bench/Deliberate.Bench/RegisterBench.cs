using System.Diagnostics;
using System.Text;
using Deliberate.Server.Data;
using Deliberate.Server.Organisation;
using Deliberate.Server.Register;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deliberate.Bench;

/// <summary>
/// The owners' register: a 5,000-unit file read, checked (preview) and applied through the real code, against a baseline of the
/// same units and owners inserted with plain EF AddRange in the same run; then a 100,000-row file refused while streaming, with
/// the process's memory growth printed; then a 50,000-unit file (the most an import takes) previewed and applied, with the
/// apply's peak working-set growth (sampled while it runs). Targets: validate + apply ≤ 5 s; growth ≤ 200 MB.
/// </summary>
public static class RegisterBench
{
    public const string Usage =
        "[units=5000] [--pg CONNECTION] [--large 50000]  the owners' register: preview + apply 5,000 units (≤ 5 s), a 100,000-row file "
        + "and the apply of 50,000 units (each ≤ 200 MB growth)";

    public static int Run(string[] args)
    {
        var units = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } n ? int.Parse(n) : 5000;
        var pg = Array.IndexOf(args, "--pg") is var i and >= 0 ? args[i + 1] : null;
        var large = Array.IndexOf(args, "--large") is var l and >= 0 ? int.Parse(args[l + 1]) : 50_000;
        var result = RunAsync(units, pg).GetAwaiter().GetResult();
        var largeResult = LargeApplyAsync(large, pg).GetAwaiter().GetResult();
        return result == 0 && largeResult == 0 ? 0 : 1;
    }

    static string Csv(int rows)
    {
        var text = new StringBuilder("楼栋,单元,房号,专有部分面积,业主姓名,手机号,证件号后四位,共有人,是否开发商未售\n");
        for (var r = 0; r < rows; r++)
        {
            var building = r / 200 + 1;
            var room = $"{r % 200 / 4 + 1}{r % 4 + 1:D2}";
            var co = r % 10 == 0 ? $"共有{r}" : "";
            text.Append($"{building}号楼,{r % 200 / 100 + 1},{room},{80 + r % 50}.25,业主{r},1{3 + r % 7}{r:D9},{r % 10000:D4},{co},否\n");
        }
        return text.ToString();
    }

    static ServiceProvider Services(string? pg, string file)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = pg is null ? "sqlite" : "postgres",
            ["ConnectionStrings:Deliberate"] =
                pg is null ? $"Data Source={file}" : $"{pg};Database=bench_register_{Guid.NewGuid():N}",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        var database = services.AddDeliberateDatabase(config);
        services.AddSingleton(TimeProvider.System);
        // The apply is audited like any other write: the chain needs its key (demo: generated beside the database).
        services.AddSingleton(p => Deliberate.Server.Audit.AuditKey.Load(config, database, demo: true,
            p.GetRequiredService<ILogger<Deliberate.Server.Audit.AuditKey>>()));
        return services.BuildServiceProvider();
    }

    static async Task<(Guid Community, Guid Grid)> PrepareAsync(DeliberateDbContext db)
    {
        await DatabaseSetup.MigrateAsync(db);
        var district = new OrgUnit(Guid.CreateVersion7(), OrgLevel.District, "区", null);
        var street = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Street, "街道", district);
        var community = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Community, "幸福里社区", street);
        var grid = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Grid, "第一网格", community);
        db.OrgUnits.AddRange(district, street, community, grid);
        await db.SaveChangesAsync();
        return (community.Id, grid.Id);
    }

    /// <summary>
    /// A large register applied through the real code, the process's working set sampled every 20 ms while the apply runs: its peak
    /// above the working set just before the apply (the plan, like a kept preview, already in memory) is the apply's growth.
    /// </summary>
    static async Task<int> LargeApplyAsync(int count, string? pg)
    {
        var folder = Directory.CreateTempSubdirectory("deliberate-register-bench-large").FullName;
        await using var services = Services(pg, Path.Combine(folder, "large.db"));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var (community, grid) = await PrepareAsync(db);
        var unit = await db.OrgUnits.AsNoTracking().SingleAsync(o => o.Id == community);
        var watch = Stopwatch.StartNew();
        var rows = RegisterFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(Csv(count))), "large.csv");
        var plan = RegisterPlan.Make(community, grid, "large.csv", 0, rows, await RegisterPlan.CurrentAsync(db, unit, default),
            new HashSet<string>());
        var validate = watch.Elapsed.TotalSeconds;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var p = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                p.Refresh();
                peak = Math.Max(peak, p.WorkingSet64);
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        watch.Restart();
        var record = await RegisterApply.ApplyAsync(db, plan, Guid.CreateVersion7(), DateTimeOffset.UtcNow, default);
        var apply = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        var growth = (peak - before) / 1024.0 / 1024.0;
        Console.WriteLine($"  {count:N0} units: validate {validate:0.0} s, apply {apply:0.0} s ({record.Units:N0} units); apply's peak working set "
            + $"+{growth:0.0} MB (target ≤ 200 MB)");
        if (pg is not null) await db.Database.EnsureDeletedAsync();
        Directory.Delete(folder, true);
        var ok = growth <= 200;
        Console.WriteLine(ok ? "  PASS" : "  MISS");
        return ok ? 0 : 1;
    }

    static async Task<int> RunAsync(int count, string? pg)
    {
        var provider = pg is null ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"register bench: {count} units on {provider}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var csv = Encoding.UTF8.GetBytes(Csv(count));
        var folder = Directory.CreateTempSubdirectory("deliberate-register-bench").FullName;

        // The real path: read + check (the preview), then apply in one transaction.
        double validate, apply;
        await using (var services = Services(pg, Path.Combine(folder, "real.db")))
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var (community, grid) = await PrepareAsync(db);
            var unit = await db.OrgUnits.AsNoTracking().SingleAsync(o => o.Id == community);
            var watch = Stopwatch.StartNew();
            var rows = RegisterFile.Read(new MemoryStream(csv), "bench.csv");
            var plan = RegisterPlan.Make(community, grid, "bench.csv", 0, rows, await RegisterPlan.CurrentAsync(db, unit, default),
                new HashSet<string>());
            validate = watch.Elapsed.TotalSeconds;
            if (plan.Problems.Count > 0) throw new InvalidOperationException(plan.Problems[0].MessageEn);
            watch.Restart();
            var record = await RegisterApply.ApplyAsync(db, plan, Guid.CreateVersion7(), DateTimeOffset.UtcNow, default);
            apply = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"  applied: {record.Units} units, {record.Heads} heads, {record.Area:N2} m²");
            if (pg is not null) await db.Database.EnsureDeletedAsync();
        }

        // Baseline: the same buildings, units, owners and ownerships with plain AddRange and one SaveChanges.
        double baseline;
        await using (var services = Services(pg, Path.Combine(folder, "baseline.db")))
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var (community, grid) = await PrepareAsync(db);
            var gridUnit = await db.OrgUnits.SingleAsync(o => o.Id == grid);
            var watch = Stopwatch.StartNew();
            var buildings = new Dictionary<int, OrgUnit>();
            var all = new List<object>();
            for (var r = 0; r < count; r++)
            {
                var b = r / 200 + 1;
                if (!buildings.TryGetValue(b, out var building))
                    all.Add(buildings[b] = building = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Building, $"{b}号楼", gridUnit));
                var u = new PropertyUnit(Guid.CreateVersion7(), building.Id, $"{b}-{r}", 80.25m);
                var o = new Owner(Guid.CreateVersion7(), $"业主{r}");
                all.Add(u);
                all.Add(o);
                all.Add(new UnitOwnership(u.Id, o.Id));
            }
            db.AddRange(all);
            await db.SaveChangesAsync();
            baseline = watch.Elapsed.TotalSeconds;
            if (pg is not null) await db.Database.EnsureDeletedAsync();
        }
        Console.WriteLine($"  validate {validate:0.000} s, apply {apply:0.000} s, total {validate + apply:0.000} s (target ≤ 5 s)");
        Console.WriteLine($"  baseline (plain EF AddRange of the same rows) {baseline:0.000} s; ratio {(validate + apply) / baseline:0.00}×");

        // 100,000 rows: refused at row 50,001 while streaming.
        var big = Encoding.UTF8.GetBytes(Csv(100_000));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var beforeManaged = GC.GetTotalMemory(true);
        var refusal = "";
        var w = Stopwatch.StartNew();
        try { RegisterFile.Read(new MemoryStream(big), "big.csv"); }
        catch (RegisterFileException e) { refusal = e.Code; }
        var took = w.Elapsed.TotalSeconds;
        process.Refresh();
        var growth = (Math.Max(process.PeakWorkingSet64, process.WorkingSet64) - before) / 1024.0 / 1024.0;
        var set = (process.WorkingSet64 - before) / 1024.0 / 1024.0;
        var heap = (GC.GetTotalMemory(false) - beforeManaged) / 1024.0 / 1024.0;
        Console.WriteLine($"  100,000-row file ({big.Length / 1024.0 / 1024.0:0.0} MB): {refusal} in {took:0.00} s; working set +{set:0.0} MB"
            + $" (peak since start +{growth:0.0} MB), managed heap +{heap:0.0} MB (target ≤ 200 MB)");
        Directory.Delete(folder, true);
        var ok = validate + apply <= 5 && refusal == "registerTooManyRows" && (process.WorkingSet64 - before) / 1024.0 / 1024.0 <= 200;
        Console.WriteLine(ok ? "  PASS" : "  MISS");
        return ok ? 0 : 1;
    }
}
