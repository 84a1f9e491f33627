using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Npgsql;

namespace Deliberate.Bench;

/// <summary>
/// Simulated users on a two-node cluster on PostgreSQL, over HTTP on loopback: the bench creates a database on the
/// server that DELIBERATE_TEST_PG names, starts two server processes on it (demo data, Quartz clustered) and sends
/// every request to the two nodes in turn, as a load balancer would. Each user loops over a mix of reads and writes
/// that carries matters through the six steps' first half: residents raise matters, the grid worker hears them
/// (task completed, outcome minor) and finishes the work item, the building's owners rate the result; owners vote
/// (and change their vote) in open ballots; people list and open matters, tasks and ballots. After each answer a user
/// pauses 1 to 5 s, as a person does between taps (--think 0: users who never pause). A 30 s warm-up is not counted.
/// Figures: requests per second, p50/p95/p99 overall, for reads, for writes and per action, errors; the baseline in
/// the same run is GET /health by the same users with the same pauses; each node's RSS sampled every 10 s, with its slope.
/// </summary>
internal static class LoadBench
{
    public const string Usage = "[--users 200] [--seconds 60] [--soak 600] [--think 1-5]   mixed reads and writes on two nodes on PostgreSQL; "
        + "each user pauses 1 to 5 s between requests (--think 0: never); target: no errors, p99 <= 200 ms; soak: RSS flat";
    const string Password = "Demo#2026";
    static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    public static int Run(string[] args)
    {
        var users = 200;
        var seconds = 60;
        var soak = false;
        var think = (Min: 1.0, Max: 5.0);
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--users": users = int.Parse(args[++i]); break;
                case "--seconds": seconds = int.Parse(args[++i]); break;
                case "--soak": seconds = int.Parse(args[++i]); soak = true; break;
                case "--think":
                    var range = args[++i].Split('-');
                    think = (double.Parse(range[0], CultureInfo.InvariantCulture), double.Parse(range[^1], CultureInfo.InvariantCulture));
                    break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; {Usage}"); return 2;
            }
        var server = Environment.GetEnvironmentVariable("DELIBERATE_TEST_PG");
        if (string.IsNullOrEmpty(server))
        {
            Console.Error.WriteLine("Set DELIBERATE_TEST_PG to a PostgreSQL server (eval \"$(scripts/postgres.sh start)\").");
            return 2;
        }
        return RunAsync(server, users, TimeSpan.FromSeconds(seconds), soak, think).GetAwaiter().GetResult();
    }

    static async Task<int> RunAsync(string pgServer, int users, TimeSpan duration, bool soak, (double Min, double Max) think)
    {
        var database = $"deliberate_load_{Environment.ProcessId}";
        var connection = new NpgsqlConnectionStringBuilder(pgServer) { Database = database }.ConnectionString;
        await AdminAsync(pgServer, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", $"CREATE DATABASE \"{database}\"");
        var nodes = new List<BenchServer>();
        try
        {
            // Connections live as long as they are used, as a person's phone keeps its own. A fixed lifetime would close
            // all 400 at the same moment every few minutes, since they were opened together, and each node would take
            // new buffers for all of them at once.
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = users * 2 })
            { Timeout = TimeSpan.FromSeconds(30) };
            // One node after the other: the first migrates and seeds, the second finds it done.
            foreach (var port in new[] { 5191, 5192 })
            {
                var node = BenchServer.Start($"http://127.0.0.1:{port}", NodeSettings(connection));
                nodes.Add(node);
                await node.WaitUntilUpAsync(http);
            }
            var urls = nodes.Select(n => n.Url).ToArray();
            var world = await World.PrepareAsync(http, urls, connection);
            // The ballots were announced with the law's notice: the notice is made to have run in the bench's database, and
            // node 1, restarted, opens them (its deadline reconciler gives each its opening trigger at start).
            await AnnouncedBallots.NoticeHasRunAsync("postgres", connection, world.Ballots);
            await nodes[0].DisposeAsync();
            nodes[0] = BenchServer.Start(urls[0], NodeSettings(connection));
            await nodes[0].WaitUntilUpAsync(http);
            await world.WaitUntilBallotsOpenAsync();
            Console.WriteLine($"{Environment.ProcessorCount} cores{LoadAverage()}; two nodes ({string.Join(", ", urls)}) on PostgreSQL; {users} "
                + $"users; "
                + $"{world.Owners.Count} owners, {world.Ballots.Count} open ballots; "
                + (think.Max > 0 ? $"each user pauses {think.Min:0.#} to {think.Max:0.#} s between requests" : "users never pause"));

            // The baseline: the same users and pauses, asking only GET /health (which touches nothing) for up to a minute.
            var baseline = await RunUsersAsync(users, TimeSpan.FromSeconds(Math.Min(60, duration.TotalSeconds)), think, world, nodes: null,
                (_, next) => world.SendAsync(next(), HttpMethod.Get, "/health", null, "health"));
            // Warm-up, not counted: the same mix for 30 s, so the figures are of running nodes, not of the JIT and EF Core
            // compiling each endpoint's code and queries on first use.
            await RunUsersAsync(users, TimeSpan.FromSeconds(30), think, world, nodes: null, (_, next) => world.ActAsync(next()));
            var memory = new List<(double Seconds, double[] Megabytes)>();
            var load = await RunUsersAsync(users, duration, think, world, nodes, (_, next) => world.ActAsync(next()), memory);

            Console.WriteLine($"load: {load.Count} requests in {load.Seconds:F0} s = {load.PerSecond:F0}/s, {load.Errors} errors{load.ErrorSummary}; "
                + $"p50 {load.P(50):F1} ms, p95 {load.P(95):F1} ms, p99 {load.P(99):F1} ms (target: no errors, p99 <= 200 ms)");
            foreach (var (name, part) in load.ByKind())
                Console.WriteLine($"  {name,-16} {part.Length,7} ({part.Length / load.Seconds,5:F0}/s)  p50 {Stats.P(part, 50),7:F1}  "
                    + $"p95 {Stats.P(part, 95),7:F1}  p99 {Stats.P(part, 99),7:F1} ms");
            Console.WriteLine($"baseline GET /health: {baseline.PerSecond:F0}/s, p50 {baseline.P(50):F1} ms, p95 {baseline.P(95):F1} ms, "
                + $"p99 {baseline.P(99):F1} ms; "
                + $"load/health: throughput {load.PerSecond / baseline.PerSecond:F2}, p99 {load.P(99) / Math.Max(0.1, baseline.P(99)):F1}×");
            Console.WriteLine($"work done, warm-up included: {world.Progress}");

            var flat = true;
            for (var n = 0; n < nodes.Count; n++)
            {
                var series = memory.Select(m => (m.Seconds, m.Megabytes[n])).ToList();
                // The slope over the second half: the first minutes are the JIT, caches and pools filling up.
                var slope = Stats.SlopePerMinute(series.Skip(series.Count / 2).ToList());
                Console.WriteLine($"RSS node {n + 1}: first {series[0].Item2:F0} MB, last {series[^1].Item2:F0} MB, "
                    + $"max {series.Max(s => s.Item2):F0} MB, "
                    + $"slope {Stats.SlopePerMinute(series):F2} MB/min overall, {slope:F2} MB/min over the second half ({series.Count} samples "
                        + $"every {SampleEvery.TotalSeconds:F0} s)");
                if (soak)
                    Console.WriteLine(
                        $"  every minute: {string.Join(" ", series.Where((_, i) => i % 6 == 0).Select(s => s.Item2.ToString("F0")))} MB");
                if (soak && slope > 1.0) flat = false;
            }
            if (soak) Console.WriteLine($"soak target: RSS flat (second-half slope <= 1 MB/min per node): {(flat ? "met" : "missed")}");
            return load.Errors == 0 && load.P(99) <= 200 && flat ? 0 : 1;
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await AdminAsync(pgServer, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    /// <summary>
    /// Runs <paramref name="users"/> loops for <paramref name="duration"/>; each request goes to the next node in turn,
    /// and after each the user pauses a random time within <paramref name="think"/> (seconds), as a person reads and
    /// types; each user starts at a random moment within the longest pause, so they do not all ask at once.
    /// While it runs, samples each node's RSS every 10 s (and once at the end) when <paramref name="memory"/> is given.
    /// </summary>
    static async Task<Stats> RunUsersAsync(int users, TimeSpan duration, (double Min, double Max) think, World world, List<BenchServer>? nodes,
        Func<int, Func<string>, Task<(string Kind, double Ms, int Status)>> act, List<(double, double[])>? memory = null)
    {
        var results = new ConcurrentBag<(string Kind, double Ms, int Status)>();
        var turn = 0;
        string NextNode() => world.Urls[(int)((uint)Interlocked.Increment(ref turn) % world.Urls.Length)];
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var sampler = memory is null || nodes is null ? Task.CompletedTask : Task.Run(async () =>
        {
            memory.Add((0, nodes.Select(n => n.ResidentMegabytes()).ToArray()));
            using var ticks = new PeriodicTimer(SampleEvery);
            try
            {
                while (await ticks.WaitForNextTickAsync(stop.Token))
                    memory.Add((watch.Elapsed.TotalSeconds, nodes.Select(n => n.ResidentMegabytes()).ToArray()));
            }
            catch (OperationCanceledException) { } // the run is over
        });
        async Task PauseAsync(double min, double max)
        {
            if (max <= 0) return;
            try { await Task.Delay(TimeSpan.FromSeconds(min + Random.Shared.NextDouble() * (max - min)), stop.Token); }
            catch (OperationCanceledException) { } // the run is over
        }
        await Task.WhenAll(Enumerable.Range(0, users).Select(user => Task.Run(async () =>
        {
            await PauseAsync(0, think.Max);
            while (!stop.IsCancellationRequested)
            {
                results.Add(await act(user, NextNode));
                await PauseAsync(think.Min, think.Max);
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        await sampler;
        memory?.Add((seconds, nodes!.Select(n => n.ResidentMegabytes()).ToArray()));
        return new Stats(results.ToList(), seconds);
    }

    static string[] NodeSettings(string connection) =>
        ["Database:Provider=postgres", $"ConnectionStrings:Deliberate={connection}", "Demo:Enabled=true", "Scheduling:Enabled=true"];

    static async Task AdminAsync(string pgServer, params string[] statements)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pgServer) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync();
        }
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? ", load average " + File.ReadAllText("/proc/loadavg").Split(' ')[0] : "";

    sealed class Stats(List<(string Kind, double Ms, int Status)> results, double seconds)
    {
        readonly double[] sorted = results.Select(r => r.Ms).Order().ToArray();
        public int Count => results.Count;
        public double Seconds => seconds;
        public double PerSecond => Count / seconds;
        public int Errors => results.Count(r => r.Status is < 200 or >= 300);
        public string ErrorSummary => Errors == 0 ? "" : " (" + string.Join(", ", results.Where(r => r.Status is < 200 or >= 300)
            .GroupBy(r => $"{r.Kind} {(r.Status == 0 ? "no answer" : r.Status.ToString())}").Select(g => $"{g.Count()} × {g.Key}")) + ")";
        public double P(int percentile) => P(sorted, percentile);

        public IEnumerable<(string, double[])> ByKind() =>
            results.GroupBy(r => r.Kind).OrderBy(g => g.Key).Select(g => (g.Key, g.Select(r => r.Ms).Order().ToArray()))
                .Prepend(("reads", results.Where(r => !World.IsWrite(r.Kind)).Select(r => r.Ms).Order().ToArray()))
                .Prepend(("writes", results.Where(r => World.IsWrite(r.Kind)).Select(r => r.Ms).Order().ToArray()));

        public static double P(double[] sorted, int percentile) =>
            sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];

        /// <summary>Least-squares slope of the samples, in MB per minute.</summary>
        public static double SlopePerMinute(List<(double Seconds, double Mb)> samples)
        {
            if (samples.Count < 2) return 0;
            var meanX = samples.Average(s => s.Seconds);
            var meanY = samples.Average(s => s.Mb);
            var num = samples.Sum(s => (s.Seconds - meanX) * (s.Mb - meanY));
            var den = samples.Sum(s => (s.Seconds - meanX) * (s.Seconds - meanX));
            return den == 0 ? 0 : num / den * 60;
        }
    }

    /// <summary>The people, ballots and matters the users act on, and the actions themselves.</summary>
    sealed class World(HttpClient http, string[] urls)
    {
        public string[] Urls { get; } = urls;
        public List<string> Owners { get; } = [];
        /// <summary>The tokens of the owners of building 1, where the resident raises matters: they may rate them.</summary>
        readonly List<string> buildingOwners = [];
        readonly Dictionary<string, string> tokens = [];
        public List<Guid> Ballots { get; } = [];
        readonly ConcurrentQueue<(Guid Matter, Guid Task)> raised = new(); // matters whose hearing task waits
        readonly ConcurrentQueue<Guid> heard = new();                        // matters whose work item is to be looked up
        readonly ConcurrentQueue<(Guid Matter, Guid Item)> working = new();  // matters whose work item waits
        readonly ConcurrentQueue<(Guid Matter, int Next)> rating = new(); // matters in their rating round: the next owner to rate
        readonly ConcurrentBag<Guid> known = [];
        readonly ConcurrentQueue<(string Owner, Guid Ballot)> votes = new();
        int raisedCount, heardCount, doneCount, ratingsCount, votesCount;

        public string Progress =>
            $"{raisedCount} matters raised, {heardCount} heard, {doneCount} work items done, {ratingsCount} ratings, {votesCount} votes";

        static readonly string[] Writes = ["raise", "hear", "finishWork", "rate", "vote"];
        public static bool IsWrite(string kind) => Writes.Contains(kind);

        public static async Task<World> PrepareAsync(HttpClient http, string[] urls, string connection)
        {
            var world = new World(http, urls);
            await using (var db = new NpgsqlConnection(connection))
            {
                await db.OpenAsync();
                // One account per head: of co-owners (owner-xf-2-301-1, -2) only the first.
                await using var command = new NpgsqlCommand("""
                    SELECT "UserName" FROM "Users" WHERE "UserName" LIKE 'owner-xf-%' AND "UserName" NOT SIMILAR TO 'owner-xf-%-%-[2-9]' ORDER BY 1
                    """, db);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) world.Owners.Add(reader.GetString(0));
            }
            foreach (var user in world.Owners.Append("resident").Append("gridworker").Append("owners-committee"))
                world.tokens[user] = await BenchServer.TokenAsync(http, urls[0], user, Password);
            world.buildingOwners.AddRange(world.Owners.Where(o => o.StartsWith("owner-xf-1-", StringComparison.Ordinal)).Append("resident"));
            // Announced with the law's notice; RunAsync then makes the notice have run and gets them opened.
            var (opensAt, closesAt) = AnnouncedBallots.Timing(DateTimeOffset.UtcNow);
            for (var i = 1; i <= 5; i++)
            {
                var ballot = await world.PostAsync(urls[0], "owners-committee", "/api/ballots", new
                {
                    title = $"压测表决 {i}：是否同意更换小区门禁系统", kind = AnnouncedBallots.Kind, rule = "civil-code-278-ordinary",
                    orgUnitId = DemoData.Ids.Xingfuli, allowRevote = true, opensAt, closesAt,
                });
                world.Ballots.Add(Guid.Parse(ballot["id"]!.GetValue<string>()));
            }
            foreach (var pair in world.Owners.SelectMany(o => world.Ballots.Select(b => (o, b))).OrderBy(_ => Random.Shared.Next()))
                world.votes.Enqueue(pair);
            return world;
        }

        public Task WaitUntilBallotsOpenAsync() => AnnouncedBallots.WaitUntilOpenAsync(http, Urls[0], tokens["owners-committee"], Ballots);

        /// <summary>One action, picked by weight; a step that has nothing to work on yet reads instead.</summary>
        public async Task<(string, double, int)> ActAsync(string url)
        {
            var roll = Random.Shared.Next(100);
            return roll switch
            {
                < 15 => await SendAsync(url, HttpMethod.Get, "/api/matters?pageSize=20", "gridworker", "listMatters"),
                < 25 => await SendAsync(url, HttpMethod.Get, "/api/tasks", "gridworker", "listTasks"),
                < 35 => await SendAsync(url, HttpMethod.Get, $"/api/ballots/{Pick(Ballots)}", Pick(Owners), "getBallot"),
                < 45 => await OpenMatterAsync(url),
                < 57 => await RaiseAsync(url),
                < 67 => await HearAsync(url),
                < 75 => await FinishWorkAsync(url),
                < 85 => await RateAsync(url),
                _ => await VoteAsync(url),
            };
        }

        async Task<(string, double, int)> OpenMatterAsync(string url) =>
            known.TryPeek(out _) ? await SendAsync(url, HttpMethod.Get, $"/api/matters/{Pick(known.ToArray())}", "gridworker", "getMatter")
                : await SendAsync(url, HttpMethod.Get, "/api/matters?pageSize=20", "resident", "listMatters");

        async Task<(string, double, int)> RaiseAsync(string url)
        {
            var result = await SendAsync(url, HttpMethod.Post, "/api/matters", "resident", "raise", new
            {
                title = $"压测：1号楼楼道灯不亮 {Interlocked.Increment(ref raisedCount)}", description = "晚上很黑", category = "facilities",
                gridId = DemoData.Ids.XingfuliGrid1, buildingId = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 1),
            });
            if (result.Body is { } matter)
            {
                var id = Guid.Parse(matter["id"]!.GetValue<string>());
                known.Add(id);
                raised.Enqueue((id, Guid.Parse(matter["openTasks"]![0]!["id"]!.GetValue<string>())));
            }
            return result.Figure;
        }

        /// <summary>The grid worker hears a raised matter: completes its task, outcome minor, which makes a work item.</summary>
        async Task<(string, double, int)> HearAsync(string url)
        {
            if (!raised.TryDequeue(out var next)) return await SendAsync(url, HttpMethod.Get, "/api/tasks", "gridworker", "listTasks");
            var (matter, task) = next;
            var result = await SendAsync(url, HttpMethod.Post, $"/api/tasks/{task}/complete", "gridworker", "hear",
                new { outcome = "minor", values = new { verified = true, note = "网格内解决" } });
            if (result.Figure.Item3 == 200) { Interlocked.Increment(ref heardCount); heard.Enqueue(matter); }
            return result.Figure;
        }

        /// <summary>The grid worker looks up a heard matter's work item, or finishes one, which opens the matter's rating round.</summary>
        async Task<(string, double, int)> FinishWorkAsync(string url)
        {
            if (working.TryDequeue(out var next))
            {
                var result = await SendAsync(url, HttpMethod.Post, $"/api/work-items/{next.Item}/complete", "gridworker",
                    "finishWork", new { text = "已更换灯泡" });
                if (result.Figure.Item3 == 200) { Interlocked.Increment(ref doneCount); rating.Enqueue((next.Matter, 0)); }
                return result.Figure;
            }
            if (!heard.TryDequeue(out var matter))
                return await SendAsync(url, HttpMethod.Get, "/api/matters?pageSize=20", "gridworker", "listMatters");
            var items = await SendAsync(url, HttpMethod.Get, $"/api/work-items?matterId={matter}", "gridworker", "listWorkItems", null);
            if (items.Body?["items"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>() is { } item) working.Enqueue((matter, Guid.Parse(item)));
            return items.Figure;
        }

        /// <summary>An owner of the building rates a matter in its rating round; each owner once per round.</summary>
        async Task<(string, double, int)> RateAsync(string url)
        {
            if (!rating.TryDequeue(out var next)) return await SendAsync(url, HttpMethod.Get, "/api/ratings/open", "resident", "listRatings");
            var (matter, index) = next;
            if (index + 1 < buildingOwners.Count) rating.Enqueue((matter, index + 1));
            var result = await SendAsync(url, HttpMethod.Post, $"/api/matters/{matter}/ratings", buildingOwners[index], "rate",
                new { choice = "satisfied", comment = "很快就修好了" });
            if (result.Figure.Item3 is >= 200 and < 300) Interlocked.Increment(ref ratingsCount);
            return result.Figure;
        }

        /// <summary>
        /// An owner votes, or changes their vote, in a ballot. Each (owner, ballot) pair is lent to one user at a time:
        /// a person does not vote twice at the same moment, and two first votes of one head at once would rightly get 409.
        /// </summary>
        async Task<(string, double, int)> VoteAsync(string url)
        {
            if (!votes.TryDequeue(out var pair))
                return await SendAsync(url, HttpMethod.Get, $"/api/ballots/{Pick(Ballots)}", Pick(Owners), "getBallot");
            string[] choices = ["agree", "agree", "disagree", "abstain"];
            var result = await SendAsync(url, HttpMethod.Post, $"/api/ballots/{pair.Ballot}/votes", pair.Owner, "vote",
                new { choice = choices[Random.Shared.Next(choices.Length)] });
            if (result.Figure.Item3 is >= 200 and < 300) Interlocked.Increment(ref votesCount);
            votes.Enqueue(pair);
            return result.Figure;
        }

        static T Pick<T>(IReadOnlyList<T> items) => items[Random.Shared.Next(items.Count)];

        public async Task<(string, double, int)> SendAsync(string url, HttpMethod method, string path, string? user, string kind) =>
            (await SendAsync(url, method, path, user, kind, null)).Figure;

        /// <summary>One request, timed; the body is parsed for the caller (a non-2xx answer or no answer counts as an error).</summary>
        async Task<((string, double, int) Figure, JsonNode? Body)> SendAsync(string url, HttpMethod method, string path, string? user,
            string kind, object? body)
        {
            using var request = new HttpRequestMessage(method, url + path);
            if (body is not null) request.Content = JsonContent.Create(body);
            if (user is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[user]);
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!response.IsSuccessStatusCode && Random.Shared.Next(20) == 0)
                    Console.Error.WriteLine($"{kind}: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
                JsonNode? parsed = null;
                if (response.IsSuccessStatusCode && text.Length > 0 && text[0] is '{' or '[') parsed = JsonNode.Parse(text);
                return ((kind, ms, (int)response.StatusCode), parsed);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return ((kind, Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0), null);
            }
        }

        async Task<JsonNode> PostAsync(string url, string user, string path, object body)
        {
            var (figure, parsed) = await SendAsync(url, HttpMethod.Post, path, user, "setup", body);
            return parsed ?? throw new InvalidOperationException($"POST {path}: {figure.Item3}");
        }
    }
}
