using System.Net;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// An administrator of one community acts there and nowhere else (outside tester, issue 18: the admin role had been read
/// as "admin everywhere" outside the administration pages — another community's matters, tasks, ledgers, robots and bodies).
/// </summary>
public sealed class ScopedAdministratorTests : AppTest
{
    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;
    static readonly Guid Heping = DemoData.Ids.Heping;

    async Task<HttpClient> XingfuliAdminAsync()
    {
        var admin = await As("admin");
        var created = await admin.PostJsonAsync("/api/users",
            new { userName = "xf-admin", displayName = "幸福里管理员", role = "admin", orgUnitId = Xingfuli });
        var client = App.CreateClient();
        var oneTime = created["oneTimePassword"]!.GetValue<string>();
        var token = await client.PostJsonAsync("/api/auth/token", new { username = "xf-admin", password = oneTime });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = "Qingshui-river-2026" })).StatusCode);
        var fresh = App.CreateClient();
        token = await fresh.PostJsonAsync("/api/auth/token", new { username = "xf-admin", password = "Qingshui-river-2026" });
        fresh.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        return fresh;
    }

    static async Task AssertNotFound(HttpResponseMessage response, string what) =>
        Assert.True(response.StatusCode == HttpStatusCode.NotFound,
            $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

    [Fact]
    public async Task Another_communitys_matters_and_their_tasks_are_not_found_and_cannot_be_completed()
    {
        var hepingWorker = await As("hp-gridworker");
        var matter = await RaiseAsync(hepingWorker, "和平社区3号楼漏水", HepingGrid1);
        var matterId = matter["id"]!.GetValue<string>();
        var task = await OpenTaskAsync(hepingWorker, matterId);
        var own = (await RaiseAsync(await As("gridworker"), "幸福里2号楼电梯异响", XingfuliGrid1))["id"]!.GetValue<string>();
        var xfAdmin = await XingfuliAdminAsync();

        var listed = (await xfAdmin.GetJsonAsync("/api/matters?pageSize=100"))["items"]!.AsArray();
        Assert.DoesNotContain(listed, m => m!["id"]!.GetValue<string>() == matterId);
        Assert.Contains(listed, m => m!["id"]!.GetValue<string>() == own); // their own community's they do see
        await AssertNotFound(await xfAdmin.GetAsync($"/api/matters/{matterId}"), "the matter");
        var inbox = (await xfAdmin.GetJsonAsync("/api/tasks?pageSize=100"))["items"]!.AsArray();
        Assert.DoesNotContain(inbox, t => t!["id"]!.GetValue<string>() == task["id"]!.GetValue<string>());
        await AssertNotFound(await xfAdmin.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete",
            new { outcome = "private", values = new JsonObject { ["verified"] = true } }), "completing the task");
        Assert.Equal("open", (await hepingWorker.GetJsonAsync($"/api/tasks/{task["id"]}"))["status"]!.GetValue<string>());

        // The district's administrator, above both, still sees it.
        Assert.Equal(HttpStatusCode.OK, (await (await As("admin")).GetAsync($"/api/matters/{matterId}")).StatusCode);
    }

    [Fact]
    public async Task Another_communitys_ledgers_robots_bodies_and_settings_are_not_found()
    {
        var xfAdmin = await XingfuliAdminAsync();

        await AssertNotFound(await xfAdmin.GetAsync($"/api/ledgers/matters.xlsx?nodeId={Heping}"), "the ledger of Heping");
        Assert.Equal(HttpStatusCode.OK, (await xfAdmin.GetAsync($"/api/ledgers/matters.xlsx?nodeId={Xingfuli}")).StatusCode);
        await AssertNotFound(await xfAdmin.GetAsync($"/api/org-units/{Heping}/robots"), "Heping's robots");
        await AssertNotFound(await xfAdmin.PostAsJsonAsync($"/api/org-units/{Heping}/robots",
            new { kind = "weCom", name = "越权", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x" }), "a robot for Heping");
        await AssertNotFound(await xfAdmin.GetAsync($"/api/communities/{Heping}/bodies"), "Heping's bodies");
        await AssertNotFound(await xfAdmin.GetAsync($"/api/communities/{Heping}/four-party-invitees"), "Heping's invitees");
        Assert.Equal(HttpStatusCode.OK, (await xfAdmin.GetAsync($"/api/communities/{Xingfuli}/bodies")).StatusCode);
    }

    [Fact]
    public async Task The_picker_tree_measures_and_notices_stop_at_the_administrators_community()
    {
        var xfAdmin = await XingfuliAdminAsync();

        var tree = (await xfAdmin.GetJsonAsync("/api/org")).AsArray().Select(n => n!["id"]!.GetValue<Guid>()).ToList();
        Assert.Contains(Xingfuli, tree);
        Assert.DoesNotContain(Heping, tree);
        Assert.DoesNotContain(HepingGrid1, tree);
        var measures = (await xfAdmin.GetJsonAsync("/api/measures?level=community"))["rows"]!.AsArray();
        Assert.DoesNotContain(measures, r => r!["node"]!["id"]!.GetValue<Guid>() == Heping);
        Assert.Contains(measures, r => r!["node"]!["id"]!.GetValue<Guid>() == Xingfuli);
        var posted = await xfAdmin.PostAsJsonAsync("/api/notices",
            new { orgUnitId = Heping, kind = "other", title = "越权公告", body = "不应张贴", days = 7 });
        Assert.True(posted.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{(int)posted.StatusCode}");
        var notices = (await (await As("hp-secretary")).GetJsonAsync("/api/notices")).AsArray();
        Assert.DoesNotContain(notices, n => n!["title"]!.GetValue<string>() == "越权公告");
    }

    [Fact]
    public async Task Only_an_administrator_of_a_whole_tree_reaches_the_designers_instances()
    {
        var xfAdmin = await XingfuliAdminAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await xfAdmin.GetAsync("/api/workflow-instances")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await As("admin")).GetAsync("/api/workflow-instances")).StatusCode);
    }
}
