using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;
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
        Assert.All(userEntries, after => Assert.Contains("\"PasswordHash\":\"sha256:", after));
        Assert.DoesNotContain(userEntries, after => after!.Contains("AQAAAA")); // ASP.NET Core's password hash format
    }
}
