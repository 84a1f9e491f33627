using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Tests.Workflows;

public class WaitingActivityTests
{
    [Fact]
    public async Task WaitForEvent_waits_on_a_bookmark_named_for_the_event_and_correlated_by_its_expression()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "wait", "type": "WaitForEvent", "eventName": "ballot.closed", "correlation": "'ballot-' + variables.ballotId", "outputVariable": "tally" }]
            """, "start > wait", """[{ "name": "ballotId", "type": "number", "value": 42 }, { "name": "tally", "type": "object" }]""");

        var bookmark = workflow.BookmarkAt("wait");
        Assert.Equal("Event:ballot.closed", bookmark.Name);
        Assert.Equal("ballot-42", bookmark.Correlation);
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
        Assert.Contains(workflow.LastRun.CreatedBookmarks, b => b.Id == bookmark.Id);
    }

    [Fact]
    public async Task WaitForEvent_stores_the_event_payload_in_its_output_variable()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "wait", "type": "WaitForEvent", "eventName": "ballot.closed", "outputVariable": "tally" },
             { "id": "passed", "type": "Decision", "condition": "variables.tally.passed" },
             { "id": "post", "type": "SetVariable", "variable": "posted", "value": "true" }]
            """, "start > wait; wait > passed; passed:True > post",
            """[{ "name": "tally", "type": "object" }, { "name": "posted", "type": "boolean", "value": false }]""");

        var run = await workflow.ResumeAsync(workflow.BookmarkAt("wait"), Json.Parse("""{ "passed": true, "for": 31, "against": 4 }"""));

        Assert.Equal("""{"passed":true,"for":31,"against":4}""", Json.Text(workflow.Variable("tally")));
        Assert.True((bool)workflow.Variable("posted")!);
        Assert.Contains(run.RemovedBookmarks, b => b.ActivityId == "wait");
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task Delay_waits_on_a_timer_bookmark_due_after_its_duration()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "publicity", "type": "Delay", "duration": "P5D" },
             { "id": "done", "type": "SetVariable", "variable": "posted", "value": "true" }]
            """, "start > publicity; publicity > done", """[{ "name": "posted", "type": "boolean", "value": false }]""");

        var timer = workflow.BookmarkAt("publicity");
        Assert.Equal(TimerBookmarks.Name, timer.Name);
        Assert.Equal(TestWorkflow.Epoch.AddDays(5), timer.DueAt);

        workflow.Clock.Advance(TimeSpan.FromDays(5));
        await workflow.ResumeAsync(timer, actor: Actor.System);

        Assert.True((bool)workflow.Variable("posted")!);
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task Delay_reads_elsa_style_durations_too()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" }, { "id": "pause", "type": "Delay", "duration": "01:30:00" }]
            """, "start > pause");

        Assert.Equal(TestWorkflow.Epoch.AddMinutes(90), workflow.BookmarkAt("pause").DueAt);
    }

    [Fact]
    public async Task A_timer_whose_time_has_passed_goes_on_at_once()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "at", "type": "Timer", "at": "variables.meetingAt" },
             { "id": "done", "type": "SetVariable", "variable": "met", "value": "true" }]
            """, "start > at; at > done",
            """[{ "name": "meetingAt", "type": "datetime", "value": "2025-02-28T19:00:00+08:00" }, { "name": "met", "type": "boolean", "value": false }]""");

        Assert.Empty(workflow.State.Bookmarks);
        Assert.True((bool)workflow.Variable("met")!);
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_timer_whose_time_is_ahead_waits_until_then()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" }, { "id": "at", "type": "Timer", "at": "variables.meetingAt" }]
            """, "start > at", """[{ "name": "meetingAt", "type": "datetime", "value": "2025-03-03T19:00:00+08:00" }]""");

        var timer = workflow.BookmarkAt("at");
        Assert.Equal(TimerBookmarks.Name, timer.Name);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 19, 0, 0, TimeSpan.FromHours(8)), timer.DueAt);
    }

    [Fact]
    public async Task A_timer_whose_expression_is_not_a_time_faults_with_an_incident()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" }, { "id": "at", "type": "Timer", "at": "'next tuesday'" }]
            """, "start > at");

        Assert.Equal(WorkflowStatus.Faulted, workflow.Status);
        Assert.Equal("at", Assert.Single(workflow.State.Incidents).ActivityId);
    }

    const string HearingVariables = """
        [{ "name": "title", "type": "string", "value": "3号楼电梯故障" },
         { "name": "gridId", "type": "string", "value": "grid-7" },
         { "name": "workerId", "type": "string", "value": "u-grid" },
         { "name": "hearing", "type": "object" },
         { "name": "route", "type": "string", "value": "" }]
        """;

    const string HearingActivities = """
        [{ "id": "start", "type": "Start" },
         { "id": "hear", "type": "HumanTask",
           "title": "核实诉求：${variables.title}",
           "description": "请在 ${variables.gridId} 现场核实",
           "role": "gridWorker",
           "scope": "variables.gridId",
           "assignee": "variables.workerId",
           "deadline": "PT24H",
           "outputVariable": "hearing",
           "form": [
             { "name": "note", "label": "核实情况", "labelEn": "Findings", "type": "textarea", "required": true },
             { "name": "households", "label": "涉及户数", "type": "number" },
             { "name": "urgent", "label": "是否紧急", "type": "boolean" },
             { "name": "category", "label": "分类", "type": "select", "options": ["私事", "小事", "大事"], "required": true, "forOutcomes": ["accept"] },
             { "name": "visitOn", "label": "走访日期", "type": "date" }],
           "outcomes": [{ "name": "accept", "label": "受理" }, { "name": "reject", "label": "不予受理", "labelEn": "Reject" }] },
         { "id": "accepted", "type": "SetVariable", "variable": "route", "value": "'accepted:' + variables.hearing.values.category" },
         { "id": "rejected", "type": "SetVariable", "variable": "route", "value": "'rejected'" }]
        """;

    const string HearingConnections = "start > hear; hear:accept > accepted; hear:reject > rejected";

    static Task<TestWorkflow> StartHearingAsync() =>
        TestWorkflow.StartAsync(HearingActivities, HearingConnections, HearingVariables);

    [Fact]
    public async Task A_human_task_puts_a_rendered_task_for_a_role_in_scope_with_a_deadline()
    {
        var workflow = await StartHearingAsync();

        var bookmark = workflow.BookmarkAt("hear");
        Assert.Equal(HumanTask.BookmarkName, bookmark.Name);
        var task = bookmark.Payload.Deserialize<HumanTaskRequest>(WorkflowJson.Options)!;
        Assert.Equal("核实诉求：3号楼电梯故障", task.Title);
        Assert.Equal("请在 grid-7 现场核实", task.Description);
        Assert.Equal("gridWorker", task.Role);
        Assert.Equal("grid-7", task.Scope);
        Assert.Equal("u-grid", task.Assignee);
        Assert.Equal(TestWorkflow.Epoch.AddHours(24), task.DueAt);
        Assert.Equal(["accept", "reject"], task.Outcomes.Select(o => o.Name));
        Assert.Equal(5, task.Form.Count);
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
    }

    [Fact]
    public async Task Completing_a_human_task_stores_outcome_values_and_actor_and_follows_the_chosen_port()
    {
        var workflow = await StartHearingAsync();
        workflow.Clock.Advance(TimeSpan.FromHours(3));

        var run = await workflow.ResumeAsync(workflow.BookmarkAt("hear"), Json.Parse("""
            { "outcome": "accept", "values": { "note": "电梯停在5楼", "households": 48, "urgent": true, "category": "大事", "visitOn": "2025-03-01" } }
            """), TestWorkflow.GridWorker);

        Assert.Equal("accepted:大事", (string?)workflow.Variable("route"));
        var hearing = workflow.Variable("hearing")!;
        Assert.Equal("accept", (string?)hearing["outcome"]);
        Assert.Equal(48, (int)hearing["values"]!["households"]!);
        Assert.Equal("u-grid", (string?)hearing["by"]!["id"]);
        Assert.Equal(TestWorkflow.Epoch.AddHours(3), DateTimeOffset.Parse((string)hearing["at"]!, System.Globalization.CultureInfo.InvariantCulture));
        var resumed = Assert.Single(run.Journal, j => j.Event == JournalEvent.Resumed);
        Assert.Equal(("hear", "accept", TestWorkflow.GridWorker), (resumed.ActivityId, resumed.Outcome, resumed.Actor));
        Assert.Equal("电梯停在5楼", (string?)resumed.Data!["values"]!["note"]);
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_field_needed_only_for_another_outcome_may_be_left_out()
    {
        var workflow = await StartHearingAsync();

        await workflow.ResumeAsync(workflow.BookmarkAt("hear"), Json.Parse("""{ "outcome": "reject", "values": { "note": "属私事，已引导" } }"""));

        Assert.Equal("rejected", (string?)workflow.Variable("route"));
    }

    [Theory]
    [InlineData("""{ "outcome": "postpone", "values": { "note": "x", "category": "小事" } }""", "outcome")]
    [InlineData("""{ "outcome": "accept", "values": { "category": "小事" } }""", "note")]
    [InlineData("""{ "outcome": "accept", "values": { "note": "   ", "category": "小事" } }""", "note")]
    [InlineData("""{ "outcome": "accept", "values": { "note": "x" } }""", "category")]
    [InlineData("""{ "outcome": "accept", "values": { "note": "x", "category": "小事", "households": "many" } }""", "households")]
    [InlineData("""{ "outcome": "accept", "values": { "note": "x", "category": "小事", "urgent": "yes" } }""", "urgent")]
    [InlineData("""{ "outcome": "accept", "values": { "note": "x", "category": "中事" } }""", "category")]
    [InlineData("""{ "outcome": "accept", "values": { "note": "x", "category": "小事", "visitOn": "someday" } }""", "visitOn")]
    [InlineData("""{ "outcome": "accept", "values": { "note": 12, "category": "小事" } }""", "note")]
    [InlineData("""{ "outcome": "accept", "values": { "note": "x", "category": "小事", "phone": "123" } }""", "phone")]
    public async Task A_completion_that_does_not_fit_the_task_is_refused_and_changes_nothing(string payload, string field)
    {
        var workflow = await StartHearingAsync();
        var bookmark = workflow.BookmarkAt("hear");
        var before = WorkflowJson.Serialize(workflow.State);

        var error = await Assert.ThrowsAsync<TaskResponseException>(() => workflow.ResumeAsync(bookmark, Json.Parse(payload)));

        Assert.Contains(error.Errors, e => e.Field == field && e.MessageZh.Length > 0 && e.MessageEn.Length > 0);
        Assert.Equal(before, WorkflowJson.Serialize(workflow.State));
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
        Assert.Equal(bookmark, Assert.Single(workflow.State.Bookmarks));

        // The same bookmark still takes a good completion.
        await workflow.ResumeAsync(bookmark, Json.Parse("""{ "outcome": "accept", "values": { "note": "ok", "category": "小事" } }"""));
        Assert.Equal("accepted:小事", (string?)workflow.Variable("route"));
    }

    [Fact]
    public async Task A_completion_without_an_outcome_is_refused()
    {
        var workflow = await StartHearingAsync();

        var error = await Assert.ThrowsAsync<TaskResponseException>(() => workflow.ResumeAsync(workflow.BookmarkAt("hear"), null));

        Assert.Equal("outcome", Assert.Single(error.Errors).Field);
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
    }

    [Fact]
    public async Task A_rating_below_the_threshold_sends_the_matter_back_to_execution_with_a_fresh_task()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "execute", "type": "HumanTask", "title": "整改：${variables.title}", "role": "property",
               "outcomes": [{ "name": "done", "label": "已完成" }] },
             { "id": "rate", "type": "HumanTask", "title": "评价整改结果", "role": "resident", "outputVariable": "rating",
               "form": [{ "name": "satisfaction", "label": "满意度", "type": "select", "options": ["满意", "基本满意", "不满意"], "required": true }],
               "outcomes": [{ "name": "rated", "label": "提交" }] },
             { "id": "satisfied", "type": "Decision", "condition": "variables.rating.values.satisfaction !== '不满意'" },
             { "id": "close", "type": "End" }]
            """, "start > execute; execute:done > rate; rate:rated > satisfied; satisfied:True > close; satisfied:False > execute",
            """[{ "name": "title", "type": "string", "value": "垃圾清运不及时" }, { "name": "rating", "type": "object" }]""");

        var first = workflow.BookmarkAt("execute");
        await workflow.ResumeAsync(first, Json.Parse("""{ "outcome": "done" }"""));
        await workflow.ResumeAsync(workflow.BookmarkAt("rate"), Json.Parse("""{ "outcome": "rated", "values": { "satisfaction": "不满意" } }"""));

        var second = workflow.BookmarkAt("execute");
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);

        await workflow.ResumeAsync(second, Json.Parse("""{ "outcome": "done" }"""));
        await workflow.ResumeAsync(workflow.BookmarkAt("rate"), Json.Parse("""{ "outcome": "rated", "values": { "satisfaction": "基本满意" } }"""));

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Equal(2, workflow.Executed.Count(id => id == "execute"));
    }
}
