using System.Text.Json.Nodes;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.Tests.Workflows;

/// <summary>A service the test activities below share with the test that runs them.</summary>
sealed class Probe
{
    public WorkflowState? State { get; set; }
    public List<WorkflowStatus> SeenStatuses { get; } = [];
    public int FailuresLeft { get; set; }
    public int Calls { get; set; }
}

[Activity("Test.Observe", "Primitives", "观察", "Observe")]
[Outcome("Done", "完成", "Done")]
sealed class Observe(Probe probe) : Activity
{
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        probe.SeenStatuses.Add(probe.State!.Status);
        return new(ActivityResult.Done("Done"));
    }
}

[Activity("Test.Flaky", "Primitives", "不稳定", "Flaky")]
[Outcome("Done", "完成", "Done")]
sealed class Flaky(Probe probe) : Activity
{
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        probe.Calls++;
        if (probe.FailuresLeft-- > 0) throw new InvalidOperationException("The notice board service is down.");
        return new(ActivityResult.Done("Done"));
    }
}

public class InstanceLifecycleTests
{
    static ActivityRegistry RegistryWithTestActivities() => ActivityRegistry.WithBuiltIns().Add<Observe>().Add<Flaky>();

    [Fact]
    public async Task An_instance_is_running_while_its_activities_execute()
    {
        var probe = new Probe();
        var workflow = TestWorkflow.Create(Definitions.Parse("""
            [{ "id": "start", "type": "Start" }, { "id": "observe", "type": "Test.Observe" }]
            """, "start > observe"), RegistryWithTestActivities(), services: s => s.AddSingleton(probe));
        probe.State = workflow.State;

        await workflow.StartAsync();

        Assert.Equal([WorkflowStatus.Running], probe.SeenStatuses);
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task An_instance_that_waits_is_suspended_and_finishes_when_resumed()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" }, { "id": "wait", "type": "WaitForEvent", "eventName": "x" }]
            """, "start > wait");
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);

        await workflow.ResumeAsync(workflow.BookmarkAt("wait"));

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Empty(workflow.State.Bookmarks);
    }

    [Fact]
    public async Task Cancelling_a_suspended_instance_drops_its_bookmarks_and_it_cannot_be_resumed()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" }, { "id": "wait", "type": "WaitForEvent", "eventName": "x" }]
            """, "start > wait");
        var bookmark = workflow.BookmarkAt("wait");

        var run = workflow.Cancel(TestWorkflow.GridWorker);

        Assert.Equal(WorkflowStatus.Cancelled, workflow.Status);
        Assert.Equal(bookmark.Id, Assert.Single(run.RemovedBookmarks).Id);
        Assert.Empty(workflow.State.Bookmarks);
        var line = Assert.Single(run.Journal);
        Assert.Equal((JournalEvent.Cancelled, TestWorkflow.GridWorker), (line.Event, line.Actor));
        await Assert.ThrowsAsync<WorkflowStateException>(() => workflow.ResumeAsync(bookmark));
        Assert.Throws<WorkflowStateException>(() => workflow.Cancel());
    }

    [Fact]
    public async Task A_finished_instance_cannot_be_cancelled_or_retried()
    {
        var workflow = await TestWorkflow.StartAsync("""[{ "id": "start", "type": "Start" }]""");

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Throws<WorkflowStateException>(() => workflow.Cancel());
        await Assert.ThrowsAsync<WorkflowStateException>(() => workflow.RetryAsync());
    }

    [Fact]
    public async Task Resuming_a_bookmark_that_is_not_waiting_fails_as_not_found()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" }, { "id": "wait", "type": "WaitForEvent", "eventName": "x" }]
            """, "start > wait");
        var stale = workflow.BookmarkAt("wait") with { Id = Guid.NewGuid() };

        var error = await Assert.ThrowsAsync<BookmarkNotFoundException>(() => workflow.ResumeAsync(stale));

        Assert.Equal(stale.Id, error.BookmarkId);
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
    }

    [Fact]
    public async Task The_journal_records_every_execution_with_its_outcome_and_actor()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "check", "type": "Decision", "displayName": "是否大事", "condition": "true" },
             { "id": "wait", "type": "WaitForEvent", "eventName": "meeting.held" },
             { "id": "end", "type": "End" }]
            """, "start > check; check:True > wait; wait > end");
        workflow.Clock.Advance(TimeSpan.FromHours(1));
        await workflow.ResumeAsync(workflow.BookmarkAt("wait"), actor: TestWorkflow.GridWorker);

        var lines = workflow.Journal.Select(j => (j.Event, j.ActivityId, j.Outcome, j.Actor!.Id)).ToList();
        Assert.Equal(
        [
            (JournalEvent.WorkflowStarted, null, null, "u-secretary"),
            (JournalEvent.Executed, "start", "Done", "u-secretary"),
            (JournalEvent.Executed, "check", "True", "u-secretary"),
            (JournalEvent.Suspended, "wait", null, "u-secretary"),
            (JournalEvent.Resumed, "wait", "Done", "u-grid"),
            (JournalEvent.Executed, "end", null, "u-grid"),
            (JournalEvent.WorkflowFinished, null, null, "u-grid"),
        ], lines);
        var check = workflow.Journal.Single(j => j.ActivityId == "check");
        Assert.Equal(("Decision", "是否大事", TestWorkflow.Epoch), (check.ActivityType, check.ActivityName, check.At));
        Assert.Equal(TestWorkflow.Epoch.AddHours(1), workflow.Journal.Last().At);
        Assert.Equal("开始", workflow.Journal.Single(j => j.ActivityId == "start").ActivityName);
    }

    [Fact]
    public async Task A_condition_that_throws_faults_the_instance_with_an_incident_and_a_retry_after_the_fix_goes_on()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "check", "type": "Decision", "condition": "variables.rules.threshold > 2" },
             { "id": "yes", "type": "SetVariable", "variable": "result", "value": "'high'" }]
            """, "start > check; check:True > yes",
            """[{ "name": "rules", "type": "object" }, { "name": "result", "type": "string" }]""");

        Assert.Equal(WorkflowStatus.Faulted, workflow.Status);
        var incident = Assert.Single(workflow.State.Incidents);
        Assert.Equal("check", incident.ActivityId);
        Assert.Contains("threshold", incident.Message);
        Assert.Null(incident.ResolvedAt);
        Assert.Contains(workflow.Journal, j => j.Event == JournalEvent.Faulted && j.ActivityId == "check");
        Assert.DoesNotContain(workflow.Journal, j => j.Event == JournalEvent.WorkflowFinished);

        workflow.State.Variables["rules"] = new JsonObject { ["threshold"] = 5 };
        workflow.Clock.Advance(TimeSpan.FromMinutes(10));
        var run = await workflow.RetryAsync(TestWorkflow.GridWorker);

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Equal("high", (string?)workflow.Variable("result"));
        Assert.Equal(TestWorkflow.Epoch.AddMinutes(10), incident.ResolvedAt);
        Assert.Equal((JournalEvent.Retried, "check", TestWorkflow.GridWorker),
            (run.Journal[0].Event, run.Journal[0].ActivityId, run.Journal[0].Actor));
    }

    [Fact]
    public async Task A_throwing_activity_keeps_its_place_so_a_retry_runs_it_again_and_only_it()
    {
        var probe = new Probe { FailuresLeft = 1 };
        var workflow = TestWorkflow.Create(Definitions.Parse("""
            [{ "id": "start", "type": "Start" },
             { "id": "count", "type": "SetVariable", "variable": "n", "value": "variables.n + 1" },
             { "id": "post", "type": "Test.Flaky", "displayName": "公示" },
             { "id": "after", "type": "SetVariable", "variable": "posted", "value": "true" }]
            """, "start > count; count > post; post > after",
            """[{ "name": "n", "type": "number", "value": 0 }, { "name": "posted", "type": "boolean", "value": false }]"""),
            RegistryWithTestActivities(), services: s => s.AddSingleton(probe));

        await workflow.StartAsync();
        Assert.Equal(WorkflowStatus.Faulted, workflow.Status);
        var incident = Assert.Single(workflow.State.Incidents);
        Assert.Equal("post", incident.ActivityId);
        Assert.Contains("notice board", incident.Message);
        Assert.Equal("post", Assert.Single(workflow.State.Queue).ActivityId);

        await workflow.RetryAsync();

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Equal(2, probe.Calls);
        Assert.Equal(1, (int)workflow.Variable("n")!);
        Assert.True((bool)workflow.Variable("posted")!);
        Assert.NotNull(incident.ResolvedAt);
    }

    [Fact]
    public async Task A_retry_that_fails_again_opens_a_new_incident()
    {
        var probe = new Probe { FailuresLeft = 2 };
        var workflow = TestWorkflow.Create(Definitions.Parse("""
            [{ "id": "start", "type": "Start" }, { "id": "post", "type": "Test.Flaky" }]
            """, "start > post"), RegistryWithTestActivities(), services: s => s.AddSingleton(probe));

        await workflow.StartAsync();
        await workflow.RetryAsync();

        Assert.Equal(WorkflowStatus.Faulted, workflow.Status);
        Assert.Equal(2, workflow.State.Incidents.Count);
        Assert.NotNull(workflow.State.Incidents[0].ResolvedAt);
        Assert.Null(workflow.State.Incidents[1].ResolvedAt);
    }

    [Fact]
    public async Task A_suspended_instance_cannot_be_retried()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" }, { "id": "wait", "type": "WaitForEvent", "eventName": "x" }]
            """, "start > wait");

        await Assert.ThrowsAsync<WorkflowStateException>(() => workflow.RetryAsync());
    }

    [Fact]
    public async Task A_faulted_instance_can_be_cancelled()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" }, { "id": "check", "type": "Decision", "condition": "variables.missing.x" }]
            """, "start > check");
        Assert.Equal(WorkflowStatus.Faulted, workflow.Status);

        workflow.Cancel();

        Assert.Equal(WorkflowStatus.Cancelled, workflow.Status);
        Assert.Empty(workflow.State.Queue);
    }

    [Fact]
    public async Task A_loop_that_never_waits_faults_after_the_step_limit()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "count", "type": "SetVariable", "variable": "n", "value": "variables.n + 1" },
             { "id": "again", "type": "Decision", "condition": "true" }]
            """, "start > count; count > again; again:True > count",
            """[{ "name": "n", "type": "number", "value": 0 }]""", maxSteps: 40);

        Assert.Equal(WorkflowStatus.Faulted, workflow.Status);
        Assert.Equal(40, workflow.LastRun.Steps);
        var incident = Assert.Single(workflow.State.Incidents);
        Assert.Contains("40", incident.Message);
        Assert.Contains("loop", incident.Message);
        Assert.InRange((int)workflow.Variable("n")!, 19, 20);
    }

    [Fact]
    public async Task Start_input_sets_declared_variables_over_their_defaults()
    {
        var workflow = await TestWorkflow.StartAsync("""[{ "id": "start", "type": "Start" }]""", "",
            """[{ "name": "title", "type": "string", "value": "未命名" }, { "name": "grid", "type": "string", "value": "grid-1" }]""",
            input: new() { ["title"] = "楼道堆物" });

        Assert.Equal("楼道堆物", (string?)workflow.Variable("title"));
        Assert.Equal("grid-1", (string?)workflow.Variable("grid"));
    }

    [Fact]
    public async Task Start_input_with_undeclared_variables_is_refused_naming_them()
    {
        var workflow = TestWorkflow.Create(Definitions.Parse("""[{ "id": "start", "type": "Start" }]""", "",
            """[{ "name": "title", "type": "string" }]"""));

        var error = await Assert.ThrowsAsync<WorkflowInputException>(() =>
            workflow.StartAsync(new() { ["title"] = "x", ["titel"] = "y", ["gridId"] = "g" }));

        Assert.Equal(["titel", "gridId"], error.Unknown);
        Assert.Empty(workflow.Runs);
        Assert.Empty(workflow.State.Variables);
    }

    [Fact]
    public async Task Scripts_see_the_instance_through_the_workflow_global()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "set", "type": "SetVariable", "variable": "where", "value": "workflow.definitionId + '@' + workflow.version + ':' + workflow.correlationId + ':' + workflow.instanceId" }]
            """, "start > set", """[{ "name": "where", "type": "string" }]""");

        Assert.Equal($"test-flow@1:matter-1:{workflow.InstanceId}", (string?)workflow.Variable("where"));
    }
}
