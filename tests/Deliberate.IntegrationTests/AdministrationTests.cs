using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests;

/// <summary>The organisation tree and staff accounts as an administrator keeps them (issue 18).</summary>
public sealed class AdministrationTests : AppTest
{
    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli, Heping = DemoData.Ids.Heping, Street = DemoData.Ids.Street;

    static async Task<string> CodeOf(HttpResponseMessage response) => (await response.JsonAsync())["code"]?.GetValue<string>() ?? "";

    [Fact]
    public async Task An_administrator_builds_a_community_with_two_grids_and_a_building_under_the_street()
    {
        var admin = await As("admin");
        var community = await admin.PostJsonAsync("/api/admin/org", new { parentId = Street, name = "新建社区" });
        Assert.Equal("community", community["level"]!.GetValue<string>());
        var grid = await admin.PostJsonAsync("/api/admin/org", new { parentId = community["id"]!.GetValue<Guid>(), name = "一网格" });
        await admin.PostJsonAsync("/api/admin/org", new { parentId = community["id"]!.GetValue<Guid>(), name = "二网格" });
        var building = await admin.PostJsonAsync("/api/admin/org", new { parentId = grid["id"]!.GetValue<Guid>(), name = "1号楼" });
        Assert.Equal("building", building["level"]!.GetValue<string>());
        var renamed = await admin.PutAsJsonAsync($"/api/admin/org/{grid["id"]}/name", new { name = "第一网格" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var tree = (await admin.GetJsonAsync("/api/org")).AsArray();
        Assert.Contains(tree, n => n!["name"]!.GetValue<string>() == "第一网格");
    }

    [Fact]
    public async Task A_moved_grid_takes_its_matters_to_the_new_community_and_out_of_the_old_one()
    {
        var matter = await RaiseAsync(await As("gridworker"));
        var id = matter["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await (await As("secretary")).GetAsync($"/api/matters/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await As("hp-secretary")).GetAsync($"/api/matters/{id}")).StatusCode);

        var admin = await As("admin");
        var moved = await admin.PostAsJsonAsync($"/api/admin/org/{XingfuliGrid1}/move", new { parentId = Heping });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await (await As("secretary")).GetAsync($"/api/matters/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await As("hp-secretary")).GetAsync($"/api/matters/{id}")).StatusCode);
        // The buildings below the grid moved with it: their paths start with the new community's.
        var buildings = (await admin.GetJsonAsync("/api/admin/org")).AsArray().Where(n => n!["parentId"]?.GetValue<Guid>() == XingfuliGrid1).ToList();
        Assert.NotEmpty(buildings);
        Assert.Equal(HttpStatusCode.OK, (await (await As("hp-secretary")).GetAsync($"/api/communities/{Heping}/settings")).StatusCode);
    }

    [Fact]
    public async Task A_grid_under_a_street_is_refused_as_a_level_out_of_order()
    {
        var admin = await As("admin");
        var response = await admin.PostAsJsonAsync($"/api/admin/org/{XingfuliGrid1}/move", new { parentId = Street });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("levelOutOfOrder", await CodeOf(response));
        var intoItself = await admin.PostAsJsonAsync($"/api/admin/org/{Street}/move", new { parentId = Street });
        Assert.Equal(HttpStatusCode.Conflict, intoItself.StatusCode);
    }

    [Fact]
    public async Task A_retired_grid_takes_no_new_matter_and_a_node_with_history_cannot_be_deleted()
    {
        var admin = await As("admin");
        Assert.Equal("nodeHasHistory", await CodeOf(await admin.DeleteAsync($"/api/admin/org/{XingfuliGrid2}")));
        // A grid whose buildings hold owners on the register is not retired under them (tester, issue 18): they would vote nowhere.
        var inUse = await admin.PostAsync($"/api/admin/org/{XingfuliGrid2}/retire", null);
        Assert.Equal("nodeInUse", await CodeOf(inUse));
        Assert.Contains((await admin.GetJsonAsync("/api/org")).AsArray(), n => n!["id"]!.GetValue<Guid>() == XingfuliGrid2);

        // A grid with history (a worker's role) but nothing live is retired: no new matters, gone from pickers, kept in history.
        var grid = (await admin.PostJsonAsync("/api/admin/org", new { parentId = Xingfuli, name = "第三网格" }))["id"]!.GetValue<Guid>();
        await admin.PostJsonAsync("/api/users", new { userName = "wg3", displayName = "三网格员", role = "gridWorker", orgUnitId = grid });
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/org/{grid}/retire", null)).StatusCode);
        var raise = await (await As("secretary")).PostAsJsonAsync("/api/matters",
            new { title = "路灯不亮", description = "晚上很黑", category = "facilities", gridId = grid });
        Assert.Equal(HttpStatusCode.BadRequest, raise.StatusCode);
        Assert.DoesNotContain((await admin.GetJsonAsync("/api/org")).AsArray(), n => n!["id"]!.GetValue<Guid>() == grid);
        Assert.Contains((await admin.GetJsonAsync("/api/admin/org")).AsArray(),
            n => n!["id"]!.GetValue<Guid>() == grid && n["retiredAt"] is not null);

        var empty = await admin.PostJsonAsync("/api/admin/org", new { parentId = Xingfuli, name = "空网格" });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/org/{empty["id"]}")).StatusCode);
    }

    /// <summary>A community administrator (made by the district one) acts only in their community.</summary>
    async Task<HttpClient> CommunityAdminAsync()
    {
        var admin = await As("admin");
        var created = await admin.PostJsonAsync("/api/users",
            new { userName = "xf-admin", displayName = "幸福里管理员", role = "admin", orgUnitId = Xingfuli });
        return await SignInAndChangeAsync("xf-admin", created["oneTimePassword"]!.GetValue<string>());
    }

    async Task<HttpClient> SignInAndChangeAsync(string userName, string oneTime)
    {
        var client = App.CreateClient();
        var token = await client.PostJsonAsync("/api/auth/token", new { username = userName, password = oneTime });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        var refused = await client.GetAsync("/api/matters");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("passwordChangeRequired", await CodeOf(refused));
        Assert.True((await client.GetJsonAsync("/api/auth/me"))["mustChangePassword"]!.GetValue<bool>());
        const string Chosen = "Qingshui-river-2026";
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = Chosen })).StatusCode);
        var fresh = App.CreateClient();
        token = await fresh.PostJsonAsync("/api/auth/token", new { username = userName, password = Chosen });
        fresh.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/matters")).StatusCode);
        return fresh;
    }

    [Fact]
    public async Task A_new_account_signs_in_with_its_one_time_password_and_must_change_it_before_anything_else()
    {
        var admin = await As("admin");
        var created = await admin.PostJsonAsync("/api/users",
            new { userName = "new-grid", displayName = "新网格员", phone = "13800138000", role = "gridWorker", orgUnitId = XingfuliGrid1 });
        var worker = await SignInAndChangeAsync("new-grid", created["oneTimePassword"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync("/api/tasks")).StatusCode);

        var reset = await admin.PostJsonAsync($"/api/users/{created["user"]!["id"]}/password", new { });
        await SignInAndChangeAsync("new-grid", reset["oneTimePassword"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_forced_change_refuses_the_one_time_password_and_passwords_of_a_repeated_pattern_or_a_sequence()
    {
        var admin = await As("admin");
        var created = await admin.PostJsonAsync("/api/users",
            new { userName = "weak-admin", displayName = "弱密码管理员", role = "admin", orgUnitId = Xingfuli });
        var oneTime = created["oneTimePassword"]!.GetValue<string>();
        var client = App.CreateClient();
        var token = await client.PostJsonAsync("/api/auth/token", new { username = "weak-admin", password = oneTime });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        foreach (var weak in new[] { oneTime, "aaaaaaaaaa", "1234567890", "abcabcabca", "9876543210", "abababababab", "ZZZZZZZZZZZZ" })
        {
            var refused = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = weak });
            var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "validation");
            Assert.True(problem["errors"]!["newPassword"] is not null, weak);
        }
        Assert.True((await client.GetJsonAsync("/api/auth/me"))["mustChangePassword"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = "Qingshui-river-2026" })).StatusCode);
    }

    [Fact]
    public async Task A_user_name_that_differs_from_a_taken_one_only_in_case_is_taken()
    {
        var admin = await As("admin");
        var response = await admin.PostAsJsonAsync("/api/users",
            new { userName = "ADMIN", displayName = "另一个管理员", role = "admin", orgUnitId = Xingfuli });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "userNameTaken");
        await admin.PostJsonAsync("/api/users", new { userName = "Wang.Li", displayName = "王丽", role = "gridWorker", orgUnitId = XingfuliGrid1 });
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync("/api/users",
            new { userName = "wang.li", displayName = "王丽二", role = "gridWorker", orgUnitId = XingfuliGrid1 }),
            HttpStatusCode.Conflict, "userNameTaken");
    }

    [Fact]
    public async Task An_administrator_may_give_a_staff_phone_with_the_country_code_and_it_is_kept_as_eleven_digits()
    {
        var admin = await As("admin");
        var created = await admin.PostJsonAsync("/api/users",
            new { userName = "phone-grid", displayName = "电话网格员", phone = "+86 139-0000-1111", role = "gridWorker", orgUnitId = XingfuliGrid1 });
        Assert.Equal("13900001111", created["user"]!["phone"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_community_administrator_cannot_reach_another_community_nor_grant_above_themselves()
    {
        var xfAdmin = await CommunityAdminAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PutAsJsonAsync($"/api/admin/org/{HepingGrid1}/name", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsJsonAsync("/api/admin/org", new { parentId = Heping, name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await xfAdmin.PostAsJsonAsync($"/api/admin/org/{XingfuliGrid1}/move", new { parentId = Heping })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await xfAdmin.PostAsync($"/api/admin/org/{Xingfuli}/retire", null)).StatusCode);

        var users = (await xfAdmin.GetJsonAsync("/api/users")).AsArray().Select(u => u!["userName"]!.GetValue<string>()).ToList();
        Assert.Contains("gridworker", users);
        Assert.DoesNotContain("hp-gridworker", users);
        var gridworker = (await xfAdmin.GetJsonAsync("/api/users")).AsArray().Single(u => u!["userName"]!.GetValue<string>() == "gridworker")!;
        Assert.Equal(HttpStatusCode.NotFound,
            (await xfAdmin.PostAsJsonAsync($"/api/users/{gridworker["id"]}/roles", new { role = "admin", orgUnitId = Street })).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await xfAdmin.PostAsJsonAsync($"/api/users/{gridworker["id"]}/roles", new { role = "gridWorker", orgUnitId = XingfuliGrid2 }))
                .StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await xfAdmin.DeleteAsync($"/api/users/{gridworker["id"]}/roles/gridWorker/{XingfuliGrid2}")).StatusCode);
        // The street officer's role sits above the community: not theirs to reset.
        var admin = await As("admin");
        var street = (await admin.GetJsonAsync("/api/users")).AsArray().Single(u => u!["userName"]!.GetValue<string>() == "street")!;
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsync($"/api/users/{street["id"]}/password", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsync($"/api/users/{street["id"]}/deactivate", null)).StatusCode);
    }

    [Fact]
    public async Task Two_moves_at_once_never_leave_paths_that_disagree()
    {
        var admin = await As("admin");
        var other = await admin.PostJsonAsync("/api/admin/org", new { parentId = DemoData.Ids.District, name = "另一街道" });
        // Move the community and, at the same time, one of its grids: whichever order, every path must match its parent's.
        var a = admin.PostAsJsonAsync($"/api/admin/org/{Xingfuli}/move", new { parentId = other["id"]!.GetValue<Guid>() });
        var b = admin.PostAsJsonAsync($"/api/admin/org/{XingfuliGrid1}/move", new { parentId = Heping });
        var answers = await Task.WhenAll(a, b);
        Assert.All(answers, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var nodes = db.OrgUnits.ToDictionary(o => o.Id);
        foreach (var node in nodes.Values.Where(n => n.ParentId is not null))
            Assert.Equal(nodes[node.ParentId!.Value].Path + node.Id.ToString("N") + "/", node.Path);
    }
}

/// <summary>The first administrator of an empty database, from the command line, with demo mode off.</summary>
public sealed class AdminCommandTests : AppTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Demo:Enabled"] = "false" };

    [Fact]
    // The test databases start from a seeded template, so the command finds the district by name here (a new root on an
    // empty tree is made by the same code path without the lookup).
    public async Task Admin_create_makes_an_administrator_at_the_district_who_must_change_the_password_before_acting()
    {
        var output = new StringWriter();
        var exit = await AdminCommand.RunAsync(App.Services, ["admin", "create", "--user", "chief", "--name", "区管理员", "--node", "示范区"], output);
        Assert.True(exit == 0, output.ToString());
        var password = output.ToString().Split("first sign-in): ")[1].Trim();

        var client = App.CreateClient();
        var token = await client.PostJsonAsync("/api/auth/token", new { username = "chief", password });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/org")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = "Qingshui-river-2026" })).StatusCode);
        client = App.CreateClient();
        token = await client.PostJsonAsync("/api/auth/token", new { username = "chief", password = "Qingshui-river-2026" });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        var district = (await client.GetJsonAsync("/api/admin/org")).AsArray()[0]!;
        Assert.Equal("示范区", district["name"]!.GetValue<string>());
        var street = await client.PostJsonAsync("/api/admin/org", new { parentId = district["id"]!.GetValue<Guid>(), name = "清水街道" });
        Assert.Equal("street", street["level"]!.GetValue<string>());

        string[] again = ["admin", "create", "--user", "chief", "--name", "x", "--node", "示范区"];
        Assert.Equal(2, await AdminCommand.RunAsync(App.Services, again, new StringWriter())); // the user name is taken
    }
}
