using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>A resident's matter driven through the six steps over HTTP, as the demo users.</summary>
public sealed class SixStepMethodTests : AppTest
{
    [Fact]
    public async Task A_major_matter_goes_through_all_six_steps_and_back_to_execution_when_the_resident_is_dissatisfied()
    {
        var resident = await As("resident");
        var matter = await RaiseAsync(resident);
        var id = matter["id"]!.GetValue<string>();
        Assert.Equal("hear", matter["step"]!.GetValue<string>());

        var gridWorker = await As("gridworker");
        var hearTask = await OpenTaskAsync(gridWorker, id);
        Assert.Equal("gridWorker", hearTask["role"]!.GetValue<string>());
        Assert.NotNull(hearTask["dueAt"]);
        Assert.Equal(["private", "minor", "major", "escalate"], hearTask["outcomes"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));

        await CompleteAsync(gridWorker, id, "major", new { verified = true, note = "线路老化，需更换" });
        Assert.Equal("deliberate", await StepOfAsync(resident, id));

        await CompleteAsync(await As("secretary"), id, "toDecision", new { opinions = "各方同意", proposal = "更换路灯，费用从公共收益列支" });
        Assert.Equal("decide", await StepOfAsync(resident, id));

        await CompleteAsync(await As("owners-committee"), id, "approved", new { result = "书面表决通过" });
        Assert.Equal("execute", await StepOfAsync(resident, id));

        var property = await As("property");
        await CompleteAsync(property, id, "done", new { progress = "换了一盏" });
        Assert.Equal("rate", await StepOfAsync(resident, id));

        await CompleteAsync(resident, id, "dissatisfied", new { comment = "还有一盏没换" });
        Assert.Equal("execute", await StepOfAsync(resident, id));

        await CompleteAsync(property, id, "done", new { progress = "两盏都已更换" });
        await CompleteAsync(resident, id, "satisfied", new { comment = "谢谢" });

        var closed = await resident.GetJsonAsync($"/api/matters/{id}");
        Assert.Equal("closed", closed["step"]!.GetValue<string>());
        Assert.Equal("major", closed["triage"]!.GetValue<string>());
        Assert.Equal("两盏都已更换", closed["resolution"]!.GetValue<string>());
        Assert.NotNull(closed["closedAt"]);

        var completed = closed["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "taskCompleted")
            .Select(e => (e!["outcome"]!.GetValue<string>(), e["actor"]!["name"]!.GetValue<string>())).ToList();
        Assert.Equal(
        [
            ("major", "赵网格"), ("toDecision", "刘书记"), ("approved", "周主任"), ("done", "吴经理"),
            ("dissatisfied", "陈晓燕"), ("done", "吴经理"), ("satisfied", "陈晓燕"),
        ], completed);
        Assert.Equal("finished", closed["timeline"]!.AsArray().Last()!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_minor_matter_is_solved_in_the_grid_and_rated()
    {
        var resident = await As("resident");
        var id = (await RaiseAsync(resident, "楼道堆放杂物"))["id"]!.GetValue<string>();
        var gridWorker = await As("gridworker");
        await CompleteAsync(gridWorker, id, "minor", new { verified = true, note = "已联系住户" });
        Assert.Equal("execute", await StepOfAsync(resident, id));
        await CompleteAsync(gridWorker, id, "done", new { result = "杂物已清理" });
        await CompleteAsync(resident, id, "basicallySatisfied", new { });

        var closed = await resident.GetJsonAsync($"/api/matters/{id}");
        Assert.Equal("closed", closed["step"]!.GetValue<string>());
        Assert.Equal("minor", closed["triage"]!.GetValue<string>());
        Assert.Equal("杂物已清理", closed["resolution"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_private_matter_is_closed_by_the_grid_worker_with_guidance()
    {
        var resident = await As("resident");
        var id = (await RaiseAsync(resident, "家里水管漏水"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker"), id, "private", new { verified = true, note = "属于自家管道，已告知维修电话" });
        var closed = await resident.GetJsonAsync($"/api/matters/{id}");
        Assert.Equal("closed", closed["step"]!.GetValue<string>());
        Assert.Equal("private", closed["triage"]!.GetValue<string>());
        Assert.Contains("已告知维修电话", closed["resolution"]!.GetValue<string>());
        Assert.Empty((await resident.GetJsonAsync($"/api/tasks?matterId={id}")).AsArray());
    }

    [Fact]
    public async Task A_matter_beyond_the_community_climbs_to_the_street_and_a_department()
    {
        var resident = await As("resident");
        var id = (await RaiseAsync(resident, "小区外道路塌陷"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker"), id, "escalate", new { verified = true, note = "市政道路，超出社区职责" });
        await CompleteAsync(await As("street"), id, "toDepartment", new { result = "已吹哨，请住建部门报到" });
        await CompleteAsync(await As("department"), id, "resolved", new { result = "道路已修复" });
        Assert.Equal("rate", await StepOfAsync(resident, id));
        await CompleteAsync(resident, id, "satisfied", new { });
        Assert.Equal("closed", await StepOfAsync(resident, id));
    }

    [Fact]
    public async Task A_completion_that_does_not_fit_the_task_is_refused_and_changes_nothing()
    {
        var resident = await As("resident");
        var id = (await RaiseAsync(resident))["id"]!.GetValue<string>();
        var gridWorker = await As("gridworker");
        var task = await OpenTaskAsync(gridWorker, id);

        var wrongOutcome = await gridWorker.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete", new { outcome = "whatever", values = new { verified = true, note = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongOutcome.StatusCode);
        Assert.NotNull((await wrongOutcome.JsonAsync())["errors"]!["outcome"]);

        var missingField = await gridWorker.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete", new { outcome = "major", values = new { verified = true } });
        Assert.Equal(HttpStatusCode.BadRequest, missingField.StatusCode);
        Assert.NotNull((await missingField.JsonAsync())["errors"]!["values.note"]);

        var wrongType = await gridWorker.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete", new { outcome = "major", values = new { verified = "yes", note = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);

        Assert.Equal("hear", await StepOfAsync(resident, id));
        Assert.Equal(task["id"]!.GetValue<string>(), (await OpenTaskAsync(gridWorker, id))["id"]!.GetValue<string>());
    }
}
