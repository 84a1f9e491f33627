using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>
/// A workflow's domain activities act only within the scope of whoever started the instance: a designer's start is a
/// test run that touches nothing real, a matter's instance touches that matter only, and a staff member's start does
/// what the API would let them do. The attack: close another community's matter with a forged resolution and post a notice.
/// </summary>
public sealed class ActivityScopeTests : AppTest
{
    const string Forged = "已办结（由流程设计员直接关闭）";

    /// <summary>Start → SetMatterStep(closed, forged resolution) → Publicize → End.</summary>
    static JsonObject ForgingWorkflow() => ExecutionKit.Definition("forge", ["matterId", "communityId"],
        [
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "close", ["type"] = "SetMatterStep", ["step"] = "closed", ["resolution"] = Forged },
            new JsonObject
            {
                ["id"] = "post", ["type"] = "Publicize", ["title"] = "办结公示", ["body"] = "该事项已办结。", ["kind"] = "executionResult",
                ["waitForPeriod"] = false,
            },
            new JsonObject { ["id"] = "end", ["type"] = "End" },
        ],
        [Connect("start", "Done", "close"), Connect("close", "Done", "post"), Connect("post", "Done", "end")]);

    async Task<string> HepingMatterAsync() => Id(await RaiseAsync(await As("hp-gridworker"), "和平社区垃圾清运不及时", HepingGrid1));

    async Task<List<JsonNode>> NoticesOfAsync(string matterId) =>
        (await (await As("hp-secretary")).GetJsonAsync("/api/notices?all=true")).AsArray()
            .Where(n => n!["matterId"]?.GetValue<string>() == matterId).Select(n => n!).ToList();

    /// <summary>Gives a demo user a second role (no demo account is both staff and designer).</summary>
    async Task GrantAsync(string userName, Role role, Guid orgUnitId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var user = await db.Users.FirstAsync(u => u.UserName == userName);
        db.UserRoles.Add(new UserRole(user.Id, role, orgUnitId));
        await db.SaveChangesAsync();
    }

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task A_designer_starting_the_forging_workflow_on_another_communitys_matter_makes_a_test_run_that_changes_nothing()
    {
        var matterId = await HepingMatterAsync();
        var designer = await As("designer");
        await ExecutionKit.PublishAsync(designer, ForgingWorkflow());

        var instance = await designer.PostJsonAsync("/api/workflow-instances", new
        {
            definitionId = "forge", input = new { matterId, communityId = DemoData.Ids.Heping.ToString() },
        });

        Assert.Equal(("faulted", "testRun", true), (Str(instance["status"]), Str(instance["scope"]), instance["testRun"]!.GetValue<bool>()));
        var incident = Assert.Single(instance["incidents"]!.AsArray())!;
        Assert.Equal("close", Str(incident["activityId"]));
        Assert.Contains("试运行", Str(incident["message"]));
        Assert.Equal("钱设计", Str(instance["startedBy"]!["name"]));

        var hpGridWorker = await As("hp-gridworker");
        var matter = await hpGridWorker.GetJsonAsync($"/api/matters/{matterId}");
        Assert.Equal("hear", Str(matter["step"]));
        Assert.Null(matter["resolution"]);
        Assert.Empty(await NoticesOfAsync(matterId));
        // Its own workflow goes on: the hearing task is still open and can be completed.
        Assert.Single(matter["openTasks"]!.AsArray());
        await CompleteAsync(hpGridWorker, matterId, "minor", new { verified = true, note = "已协调清运" });
        Assert.Equal("execute", await StepOfAsync(hpGridWorker, matterId));
    }

    [Fact]
    public async Task A_secretary_who_also_designs_cannot_start_a_workflow_on_another_communitys_matter()
    {
        var matterId = await HepingMatterAsync();
        await ExecutionKit.PublishAsync(await As("designer"), ForgingWorkflow());
        await GrantAsync("secretary", Role.WorkflowDesigner, DemoData.Ids.Xingfuli); // 幸福里's secretary
        var secretary = await As("secretary");

        var refused = await secretary.PostAsJsonAsync("/api/workflow-instances", new
        {
            definitionId = "forge", input = new { matterId, communityId = DemoData.Ids.Heping.ToString() },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull((await refused.JsonAsync())["errors"]!["input.matterId"]);

        var matter = await (await As("hp-gridworker")).GetJsonAsync($"/api/matters/{matterId}");
        Assert.Equal(("hear", 1), (Str(matter["step"]), matter["openTasks"]!.AsArray().Count));
        Assert.Empty(await NoticesOfAsync(matterId));
    }

    [Fact]
    public async Task A_secretarys_run_on_her_own_matter_faults_when_it_would_post_a_notice_in_another_community()
    {
        var own = Id(await RaiseAsync(await As("resident"), "楼道堆放杂物"));
        await ExecutionKit.PublishAsync(await As("designer"), ForgingWorkflow());
        await GrantAsync("secretary", Role.WorkflowDesigner, DemoData.Ids.Xingfuli);

        var instance = await (await As("secretary")).PostJsonAsync("/api/workflow-instances", new
        {
            definitionId = "forge", input = new { matterId = own, communityId = DemoData.Ids.Heping.ToString() },
        });

        Assert.Equal(("faulted", "starter"), (Str(instance["status"]), Str(instance["scope"])));
        var incident = Assert.Single(instance["incidents"]!.AsArray())!;
        Assert.Equal("post", Str(incident["activityId"]));
        Assert.Contains("和平社区", Str(incident["message"]));
        Assert.Empty((await (await As("hp-secretary")).GetJsonAsync("/api/notices?all=true")).AsArray());
    }

    [Fact]
    public async Task A_matters_own_workflow_that_turns_to_another_matter_faults_and_leaves_the_other_matter_alone()
    {
        var other = await HepingMatterAsync();
        // A six-step version whose script points matterId at another community's matter before closing "it".
        await ExecutionKit.PublishAsync(await As("designer"), ExecutionKit.Definition("six-step-method",
            ["matterId", "title", "category", "gridId", "buildingId", "communityId", "streetId", "raisedBy"],
            [
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "swap", ["type"] = "SetVariable", ["variable"] = "matterId", ["value"] = $"'{other}'" },
                new JsonObject { ["id"] = "close", ["type"] = "SetMatterStep", ["step"] = "closed", ["resolution"] = Forged },
                new JsonObject { ["id"] = "end", ["type"] = "End" },
            ],
            [Connect("start", "Done", "swap"), Connect("swap", "Done", "close"), Connect("close", "Done", "end")]));

        var raised = await RaiseAsync(await As("resident"), "小区门禁坏了");
        var instance = await (await As("designer")).GetJsonAsync($"/api/workflow-instances/{raised["workflowInstanceId"]}");

        Assert.Equal(("faulted", "matter", Id(raised)), (Str(instance["status"]), Str(instance["scope"]), Str(instance["scopeMatterId"])));
        Assert.Contains(Id(raised), Str(instance["incidents"]![0]!["message"]));
        var matter = await (await As("hp-gridworker")).GetJsonAsync($"/api/matters/{other}");
        Assert.Equal("hear", Str(matter["step"]));
        Assert.Null(matter["resolution"]);
    }

    [Fact]
    public async Task Closing_a_matter_cancels_its_open_tasks_and_completing_one_afterwards_is_refused_with_409()
    {
        var matterId = Id(await RaiseAsync(await As("resident"), "路灯不亮"));
        var gridWorker = await As("gridworker");
        var hearing = await OpenTaskAsync(gridWorker, matterId);
        await ExecutionKit.PublishAsync(await As("designer"), ForgingWorkflow());
        await GrantAsync("secretary", Role.WorkflowDesigner, DemoData.Ids.Xingfuli);

        // 幸福里's secretary closes a matter of her own community: allowed, and the notice goes up there.
        var instance = await (await As("secretary")).PostJsonAsync("/api/workflow-instances", new
        {
            definitionId = "forge", input = new { matterId, communityId = DemoData.Ids.Xingfuli.ToString() },
        });
        Assert.Equal("finished", Str(instance["status"]));

        var matter = await gridWorker.GetJsonAsync($"/api/matters/{matterId}");
        Assert.Equal(("closed", Forged), (Str(matter["step"]), Str(matter["resolution"])));
        Assert.Empty(matter["openTasks"]!.AsArray());
        Assert.Empty((await gridWorker.GetJsonAsync($"/api/tasks?matterId={matterId}"))["items"]!.AsArray());

        var late = await gridWorker.PostAsJsonAsync($"/api/tasks/{Id(hearing)}/complete",
            new { outcome = "minor", values = new { verified = true, note = "x" } });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("matterClosed", Str((await late.JsonAsync())["code"]));
    }

    [Fact]
    public async Task A_designers_test_run_with_a_task_does_not_hang_the_task_on_a_real_matter_nor_in_real_staffs_inboxes()
    {
        var matterId = await HepingMatterAsync();
        var designer = await As("designer");
        await ExecutionKit.PublishAsync(designer, ExecutionKit.Definition("ask", ["matterId", "gridId"],
            [
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject
                {
                    ["id"] = "ask", ["type"] = "HumanTask", ["title"] = "测试任务", ["role"] = "gridWorker", ["scope"] = "variables.gridId",
                    ["outcomes"] = new JsonArray("ok"),
                },
                new JsonObject { ["id"] = "end", ["type"] = "End" },
            ],
            [Connect("start", "Done", "ask"), Connect("ask", "ok", "end")]));
        await designer.PostJsonAsync("/api/workflow-instances",
            new { definitionId = "ask", input = new { matterId, gridId = HepingGrid1.ToString() } });

        var gridWorker = await As("hp-gridworker");
        var matter = await gridWorker.GetJsonAsync($"/api/matters/{matterId}");
        Assert.DoesNotContain(matter["openTasks"]!.AsArray(), t => Str(t!["title"]) == "测试任务");
        // The run's task waits for the designer who started it, not for the grid workers who hold the role there.
        Assert.DoesNotContain((await gridWorker.GetJsonAsync("/api/tasks?pageSize=100"))["items"]!.AsArray(), t => Str(t!["title"]) == "测试任务");
        var own = (await designer.GetJsonAsync("/api/tasks?pageSize=100"))["items"]!.AsArray();
        var task = Assert.Single(own, t => Str(t!["title"]) == "测试任务");
        var done = await designer.PostAsJsonAsync($"/api/tasks/{Id(task!)}/complete", new { outcome = "ok" });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }
}
