using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Audit;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests;

/// <summary>Every change is accountable: an append-only, hash-chained audit log that names who changed what.</summary>
public sealed class AuditTests : AppTest
{
    async Task<JsonNode> VerifyAsync() => await (await As("admin")).GetJsonAsync("/api/audit/verify");

    async Task ExecuteSqlAsync(string sql)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Database.ExecuteSqlRawAsync(sql);
    }

    [Fact]
    public async Task Raising_a_matter_is_logged_with_the_resident_and_the_new_values_and_the_chain_verifies()
    {
        var resident = await As("resident");
        var matter = await RaiseAsync(resident, "楼道灯坏了");
        var id = matter["id"]!.GetValue<string>();

        var admin = await As("admin");
        var entries = (await admin.GetJsonAsync($"/api/audit?entityType=Matter&entityId={id}"))["items"]!.AsArray();
        var added = entries.Single(e => e!["action"]!.GetValue<string>() == "added")!;
        Assert.Equal("resident", added["actorName"]!.GetValue<string>());
        Assert.Contains("楼道灯坏了", added["after"]!.GetValue<string>());
        Assert.Null(added["before"]);

        // The grid worker's triage changes the matter's step: before and after are both logged.
        var gridWorker = await As("gridworker");
        await CompleteAsync(gridWorker, id, "minor", new { verified = true, note = "网格内解决" });
        entries = (await admin.GetJsonAsync($"/api/audit?entityType=Matter&entityId={id}"))["items"]!.AsArray();
        var modified = entries.First(e => e!["action"]!.GetValue<string>() == "modified")!;
        Assert.Equal("gridworker", modified["actorName"]!.GetValue<string>());
        Assert.Contains("Step", modified["before"]!.GetValue<string>());
        Assert.Contains("Step", modified["after"]!.GetValue<string>());

        var report = await VerifyAsync();
        Assert.True(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        Assert.True(report["entries"]!.GetValue<long>() > entries.Count);
    }

    [Fact]
    public async Task Changing_an_entry_breaks_the_chain_at_that_entry_and_verify_names_it()
    {
        await RaiseAsync(await As("resident"));
        var total = (await VerifyAsync())["entries"]!.GetValue<long>();
        var target = total - 3;

        await ExecuteSqlAsync($"UPDATE \"AuditLog\" SET \"ActorName\" = 'someone else' WHERE \"Sequence\" = {target}");
        var report = await VerifyAsync();
        Assert.False(report["valid"]!.GetValue<bool>());
        Assert.Equal(target, report["firstBrokenSequence"]!.GetValue<long>());
        Assert.Contains("hash", report["problem"]!.GetValue<string>());
    }

    [Fact]
    public async Task Removing_an_entry_breaks_the_chain_where_it_was()
    {
        await RaiseAsync(await As("resident"));
        var total = (await VerifyAsync())["entries"]!.GetValue<long>();
        await ExecuteSqlAsync($"DELETE FROM \"AuditLog\" WHERE \"Sequence\" = {total - 1}");
        var report = await VerifyAsync();
        Assert.False(report["valid"]!.GetValue<bool>());
        Assert.Equal(total - 1, report["firstBrokenSequence"]!.GetValue<long>());
        Assert.Contains("missing", report["problem"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_writes_from_many_people_keep_one_unbroken_chain()
    {
        var residents = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => As("resident")));
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => RaiseAsync(residents[i % 4], $"并发事项 {i}")));
        var report = await VerifyAsync();
        Assert.True(report["valid"]!.GetValue<bool>(), report.ToJsonString());
    }

    /// <summary>Records the chain's head in the anchor file now, as the server does every few minutes and at shutdown.</summary>
    async Task<(long Sequence, string Hash)> AnchorAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await App.Services.GetRequiredService<AuditAnchor>()
            .WriteHeadAsync(scope.ServiceProvider.GetRequiredService<DeliberateDbContext>(), TimeProvider.System);
    }

    /// <summary>What an attacker who can write the database does: changes entry <paramref name="from"/> and re-hashes it and every later entry with
    /// <paramref name="key"/> (null: plain SHA-256).</summary>
    async Task RewriteAsync(long from, byte[]? key, bool change = true)
    {
        if (change) await ExecuteSqlAsync($"UPDATE \"AuditLog\" SET \"ActorName\" = 'someone else' WHERE \"Sequence\" = {from}");
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var entries = await db.AuditLog.AsNoTracking().Where(e => e.Sequence >= from).OrderBy(e => e.Sequence).ToListAsync();
        var previous = from == 1 ? AuditEntry.GenesisHash : (await db.AuditLog.AsNoTracking().SingleAsync(e => e.Sequence == from - 1)).Hash!;
        foreach (var entry in entries)
        {
            var hash = entry.HashAs(previous, key);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "AuditLog" SET "PreviousHash" = {previous}, "Hash" = {hash} WHERE "Sequence" = {entry.Sequence}
                """);
            previous = hash;
        }
    }

    [Fact]
    public async Task A_good_chain_verifies_against_the_heads_recorded_in_the_anchor_file()
    {
        await AnchorAsync();
        await RaiseAsync(await As("resident"));
        var head = await AnchorAsync();
        var report = await VerifyAsync();
        Assert.True(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        Assert.True(report["anchorsChecked"]!.GetValue<int>() >= 2, report.ToJsonString());
        Assert.Equal(0, report["plainEntries"]!.GetValue<long>());
        Assert.Contains($" {head.Sequence} {head.Hash}", await File.ReadAllTextAsync(App.Services.GetRequiredService<AuditAnchor>().Path));
    }

    [Fact]
    public async Task Removing_the_last_entries_is_reported_as_truncation_against_the_anchor()
    {
        await RaiseAsync(await As("resident"));
        var (head, _) = await AnchorAsync();
        await ExecuteSqlAsync($"DELETE FROM \"AuditLog\" WHERE \"Sequence\" > {head - 3}");
        var report = await VerifyAsync();
        Assert.False(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        // Where the removed entries began — or a little later when background work (PostgreSQL's chainer) wrote after the deletion:
        // then "removed" names the rest, or the new entries do not match what the anchor recorded.
        Assert.InRange(report["firstBrokenSequence"]!.GetValue<long>(), head - 2, head);
        Assert.Matches("removed|recorded|missing", report["problem"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changing_an_entry_and_rehashing_the_rest_with_plain_SHA256_is_detected()
    {
        await RaiseAsync(await As("resident"));
        var total = (await VerifyAsync())["entries"]!.GetValue<long>();
        await RewriteAsync(total - 5, key: null);
        var report = await VerifyAsync();
        Assert.False(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal(total - 5, report["firstBrokenSequence"]!.GetValue<long>());
        Assert.Contains("without the key", report["problem"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changing_an_entry_and_rehashing_the_rest_with_another_key_is_detected()
    {
        await RaiseAsync(await As("resident"));
        var total = (await VerifyAsync())["entries"]!.GetValue<long>();
        await RewriteAsync(total - 5, RandomNumberGenerator.GetBytes(32));
        var report = await VerifyAsync();
        Assert.False(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal(total - 5, report["firstBrokenSequence"]!.GetValue<long>());
        Assert.Contains("another key", report["problem"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rehashing_the_whole_chain_with_plain_SHA256_is_detected_against_the_anchor()
    {
        var (head, _) = await AnchorAsync();
        await RewriteAsync(1, key: null);
        var report = await VerifyAsync();
        Assert.False(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        Assert.True(report["firstBrokenSequence"]!.GetValue<long>() <= head, report.ToJsonString());
        Assert.Contains("recorded", report["problem"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_chain_hashed_before_it_was_keyed_still_verifies_and_goes_on_keyed_after_the_upgrade()
    {
        // An existing database: every entry with a plain SHA-256 hash, and no anchor file yet.
        var total = (await VerifyAsync())["entries"]!.GetValue<long>();
        await RewriteAsync(1, key: null, change: false);
        var anchors = App.Services.GetRequiredService<AuditAnchor>().Path;
        var connection = App.ConnectionString;
        await App.DisposeAsync();
        File.Delete(anchors);

        // The upgraded server starts on it (and records the head it found), then writes keyed entries.
        await using var upgraded = new DeliberateApp(connection);
        await upgraded.StartAsync();
        await RaiseAsync(await upgraded.SignInAsync("resident"));
        var report = await (await upgraded.SignInAsync("admin")).GetJsonAsync("/api/audit/verify");
        Assert.True(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal(total, report["plainEntries"]!.GetValue<long>());
        Assert.True(report["entries"]!.GetValue<long>() > total + 1);
        Assert.True(report["anchorsChecked"]!.GetValue<int>() >= 1, report.ToJsonString());
    }

    [Fact]
    public async Task The_server_records_the_head_when_it_shuts_down()
    {
        await RaiseAsync(await As("resident"));
        var report = await VerifyAsync();
        var anchors = App.Services.GetRequiredService<AuditAnchor>().Path;
        await App.DisposeAsync(); // shuts the server down (AppTest disposes it again, which does nothing)
        var last = (await File.ReadAllLinesAsync(anchors)).Last().Split(' ');
        Assert.True(long.Parse(last[1]) >= report["entries"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_verify_command_checks_the_chain_against_a_backup_manifest()
    {
        await RaiseAsync(await As("resident"));
        var report = await VerifyAsync();
        var manifest = Path.GetTempFileName();
        await File.WriteAllTextAsync(manifest, $"kind=test\ncreated=now\naudit_sequence={report["entries"]}\naudit_hash={report["lastHash"]}\n");
        try
        {
            Assert.Equal(0, await AuditCommand.RunAsync(App.Services, ["audit", "verify", "--manifest", manifest]));
            await ExecuteSqlAsync($"DELETE FROM \"AuditLog\" WHERE \"Sequence\" > {report["entries"]!.GetValue<long>() - 2}");
            Assert.Equal(1, await AuditCommand.RunAsync(App.Services, ["audit", "verify", "--manifest", manifest, "--anchors", "/nonexistent"]));
            // With the anchor file gone and no manifest there is nothing to notice a truncation by: that does not pass.
            Assert.Equal(1, await AuditCommand.RunAsync(App.Services, ["audit", "verify", "--anchors", "/nonexistent"]));
            Assert.Equal(0, await AuditCommand.RunAsync(App.Services, ["audit", "verify", "--anchors", "/nonexistent", "--without-anchors"]));
        }
        finally
        {
            File.Delete(manifest);
        }
    }

    [Fact]
    public async Task A_backup_manifest_carries_the_chain_head()
    {
        await RaiseAsync(await As("resident"));
        await VerifyAsync(); // chains what waits (PostgreSQL)
        var head = await AnchorAsync();
        var folder = Path.Combine(Path.GetTempPath(), "deliberate-backup-" + Guid.NewGuid().ToString("N"));
        try
        {
            var source = TestDatabase.IsPostgres ? App.ConnectionString
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(App.ConnectionString).DataSource;
            var script = Path.Combine(RepositoryRoot(), "scripts", "backup.sh");
            using var process = Process.Start(new ProcessStartInfo("bash", [script, TestDatabase.IsPostgres ? "postgres" : "sqlite", source, folder])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, output);
            var manifest = await File.ReadAllLinesAsync(Path.Combine(folder, "MANIFEST"));
            // Background work may add entries between the anchor and the backup; the manifest holds the backup's head.
            var sequence = long.Parse(manifest.Single(l => l.StartsWith("audit_sequence=", StringComparison.Ordinal))["audit_sequence=".Length..]);
            Assert.True(sequence >= head.Sequence, string.Join("\n", manifest));
            Assert.Equal(0, await AuditCommand.RunAsync(App.Services, ["audit", "verify", "--manifest", Path.Combine(folder, "MANIFEST")]));
            if (sequence == head.Sequence) Assert.Contains($"audit_hash={head.Hash}", manifest);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_PostgreSQL_server_without_demo_data_refuses_to_start_without_an_audit_key()
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var database = new DatabaseSettings(DatabaseProvider.Postgres, "Host=localhost;Database=x");
        var error = Assert.Throws<InvalidOperationException>(() =>
            AuditKey.Load(config, database, demo: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Contains("Audit:KeyPath", error.Message);
    }

    [Fact]
    public void A_SQLite_server_that_is_not_a_demo_refuses_an_audit_key_in_the_databases_folder_which_backups_copy()
    {
        // The key seals secret ballots too: a copy of the data folder must not carry it (issue 15 §8).
        var folder = Path.Combine(Path.GetTempPath(), "deliberate-key-" + Guid.NewGuid().ToString("N"));
        var database = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "data", "d.db")}");
        var log = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Microsoft.Extensions.Configuration.IConfiguration Config(string? keyPath) => new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Audit:KeyPath"] = keyPath }).Build();
        try
        {
            foreach (var inside in new string?[] { null, Path.Combine(folder, "data", "audit.key"), Path.Combine(folder, "data", "keys", "k") })
                Assert.Contains("Audit:KeyPath",
                    Assert.Throws<InvalidOperationException>(() => AuditKey.Load(Config(inside), database, demo: false, log)).Message);
            Assert.False(File.Exists(Path.Combine(folder, "data", "audit.key"))); // refused before anything is written
            var outside = AuditKey.Load(Config(Path.Combine(folder, "keys", "audit.key")), database, demo: false, log);
            Assert.Equal(AuditKey.MinBytes, outside.Key.Length);
            Assert.Equal(Path.Combine(folder, "data", "audit.key"), AuditKey.Load(Config(null), database, demo: true, log).Source); // a demo may
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Deliberate.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Deliberate.sln not found above the test binaries.");
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log()
    {
        foreach (var user in new[] { "resident", "secretary", "street", "designer" })
        {
            var client = await As(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit/verify")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/api/audit/verify")).StatusCode);
    }

    [Fact]
    public async Task Passwords_are_never_copied_into_the_log()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var userEntries = await db.AuditLog.Where(e => e.EntityType == "User").Select(e => e.After).ToListAsync();
        Assert.NotEmpty(userEntries);
        Assert.All(userEntries, after => Assert.Contains("\"PasswordHash\":\"****\"", after)); // redacted, not even a digest
        Assert.DoesNotContain(userEntries, after => after!.Contains("AQAAAA")); // ASP.NET Core's password hash format
    }
}
