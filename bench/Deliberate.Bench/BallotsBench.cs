using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Audit;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Deliberate.Bench;

/// <summary>
/// Ballots cast over HTTP on loopback against the real server (its own process, SQLite): an estate of
/// 10,000 units, each owner signed in, 50 clients casting at once. Figures: ballots per second and
/// p50/p95/p99 latency; baseline in the same run: GET /health at the same concurrency.
/// </summary>
internal static class BallotsBench
{
    public const string Usage = "[ballots=10000] [clients=50]   ballots cast over HTTP on SQLite; target >= 500/s, p99 <= 100 ms";
    const int Port = 5181;
    static readonly string BaseUrl = $"http://127.0.0.1:{Port}";

    public static int Run(string[] args) => RunAsync(args.Length > 0 ? int.Parse(args[0]) : 10_000, args.Length > 1 ? int.Parse(args[1]) : 50)
        .GetAwaiter().GetResult();

    static async Task<int> RunAsync(int ballots, int clients)
    {
        var folder = Path.Combine(Path.GetTempPath(), "deliberate-ballots-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var keyFolder = folder + "-key"; // beside the database's folder, not in it; the seed creates the key there
        var connection = $"Data Source={Path.Combine(folder, "bench.db")}";
        BenchServer? server = null;
        try
        {
            var watch = Stopwatch.StartNew();
            var keyPath = Path.Combine(keyFolder, "audit.key");
            var community = await SeedAsync(connection, keyPath, ballots);
            Console.WriteLine($"seeded {ballots} units, owners and accounts in {watch.Elapsed.TotalSeconds:F1} s");

            // Not a demo: the audit key (which also seals secret ballots) must live outside the database's folder.
            string[] settings = [$"ConnectionStrings:Deliberate={connection}", "Demo:Enabled=false", $"Audit:KeyPath={keyPath}"];
            server = BenchServer.Start(BaseUrl, settings);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 }) { BaseAddress = new Uri(BaseUrl) };
            await server.WaitUntilUpAsync(http);

            // The ballot and the warm-up's are announced through the API with the law's notice; the notice is then made to
            // have run in the bench's database, and the restarted server opens them (its deadline reconciler, at start).
            var committee = await TokenAsync(http, "bench-committee");
            var (opensAt, closesAt) = AnnouncedBallots.Timing(DateTimeOffset.UtcNow);
            async Task<Guid> AnnounceAsync(string title) => Guid.Parse((await PostAsync(http, committee, "/api/ballots", new
            {
                title, kind = AnnouncedBallots.Kind, rule = "civil-code-278-ordinary", orgUnitId = community, opensAt, closesAt,
            }))["id"]!.GetValue<string>());
            var ballotId = (await AnnounceAsync("压测：是否同意更换小区门禁系统")).ToString();
            var warmUpBallot = (await AnnounceAsync("压测预热")).ToString();
            await server.DisposeAsync();
            server = null;
            await AnnouncedBallots.NoticeHasRunAsync("sqlite", connection, [Guid.Parse(ballotId), Guid.Parse(warmUpBallot)]);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            server = BenchServer.Start(BaseUrl, settings);
            await server.WaitUntilUpAsync(http);
            committee = await TokenAsync(http, "bench-committee");
            await AnnouncedBallots.WaitUntilOpenAsync(http, BaseUrl, committee, [Guid.Parse(ballotId), Guid.Parse(warmUpBallot)]);

            watch.Restart();
            var tokens = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(Enumerable.Range(1, ballots), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, _) => tokens.Add(await TokenAsync(http, $"bench-owner-{i}")));
            Console.WriteLine($"signed in {tokens.Count} owners in {watch.Elapsed.TotalSeconds:F1} s (not part of the figure)");

            var health = await LoadAsync(clients, Enumerable.Repeat("", ballots).ToList(), async _ =>
            {
                using var response = await http.GetAsync("/health");
                return response.IsSuccessStatusCode;
            });
            var choices = new[] { "agree", "agree", "disagree", "abstain" };
            var counter = 0;
            Func<string, Task<bool>> VoteIn(string ballotId) => async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/ballots/{ballotId}/votes")
                {
                    Content = JsonContent.Create(new { choice = choices[Interlocked.Increment(ref counter) % choices.Length] }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                return response.IsSuccessStatusCode;
            };

            // Warm-up, not part of the figure: the vote path's first requests compile its code and queries.
            var warmUp = await LoadAsync(clients, tokens.Take(Math.Min(500, tokens.Count)).ToList(), VoteIn(warmUpBallot));
            Console.WriteLine($"warm-up: {warmUp.Count} votes in another ballot, p99 {warmUp.P(99):F1} ms (not part of the figure)");

            var votes = await LoadAsync(clients, tokens.ToList(), VoteIn(ballotId));

            var counted = (await GetAsync(http, committee, $"/api/ballots/{ballotId}"))["participation"]!["heads"]!.GetValue<int>();
            Console.WriteLine($"{Environment.ProcessorCount} cores{LoadAverage()}; server on {BaseUrl}, SQLite; {clients} clients");
            Console.WriteLine($"ballots: {votes.Count} cast, {votes.Errors} errors, {counted} counted, {votes.PerSecond:F0} ballots/s (target >= "
                + $"500); "
                + $"p50 {votes.P(50):F1} ms, p95 {votes.P(95):F1} ms, p99 {votes.P(99):F1} ms (target <= 100 ms)");
            Console.WriteLine($"baseline GET /health: {health.PerSecond:F0} requests/s, p50 {health.P(50):F1} ms, p99 {health.P(99):F1} ms; "
                + $"ballots/health throughput = {votes.PerSecond / health.PerSecond:F2}");
            return votes.Errors == 0 && counted == ballots && votes.PerSecond >= 500 && votes.P(99) <= 100 ? 0 : 1;
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            if (Directory.Exists(keyFolder)) Directory.Delete(keyFolder, recursive: true);
        }
    }

    sealed record LoadResult(int Count, int Errors, double PerSecond, double[] Latencies)
    {
        public double P(int percentile) =>
            Latencies.Length == 0 ? 0 : Latencies[Math.Min(Latencies.Length - 1, (int)Math.Ceiling(percentile / 100.0 * Latencies.Length) - 1)];
    }

    /// <summary>Runs one request per item with <paramref name="clients"/> at a time; latency per request.</summary>
    static async Task<LoadResult> LoadAsync(int clients, List<string> items, Func<string, Task<bool>> send)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (item, _) =>
        {
            var start = Stopwatch.GetTimestamp();
            var ok = await send(item);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!ok) Interlocked.Increment(ref errors);
        });
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new LoadResult(items.Count, errors, items.Count / watch.Elapsed.TotalSeconds, sorted);
    }

    /// <summary>
    /// A community of <paramref name="units"/> units (100 per building), one owner and one account each, and an
    /// owners' committee account. The owners' passwords are hashed with one iteration: signing 10,000 people in
    /// is setup here, not the figure.
    /// </summary>
    static async Task<Guid> SeedAsync(string connection, string keyPath, int units)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["ConnectionStrings:Deliberate"] = connection,
            ["Audit:KeyPath"] = keyPath,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        var database = services.AddDeliberateDatabase(config);
        // The seed's rows are audited, chained with the key the server will use: this creates it where the server reads it.
        services.AddSingleton(sp => AuditKey.Load(config, database, demo: false, sp.GetRequiredService<ILogger<AuditKey>>()));
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        await DatabaseSetup.MigrateAsync(db);
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var district = new OrgUnit(Guid.CreateVersion7(), OrgLevel.District, "压测区", null);
        var street = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Street, "压测街道", district);
        var community = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Community, "压测社区", street);
        var grid = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Grid, "压测网格", community);
        db.OrgUnits.AddRange(district, street, community, grid);
        var hasher = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 1 }));
        var hash = hasher.HashPassword(null!, "bench");
        var committee = new User(Guid.CreateVersion7(), "bench-committee", "压测业委会", hash);
        committee.Grant(Role.OwnersCommittee, community.Id);
        db.Users.Add(committee);
        OrgUnit? building = null;
        for (var i = 1; i <= units; i++)
        {
            if ((i - 1) % 100 == 0)
            {
                building = new OrgUnit(Guid.CreateVersion7(), OrgLevel.Building, $"{(i - 1) / 100 + 1}号楼", grid);
                db.OrgUnits.Add(building);
            }
            var unit = new PropertyUnit(Guid.CreateVersion7(), building!.Id, $"{(i - 1) / 100 + 1}-{(i - 1) % 100 + 101}", 60m + i % 90);
            var owner = new Owner(Guid.CreateVersion7(), $"业主{i}");
            var user = new User(Guid.CreateVersion7(), $"bench-owner-{i}", owner.Name, hash, ownerId: owner.Id);
            user.Grant(Role.Resident, building.Id);
            db.PropertyUnits.Add(unit);
            db.Owners.Add(owner);
            db.UnitOwnerships.Add(new UnitOwnership(unit.Id, owner.Id));
            db.Users.Add(user);
            if (i % 2000 == 0) await db.SaveChangesAsync();
        }
        await db.SaveChangesAsync();
        return community.Id;
    }

    static Task<string> TokenAsync(HttpClient http, string user) => BenchServer.TokenAsync(http, BaseUrl, user, "bench");

    static async Task<JsonNode> PostAsync(HttpClient http, string token, string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    static async Task<JsonNode> GetAsync(HttpClient http, string token, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? ", load average " + File.ReadAllText("/proc/loadavg").Split(' ')[0] : "";
}
