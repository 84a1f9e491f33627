using System.Text.Json.Nodes;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;
using Deliberate.Workflows.Validation;

namespace Deliberate.Tests.Workflows;

/// <summary>A join that needs all branches waits only for the branches still under way; and the validator's later checks.</summary>
public sealed class JoinAndValidationAdditionsTests
{
    const string Variables = """[{ "name": "path", "type": "array", "value": [] }, { "name": "skip", "type": "boolean", "value": true }]""";
    static string Mark(string id) => $$"""{ "id": "{{id}}", "type": "SetVariable", "variable": "path", "value": "[...variables.path, '{{id}}']" }""";

    // fork → a: wait for event "a" → join;  fork → b: decision (skip?) → true: nowhere (the branch ends) / false: wait "b" → join.
    static readonly string Branches = $$"""
        [{ "id": "start", "type": "Start" },
         { "id": "fork", "type": "Fork", "branches": ["a", "b"] },
         { "id": "waitA", "type": "WaitForEvent", "eventName": "a" },
         { "id": "check", "type": "Decision", "condition": "variables.skip" },
         { "id": "waitB", "type": "WaitForEvent", "eventName": "b" },
         { "id": "join", "type": "Join", "mode": "all" },
         {{Mark("after")}}]
        """;
    const string Connections = "start > fork; fork:a > waitA; fork:b > check; check:False > waitB; waitA > join; waitB > join; join > after";

    [Fact]
    public async Task A_join_that_needs_all_does_not_wait_for_a_branch_a_decision_sent_elsewhere()
    {
        var workflow = await TestWorkflow.StartAsync(Branches, Connections, Variables);
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
        Assert.DoesNotContain(workflow.State.Bookmarks, b => b.ActivityId == "waitB");

        await workflow.ResumeAsync(workflow.BookmarkAt("waitA"));
        Assert.Equal(["after"], workflow.Variable("path")!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_join_that_needs_all_still_waits_for_a_branch_that_is_waiting()
    {
        var workflow = await TestWorkflow.StartAsync(Branches, Connections, Variables.Replace("\"value\": true", "\"value\": false"));
        await workflow.ResumeAsync(workflow.BookmarkAt("waitA"));
        Assert.Empty(workflow.Variable("path")!.AsArray());
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);

        await workflow.ResumeAsync(workflow.BookmarkAt("waitB"));
        Assert.Equal(["after"], workflow.Variable("path")!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    static string[] Path(TestWorkflow workflow) => workflow.Variable("path")!.AsArray().Select(p => p!.GetValue<string>()).ToArray();

    [Fact]
    public async Task A_join_after_branches_that_finish_in_the_same_run_goes_on_once()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" }, { "id": "fork", "type": "Fork", "branches": ["a", "b"] },
             {{Mark("a")}}, {{Mark("b")}}, { "id": "join", "type": "Join", "mode": "all" }, {{Mark("after")}}]
            """, "start > fork; fork:a > a; fork:b > b; a > join; b > join; join > after", Variables);

        Assert.Equal(["a", "b", "after"], Path(workflow));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task A_join_after_a_start_with_two_connections_goes_on_once()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" }, {{Mark("a")}}, {{Mark("b")}}, { "id": "join", "type": "Join", "mode": "all" }, {{Mark("after")}}]
            """, "start > a; start > b; a > join; b > join; join > after", Variables);

        Assert.Equal(["a", "b", "after"], Path(workflow));
    }

    [Fact]
    public async Task A_join_after_a_synchronous_branch_and_a_waiting_one_goes_on_once_when_the_waiting_one_arrives()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" }, { "id": "fork", "type": "Fork", "branches": ["a", "b", "c"] },
             {{Mark("a")}}, { "id": "waitB", "type": "WaitForEvent", "eventName": "b" }, {{Mark("c")}},
             { "id": "join", "type": "Join", "mode": "all" }, {{Mark("after")}}]
            """, "start > fork; fork:a > a; fork:b > waitB; fork:c > c; a > join; waitB > join; c > join; join > after", Variables);
        Assert.Equal(["a", "c"], Path(workflow));
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);

        await workflow.ResumeAsync(workflow.BookmarkAt("waitB"));
        Assert.Equal(["a", "c", "after"], Path(workflow));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public async Task Nested_forks_and_joins_each_go_on_once()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" }, { "id": "outer", "type": "Fork", "branches": ["a", "inner"] },
             { "id": "inner", "type": "Fork", "branches": ["b", "c"] }, {{Mark("a")}}, {{Mark("b")}}, {{Mark("c")}},
             { "id": "innerJoin", "type": "Join", "mode": "all" }, {{Mark("between")}},
             { "id": "outerJoin", "type": "Join", "mode": "all" }, {{Mark("after")}}]
            """, "start > outer; outer:a > a; outer:inner > inner; inner:b > b; inner:c > c; b > innerJoin; c > innerJoin; "
            + "innerJoin > between; between > outerJoin; a > outerJoin; outerJoin > after", Variables);

        Assert.Equal(1, Path(workflow).Count(p => p == "between"));
        Assert.Equal(1, Path(workflow).Count(p => p == "after"));
        Assert.Equal("after", Path(workflow)[^1]);
    }

    [Fact]
    public async Task A_join_inside_a_loop_goes_on_once_per_round()
    {
        var workflow = await TestWorkflow.StartAsync($$"""
            [{ "id": "start", "type": "Start" }, { "id": "fork", "type": "Fork", "branches": ["a", "b"] },
             {{Mark("a")}}, {{Mark("b")}}, { "id": "join", "type": "Join", "mode": "all" }, {{Mark("round")}},
             { "id": "again", "type": "Decision", "condition": "variables.path.filter(p => p === 'round').length < 3" }]
            """, "start > fork; fork:a > a; fork:b > b; a > join; b > join; join > round; round > again; again:True > fork", Variables);

        Assert.Equal(3, Path(workflow).Count(p => p == "round"));
        Assert.Equal(["a", "b", "round", "a", "b", "round", "a", "b", "round"], Path(workflow));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    static IReadOnlyList<DefinitionError> Validate(string activities, string connections, string variables = "[]") =>
        DefinitionValidator.Validate(Definitions.Parse(activities, connections, variables), ActivityRegistry.WithBuiltIns(), new ScriptEngine());

    [Theory]
    [InlineData("Math")]
    [InlineData("JSON")]
    [InlineData("variables")]
    [InlineData("return")]
    public void A_variable_may_not_hide_a_javascript_built_in_or_reserved_word(string name)
    {
        var errors = Validate("""[{ "id": "start", "type": "Start" }]""", "", $$"""[{ "name": "{{name}}" }]""");
        Assert.Contains(errors, e => e.Code == "variableName" && e.MessageEn.Contains(name));
    }

    [Theory]
    [InlineData("""{ "id": "fork", "type": "Fork", "branches": ["a", "a"] }""", "duplicateOutcome")]
    [InlineData("""{ "id": "fork", "type": "Fork", "branches": ["a", ""] }""", "emptyOutcome")]
    [InlineData("""{ "id": "fork", "type": "Switch", "cases": [{ "name": "Default", "condition": "true" }] }""", "duplicateOutcome")]
    [InlineData("""{ "id": "fork", "type": "HumanTask", "title": "t", "role": "r", "outcomes": [{ "name": "ok" }, { "name": "ok" }] }""", "duplicateOutcome")]
    public void Listed_ports_need_a_name_each_used_once(string activity, string code)
    {
        var errors = Validate($$"""[{ "id": "start", "type": "Start" }, {{activity}}]""", "start > fork");
        Assert.Contains(errors, e => e.Code == code && e.ActivityId == "fork");
    }

    [Theory]
    [InlineData("""[{ "name": "note", "type": "essay" }]""")]
    [InlineData("""[{ "name": "choice", "type": "select" }]""")]
    [InlineData("""[{ "name": "note" }, { "name": "note" }]""")]
    [InlineData("""[{ "name": "two words" }]""")]
    public void A_task_form_needs_named_fields_of_known_types_and_selects_with_options(string form)
    {
        var errors = Validate($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "task", "type": "HumanTask", "title": "t", "role": "r", "outcomes": [{ "name": "ok" }], "form": {{form}} }]
            """, "start > task");
        Assert.Contains(errors, e => e.Code == "badFormField" && e.ActivityId == "task");
    }

    [Fact]
    public async Task Task_outcomes_may_be_written_as_plain_names()
    {
        var workflow = await TestWorkflow.StartAsync("""
            [{ "id": "start", "type": "Start" },
             { "id": "task", "type": "HumanTask", "title": "t", "role": "r", "outcomes": ["ok", "no"] },
             { "id": "end", "type": "End" }]
            """, "start > task; task:ok > end");
        var bookmark = workflow.BookmarkAt("task");
        await workflow.ResumeAsync(bookmark, JsonNode.Parse("""{ "outcome": "ok" }"""));
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }
}
