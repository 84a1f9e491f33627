using System.Text.Json.Nodes;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Tests.Workflows;

public class FlowTests
{
    const string PathVariable = """[{ "name": "path", "type": "array", "value": [] }, { "name": "n", "type": "number", "value": 0 }]""";

    /// <summary>A SetVariable that appends its own name to the "path" variable, to see which activities ran.</summary>
    static string Mark(string id) => $$"""{ "id": "{{id}}", "type": "SetVariable", "variable": "path", "value": "[...variables.path, '{{id}}']" }""";

    static string[] PathOf(TestWorkflow workflow) =>
        workflow.Variable("path")!.AsArray().Select(n => (string)n!).ToArray();

    [Fact]
    public async Task A_workflow_of_start_and_end_finishes_at_once()
    {
        var workflow = await TestWorkflow.StartAsync("""[{ "id": "start", "type": "Start" }, { "id": "end", "type": "End" }]""", "start > end");

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Equal(["start", "end"], workflow.Executed);
        Assert.Equal(JournalEvent.WorkflowFinished, workflow.Journal.Last().Event);
    }

    [Fact]
    public async Task End_finishes_the_instance_and_drops_the_bookmarks_of_the_other_branches()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "fork", "type": "Fork", "branches": ["wait", "close"] },
             { "id": "waitA", "type": "WaitForEvent", "eventName": "a" },
             { "id": "waitB", "type": "WaitForEvent", "eventName": "b" },
             { "id": "end", "type": "End" },
             { "id": "afterA", "type": "SetVariable", "variable": "n", "value": "1" }]
            """, "start > fork; fork:wait > waitA; fork:close > waitB; waitB > end; waitA > afterA", PathVariable);
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
        var waitingA = workflow.BookmarkAt("waitA");

        var run = await workflow.ResumeAsync(workflow.BookmarkAt("waitB"), JsonValue.Create("closed"));

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Empty(workflow.State.Bookmarks);
        Assert.Contains(run.RemovedBookmarks, b => b.Id == waitingA.Id);
        Assert.Empty(workflow.State.Queue);
        await Assert.ThrowsAsync<WorkflowStateException>(() => workflow.ResumeAsync(waitingA));
        Assert.Equal(0, (int)workflow.Variable("n")!);
    }

    [Fact]
    public async Task An_activity_without_outgoing_connections_ends_its_branch_and_the_workflow_finishes_when_nothing_is_left()
    {
        var workflow = await TestWorkflow.StartAsync($$"""[{ "id": "start", "type": "Start" }, {{Mark("only")}}]""", "start > only", PathVariable);

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Equal(["only"], PathOf(workflow));
    }

    [Theory]
    [InlineData(4, "yes")]
    [InlineData(3, "yes")]
    [InlineData(2, "no")]
    public async Task A_decision_goes_true_or_false_by_its_javascript_condition(int score, string expected)
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "check", "type": "Decision", "condition": "variables.score >= 3" },
             {{Mark("yes")}}, {{Mark("no")}}]
            """, "start > check; check:True > yes; check:False > no",
            """[{ "name": "path", "type": "array", "value": [] }, { "name": "score", "type": "number" }]""",
            input: new() { ["score"] = score });

        Assert.Equal([expected], PathOf(workflow));
        Assert.Contains(workflow.Journal, j => j.ActivityId == "check" && j.Outcome == (expected == "yes" ? "True" : "False"));
    }

    [Fact]
    public async Task A_decision_condition_can_read_a_variable_by_its_own_name()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "check", "type": "Decision", "condition": "category === '大事'" },
             {{Mark("yes")}}, {{Mark("no")}}]
            """, "start > check; check:True > yes; check:False > no",
            """[{ "name": "path", "type": "array", "value": [] }, { "name": "category", "type": "string", "value": "大事" }]""");

        Assert.Equal(["yes"], PathOf(workflow));
    }

    const string SwitchActivities = """
        [{ "id": "start", "type": "Start" },
         { "id": "route", "type": "Switch", "mode": "MODE", "cases": [
             { "name": "high", "condition": "variables.n > 10" },
             { "name": "positive", "condition": "variables.n > 0" }] },
         { "id": "high", "type": "SetVariable", "variable": "path", "value": "[...variables.path, 'high']" },
         { "id": "positive", "type": "SetVariable", "variable": "path", "value": "[...variables.path, 'positive']" },
         { "id": "other", "type": "SetVariable", "variable": "path", "value": "[...variables.path, 'other']" }]
        """;

    const string SwitchConnections = "start > route; route:high > high; route:positive > positive; route:Default > other";

    [Theory]
    [InlineData("matchFirst", 20, new[] { "high" })]
    [InlineData("matchFirst", 5, new[] { "positive" })]
    [InlineData("matchAny", 20, new[] { "high", "positive" })]
    [InlineData("matchAny", 5, new[] { "positive" })]
    [InlineData("matchFirst", -1, new[] { "other" })]
    [InlineData("matchAny", -1, new[] { "other" })]
    public async Task A_switch_goes_by_the_first_or_every_matching_case_and_by_default_when_none_matches(string mode, int n, string[] expected)
    {
        var workflow = await TestWorkflow.StartAsync(SwitchActivities.Replace("MODE", mode), SwitchConnections, PathVariable,
            input: new() { ["n"] = n });

        Assert.Equal(expected, PathOf(workflow));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_fork_runs_every_branch()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "fork", "type": "Fork", "branches": ["a", "b", "c"] },
             {{Mark("a")}}, {{Mark("b")}}, {{Mark("c")}}]
            """, "start > fork; fork:a > a; fork:b > b; fork:c > c", PathVariable);

        Assert.Equal(["a", "b", "c"], PathOf(workflow).Order());
        Assert.Contains(workflow.Journal, j => j.ActivityId == "fork" && j.Outcome == "a,b,c");
    }

    const string TwoWaitingBranches = """
        { "id": "start", "type": "Start" },
        { "id": "fork", "type": "Fork", "branches": ["a", "b"] },
        { "id": "waitA", "type": "WaitForEvent", "eventName": "a" },
        { "id": "waitB", "type": "WaitForEvent", "eventName": "b" },
        """;

    [Fact]
    public async Task A_join_that_needs_all_branches_waits_for_the_last_one()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{{TwoWaitingBranches}}
             { "id": "join", "type": "Join", "mode": "all" },
             {{Mark("after")}}]
            """, "start > fork; fork:a > waitA; fork:b > waitB; waitA > join; waitB > join; join > after", PathVariable);

        await workflow.ResumeAsync(workflow.BookmarkAt("waitA"));
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
        Assert.Empty(PathOf(workflow));
        Assert.Contains(workflow.LastRun.Journal, j => j.ActivityId == "join" && j.Event == JournalEvent.Held);

        await workflow.ResumeAsync(workflow.BookmarkAt("waitB"));
        Assert.Equal(["after"], PathOf(workflow));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_join_that_needs_all_branches_starts_afresh_each_time_round_a_loop()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "round", "type": "SetVariable", "variable": "n", "value": "variables.n + 1" },
             { "id": "fork", "type": "Fork", "branches": ["a", "b"] },
             { "id": "waitA", "type": "WaitForEvent", "eventName": "a" },
             { "id": "waitB", "type": "WaitForEvent", "eventName": "b" },
             { "id": "join", "type": "Join", "mode": "all" },
             {{Mark("joined")}},
             { "id": "again", "type": "Decision", "condition": "variables.n < 2" }]
            """, "start > round; round > fork; fork:a > waitA; fork:b > waitB; waitA > join; waitB > join; join > joined; joined > again; again:True > round",
            PathVariable);

        await workflow.ResumeAsync(workflow.BookmarkAt("waitA"));
        await workflow.ResumeAsync(workflow.BookmarkAt("waitB"));
        Assert.Equal(2, (int)workflow.Variable("n")!);
        Assert.Equal(["joined"], PathOf(workflow));

        // Second round: one arrival must not be enough, although both arrived last time.
        await workflow.ResumeAsync(workflow.BookmarkAt("waitB"));
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
        Assert.Equal(["joined"], PathOf(workflow));

        await workflow.ResumeAsync(workflow.BookmarkAt("waitA"));
        Assert.Equal(["joined", "joined"], PathOf(workflow));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_join_that_needs_any_branch_goes_on_with_the_first_and_drops_the_other_bookmarks()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{{TwoWaitingBranches}}
             { "id": "join", "type": "Join", "mode": "any" },
             {{Mark("after")}}]
            """, "start > fork; fork:a > waitA; fork:b > waitB; waitA > join; waitB > join; join > after", PathVariable);
        var waitingB = workflow.BookmarkAt("waitB");

        var run = await workflow.ResumeAsync(workflow.BookmarkAt("waitA"));

        Assert.Equal(["after"], PathOf(workflow));
        Assert.Contains(run.RemovedBookmarks, b => b.Id == waitingB.Id);
        Assert.Empty(workflow.State.Bookmarks);
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_join_that_needs_any_branch_drops_the_work_still_queued_on_the_other_branches()
    {
        // Branch b is two steps long: when a reaches the join, b's second step is still queued.
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "fork", "type": "Fork", "branches": ["a", "b"] },
             {{Mark("a")}}, {{Mark("b1")}}, {{Mark("b2")}},
             { "id": "join", "type": "Join", "mode": "any" },
             {{Mark("after")}}]
            """, "start > fork; fork:a > a; fork:b > b1; b1 > b2; a > join; b2 > join; join > after", PathVariable);

        Assert.Equal(["a", "b1", "after"], PathOf(workflow));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_join_that_needs_any_branch_goes_on_only_once_when_every_branch_arrives_in_the_same_run()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "fork", "type": "Fork", "branches": ["a", "b"] },
             {{Mark("a")}}, {{Mark("b")}},
             { "id": "join", "type": "Join", "mode": "any" },
             {{Mark("after")}}]
            """, "start > fork; fork:a > a; fork:b > b; a > join; b > join; join > after", PathVariable);

        Assert.Equal(1, PathOf(workflow).Count(p => p == "after"));
    }

    [Fact]
    public async Task SetVariable_stores_the_value_of_its_expression()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "set", "type": "SetVariable", "variable": "summary", "value": "({ title: variables.title, count: variables.n * 2 })" }]
            """, "start > set",
            """[{ "name": "title", "type": "string", "value": "楼道灯不亮" }, { "name": "n", "type": "number", "value": 21 }, { "name": "summary", "type": "object" }]""");

        Assert.Equal("""{"title":"楼道灯不亮","count":42}""", Json.Text(workflow.Variable("summary")));
    }

    [Fact]
    public async Task A_loop_that_waits_each_round_runs_until_its_condition_fails()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "wait", "type": "WaitForEvent", "eventName": "tick" },
             { "id": "count", "type": "SetVariable", "variable": "n", "value": "variables.n + 1" },
             { "id": "more", "type": "Decision", "condition": "variables.n < 3" }]
            """, "start > wait; wait > count; count > more; more:True > wait", PathVariable);

        var seen = new HashSet<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var bookmark = workflow.BookmarkAt("wait");
            Assert.True(seen.Add(bookmark.Id), "each round waits on a fresh bookmark");
            await workflow.ResumeAsync(bookmark);
        }

        Assert.Equal(3, (int)workflow.Variable("n")!);
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }
}
