using System.Net;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The audit log is read within the reader's own part of the tree, and holds no secret: no robot key, no one-time code's hash,
/// no owner's full phone or ID digits (tester finding 1 of issue 18).
/// </summary>
public sealed class AuditScopeTests : AppTest
{
    const string RobotKey = "693a91f6-7aaa-4bc4-97a0-0ec2feedbeef";
    const string DingToken = "abcdef0123456789deadbeef";
    const string DingSecret = "SECd1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:Robots:AllowHttp"] = "true",
        ["Notifications:Robots:AllowPrivateNetworks"] = "true",
    };

    /// <summary>An administrator of 和平社区, made by the district administrator, signed in with a password of their own.</summary>
    async Task<HttpClient> HepingAdminAsync()
    {
        var created = await (await As("admin")).PostJsonAsync("/api/users",
            new { userName = "hp-admin", displayName = "和平社区管理员", role = "admin", orgUnitId = DemoData.Ids.Heping });
        var oneTime = created["oneTimePassword"]!.GetValue<string>();
        var client = App.CreateClient();
        var token = await client.PostJsonAsync("/api/auth/token", new { username = "hp-admin", password = oneTime });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        const string Chosen = "Heping-river-2026!";
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = Chosen })).StatusCode);
        var fresh = App.CreateClient();
        token = await fresh.PostJsonAsync("/api/auth/token", new { username = "hp-admin", password = Chosen });
        fresh.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        return fresh;
    }

    static async Task<JsonArray> AllEntriesAsync(HttpClient client)
    {
        var all = new JsonArray();
        for (var page = 1; ; page++)
        {
            var paged = await client.GetJsonAsync($"/api/audit?pageSize=500&page={page}");
            var items = paged["items"]!.AsArray();
            foreach (var item in items) all.Add(item!.DeepClone());
            if (all.Count >= paged["total"]!.GetValue<int>() || items.Count == 0) return all;
        }
    }

    [Fact]
    public async Task A_community_administrator_reads_only_their_communitys_entries_and_the_district_administrator_reads_all_and_verifies()
    {
        var xingfuliMatter = await RaiseAsync(await As("resident"), "幸福里楼道灯坏了");
        var xingfuliId = xingfuliMatter["id"]!.GetValue<string>();
        var hepingAdmin = await HepingAdminAsync();

        var seen = await AllEntriesAsync(hepingAdmin);
        Assert.NotEmpty(seen); // its own account's role sits on 和平社区
        Assert.DoesNotContain(seen, e => e!["entityId"]!.GetValue<string>() == xingfuliId);
        Assert.DoesNotContain(seen, e => e!.ToJsonString().Contains("幸福里"));
        Assert.DoesNotContain(seen, e => e!["entityType"]!.GetValue<string>() == "User"); // accounts belong to no node
        Assert.Empty((await hepingAdmin.GetJsonAsync($"/api/audit?entityType=Matter&entityId={xingfuliId}"))["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await hepingAdmin.GetAsync("/api/audit/verify")).StatusCode);

        // Rows without a node of their own are traced to their parent's: the matter's workflow tasks are 幸福里's too.
        var district = await As("admin");
        var all = await AllEntriesAsync(district);
        Assert.Contains(all, e => e!["entityId"]!.GetValue<string>() == xingfuliId);
        Assert.True(all.Count > seen.Count);
        Assert.Contains(all, e => e!["entityType"]!.GetValue<string>() == "User");
        var report = await district.GetJsonAsync("/api/audit/verify");
        Assert.True(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        Assert.True(report["entries"]!.GetValue<long>() > seen.Count);
    }

    [Fact]
    public async Task A_robot_with_a_key_and_a_requested_phone_code_leave_no_key_secret_or_code_hash_in_the_audit_log()
    {
        var secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "weCom", name = "一网格工作群", url = $"http://127.0.0.1:9/wecom?key={RobotKey}" });
        await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "dingTalk", url = $"http://127.0.0.1:9/robot/send?access_token={DingToken}", secret = DingSecret });
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone = "13912345678", purpose = "signUp" })).StatusCode);

        string codeHash;
        await using (var scope = App.Services.CreateAsyncScope())
            codeHash = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().PhoneCodes.Single(c => c.Phone == "13912345678").CodeHash;

        var log = (await AllEntriesAsync(await As("admin"))).ToJsonString();
        Assert.Contains("GroupRobot", log);
        Assert.Contains("PhoneCode", log);
        Assert.DoesNotContain(RobotKey, log);
        Assert.DoesNotContain(DingToken, log);
        Assert.DoesNotContain(DingSecret, log);
        Assert.DoesNotContain(codeHash, log);
        Assert.DoesNotContain(codeHash.Split(':')[^1], log);
        Assert.DoesNotContain("13912345678", log);
        Assert.Contains("*******5678", log); // the phone's last four still tell entries apart
    }

    [Fact]
    public async Task An_owners_phone_shows_only_its_last_four_and_the_id_digits_never_in_the_audit_log()
    {
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var owner = new Deliberate.Server.Organisation.Owner(Guid.CreateVersion7(), "审计测试业主");
            owner.Identify("13800009876", "4321");
            db.Owners.Add(owner);
            await db.SaveChangesAsync();
        }
        var entry = (await (await As("admin")).GetJsonAsync("/api/audit?entityType=Owner"))["items"]!.AsArray()
            .Single(e => e!["after"]!.GetValue<string>().Contains("审计测试业主"))!;
        var after = JsonNode.Parse(entry["after"]!.GetValue<string>())!;
        Assert.Equal("*******9876", after["Phone"]!.GetValue<string>());
        Assert.Equal("****", after["IdLast4"]!.GetValue<string>());
    }
}
