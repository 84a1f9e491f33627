using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Meetings;
using Deliberate.Server.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>协同办事 over HTTP: progress with evidence, completion, the escalation ladder, the overdue deadline, and the Execute and Escalate
/// activities.</summary>
public sealed class WorkItemTests : AppTest
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected override TimeProvider? Clock => clock;

    static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3];
    static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1];

    Task<JsonNode> CreateAsync(HttpClient client, Guid orgUnitId, string level = "grid", TimeSpan? within = null, string? matterId = null,
        string title = "更换3号楼门口路灯") =>
        client.PostJsonAsync("/api/work-items", new
        {
            title,
            responsibleUnit = "网格工作站",
            level,
            orgUnitId,
            deadline = clock.GetUtcNow() + (within ?? TimeSpan.FromDays(3)),
            matterId,
        });

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();
    static List<string> Kinds(JsonNode item) => item["updates"]!.AsArray().Select(u => Text(u!, "kind")).ToList();

    [Fact]
    public async Task The_grid_worker_reports_progress_with_evidence_photos_and_completes_the_item_and_its_history_shows_it_all()
    {
        var created = await CreateAsync(await As("secretary"), XingfuliGrid1);
        Assert.Equal(("grid", "gridWorker", "open", 0),
            (Text(created, "level"), Text(created, "role"), Text(created, "status"), created["progress"]!.GetValue<int>()));
        var id = Id(created);

        var gridWorker = await As("gridworker");
        var progressed = await gridWorker.PostJsonAsync($"/api/work-items/{id}/progress", new { text = "已订购灯具，等待到货", percent = 40 });
        Assert.Equal(("inProgress", 40), (Text(progressed, "status"), progressed["progress"]!.GetValue<int>()));
        var update = progressed["updates"]!.AsArray().Single(u => Text(u!, "kind") == "progress")!;

        var upload = await gridWorker.PostAsync($"/api/work-items/{id}/updates/{Id(update)}/photos",
            ExecutionKit.Form(("现场.png", Png), ("灯具.jpg", Jpeg)));
        Assert.True(upload.StatusCode == HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());
        var refused = await gridWorker.PostAsync($"/api/work-items/{id}/updates/{Id(update)}/photos",
            ExecutionKit.Form(("说明.txt", "不是图片"u8.ToArray())));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "validation");

        clock.Advance(TimeSpan.FromMinutes(30));
        var done = await gridWorker.PostJsonAsync($"/api/work-items/{id}/complete", new { text = "两盏路灯均已更换" });
        Assert.Equal(("done", 100, false), (Text(done, "status"), done["progress"]!.GetValue<int>(), done["overdue"]!.GetValue<bool>()));
        Assert.Equal(clock.GetUtcNow(), done["doneAt"]!.GetValue<DateTimeOffset>());

        var seen = await (await As("secretary")).GetJsonAsync($"/api/work-items/{id}");
        Assert.Equal(["created", "progress", "done"], Kinds(seen));
        Assert.Equal(["刘书记", "赵网格", "赵网格"], seen["updates"]!.AsArray().Select(u => Text(u!["by"]!, "name")));
        Assert.Equal([null, "已订购灯具，等待到货", "两盏路灯均已更换"], seen["updates"]!.AsArray().Select(u => u!["text"]?.GetValue<string>()));
        var photos = seen["updates"]![1]!["photos"]!.AsArray();
        Assert.Equal(["灯具.jpg", "现场.png"], photos.Select(p => Text(p!, "fileName")).Order(StringComparer.Ordinal));
        var served = await gridWorker.GetAsync(Text(photos.Single(p => Text(p!, "fileName") == "现场.png")!, "url"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());

        await ProblemAssert.IsProblemAsync(await gridWorker.PostAsJsonAsync($"/api/work-items/{id}/progress", new { text = "再补一句" }),
            HttpStatusCode.Conflict, "done");
    }

    [Theory]
    [InlineData("gridworker2", HttpStatusCode.NotFound, "notFound")]      // another grid
    [InlineData("hp-secretary", HttpStatusCode.NotFound, "notFound")]     // another community
    [InlineData("resident", HttpStatusCode.NotFound, "notFound")]         // no matter to see it through
    [InlineData("secretary", HttpStatusCode.Forbidden, "notYourWorkItem")] // sees it, but it is the grid worker's to do
    [InlineData("property", HttpStatusCode.Forbidden, "notYourWorkItem")]
    public async Task Only_whoever_works_on_an_item_at_its_level_may_report_on_it(string userName, HttpStatusCode status, string code)
    {
        var id = Id(await CreateAsync(await As("secretary"), XingfuliGrid1));
        var caller = await As(userName);

        await ProblemAssert.IsProblemAsync(await caller.PostAsJsonAsync($"/api/work-items/{id}/progress", new { text = "试试" }), status, code);
        await ProblemAssert.IsProblemAsync(await caller.PostAsJsonAsync($"/api/work-items/{id}/complete", new { text = "试试" }), status, code);
        await ProblemAssert.IsProblemAsync(await caller.PostAsJsonAsync($"/api/work-items/{id}/escalate", new { reason = "试试" }), status, code);

        var item = await (await As("admin")).GetJsonAsync($"/api/work-items/{id}");
        Assert.Equal(["created"], Kinds(item));
        Assert.Equal(("open", "grid"), (Text(item, "status"), Text(item, "level")));
    }

    [Fact]
    public async Task A_work_item_that_does_not_fit_is_refused_field_by_field_and_nothing_is_created()
    {
        var secretary = await As("secretary", "en");
        var response = await secretary.PostAsJsonAsync("/api/work-items", new
        {
            title = " ",
            responsibleUnit = new string('单', 101),
            level = "street",
            orgUnitId = DemoData.Ids.Xingfuli,      // a community, not a street
            deadline = clock.GetUtcNow().AddMinutes(-1),
            role = "resident",
        });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        foreach (var field in new[] { "title", "responsibleUnit", "orgUnitId", "deadline", "role" })
            Assert.NotNull(problem["errors"]![field]);
        Assert.StartsWith("The node does not match", problem["errors"]!["orgUnitId"]![0]!.GetValue<string>());

        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/work-items", new
        {
            title = "和平社区的事", responsibleUnit = "物业", level = "grid", orgUnitId = HepingGrid1, deadline = clock.GetUtcNow().AddDays(1),
        }), HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await (await As("resident")).PostAsJsonAsync("/api/work-items", new
        {
            title = "居民自己建", responsibleUnit = "物业", level = "grid", orgUnitId = XingfuliGrid1, deadline = clock.GetUtcNow().AddDays(1),
        }), HttpStatusCode.Forbidden, "notStaff");
        await ProblemAssert.IsProblemAsync(await secretary.GetAsync("/api/work-items?level=floor"), HttpStatusCode.BadRequest, "validation");

        Assert.Equal(0, (await (await As("admin")).GetJsonAsync("/api/work-items"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Escalating_climbs_the_ladder_one_level_at_a_time_and_lands_in_the_next_levels_list_with_its_history()
    {
        var resident = await As("resident");
        var matterId = Id(await RaiseAsync(resident, "小区外道路塌陷"));
        var id = Id(await CreateAsync(await As("secretary"), XingfuliGrid1, matterId: matterId, title: "查看塌陷路段"));
        var start = clock.GetUtcNow();

        var gridWorker = await As("gridworker");
        var atCommunity = await gridWorker.PostJsonAsync($"/api/work-items/{id}/escalate", new { reason = "涉及市政道路，网格无法解决" });
        Assert.Equal(("community", "partySecretary", DemoData.Ids.Xingfuli.ToString(), false),
            (Text(atCommunity, "level"), Text(atCommunity, "role"), Text(atCommunity["orgUnit"]!, "id"), atCommunity["canAct"]!.GetValue<bool>()));
        Assert.Equal(start + TimeSpan.FromDays(5), atCommunity["deadline"]!.GetValue<DateTimeOffset>());
        await ProblemAssert.IsProblemAsync(await gridWorker.PostAsJsonAsync($"/api/work-items/{id}/progress", new { text = "还在跟进" }),
            HttpStatusCode.Forbidden, "notYourWorkItem");

        clock.Advance(TimeSpan.FromMinutes(10));
        var secretary = await As("secretary");
        var inbox = (await secretary.GetJsonAsync("/api/work-items?level=community"))["items"]!.AsArray();
        Assert.True(Assert.Single(inbox)!["canAct"]!.GetValue<bool>());
        await secretary.PostJsonAsync($"/api/work-items/{id}/escalate", new { reason = "需街道协调住建部门" });

        clock.Advance(TimeSpan.FromMinutes(10));
        var street = await As("street");
        Assert.Equal(id, Id(Assert.Single((await street.GetJsonAsync("/api/work-items?level=street&status=open"))["items"]!.AsArray())!));
        var atDepartment = await street.PostJsonAsync($"/api/work-items/{id}/escalate", new { reason = "吹哨：请住建局报到" });
        Assert.Equal(("department", "departmentOfficer", DemoData.Ids.District.ToString()),
            (Text(atDepartment, "level"), Text(atDepartment, "role"), Text(atDepartment["orgUnit"]!, "id")));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromDays(15), atDepartment["deadline"]!.GetValue<DateTimeOffset>());

        var department = await As("department");
        var landed = await department.GetJsonAsync($"/api/work-items/{id}");
        Assert.True(landed["canAct"]!.GetValue<bool>());
        Assert.Equal(["created", "escalated", "escalated", "escalated"], Kinds(landed));
        var climbs = landed["updates"]!.AsArray().Skip(1)
            .Select(u => (Text(u!, "fromLevel"), Text(u!, "toLevel"), Text(u!["by"]!, "name"), Text(u!, "text"))).ToList();
        Assert.Equal(
        [
            ("grid", "community", "赵网格", "涉及市政道路，网格无法解决"),
            ("community", "street", "刘书记", "需街道协调住建部门"),
            ("street", "department", "郑科长", "吹哨：请住建局报到"),
        ], climbs);
        await ProblemAssert.IsProblemAsync(await department.PostAsJsonAsync($"/api/work-items/{id}/escalate", new { reason = "再上报" }),
            HttpStatusCode.Conflict, "topOfLadder");

        // The grid worker and the resident still follow it through the matter; neither can act on it.
        foreach (var follower in new[] { gridWorker, resident })
        {
            var listed = Assert.Single((await follower.GetJsonAsync($"/api/work-items?matterId={matterId}"))["items"]!.AsArray())!;
            Assert.Equal(("department", false), (Text(listed, "level"), listed["canAct"]!.GetValue<bool>()));
        }
        Assert.Empty((await (await As("gridworker2")).GetJsonAsync("/api/work-items"))["items"]!.AsArray());
        Assert.Empty((await secretary.GetJsonAsync("/api/work-items?level=community"))["items"]!.AsArray());
    }

    [Fact]
    public async Task At_its_deadline_an_unfinished_item_is_marked_overdue_and_escalated_by_the_system_with_the_next_deadline_scheduled()
    {
        var secretary = await As("secretary");
        var late = Id(await CreateAsync(secretary, XingfuliGrid1, within: TimeSpan.FromDays(1), title: "清理楼道杂物"));
        var finished = Id(await CreateAsync(secretary, XingfuliGrid1, within: TimeSpan.FromDays(1), title: "修补围墙"));
        await (await As("gridworker")).PostJsonAsync($"/api/work-items/{finished}/complete", new { text = "已修补" });

        var pending = await ExecutionKit.PendingAsync(App, WorkItemOverdueHandler.KindName);
        Assert.Contains(Guid.Parse(late), pending);
        Assert.DoesNotContain(Guid.Parse(finished), pending);

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var overdueAt = clock.GetUtcNow();
        await ExecutionKit.RunDeadlineAsync(App, WorkItemOverdueHandler.KindName, Guid.Parse(late));
        await ExecutionKit.RunDeadlineAsync(App, WorkItemOverdueHandler.KindName, Guid.Parse(late)); // once only
        await ExecutionKit.RunDeadlineAsync(App, WorkItemOverdueHandler.KindName, Guid.Parse(finished));

        var admin = await As("admin");
        var escalated = await admin.GetJsonAsync($"/api/work-items/{late}");
        Assert.Equal(("community", "open", false), (Text(escalated, "level"), Text(escalated, "status"), escalated["overdue"]!.GetValue<bool>()));
        Assert.Equal(["created", "overdue", "escalated"], Kinds(escalated));
        var climb = escalated["updates"]![2]!;
        Assert.Equal(("系统", "grid", "community"), (Text(climb["by"]!, "name"), Text(climb, "fromLevel"), Text(climb, "toLevel")));
        var deadline = overdueAt + TimeSpan.FromDays(5);
        Assert.Equal(deadline, escalated["deadline"]!.GetValue<DateTimeOffset>());
        // days away: beyond the trigger horizon
        Assert.Null(await ExecutionKit.TriggerAtAsync(App, WorkItemOverdueHandler.KindName, Guid.Parse(late)));
        Assert.Contains(Guid.Parse(late), await ExecutionKit.PendingAsync(App, WorkItemOverdueHandler.KindName));
        Assert.True(Assert.Single((await (await As("secretary"))
            .GetJsonAsync("/api/work-items?level=community"))["items"]!.AsArray())!["canAct"]!.GetValue<bool>());

        var untouched = await admin.GetJsonAsync($"/api/work-items/{finished}");
        Assert.Equal(("grid", "done"), (Text(untouched, "level"), Text(untouched, "status")));
        Assert.Equal(["created", "done"], Kinds(untouched));
    }

    [Fact]
    public async Task A_deadline_within_the_hour_has_its_trigger_at_once_and_one_days_away_gets_it_when_it_comes_within_the_hour()
    {
        var soon = Guid.Parse(Id(await CreateAsync(await As("secretary"), XingfuliGrid1, within: TimeSpan.FromMinutes(40))));
        var later = Guid.Parse(Id(await CreateAsync(await As("secretary"), XingfuliGrid1, within: TimeSpan.FromDays(2))));
        var laterAt = clock.GetUtcNow() + TimeSpan.FromDays(2);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(40), await ExecutionKit.TriggerAtAsync(App, WorkItemOverdueHandler.KindName, soon));
        Assert.Null(await ExecutionKit.TriggerAtAsync(App, WorkItemOverdueHandler.KindName, later));

        clock.Advance(TimeSpan.FromDays(1));
        await ExecutionKit.PassDeadlineReconcilerAsync(App);
        Assert.Null(await ExecutionKit.TriggerAtAsync(App, WorkItemOverdueHandler.KindName, later));
        clock.Advance(TimeSpan.FromHours(23.5));
        await ExecutionKit.PassDeadlineReconcilerAsync(App);
        Assert.Equal(laterAt, await ExecutionKit.TriggerAtAsync(App, WorkItemOverdueHandler.KindName, later)); // the exact moment
    }

    [Fact]
    public async Task An_overdue_item_with_a_department_stays_overdue_with_nowhere_to_climb()
    {
        var id = Id(await CreateAsync(await As("admin"), DemoData.Ids.District, level: "department", within: TimeSpan.FromHours(2)));
        clock.Advance(TimeSpan.FromHours(3));
        await ExecutionKit.RunDeadlineAsync(App, WorkItemOverdueHandler.KindName, Guid.Parse(id));

        var item = await (await As("department")).GetJsonAsync($"/api/work-items/{id}");
        Assert.Equal(("department", "overdue", true), (Text(item, "level"), Text(item, "status"), item["overdue"]!.GetValue<bool>()));
        Assert.Equal(["created", "overdue"], Kinds(item));
        Assert.DoesNotContain(Guid.Parse(id), await ExecutionKit.PendingAsync(App, WorkItemOverdueHandler.KindName));
    }

    [Fact]
    public async Task A_date_only_resolution_deadline_is_the_end_of_that_day_in_China_shown_as_that_date_and_overdue_only_after_midnight()
    {
        var designer = await As("designer");
        await ExecutionKit.PublishAsync(designer, ExecutionKit.Definition("dated-work", ["communityId", "meetingId", "result"],
            [
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject
                {
                    ["id"] = "execute", ["type"] = "Execute", ["fromMeeting"] = "variables.meetingId", ["role"] = "propertyCompany",
                    ["scope"] = "variables.communityId", ["outputVariable"] = "result",
                },
                new JsonObject { ["id"] = "end", ["type"] = "End" },
            ],
            [Connect("start", "Done", "execute"), Connect("execute", "Done", "end")]));
        var due = ChinaTime.Today(clock.GetUtcNow()).AddDays(1);
        var meetingId = await ExecutionKit.MeetingWithResolutionsAsync(App, clock.GetUtcNow(), ("更换3号楼门口的两盏路灯", "物业公司", due));
        await (await As("admin")).PostJsonAsync("/api/workflow-instances", new
        {
            definitionId = "dated-work",
            input = new { communityId = DemoData.Ids.Xingfuli.ToString(), meetingId = meetingId.ToString() },
        });

        // One minute before midnight in China on the due day: the item is due that day, and not late.
        clock.Advance(ChinaTime.EndOf(due) - TimeSpan.FromMinutes(1) - clock.GetUtcNow());
        var item = (await (await As("property")).GetJsonAsync("/api/work-items"))["items"]!.AsArray().Single()!;
        Assert.Equal(due.ToString("yyyy-MM-dd"), Text(item, "dueDate"));
        Assert.Equal(ChinaTime.EndOf(due), item["deadline"]!.GetValue<DateTimeOffset>());
        Assert.False(item["overdue"]!.GetValue<bool>());
        var detail = await (await As("property")).GetJsonAsync($"/api/work-items/{Id(item)}");
        Assert.Equal(due.ToString("yyyy-MM-dd"), Text(detail, "dueDate"));

        // One minute after: late.
        clock.Advance(TimeSpan.FromMinutes(2));
        item = (await (await As("property")).GetJsonAsync("/api/work-items"))["items"]!.AsArray().Single()!;
        Assert.True(item["overdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_deadline_at_a_time_of_day_has_no_due_date_and_keeps_its_time()
    {
        var created = await CreateAsync(await As("secretary"), XingfuliGrid1, within: TimeSpan.FromHours(5));
        Assert.Null(created["dueDate"]);
    }

    [Fact]
    public async Task A_workflow_waits_at_Execute_until_every_item_made_from_the_meetings_resolutions_is_done_and_then_finishes_with_them()
    {
        var designer = await As("designer");
        await ExecutionKit.PublishAsync(designer, ExecutionKit.Definition("batch-of-work", ["communityId", "meetingId", "result"],
            [
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject
                {
                    ["id"] = "execute", ["type"] = "Execute", ["fromMeeting"] = "variables.meetingId", ["role"] = "propertyCompany",
                    ["scope"] = "variables.communityId", ["outputVariable"] = "result",
                },
                new JsonObject { ["id"] = "end", ["type"] = "End" },
            ],
            [Connect("start", "Done", "execute"), Connect("execute", "Done", "end")]));
        var today = ChinaTime.Today(clock.GetUtcNow());
        var meetingId = await ExecutionKit.MeetingWithResolutionsAsync(App, clock.GetUtcNow(),
            ("更换3号楼门口的两盏路灯", "物业公司", today.AddDays(10)), ("清理1号楼楼道杂物", "社区居委会", today.AddDays(5)));

        var instance = await (await As("admin")).PostJsonAsync("/api/workflow-instances", new // staff: a designer's start is a test run
        {
            definitionId = "batch-of-work",
            input = new { communityId = DemoData.Ids.Xingfuli.ToString(), meetingId = meetingId.ToString() },
        });
        Assert.Equal("suspended", Text(instance, "status"));

        var property = await As("property");
        var items = (await property.GetJsonAsync("/api/work-items"))["items"]!.AsArray().Select(i => i!).OrderBy(i => Text(i, "title")).ToList();
        Assert.Equal(2, items.Count);
        Assert.Single(items.Select(i => Text(i, "batchId")).Distinct());
        Assert.All(items,
            i =>
                Assert.Equal(("community", "propertyCompany", true, false),
                    (Text(i, "level"), Text(i, "role"), i["canAct"]!.GetValue<bool>(), i["rework"]!.GetValue<bool>())));
        Assert.Equal([("更换3号楼门口的两盏路灯", "物业公司", ChinaTime.EndOf(today.AddDays(10))), ("清理1号楼楼道杂物", "社区居委会", ChinaTime.EndOf(today.AddDays(5)))],
            items.Select(i => (Text(i, "title"), Text(i, "responsibleUnit"), i["deadline"]!.GetValue<DateTimeOffset>()))
                .OrderByDescending(x => x.Item3));

        await property.PostJsonAsync($"/api/work-items/{Id(items[0])}/complete", new { text = "路灯已更换" });
        Assert.Equal("suspended", Text(await designer.GetJsonAsync($"/api/workflow-instances/{Id(instance)}"), "status"));
        await property.PostJsonAsync($"/api/work-items/{Id(items[1])}/complete", new { text = "杂物已清运" });

        var finished = await designer.GetJsonAsync($"/api/workflow-instances/{Id(instance)}");
        Assert.Equal("finished", Text(finished, "status"));
        var result = finished["variables"]!["result"]!;
        Assert.Equal(Text(items[0], "batchId"), Text(result, "batchId"));
        Assert.Equal(["杂物已清运", "路灯已更换"], result["items"]!.AsArray().Select(i => Text(i!, "text")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Execute_without_a_meeting_makes_one_item_from_its_inputs_and_entered_again_for_the_same_matter_makes_it_as_rework()
    {
        var matterId = Id(await RaiseAsync(await As("resident"), "楼道灯不亮"));
        var designer = await As("designer");
        JsonObject Step(string id) => new()
        {
            ["id"] = id, ["type"] = "Execute", ["title"] = "维修：${variables.title}", ["responsibleUnit"] = "物业公司", ["role"] = "propertyCompany",
            ["scope"] = "variables.communityId", ["deadline"] = "P2D", ["outputVariable"] = "result",
        };
        await ExecutionKit.PublishAsync(designer, ExecutionKit.Definition("twice", ["matterId", "communityId", "title", "result"],
            [new JsonObject { ["id"] = "start", ["type"] = "Start" }, Step("first"), Step("second"),
            new JsonObject { ["id"] = "end", ["type"] = "End" }],
            [Connect("start", "Done", "first"), Connect("first", "Done", "second"), Connect("second", "Done", "end")]));
        var instance = await (await As("admin")).PostJsonAsync("/api/workflow-instances", new // staff: a designer's start is a test run
        {
            definitionId = "twice",
            input = new { matterId, communityId = DemoData.Ids.Xingfuli.ToString(), title = "楼道灯不亮" },
        });

        var property = await As("property");
        var first = Assert.Single((await property.GetJsonAsync($"/api/work-items?matterId={matterId}"))["items"]!.AsArray())!;
        Assert.Equal(("维修：楼道灯不亮", "物业公司", false, matterId),
            (Text(first, "title"), Text(first, "responsibleUnit"), first["rework"]!.GetValue<bool>(), Text(first["matter"]!, "id")));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromDays(2), first["deadline"]!.GetValue<DateTimeOffset>());
        await property.PostJsonAsync($"/api/work-items/{Id(first)}/complete", new { text = "换了灯泡" });

        var again = (await property.GetJsonAsync($"/api/work-items?matterId={matterId}&status=open"))["items"]!.AsArray();
        var rework = Assert.Single(again)!;
        Assert.Equal(("返工：维修：楼道灯不亮", true), (Text(rework, "title"), rework["rework"]!.GetValue<bool>()));
        Assert.NotEqual(Text(first, "batchId"), Text(rework, "batchId"));
        Assert.Equal("suspended", Text(await designer.GetJsonAsync($"/api/workflow-instances/{Id(instance)}"), "status"));

        await property.PostJsonAsync($"/api/work-items/{Id(rework)}/complete", new { text = "更换了整条线路" });
        var finished = await designer.GetJsonAsync($"/api/workflow-instances/{Id(instance)}");
        Assert.Equal("finished", Text(finished, "status"));
        Assert.Equal("更换了整条线路", Text(finished["variables"]!["result"]!, "summary"));
    }

    [Fact]
    public async Task The_Escalate_activity_hands_the_matters_unfinished_items_one_level_up_by_whoever_advanced_the_workflow()
    {
        var matterId = Id(await RaiseAsync(await As("resident"), "小区围墙倒塌"));
        var designer = await As("designer");
        await ExecutionKit.PublishAsync(designer, ExecutionKit.Definition("whistle", ["matterId", "gridId", "result"],
            [
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "fork", ["type"] = "Fork", ["branches"] = new JsonArray("work", "whistle") },
                new JsonObject { ["id"] = "execute", ["type"] = "Execute", ["title"] = "抢修围墙", ["scope"] = "variables.gridId",
                ["outputVariable"] = "result" },
                new JsonObject
                {
                    ["id"] = "ask", ["type"] = "HumanTask", ["title"] = "网格能否解决", ["role"] = "gridWorker", ["scope"] = "variables.gridId",
                    ["outcomes"] = new JsonArray("escalate"),
                },
                new JsonObject { ["id"] = "escalate", ["type"] = "Escalate", ["reason"] = "网格无法解决，上报社区" },
                new JsonObject { ["id"] = "end", ["type"] = "End" },
            ],
            [
                Connect("start", "Done", "fork"), Connect("fork", "work", "execute"), Connect("fork", "whistle", "ask"),
                Connect("ask", "escalate", "escalate"), Connect("execute", "Done", "end"),
            ]));
        var instance = await (await As("admin")).PostJsonAsync("/api/workflow-instances", new // staff: a designer's start is a test run
        {
            definitionId = "whistle",
            input = new { matterId, gridId = XingfuliGrid1.ToString() },
        });

        var gridWorker = await As("gridworker");
        var item = Assert.Single((await gridWorker.GetJsonAsync($"/api/work-items?matterId={matterId}"))["items"]!.AsArray())!;
        Assert.Equal(("grid", "gridWorker"), (Text(item, "level"), Text(item, "role")));
        var task = (await gridWorker.GetJsonAsync("/api/tasks"))["items"]!.AsArray().Single(t => Text(t!, "title") == "网格能否解决")!;
        await gridWorker.PostJsonAsync($"/api/tasks/{Id(task)}/complete", new { outcome = "escalate", values = new { } });

        var secretary = await As("secretary");
        var climbed = await secretary.GetJsonAsync($"/api/work-items/{Id(item)}");
        Assert.Equal(("community", "partySecretary", true), (Text(climbed, "level"), Text(climbed, "role"), climbed["canAct"]!.GetValue<bool>()));
        Assert.Equal(("赵网格", "网格无法解决，上报社区"), (Text(climbed["updates"]![1]!["by"]!, "name"), Text(climbed["updates"]![1]!, "text")));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromDays(5), climbed["deadline"]!.GetValue<DateTimeOffset>());

        await secretary.PostJsonAsync($"/api/work-items/{Id(item)}/complete", new { text = "协调施工队已修复" });
        Assert.Equal("finished", Text(await designer.GetJsonAsync($"/api/workflow-instances/{Id(instance)}"), "status"));
    }
}

/// <summary>What the execution, rating and measures tests share: publishing workflows, running deadlines, reading the store.</summary>
static class ExecutionKit
{
    /// <summary>A start time without fractions of a second, so that times read back from PostgreSQL (microseconds) compare equal.</summary>
    public static DateTimeOffset WholeSecond(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    public static DateTimeOffset WholeMinute(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    public static JsonObject Definition(string id, string[] variables, JsonArray activities, JsonArray connections) => new()
    {
        ["definitionId"] = id,
        ["name"] = id,
        ["variables"] = new JsonArray(variables.Select(v => (JsonNode)new JsonObject { ["name"] = v }).ToArray()),
        ["root"] = new JsonObject { ["type"] = "Flowchart", ["activities"] = activities, ["connections"] = connections },
    };

    public static async Task PublishAsync(HttpClient designer, JsonObject definition)
    {
        var id = definition["definitionId"]!.GetValue<string>();
        if ((await designer.GetAsync($"/api/workflow-definitions/{id}")).StatusCode == HttpStatusCode.NotFound)
            await designer.PostJsonAsync("/api/workflow-definitions", definition);
        else
        {
            var put = await designer.PutAsJsonAsync($"/api/workflow-definitions/{id}/draft", definition);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        await designer.PostJsonAsync($"/api/workflow-definitions/{id}/publish", new { });
    }

    /// <summary>
    /// The matter workflow of these tests, published over the shipped one: hear (minor or private) → Execute → Rate,
    /// back to Execute when the residents are dissatisfied; closed with what was done as the resolution.
    /// </summary>
    public static JsonObject MatterFlow(string rateScope = "building") => Definition("six-step-method",
        ["matterId", "title", "category", "gridId", "buildingId", "communityId", "streetId", "raisedBy", "hearing", "execution", "rating"],
        [
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "stepHear", ["type"] = "SetMatterStep", ["step"] = "hear" },
            new JsonObject
            {
                ["id"] = "hear", ["type"] = "HumanTask", ["title"] = "网格听事：${title}", ["role"] = "gridWorker", ["scope"] = "variables.gridId",
                ["deadline"] = "PT24H", ["outcomes"] = new JsonArray("minor", "private"), ["outputVariable"] = "hearing",
            },
            new JsonObject { ["id"] = "closePrivate", ["type"] = "SetMatterStep", ["step"] = "closed", ["triage"] = "private" },
            new JsonObject { ["id"] = "endPrivate", ["type"] = "End" },
            new JsonObject { ["id"] = "stepExecute", ["type"] = "SetMatterStep", ["step"] = "execute", ["triage"] = "minor" },
            new JsonObject
            {
                ["id"] = "execute", ["type"] = "Execute", ["title"] = "${variables.title}", ["responsibleUnit"] = "网格工作站",
                ["scope"] = "variables.gridId", ["outputVariable"] = "execution",
            },
            new JsonObject { ["id"] = "stepRate", ["type"] = "SetMatterStep", ["step"] = "rate" },
            new JsonObject { ["id"] = "rate", ["type"] = "Rate", ["window"] = "P7D", ["scope"] = rateScope, ["outputVariable"] = "rating" },
            new JsonObject { ["id"] = "closeRated", ["type"] = "SetMatterStep", ["step"] = "closed",
            ["resolution"] = "${variables.execution.summary}" },
            new JsonObject { ["id"] = "end", ["type"] = "End" },
        ],
        [
            Connect("start", "Done", "stepHear"), Connect("stepHear", "Done", "hear"),
            Connect("hear", "private", "closePrivate"), Connect("closePrivate", "Done", "endPrivate"),
            Connect("hear", "minor", "stepExecute"), Connect("stepExecute", "Done", "execute"),
            Connect("execute", "Done", "stepRate"), Connect("stepRate", "Done", "rate"),
            Connect("rate", "satisfied", "closeRated"), Connect("rate", "noRatings", "closeRated"), Connect("rate", "dissatisfied", "stepExecute"),
            Connect("closeRated", "Done", "end"),
        ]);

    /// <summary>
    /// Runs one deadline as <see cref="DeadlineJob"/> would, in its own scope. On a fake clock the scheduler does not
    /// fire by itself (see <see cref="DeliberateApp"/>): the test moves the clock and then runs what it means to.
    /// </summary>
    public static async Task RunDeadlineAsync(DeliberateApp app, string kind, Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == kind).HandleAsync(id, CancellationToken.None);
    }

    public static async Task<List<Guid>> PendingAsync(DeliberateApp app, string kind)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == kind);
        return (await handler.PendingAsync(null, CancellationToken.None)).Select(p => p.Id).ToList();
    }

    /// <summary>One pass of the deadline reconciler, as its interval would run it once the fake clock has moved.</summary>
    public static Task PassDeadlineReconcilerAsync(DeliberateApp app) =>
        app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DeadlineReconciler>().Single()
            .PassAsync(CancellationToken.None);

    /// <summary>When the deadline's trigger is set to fire (null when there is none).</summary>
    public static async Task<DateTimeOffset?> TriggerAtAsync(DeliberateApp app, string kind, Guid id)
    {
        await app.Services.GetRequiredService<TriggerQueue>().FlushAsync(); // trigger changes are applied off the request path
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return (await scheduler.GetTrigger(new TriggerKey($"{kind}:{id}", Deadlines.Group)))?.StartTimeUtc;
    }

    public static async Task<T> QueryAsync<T>(DeliberateApp app, Func<DeliberateDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<DeliberateDbContext>());
    }

    /// <summary>A meeting of 幸福里社区 with these resolutions (议定事项), written straight to the store.</summary>
    public static async Task<Guid> MeetingWithResolutionsAsync(DeliberateApp app, DateTimeOffset now,
        params (string Text, string Unit, DateOnly Deadline)[] resolutions)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var secretary = await db.Users.Where(u => u.UserName == "secretary").Select(u => u.Id).FirstAsync();
        var meeting = new Meeting(Guid.CreateVersion7(), DemoData.Ids.Xingfuli, MeetingType.FourParty, MeetingForm.Collective, "四方联席会议", "红色议事厅",
            now.AddHours(-2), secretary, now.AddDays(-1));
        db.Meetings.Add(meeting);
        foreach (var (text, unit, deadline) in resolutions)
            db.Resolutions.Add(new Resolution(Guid.CreateVersion7(), meeting.Id, null, text, unit, deadline));
        await db.SaveChangesAsync();
        return meeting.Id;
    }

    public static MultipartFormDataContent Form(params (string FileName, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "photos", name);
        }
        return form;
    }
}
