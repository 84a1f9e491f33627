using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests;

/// <summary>The organisation tree and staff accounts as an administrator keeps them (issue 18).</summary>
public sealed class AdministrationTests : AppTest
{
    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli, Heping = DemoData.Ids.Heping, Street = DemoData.Ids.Street;

    static async Task<string> CodeOf(HttpResponseMessage response) => (await response.JsonAsync())["code"]?.GetValue<string>() ?? "";

    /// <summary>A node as the administrator's tree shows it now (with its version, which every edit sends back).</summary>
    static async Task<JsonNode> NodeAsync(HttpClient admin, Guid id) =>
        (await admin.GetJsonAsync("/api/admin/org")).AsArray().Single(n => n!["id"]!.GetValue<Guid>() == id)!;

    static async Task<Guid> VersionAsync(HttpClient admin, Guid id) => (await NodeAsync(admin, id))["version"]!.GetValue<Guid>();

    static async Task<HttpResponseMessage> RetireAsync(HttpClient admin, Guid id) =>
        await admin.PostAsJsonAsync($"/api/admin/org/{id}/retire", new { version = await VersionAsync(admin, id) });

    static async Task<HttpResponseMessage> RestoreAsync(HttpClient admin, Guid id) =>
        await admin.PostAsJsonAsync($"/api/admin/org/{id}/restore", new { version = await VersionAsync(admin, id) });

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
        var renamed = await admin.PutAsJsonAsync($"/api/admin/org/{grid["id"]}/name", new { name = "第一网格", version = grid["version"] });
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
        var moved = await admin.PostAsJsonAsync($"/api/admin/org/{XingfuliGrid1}/move",
            new { parentId = Heping, version = await VersionAsync(admin, XingfuliGrid1) });
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
        var response = await admin.PostAsJsonAsync($"/api/admin/org/{XingfuliGrid1}/move",
            new { parentId = Street, version = await VersionAsync(admin, XingfuliGrid1) });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("levelOutOfOrder", await CodeOf(response));
        var intoItself = await admin.PostAsJsonAsync($"/api/admin/org/{Street}/move",
            new { parentId = Street, version = await VersionAsync(admin, Street) });
        Assert.Equal(HttpStatusCode.Conflict, intoItself.StatusCode);
    }

    [Fact]
    public async Task A_retired_grid_takes_no_new_matter_and_a_node_with_history_cannot_be_deleted()
    {
        var admin = await As("admin");
        Assert.Equal("nodeHasHistory", await CodeOf(await admin.DeleteAsync($"/api/admin/org/{XingfuliGrid2}")));
        // A grid whose buildings hold owners on the register is not retired under them (tester, issue 18): they would vote nowhere.
        var inUse = await RetireAsync(admin, XingfuliGrid2);
        Assert.Equal("nodeInUse", await CodeOf(inUse));
        Assert.Contains((await admin.GetJsonAsync("/api/org")).AsArray(), n => n!["id"]!.GetValue<Guid>() == XingfuliGrid2);

        // A grid with history (a worker's role) but nothing live is retired: no new matters, gone from pickers, kept in history.
        var grid = (await admin.PostJsonAsync("/api/admin/org", new { parentId = Xingfuli, name = "第三网格" }))["id"]!.GetValue<Guid>();
        await admin.PostJsonAsync("/api/users", new { userName = "wg3", displayName = "三网格员", role = "gridWorker", orgUnitId = grid });
        Assert.Equal(HttpStatusCode.OK, (await RetireAsync(admin, grid)).StatusCode);
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
        var admin = await As("admin");
        // Each with the node's real version: out of reach stays out of reach, whatever the version.
        var hepingGrid = await VersionAsync(admin, HepingGrid1);
        Assert.Equal(HttpStatusCode.NotFound,
            (await xfAdmin.PutAsJsonAsync($"/api/admin/org/{HepingGrid1}/name", new { name = "x", version = hepingGrid })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsJsonAsync("/api/admin/org", new { parentId = Heping, name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsJsonAsync($"/api/admin/org/{XingfuliGrid1}/move",
            new { parentId = Heping, version = await VersionAsync(admin, XingfuliGrid1) })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await RetireAsync(xfAdmin, Xingfuli)).StatusCode);

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
        var street = (await admin.GetJsonAsync("/api/users")).AsArray().Single(u => u!["userName"]!.GetValue<string>() == "street")!;
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsync($"/api/users/{street["id"]}/password", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsync($"/api/users/{street["id"]}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsync($"/api/users/{street["id"]}/reactivate", null)).StatusCode);
    }

    [Fact]
    public async Task An_administrator_cannot_grant_a_role_to_their_own_account_and_grants_a_role_only_at_its_level()
    {
        var admin = await As("admin");
        var self = (await admin.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<Guid>();
        var refused = await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync($"/api/users/{self}/roles",
            new { role = "gridWorker", orgUnitId = XingfuliGrid1 }), HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("另一位管理员", refused["detail"]!.GetValue<string>());
        Assert.DoesNotContain((await admin.GetJsonAsync("/api/auth/me"))["roles"]!.AsArray(), r => r!["role"]!.GetValue<string>() == "gridWorker");

        // Levels, on creation and on a grant: each refusal names the level the role belongs at.
        async Task RefusedAsync(HttpResponseMessage response, string field, string level)
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
            Assert.Contains(level, problem["errors"]![field]![0]!.GetValue<string>());
        }
        await RefusedAsync(await admin.PostAsJsonAsync("/api/users",
            new { userName = "fake-street", displayName = "假街道干部", role = "streetOfficer", orgUnitId = Xingfuli }), "orgUnitId", "街道");
        await RefusedAsync(await admin.PostAsJsonAsync("/api/users",
            new { userName = "fake-grid", displayName = "假网格员", role = "gridWorker", orgUnitId = Xingfuli }), "orgUnitId", "网格");
        await RefusedAsync(await admin.PostAsJsonAsync("/api/users",
            new { userName = "fake-secretary", displayName = "假书记", role = "partySecretary", orgUnitId = XingfuliGrid1 }), "orgUnitId", "社区");
        await RefusedAsync(await admin.PostAsJsonAsync("/api/users",
            new { userName = "fake-resident", displayName = "假居民", role = "resident", orgUnitId = XingfuliGrid1 }), "role", "房屋认证");
        var users = (await admin.GetJsonAsync("/api/users")).AsArray();
        var worker = users.Single(u => u!["userName"]!.GetValue<string>() == "gridworker")!["id"]!.GetValue<Guid>();
        await RefusedAsync(await admin.PostAsJsonAsync($"/api/users/{worker}/roles", new { role = "streetOfficer", orgUnitId = Xingfuli }),
            "orgUnitId", "街道");
        await RefusedAsync(await admin.PostAsJsonAsync($"/api/users/{worker}/roles", new { role = "resident", orgUnitId = Xingfuli }),
            "role", "房屋认证");
        Assert.DoesNotContain(users, u => u!["userName"]!.GetValue<string>().StartsWith("fake-", StringComparison.Ordinal));
        // At their levels they are granted, as the demo holds them.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/users/{worker}/roles",
            new { role = "streetOfficer", orgUnitId = Street })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/users/{worker}/roles",
            new { role = "propertyCompany", orgUnitId = Xingfuli })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/users",
            new { userName = "new-street", displayName = "新街道干部", role = "streetOfficer", orgUnitId = DemoData.Ids.District })).StatusCode);
    }

    [Fact]
    public async Task Two_moves_at_once_never_leave_paths_that_disagree()
    {
        var admin = await As("admin");
        var other = await admin.PostJsonAsync("/api/admin/org", new { parentId = DemoData.Ids.District, name = "另一街道" });
        // Move the community and, at the same time, one of its grids: whichever order, every path must match its parent's.
        var (community, grid) = (await VersionAsync(admin, Xingfuli), await VersionAsync(admin, XingfuliGrid1));
        var a = admin.PostAsJsonAsync($"/api/admin/org/{Xingfuli}/move", new { parentId = other["id"]!.GetValue<Guid>(), version = community });
        var b = admin.PostAsJsonAsync($"/api/admin/org/{XingfuliGrid1}/move", new { parentId = Heping, version = grid });
        var answers = await Task.WhenAll(a, b);
        Assert.All(answers, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var nodes = db.OrgUnits.ToDictionary(o => o.Id);
        foreach (var node in nodes.Values.Where(n => n.ParentId is not null))
            Assert.Equal(nodes[node.ParentId!.Value].Path + node.Id.ToString("N") + "/", node.Path);
    }

    [Fact]
    public async Task A_restored_community_brings_back_what_was_retired_with_it_and_leaves_a_grid_retired_before_it_retired()
    {
        var admin = await As("admin");
        var community = (await admin.PostJsonAsync("/api/admin/org", new { parentId = Street, name = "清水社区" }))["id"]!.GetValue<Guid>();
        var first = (await admin.PostJsonAsync("/api/admin/org", new { parentId = community, name = "一网格" }))["id"]!.GetValue<Guid>();
        var second = (await admin.PostJsonAsync("/api/admin/org", new { parentId = community, name = "二网格" }))["id"]!.GetValue<Guid>();
        var building = (await admin.PostJsonAsync("/api/admin/org", new { parentId = first, name = "1号楼" }))["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await RetireAsync(admin, second)).StatusCode);
        await Task.Delay(20); // a retirement is told from another by its moment
        Assert.Equal(HttpStatusCode.OK, (await RetireAsync(admin, community)).StatusCode);

        // Under a community still retired, a grid does not come back alone.
        var refused = await RestoreAsync(admin, first);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, "nodeRetired");
        Assert.NotNull((await NodeAsync(admin, first))["retiredAt"]);

        var restored = await RestoreAsync(admin, community);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        foreach (var id in new[] { community, first, building }) Assert.Null((await NodeAsync(admin, id))["retiredAt"]);
        Assert.NotNull((await NodeAsync(admin, second))["retiredAt"]);
        var pickers = (await admin.GetJsonAsync("/api/org")).AsArray().Select(n => n!["id"]!.GetValue<Guid>()).ToList();
        Assert.Contains(building, pickers);
        Assert.DoesNotContain(second, pickers);
        // Back in service: it takes new nodes, and the grid retired on its own can now be restored too.
        await admin.PostJsonAsync("/api/admin/org", new { parentId = first, name = "2号楼" });
        Assert.Equal(HttpStatusCode.OK, (await RestoreAsync(admin, second)).StatusCode);
        Assert.Null((await NodeAsync(admin, second))["retiredAt"]);
    }

    [Fact]
    public async Task An_administrator_restores_nothing_of_their_own_node_nor_outside_it()
    {
        var xfAdmin = await CommunityAdminAsync();
        var admin = await As("admin");
        var grid = (await admin.PostJsonAsync("/api/admin/org", new { parentId = Heping, name = "和平二网格" }))["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await RetireAsync(admin, grid)).StatusCode);
        var version = await VersionAsync(admin, grid);
        Assert.Equal(HttpStatusCode.NotFound, (await xfAdmin.PostAsJsonAsync($"/api/admin/org/{grid}/restore", new { version })).StatusCode);
        await ProblemAssert.IsProblemAsync(await RestoreAsync(xfAdmin, Xingfuli), HttpStatusCode.Forbidden, "forbidden");
        Assert.NotNull((await NodeAsync(admin, grid))["retiredAt"]);
    }

    [Fact]
    public async Task An_edit_made_on_a_version_someone_else_has_changed_is_refused_with_conflict_and_changes_nothing()
    {
        var admin = await As("admin");
        var created = await admin.PostJsonAsync("/api/admin/org", new { parentId = Xingfuli, name = "第三网格" });
        var grid = created["id"]!.GetValue<Guid>();
        var seen = created["version"]!.GetValue<Guid>();
        var other = await As("admin");
        var renamed = await other.PutAsJsonAsync($"/api/admin/org/{grid}/name", new { name = "三网格", version = seen });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var now = await NodeAsync(admin, grid);
        Assert.NotEqual(seen, now["version"]!.GetValue<Guid>());

        var stale = new[]
        {
            await admin.PutAsJsonAsync($"/api/admin/org/{grid}/name", new { name = "第三网格", version = seen }),
            await admin.PostAsJsonAsync($"/api/admin/org/{grid}/move", new { parentId = Heping, version = seen }),
            await admin.PostAsJsonAsync($"/api/admin/org/{grid}/retire", new { version = seen }),
            await admin.PostAsJsonAsync($"/api/admin/org/{grid}/restore", new { version = seen }),
        };
        foreach (var response in stale)
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "conflict");
            Assert.Equal("该节点已被他人修改，请刷新后重试。", problem["detail"]!.GetValue<string>());
        }
        Assert.Equal(now.ToJsonString(), (await NodeAsync(admin, grid)).ToJsonString()); // name, parent, retirement and version as they were

        // Without a version, nothing is guessed.
        var missing = await admin.PutAsJsonAsync($"/api/admin/org/{grid}/name", new { name = "第四网格" });
        var invalid = await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(invalid["errors"]!["version"]);
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync($"/api/admin/org/{grid}/retire", new { }), HttpStatusCode.BadRequest,
            "validation");
        Assert.Equal(now.ToJsonString(), (await NodeAsync(admin, grid)).ToJsonString());
    }

    [Fact]
    public async Task Two_renames_of_the_same_version_at_once_exactly_one_wins()
    {
        var (one, two) = (await As("admin"), await As("admin"));
        for (var round = 0; round < 3; round++)
        {
            var version = await VersionAsync(one, XingfuliGrid2);
            var answers = await Task.WhenAll(
                Task.Run(() => one.PutAsJsonAsync($"/api/admin/org/{XingfuliGrid2}/name", new { name = $"甲{round}", version })),
                Task.Run(() => two.PutAsJsonAsync($"/api/admin/org/{XingfuliGrid2}/name", new { name = $"乙{round}", version })));
            var winner = Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(answers, r => r.StatusCode != HttpStatusCode.OK);
            await ProblemAssert.IsProblemAsync(loser, HttpStatusCode.Conflict, "conflict");
            var name = (await winner.JsonAsync())["name"]!.GetValue<string>();
            Assert.Equal(name, (await NodeAsync(one, XingfuliGrid2))["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_edit_read_before_another_was_saved_fails_on_the_version_token_when_it_saves()
    {
        // The race the explicit check cannot see (both requests read the same version, then both save): the token decides.
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var read = await db.OrgUnits.SingleAsync(o => o.Id == XingfuliGrid2);
        var admin = await As("admin");
        var renamed = await admin.PutAsJsonAsync($"/api/admin/org/{XingfuliGrid2}/name", new { name = "甲", version = read.Version });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        read.Rename("乙");
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
        Assert.Equal("甲", (await NodeAsync(admin, XingfuliGrid2))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reactivated_account_signs_in_again_and_must_change_its_password_only_if_it_had_to_before()
    {
        var admin = await As("admin");
        var gridworker = (await admin.GetJsonAsync("/api/users")).AsArray().Single(u => u!["userName"]!.GetValue<string>() == "gridworker")!;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/users/{gridworker["id"]}/deactivate", null)).StatusCode);
        var refused = await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "gridworker", password = DeliberateApp.Password });
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Unauthorized, "badCredentials");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/users/{gridworker["id"]}/reactivate", null)).StatusCode);
        var listed = (await admin.GetJsonAsync("/api/users")).AsArray().Single(u => u!["userName"]!.GetValue<string>() == "gridworker")!;
        Assert.True(listed["active"]!.GetValue<bool>());
        var back = await As("gridworker");
        Assert.False((await back.GetJsonAsync("/api/auth/me"))["mustChangePassword"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/api/tasks")).StatusCode);

        // An account that still had its one-time password keeps having to change it, and nothing more.
        var created = await admin.PostJsonAsync("/api/users",
            new { userName = "back-grid", displayName = "回来的网格员", role = "gridWorker", orgUnitId = XingfuliGrid1 });
        var id = created["user"]!["id"];
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/users/{id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/users/{id}/reactivate", null)).StatusCode);
        await SignInAndChangeAsync("back-grid", created["oneTimePassword"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_role_at_a_grid_is_labelled_with_its_community_since_every_community_has_a_first_grid()
    {
        var admin = await As("admin");
        var users = (await admin.GetJsonAsync("/api/users")).AsArray();
        JsonNode GrantOf(string userName) => users.Single(u => u!["userName"]!.GetValue<string>() == userName)!["roles"]!.AsArray()[0]!;
        Assert.Equal("第一网格", GrantOf("gridworker")["orgUnitName"]!.GetValue<string>());
        Assert.Equal("幸福里社区 / 第一网格", GrantOf("gridworker")["orgUnitPathName"]!.GetValue<string>());
        Assert.Equal("和平社区 / 第一网格", GrantOf("hp-gridworker")["orgUnitPathName"]!.GetValue<string>());
        Assert.Equal("示范街道", GrantOf("street")["orgUnitPathName"]!.GetValue<string>());

        var created = await admin.PostJsonAsync("/api/users",
            new { userName = "b3-admin", displayName = "楼栋管理员", role = "admin", orgUnitId = DemoData.Ids.Building(Heping, 1) });
        Assert.Equal("和平社区 / 第一网格 / 1号楼", created["user"]!["roles"]![0]!["orgUnitPathName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_building_name_is_taken_in_its_whole_community_and_another_nodes_name_under_its_parent()
    {
        var admin = await As("admin");
        async Task<HttpResponseMessage> CreateAsync(Guid parent, string name) =>
            await admin.PostAsJsonAsync("/api/admin/org", new { parentId = parent, name });
        // 1号楼 is in 第一网格: another in 第二网格 of the same community would be the same name to the register and the home claims.
        var taken = await ProblemAssert.IsProblemAsync(await CreateAsync(DemoData.Ids.XingfuliGrid2, " 1号楼 "), HttpStatusCode.Conflict, "nameTaken");
        Assert.Contains("1号楼", taken["detail"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await CreateAsync(Xingfuli, "第一网格"), HttpStatusCode.Conflict, "nameTaken");
        // Another community, or another parent, may use the name.
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(DemoData.Ids.HepingGrid1, "9号楼")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(DemoData.Ids.XingfuliGrid2, "9号楼")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(Heping, "第二网格")).StatusCode);

        var three = await NodeAsync(admin, DemoData.Ids.Building(Xingfuli, 3));
        await ProblemAssert.IsProblemAsync(await admin.PutAsJsonAsync($"/api/admin/org/{three["id"]}/name",
            new { name = "1号楼", version = three["version"] }), HttpStatusCode.Conflict, "nameTaken");
        // Its own name again is no conflict.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/org/{three["id"]}/name",
            new { name = "3号楼", version = three["version"] })).StatusCode);
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
