using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Who sees and acts on what: residents see their own matters and the public ones of their community;
/// staff work within their grid, community or street; the other community sees nothing.
/// </summary>
public sealed class ScopingTests : AppTest
{
    static string IdOf(JsonNode node) => node["id"]!.GetValue<string>();

    static async Task<List<string>> VisibleMatterIdsAsync(HttpClient client)
    {
        var page = await client.GetJsonAsync("/api/matters?pageSize=100");
        var ids = page["items"]!.AsArray().Select(m => IdOf(m!)).ToList();
        Assert.Equal(ids.Count, page["total"]!.GetValue<int>());
        return ids;
    }

    static async Task<List<JsonNode>> OpenTasksAsync(HttpClient client, string? matterId = null) =>
        (await client.GetJsonAsync(matterId is null ? "/api/tasks" : $"/api/tasks?matterId={matterId}"))["items"]!.AsArray().Select(t => t!).ToList();

    /// <summary>The grid worker of the matter's grid hears it with this outcome.</summary>
    async Task TriageAsync(string matterId, string outcome, string gridWorker = "gridworker") =>
        await CompleteAsync(await As(gridWorker), matterId, outcome, new { verified = true, note = "已到现场核实" });

    static Task<HttpResponseMessage> TryCompleteAsync(HttpClient client, JsonNode task, string outcome, object values) =>
        client.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete", new { outcome, values });

    [Fact]
    public async Task A_resident_sees_their_own_matter_but_not_another_residents_matter_that_is_not_public()
    {
        var resident = await As("resident");
        var neighbour = await As("owner-xf-2-101");
        var mine = IdOf(await RaiseAsync(resident, "我家楼下垃圾桶满了"));
        var theirs = IdOf(await RaiseAsync(neighbour, "邻居装修噪音"));

        Assert.Equal(HttpStatusCode.OK, (await resident.GetAsync($"/api/matters/{mine}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await resident.GetAsync($"/api/matters/{theirs}"), HttpStatusCode.NotFound, "notFound");
        Assert.Equal([mine], await VisibleMatterIdsAsync(resident));
        Assert.Equal([theirs], await VisibleMatterIdsAsync(neighbour));
    }

    [Theory]
    [InlineData("minor")]
    [InlineData("major")]
    [InlineData("escalate")]
    public async Task A_matter_the_grid_worker_triages_as_a_public_matter_is_seen_by_every_resident_of_its_community(string triage)
    {
        // Raised in the second grid, so that what is seen is the community's, not only the resident's grid.
        var neighbour = await As("owner-xf-2-101");
        var id = IdOf(await RaiseAsync(neighbour, "小区东门道闸坏了", XingfuliGrid2));
        var resident = await As("resident");
        await ProblemAssert.IsProblemAsync(await resident.GetAsync($"/api/matters/{id}"), HttpStatusCode.NotFound, "notFound");

        await TriageAsync(id, triage, "gridworker2");

        var seen = await resident.GetJsonAsync($"/api/matters/{id}");
        Assert.True(seen["isPublic"]!.GetValue<bool>());
        Assert.Equal(triage, seen["triage"]!.GetValue<string>());
        Assert.Contains(id, await VisibleMatterIdsAsync(resident));
        Assert.Empty(await OpenTasksAsync(resident, id));
        await ProblemAssert.IsProblemAsync(await (await As("owner-hp-1-101")).GetAsync($"/api/matters/{id}"), HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public async Task A_matter_the_grid_worker_triages_as_private_stays_hidden_from_other_residents()
    {
        var neighbour = await As("owner-xf-2-101");
        var id = IdOf(await RaiseAsync(neighbour, "家里水管漏水"));
        await TriageAsync(id, "private");

        var closed = await neighbour.GetJsonAsync($"/api/matters/{id}");
        Assert.False(closed["isPublic"]!.GetValue<bool>());
        var resident = await As("resident");
        await ProblemAssert.IsProblemAsync(await resident.GetAsync($"/api/matters/{id}"), HttpStatusCode.NotFound, "notFound");
        Assert.DoesNotContain(id, await VisibleMatterIdsAsync(resident));
    }

    [Fact]
    public async Task A_resident_of_the_other_community_sees_no_matter_of_xingfuli_whether_public_private_or_pending()
    {
        var resident = await As("resident");
        var pending = IdOf(await RaiseAsync(resident, "待受理的事项"));
        var minor = IdOf(await RaiseAsync(resident, "公开的小事"));
        var major = IdOf(await RaiseAsync(resident, "公开的大事"));
        var closedPrivate = IdOf(await RaiseAsync(resident, "私事"));
        await TriageAsync(minor, "minor");
        await TriageAsync(major, "major");
        await TriageAsync(closedPrivate, "private");

        var outsider = await As("owner-hp-1-101");
        foreach (var id in new[] { pending, minor, major, closedPrivate })
            await ProblemAssert.IsProblemAsync(await outsider.GetAsync($"/api/matters/{id}"), HttpStatusCode.NotFound, "notFound");
        Assert.Empty(await VisibleMatterIdsAsync(outsider));
        Assert.Equal(0, (await outsider.GetJsonAsync($"/api/matters?gridId={XingfuliGrid1}"))["total"]!.GetValue<int>());

        // Their own community's matters they do see.
        var own = IdOf(await RaiseAsync(outsider, "和平社区的路灯", HepingGrid1));
        Assert.Equal([own], await VisibleMatterIdsAsync(outsider));
    }

    [Fact]
    public async Task The_hearing_task_goes_to_the_grid_worker_of_the_matters_grid_and_not_to_the_other_grid()
    {
        var resident = await As("resident");
        var inGrid1 = IdOf(await RaiseAsync(resident, "第一网格的事", XingfuliGrid1));
        var inGrid2 = IdOf(await RaiseAsync(resident, "第二网格的事", XingfuliGrid2));
        var gridWorker = await As("gridworker");
        var gridWorker2 = await As("gridworker2");

        var task = Assert.Single(await OpenTasksAsync(gridWorker));
        Assert.Equal(inGrid1, task["matter"]!["id"]!.GetValue<string>());
        Assert.Equal(XingfuliGrid1, task["scope"]!["id"]!.GetValue<Guid>());
        var task2 = Assert.Single(await OpenTasksAsync(gridWorker2));
        Assert.Equal(inGrid2, task2["matter"]!["id"]!.GetValue<string>());

        // The second grid's worker neither sees the first grid's matter nor acts on its task.
        await ProblemAssert.IsProblemAsync(await gridWorker2.GetAsync($"/api/matters/{inGrid1}"), HttpStatusCode.NotFound, "notFound");
        Assert.Equal([inGrid2], await VisibleMatterIdsAsync(gridWorker2));
        await ProblemAssert.IsProblemAsync(await gridWorker2.GetAsync($"/api/tasks/{task["id"]}"), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await TryCompleteAsync(gridWorker2, task, "minor", new { verified = true, note = "越权" }),
            HttpStatusCode.NotFound, "notFound");

        Assert.Equal("hear", await StepOfAsync(resident, inGrid1));
        Assert.Equal(task["id"]!.GetValue<string>(), IdOf(await OpenTaskAsync(gridWorker, inGrid1)));
    }

    [Theory]
    [InlineData("hp-secretary")]
    [InlineData("hp-gridworker")]
    public async Task Staff_of_the_other_community_see_nothing_of_xingfuli_and_cannot_complete_its_tasks_or_work(string outsiderName)
    {
        var resident = await As("resident");
        var hearing = IdOf(await RaiseAsync(resident, "待受理"));
        var working = IdOf(await RaiseAsync(resident, "网格办理中"));
        await TriageAsync(working, "minor");
        var hearTask = await OpenTaskAsync(await As("gridworker"), hearing);
        var workItem = (await (await As("gridworker")).GetJsonAsync($"/api/work-items?matterId={working}"))["items"]!.AsArray().Single()!;

        var outsider = await As(outsiderName);
        foreach (var id in new[] { hearing, working })
            await ProblemAssert.IsProblemAsync(await outsider.GetAsync($"/api/matters/{id}"), HttpStatusCode.NotFound, "notFound");
        Assert.Empty(await VisibleMatterIdsAsync(outsider));
        Assert.Empty(await OpenTasksAsync(outsider));
        Assert.Empty((await outsider.GetJsonAsync("/api/work-items"))["items"]!.AsArray());
        await ProblemAssert.IsProblemAsync(await TryCompleteAsync(outsider, hearTask, "minor", new { verified = true, note = "越权" }),
            HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await outsider.PostAsJsonAsync($"/api/work-items/{workItem["id"]}/complete", new { text = "越权" }),
            HttpStatusCode.NotFound, "notFound");

        Assert.Equal("hear", await StepOfAsync(resident, hearing));
        Assert.Equal("execute", await StepOfAsync(resident, working));
    }

    [Fact]
    public async Task A_resident_cannot_see_or_complete_the_grid_workers_task_on_their_own_matter()
    {
        var resident = await As("resident");
        var id = IdOf(await RaiseAsync(resident));
        var hearTask = await OpenTaskAsync(await As("gridworker"), id);

        Assert.Empty(await OpenTasksAsync(resident, id));
        await ProblemAssert.IsProblemAsync(await resident.GetAsync($"/api/tasks/{hearTask["id"]}"), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await TryCompleteAsync(resident, hearTask, "minor", new { verified = true, note = "我自己分流" }),
            HttpStatusCode.NotFound, "notFound");
        Assert.Equal("hear", await StepOfAsync(resident, id));
    }

    [Fact]
    public async Task Only_residents_the_matter_affects_rate_it()
    {
        var resident = await As("resident");
        var id = IdOf(await RaiseAsync(resident)); // in 第一网格, no building: the grid's residents rate
        var gridWorker = await As("gridworker");
        await CompleteAsync(gridWorker, id, "minor", new { verified = true, note = "网格内解决" });
        var workItem = (await gridWorker.GetJsonAsync($"/api/work-items?matterId={id}"))["items"]!.AsArray().Single()!;
        await gridWorker.PostJsonAsync($"/api/work-items/{workItem["id"]}/complete", new { text = "已修好" });
        Assert.Equal("rate", await StepOfAsync(resident, id));

        var neighbour = await As("owner-xf-2-101"); // 2号楼, in the same grid
        Assert.Equal(HttpStatusCode.Created,
            (await neighbour.PostAsJsonAsync($"/api/matters/{id}/ratings", new { choice = "satisfied" })).StatusCode);
        var otherGrid = await As("owner-xf-3-101"); // 3号楼, in 第二网格: sees the public matter, is not affected by it
        Assert.Equal(HttpStatusCode.OK, (await otherGrid.GetAsync($"/api/matters/{id}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await otherGrid.PostAsJsonAsync($"/api/matters/{id}/ratings", new { choice = "dissatisfied" }),
            HttpStatusCode.Forbidden, "notAffected");
        var otherCommunity = await As("owner-hp-1-101");
        await ProblemAssert.IsProblemAsync(await otherCommunity.PostAsJsonAsync($"/api/matters/{id}/ratings", new { choice = "dissatisfied" }),
            HttpStatusCode.NotFound, "notFound");
        Assert.Equal("rate", await StepOfAsync(resident, id));
    }

    [Fact]
    public async Task The_property_company_sees_the_matter_but_cannot_complete_the_grid_workers_task()
    {
        var resident = await As("resident");
        var id = IdOf(await RaiseAsync(resident));
        var hearTask = await OpenTaskAsync(await As("gridworker"), id);

        var property = await As("property");
        Assert.Equal(HttpStatusCode.OK, (await property.GetAsync($"/api/matters/{id}")).StatusCode);
        Assert.Empty(await OpenTasksAsync(property));
        await ProblemAssert.IsProblemAsync(await TryCompleteAsync(property, hearTask, "minor", new { verified = true, note = "物业代办" }),
            HttpStatusCode.NotFound, "notFound");
        Assert.Equal("hear", await StepOfAsync(resident, id));
    }

    [Fact]
    public async Task The_street_officer_sees_the_matters_of_both_communities()
    {
        var inXingfuli = IdOf(await RaiseAsync(await As("resident"), "幸福里的事"));
        var inHeping = IdOf(await RaiseAsync(await As("owner-hp-1-101"), "和平社区的事", HepingGrid1));

        var street = await As("street");
        Assert.Equal(new[] { inHeping, inXingfuli }.Order(), (await VisibleMatterIdsAsync(street)).Order());
        Assert.Equal(HttpStatusCode.OK, (await street.GetAsync($"/api/matters/{inXingfuli}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await street.GetAsync($"/api/matters/{inHeping}")).StatusCode);

        // Each community's secretary sees only their own.
        Assert.Equal([inXingfuli], await VisibleMatterIdsAsync(await As("secretary")));
        Assert.Equal([inHeping], await VisibleMatterIdsAsync(await As("hp-secretary")));
    }

    [Fact]
    public async Task The_administrator_sees_every_matter_and_every_open_task_and_the_whole_organisation()
    {
        var privateOne = IdOf(await RaiseAsync(await As("owner-xf-2-101"), "私事"));
        await TriageAsync(privateOne, "private");
        var pending = IdOf(await RaiseAsync(await As("resident"), "待受理"));
        var inHeping = IdOf(await RaiseAsync(await As("owner-hp-1-101"), "和平社区的事", HepingGrid1));

        var admin = await As("admin");
        Assert.Equal(new[] { privateOne, pending, inHeping }.Order(), (await VisibleMatterIdsAsync(admin)).Order());
        foreach (var id in new[] { privateOne, pending, inHeping })
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/matters/{id}")).StatusCode);
        Assert.Equal(new[] { pending, inHeping }.Order(),
            (await OpenTasksAsync(admin)).Select(t => t["matter"]!["id"]!.GetValue<string>()).Order());
        var org = (await admin.GetJsonAsync("/api/org")).AsArray().Select(o => o!["id"]!.GetValue<Guid>()).ToList();
        Assert.Contains(DemoData.Ids.Xingfuli, org);
        Assert.Contains(DemoData.Ids.Heping, org);
    }

    [Fact]
    public async Task The_workflow_designer_sees_no_matters_but_lists_the_workflow_definitions_which_a_resident_may_not()
    {
        var resident = await As("resident");
        var id = IdOf(await RaiseAsync(resident));

        var designer = await As("designer");
        var page = await designer.GetJsonAsync("/api/matters");
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(0, page["total"]!.GetValue<int>());
        await ProblemAssert.IsProblemAsync(await designer.GetAsync($"/api/matters/{id}"), HttpStatusCode.NotFound, "notFound");
        Assert.Empty(await OpenTasksAsync(designer));

        var definitions = (await designer.GetJsonAsync("/api/workflow-definitions")).AsArray();
        Assert.Contains(definitions, d => d!["definitionId"]!.GetValue<string>() == "six-step-method");

        await ProblemAssert.IsProblemAsync(await resident.GetAsync("/api/workflow-definitions"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_anonymous_matter_hides_the_raisers_name_and_phone_from_other_residents_but_not_from_the_grid_worker_or_the_raiser()
    {
        var resident = await As("resident");
        var id = IdOf(await resident.PostJsonAsync("/api/matters", new
        {
            title = "有人在楼道里吸烟",
            description = "每天晚上都有烟味",
            category = "neighbours",
            gridId = XingfuliGrid1,
            anonymous = true,
            contactPhone = "13800138000",
        }));
        var gridWorker = await As("gridworker");
        await CompleteAsync(gridWorker, id, "minor", new { verified = true, note = "已劝导" });

        var neighbour = await As("owner-xf-2-101");
        var response = await neighbour.GetAsync($"/api/matters/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = JsonNode.Parse(text)!;
        Assert.True(seen["anonymous"]!.GetValue<bool>());
        Assert.Equal("匿名", seen["raisedBy"]!["name"]!.GetValue<string>());
        Assert.Null(seen["raisedBy"]!["id"]);
        Assert.Null(seen["contactPhone"]);
        Assert.Equal("匿名",
            seen["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "raised")!["actor"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain("陈晓燕", text);
        Assert.DoesNotContain("13800138000", text);
        var residentId = (await resident.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();
        Assert.DoesNotContain(residentId, text);

        foreach (var insider in new[] { gridWorker, resident })
        {
            var full = await insider.GetJsonAsync($"/api/matters/{id}");
            Assert.Equal("陈晓燕", full["raisedBy"]!["name"]!.GetValue<string>());
            Assert.Equal(residentId, full["raisedBy"]!["id"]!.GetValue<string>());
            Assert.Equal("13800138000", full["contactPhone"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_resident_cannot_raise_a_matter_in_a_grid_of_the_other_community()
    {
        var resident = await As("resident");
        var problem = await ProblemAssert.IsProblemAsync(await resident.PostAsJsonAsync("/api/matters", new
        {
            title = "和平社区的路灯",
            description = "不亮",
            category = "facilities",
            gridId = HepingGrid1,
        }), HttpStatusCode.BadRequest, "validation");
        Assert.NotEmpty(problem["errors"]!["gridId"]!.AsArray());
        Assert.Empty(await VisibleMatterIdsAsync(resident));
        Assert.Empty(await OpenTasksAsync(await As("hp-gridworker")));
    }

    [Fact]
    public async Task The_organisation_tree_of_a_resident_shows_their_community_with_its_grids_and_buildings_but_not_the_other_community()
    {
        var xingfuliBuildings = Enumerable.Range(1, 4).Select(n => DemoData.Ids.Building(DemoData.Ids.Xingfuli, n)).ToList();
        var hepingBuildings = Enumerable.Range(1, 2).Select(n => DemoData.Ids.Building(DemoData.Ids.Heping, n)).ToList();

        var tree = (await (await As("resident")).GetJsonAsync("/api/org")).AsArray().Select(o => o!["id"]!.GetValue<Guid>()).ToList();
        Assert.Equal(tree.Count, tree.Distinct().Count());
        foreach (var id in new[] { DemoData.Ids.District, DemoData.Ids.Street, DemoData.Ids.Xingfuli, XingfuliGrid1,
            XingfuliGrid2 }.Concat(xingfuliBuildings))
            Assert.Contains(id, tree);
        foreach (var id in new[] { DemoData.Ids.Heping, HepingGrid1 }.Concat(hepingBuildings))
            Assert.DoesNotContain(id, tree);

        var other = (await (await As("owner-hp-1-101")).GetJsonAsync("/api/org")).AsArray().Select(o => o!["id"]!.GetValue<Guid>()).ToList();
        Assert.Contains(HepingGrid1, other);
        Assert.All(hepingBuildings, b => Assert.Contains(b, other));
        Assert.DoesNotContain(DemoData.Ids.Xingfuli, other);
        Assert.DoesNotContain(XingfuliGrid1, other);
    }

    [Fact]
    public async Task The_inbox_comes_in_pages_open_tasks_soonest_due_first_and_completed_ones_latest_first()
    {
        var resident = await As("resident");
        var gridWorker = await As("gridworker");
        var raised = new List<string>();
        for (var i = 1; i <= 5; i++) raised.Add(IdOf(await RaiseAsync(resident, $"楼道灯不亮 {i}")));

        var first = await gridWorker.GetJsonAsync("/api/tasks?pageSize=2");
        var total = first["total"]!.GetValue<int>();
        Assert.True(total >= 5, $"total {total}");
        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Equal(1, first["page"]!.GetValue<int>());
        var everyTask = new List<JsonNode>();
        for (var page = 1; page <= (total + 1) / 2; page++)
            everyTask.AddRange((await gridWorker.GetJsonAsync($"/api/tasks?pageSize=2&page={page}"))["items"]!.AsArray().Select(t => t!));
        Assert.Equal(total, everyTask.Select(IdOf).Distinct().Count());
        Assert.All(raised, id => Assert.Contains(everyTask, t => t["matter"]?["id"]?.GetValue<string>() == id));
        var due = everyTask.Select(t => t["dueAt"]?.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(due.Where(d => d is not null).Order().Concat(due.Where(d => d is null)), due);

        // Two heard, the first one first: the completed list starts with the one heard last.
        foreach (var id in raised.Take(2)) await TriageAsync(id, "minor");
        var completed = (await gridWorker.GetJsonAsync("/api/tasks?status=completed&pageSize=1"))!;
        Assert.Equal(2, completed["total"]!.GetValue<int>());
        Assert.Equal(raised[1], completed["items"]![0]!["matter"]!["id"]!.GetValue<string>());
        var stillOpen = (await gridWorker.GetJsonAsync("/api/tasks?pageSize=100"))["items"]!.AsArray().Select(t => IdOf(t!)).ToList();
        Assert.DoesNotContain(IdOf(completed["items"]![0]!), stillOpen);

        var problem = await ProblemAssert.IsProblemAsync(await gridWorker.GetAsync("/api/tasks?page=0&pageSize=101"),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotEmpty(problem["errors"]!["page"]!.AsArray());
        Assert.NotEmpty(problem["errors"]!["pageSize"]!.AsArray());
    }
}
