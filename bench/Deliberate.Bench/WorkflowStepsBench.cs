using System.Diagnostics;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Deliberate.Bench;

/// <summary>
/// Persisted workflow steps per second on SQLite, through the real engine: a 20-activity workflow
/// (Start, 9 × (SetVariable, WaitForEvent), End) driven by events, many instances, each resume its own
/// transaction with the state, bookmarks and journal. In the same run, the same number of journal rows
/// inserted with bare EF Core, as baselines: in the same number of transactions as the engine used (what
/// the engine adds over writing its journal), one row per SaveChanges, and all of an instance's rows at once.
/// </summary>
internal static class WorkflowStepsBench
{
    public const string Usage = "[instances=1000] [workers=4]   persisted steps/s on SQLite; target >= 1000 steps/s, within 3x of bare inserts";
    const double TargetStepsPerSecond = 1000;
    const int Rounds = 9;
    const int MeasuredParts = 3;

    public static int Run(string[] args) => RunAsync(
        args.Length > 0 ? int.Parse(args[0]) : 1000,
        args.Length > 1 ? int.Parse(args[1]) : 4).GetAwaiter().GetResult();

    static async Task<int> RunAsync(int instances, int workers)
    {
        var folder = Path.Combine(Path.GetTempPath(), "deliberate-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            await using var services = Services(Path.Combine(folder, "bench.db"));
            await Prepare(services);

            // Warm-up, not measured: caches, the connection pool, and above all the JIT. Tiered compilation recompiles hot
            // code in the background, with instrumentation first (dynamic PGO), and on two busy cores that goes on for many
            // seconds: the engine, warmed on a fixed 300 instances, was still giving a sixth of its CPU time to the JIT.
            // So both paths are warmed until a round of them has the JIT compile (almost) nothing new.
            var warmUp = await WarmUpAsync(async round =>
            {
                await Drive(services, $"warm-up{round}", 200, workers);
                await BareInserts(services, 2000, workers, transactions: 2000);
            });
            // The engine and its baseline (one bare insert per journal row) take turns in three parts, so that a change in
            // the shared machine's load during the run falls on both alike.
            var engine = new DriveResult(TimeSpan.Zero, 0, 0);
            var single = TimeSpan.Zero;
            var parts = new List<string>();
            for (var part = 0; part < MeasuredParts; part++)
            {
                var size = instances * (part + 1) / MeasuredParts - instances * part / MeasuredParts;
                var driven = await Drive(services, $"engine{part}", size, workers);
                var bare = await BareInserts(services, driven.Steps, workers, transactions: driven.Steps);
                engine = new DriveResult(engine.Elapsed + driven.Elapsed, engine.Steps + driven.Steps, engine.Transactions + driven.Transactions);
                single += bare;
                parts.Add($"{driven.Elapsed / bare:F2}x");
            }
            var steps = engine.Steps;
            var sameTransactions = await BareInserts(services, steps, workers, transactions: engine.Transactions);
            var perInstance = await BareInserts(services, steps, workers, transactions: instances);

            var rate = steps / engine.Elapsed.TotalSeconds;
            var ratio = engine.Elapsed / single; // the target's baseline: one bare insert per journal row
            Console.WriteLine($"{Environment.ProcessorCount} cores{LoadAverage()}; SQLite WAL, synchronous=NORMAL; {workers} workers; {warmUp}");
            Console.WriteLine($"engine: {instances} instances × 20 activities, {steps} persisted steps in {engine.Transactions} transactions, "
                + $"{engine.Elapsed.TotalSeconds:F2} s = {rate:F0} steps/s (target >= {TargetStepsPerSecond})");
            Console.WriteLine($"bare EF Core inserts of {steps} journal rows, one per SaveChanges: {single.TotalSeconds:F2} s "
                + $"= {steps / single.TotalSeconds:F0} rows/s; "
                + $"engine/bare = {ratio:F2}x (target <= 3x; the {MeasuredParts} parts: {string.Join(", ", parts)})");
            Console.WriteLine($"bare EF Core inserts of {steps} journal rows in {engine.Transactions} SaveChanges, as the "
                + $"engine: {sameTransactions.TotalSeconds:F2} s = "
                + $"{steps / sameTransactions.TotalSeconds:F0} rows/s; engine/bare = {engine.Elapsed / sameTransactions:F2}x");
            Console.WriteLine($"bare EF Core inserts of {steps} journal rows, one SaveChanges per instance: {perInstance.TotalSeconds:F2} s = "
                + $"{steps / perInstance.TotalSeconds:F0} rows/s; engine/bare = {engine.Elapsed / perInstance:F2}x");
            return rate >= TargetStepsPerSecond && ratio <= 3 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs warm-up rounds until one compiles fewer than 20 new methods (at most 20 rounds); says how it went.</summary>
    static async Task<string> WarmUpAsync(Func<int, Task> round)
    {
        var watch = Stopwatch.StartNew();
        const int MaxRounds = 20, Quiet = 20;
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        for (var i = 1; i <= MaxRounds; i++)
        {
            await round(i);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            var added = now - compiled;
            compiled = now;
            if (added < Quiet) return $"warm-up: {i} rounds in {watch.Elapsed.TotalSeconds:F0} s, the last compiled {added} new methods";
        }
        return $"warm-up: {MaxRounds} rounds in {watch.Elapsed.TotalSeconds:F0} s, the JIT still busy";
    }

    static ServiceProvider Services(string file)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["ConnectionStrings:Deliberate"] = $"Data Source={file}",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddDeliberateDatabase(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(ActivityRegistry.WithBuiltIns());
        services.AddSingleton(new ScriptEngine());
        services.AddSingleton<WorkflowPlans>();
        services.AddSingleton<WorkflowRunner>();
        services.AddScoped<WorkflowEngine>();
        services.AddQuartz(); // the engine schedules timers through it; this workflow has none
        services.AddSingleton(new Deliberate.Server.Scheduling.TriggerHorizon(TimeProvider.System, TimeSpan.FromHours(1)));
        services.AddSingleton<Deliberate.Server.Scheduling.TriggerQueue>(); // not started: this workflow sets no timers
        services.AddSingleton<TimerScheduler>();
        services.AddSingleton<Deliberate.Server.Scheduling.Deadlines>();
        services.AddSingleton(new Deliberate.Server.Scheduling.SlaOptions());
        return services.BuildServiceProvider();
    }

    static async Task Prepare(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        await DatabaseSetup.MigrateAsync(db);
        var definition = WorkflowJson.ParseDefinition(Definition().ToJsonString());
        scope.ServiceProvider.GetRequiredService<WorkflowPlans>().Compile(definition);
        var now = DateTimeOffset.UtcNow;
        var record = new WorkflowDefinitionRecord(Guid.CreateVersion7(), "bench", 1, definition.Name,
            WorkflowJson.Serialize(definition), now, "bench");
        record.Publish(now);
        db.WorkflowDefinitions.Add(record);
        await db.SaveChangesAsync();
    }

    /// <summary>Start → 9 × (count, wait for "next") → End: 20 activities.</summary>
    static JsonObject Definition()
    {
        var activities = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start" });
        var connections = new JsonArray();
        var previous = "start";
        for (var i = 1; i <= Rounds; i++)
        {
            activities.Add(new JsonObject { ["id"] = $"count{i}", ["type"] = "SetVariable", ["variable"] = "count", ["value"] = "count + 1" });
            activities.Add(new JsonObject { ["id"] = $"wait{i}", ["type"] = "WaitForEvent", ["eventName"] = "next", ["correlation"] = "key" });
            connections.Add(Connect(previous, $"count{i}"));
            connections.Add(Connect($"count{i}", $"wait{i}"));
            previous = $"wait{i}";
        }
        activities.Add(new JsonObject { ["id"] = "end", ["type"] = "End" });
        connections.Add(Connect(previous, "end"));
        return new JsonObject
        {
            ["definitionId"] = "bench",
            ["name"] = "20 activities",
            ["variables"] = new JsonArray(new JsonObject { ["name"] = "count", ["type"] = "number", ["value"] = 0 },
            new JsonObject { ["name"] = "key" }),
            ["root"] = new JsonObject { ["type"] = "Flowchart", ["activities"] = activities, ["connections"] = connections },
        };
    }

    static JsonObject Connect(string from, string to) => new()
    {
        ["source"] = new JsonObject { ["activity"] = from, ["port"] = "Done" },
        ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
    };

    sealed record DriveResult(TimeSpan Elapsed, int Steps, int Transactions);

    /// <summary>Each worker starts its instances and sends each one "next" until it finishes; every call is one request scope.</summary>
    static async Task<DriveResult> Drive(ServiceProvider services, string label, int instances, int workers)
    {
        var keys = Enumerable.Range(0, instances).Select(i => $"{label}-{i}").ToArray();
        var transactions = 0;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (key, ct) =>
        {
            await InScope(services, engine => engine.StartAsync("bench", new Dictionary<string, JsonNode?> { ["key"] = key }, key, Actor.System, ct));
            for (var round = 0; round < Rounds; round++)
                await InScope(services, engine => engine.PublishEventAsync("next", key, null, Actor.System, ct));
            Interlocked.Add(ref transactions, 1 + Rounds);
        });
        watch.Stop();

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var ids = db.WorkflowInstances.Where(i => i.CorrelationId!.StartsWith(label + "-"));
        var unfinished = await ids.CountAsync(i => i.Status != WorkflowStatus.Finished);
        if (unfinished > 0) throw new InvalidOperationException($"{unfinished} instances did not finish.");
        var steps = await db.WorkflowJournal.CountAsync(j => ids.Any(i => i.Id == j.InstanceId)
            && (j.Event == JournalEvent.Executed || j.Event == JournalEvent.Resumed || j.Event == JournalEvent.Suspended));
        return new DriveResult(watch.Elapsed, steps, transactions);
    }

    static async Task InScope(ServiceProvider services, Func<WorkflowEngine, Task> action)
    {
        await using var scope = services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<WorkflowEngine>());
    }

    /// <summary>The same number of journal rows, inserted with nothing but EF Core, spread over this many SaveChanges.</summary>
    static async Task<TimeSpan> BareInserts(ServiceProvider services, int rows, int workers, int transactions)
    {
        Guid instanceId;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var instance = new WorkflowInstanceRecord(Guid.CreateVersion7(), "bench", 1, "baseline", DateTimeOffset.UtcNow);
            db.WorkflowInstances.Add(instance);
            await db.SaveChangesAsync();
            instanceId = instance.Id;
        }
        var batches = Enumerable.Range(0, transactions)
            .Select(t =>
                (First: (int)((long)rows * t / transactions), Size: (int)((long)rows * (t + 1) / transactions - (long)rows * t / transactions)))
            .ToArray();
        var entry = new JournalEntry(DateTimeOffset.UtcNow, JournalEvent.Executed, "count1", "SetVariable", "设置变量", "Done", Actor.System);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (b, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            for (var i = 0; i < b.Size; i++) db.WorkflowJournal.Add(new JournalRecord(instanceId, b.First + i + 1, entry));
            await db.SaveChangesAsync(ct);
        });
        return watch.Elapsed;
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? ", load average " + File.ReadAllText("/proc/loadavg").Split(' ')[0] : "";
}
