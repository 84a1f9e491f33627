using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;
using Deliberate.Workflows.Validation;

namespace Deliberate.Tests.Workflows;

public class ValidationTests
{
    const string Variables = """[{ "name": "n", "type": "number", "value": 0 }]""";
    const string Start = """{ "id": "start", "type": "Start" }""";
    const string SetN = """{ "id": "a", "type": "SetVariable", "variable": "n", "value": "1" }""";

    static IReadOnlyList<DefinitionError> Validate(string activities, string connections, string variables = Variables) =>
        DefinitionValidator.Validate(Definitions.Parse(activities, connections, variables), ActivityRegistry.WithBuiltIns(), new ScriptEngine());

    /// <summary>activities, connections, expected code, expected activity id.</summary>
    public static TheoryData<string, string, string, string?> Faults => new()
    {
        { $$"""[{{Start}}, { "id": "teleport", "type": "Teleport" }]""", "start > teleport", "unknownType", "teleport" },
        { $$"""[{{Start}}, {{SetN}}]""", "start > a; a > ghost", "danglingConnection", "a" },
        { $$"""[{{Start}}, {{SetN}}]""", "start > a; ghost > a", "danglingConnection", "ghost" },
        { $$"""[{{Start}}, {{SetN}}]""", "start > a; start > a", "duplicateConnection", "start" },
        { $$"""[{{Start}}, { "id": "check", "type": "Decision", "condition": "true" }, {{SetN}}]""", "start > check; check:Maybe > a", "unknownPort", "check" },
        { $$"""[{{Start}}, {{SetN}}, { "id": "end", "type": "End" }]""", "start > end; end > a", "unknownPort", "end" },
        { $$"""[{{Start}}, { "id": "fork", "type": "Fork", "branches": ["x", "y"] }, {{SetN}}]""", "start > fork; fork:z > a", "unknownPort", "fork" },
        { $$"""[{{SetN}}]""", "", "noStart", null },
        { $$"""[{{Start}}, { "id": "start2", "type": "Start" }]""", "", "manyStarts", "start2" },
        { $$"""[{{Start}}, {{SetN}}, { "id": "island", "type": "End" }]""", "start > a", "unreachable", "island" },
        { $$"""[{{Start}}, {{SetN}}]""", "start > a; a > start", "connectionToStart", "start" },
        { $$"""[{{Start}}, {{SetN}}, { "id": "join", "type": "Join" }]""", "start > a; a > join", "joinWithoutBranches", "join" },
        { $$"""[{{Start}}, {{SetN}}, {{SetN}}]""", "start > a", "duplicateActivity", "a" },
        { $$"""[{{Start}}, { "id": "check", "type": "Decision" }]""", "start > check", "missingInput", "check" },
        { $$"""[{{Start}}, { "id": "check", "type": "Decision", "condition": "  " }]""", "start > check", "missingInput", "check" },
        { $$"""[{{Start}}, { "id": "pause", "type": "Delay" }]""", "start > pause", "missingInput", "pause" },
        { $$"""[{{Start}}, { "id": "task", "type": "HumanTask", "title": "核实", "role": "gridWorker", "outcomes": [] }]""", "start > task", "missingInput", "task" },
        { $$"""[{{Start}}, { "id": "check", "type": "Decision", "condition": "variables.n >" }]""", "start > check", "badScript", "check" },
        { $$"""[{{Start}}, { "id": "route", "type": "Switch", "cases": [{ "name": "big", "condition": "variables.n > )" }] }]""", "start > route", "badScript", "route" },
        { $$"""[{{Start}}, { "id": "task", "type": "HumanTask", "title": "核实 ${variables.n +}", "role": "r", "outcomes": [{ "name": "ok" }] }]""", "start > task", "badScript", "task" },
        { $$"""[{{Start}}, { "id": "a", "type": "SetVariable", "variable": "ghost", "value": "1" }]""", "start > a", "unknownVariable", "a" },
        { $$"""[{{Start}}, { "id": "wait", "type": "WaitForEvent", "eventName": "x", "outputVariable": "payload" }]""", "start > wait", "unknownVariable", "wait" },
        { $$"""[{{Start}}, { "id": "pause", "type": "Delay", "duration": "soon" }]""", "start > pause", "badInput", "pause" },
        { $$"""[{{Start}}, { "id": "pause", "type": "Delay", "duration": 30 }]""", "start > pause", "badInput", "pause" },
        { $$"""[{{Start}}, { "id": "fork", "type": "Fork", "branches": "a,b" }]""", "start > fork", "badInput", "fork" },
        { $$"""[{{Start}}, {{SetN}}, { "id": "b", "type": "SetVariable", "variable": "n", "value": "2" }, { "id": "join", "type": "Join", "mode": "some" }]""", "start > a; start > b; a > join; b > join", "badOption", "join" },
        { $$"""[{{Start}}, { "id": "route", "type": "Switch", "mode": "matchAll", "cases": [{ "name": "x", "condition": "true" }] }]""", "start > route", "badOption", "route" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_faulty_definition_is_refused_with_an_error_naming_the_activity(string activities, string connections,
        string code, string? activityId)
    {
        var errors = Validate(activities, connections);

        var error = Assert.Single(errors, e => e.Code == code);
        Assert.Equal(activityId, error.ActivityId);
        if (activityId is not null)
        {
            Assert.Contains(activityId, error.MessageEn);
            // In Chinese an activity is named in words (its type's name), not by its id: only an id that is itself the
            // fault (used twice) or names no activity is quoted.
            var node = Definitions.Parse(activities, connections, Variables).Root!.Activities.FirstOrDefault(a => a.Id == activityId);
            var type = node is null || code == "duplicateActivity" ? null : ActivityRegistry.WithBuiltIns().Find(node.Type);
            Assert.Contains(type?.DisplayName.ZhCn ?? activityId, error.MessageZh);
        }
        Assert.Equal(error.MessageZh, error.Message("zh-CN"));
        Assert.Equal(error.MessageEn, error.Message("en-US"));

        var thrown = Assert.Throws<InvalidDefinitionException>(() =>
            WorkflowPlan.Compile(Definitions.Parse(activities, connections, Variables), ActivityRegistry.WithBuiltIns(), new ScriptEngine()));
        Assert.Contains(thrown.Errors, e => e.Code == code && e.ActivityId == activityId);
    }

    [Fact]
    public void A_Chinese_message_names_the_activity_by_its_display_name_and_not_its_id()
    {
        var errors = Validate($$"""[{{Start}}, { "id": "verifyOnSite", "type": "Delay", "displayName": "等待现场核实" }]""", "start > verifyOnSite");

        var error = Assert.Single(errors, e => e.Code == "missingInput");
        Assert.Equal("verifyOnSite", error.ActivityId);
        Assert.Equal("活动“等待现场核实”缺少必填输入“时长”。", error.MessageZh);
        Assert.Contains("verifyOnSite", error.MessageEn);
    }

    [Fact]
    public void A_duration_written_in_words_is_refused_in_Chinese_with_examples_and_no_English()
    {
        var errors = Validate($$"""[{{Start}}, { "id": "pause", "type": "Delay", "duration": "一天" }]""", "start > pause");

        var error = Assert.Single(errors, e => e.Code == "badInput");
        Assert.Equal("活动“延时”的“时长”不是时长：“一天”。请填写时长，如 P1D（1天）、PT24H（24小时）、PT30M（30分钟）。", error.MessageZh);
        Assert.DoesNotContain("ISO", error.MessageZh);
        Assert.Contains("'Duration' is not a duration: '一天'", error.MessageEn);
    }

    [Fact]
    public void Every_fault_of_a_definition_is_reported_at_once()
    {
        var errors = Validate($$"""
            [{{Start}},
             { "id": "check", "type": "Decision" },
             { "id": "teleport", "type": "Teleport" },
             { "id": "a", "type": "SetVariable", "variable": "ghost", "value": "1" }]
            """, "start > check; check:True > teleport; check:True > a; check:Perhaps > a");

        Assert.Equal(["missingInput", "unknownType", "unknownVariable", "unknownPort"], errors.Select(e => e.Code));
    }

    [Theory]
    [InlineData("""[{ "name": "1st", "type": "string" }]""", "variableName")]
    [InlineData("""[{ "name": "title", "type": "string" }, { "name": "title", "type": "string" }]""", "duplicateVariable")]
    public void Bad_variable_declarations_are_refused(string variables, string code)
    {
        var errors = Validate($$"""[{{Start}}]""", "", variables);

        Assert.Equal(code, Assert.Single(errors).Code);
    }

    [Fact]
    public void A_root_that_is_not_a_flowchart_is_refused()
    {
        var definition = WorkflowJson.ParseDefinition("""
            { "definitionId": "d", "name": "n", "root": { "type": "Sequence", "activities": [] } }
            """);

        var errors = DefinitionValidator.Validate(definition, ActivityRegistry.WithBuiltIns(), new ScriptEngine());

        Assert.Equal("root", Assert.Single(errors).Code);
    }

    [Fact]
    public void A_definition_without_id_or_name_is_refused()
    {
        var definition = WorkflowJson.ParseDefinition("""
            { "definitionId": "", "name": " ", "root": { "type": "Flowchart", "activities": [{ "id": "start", "type": "Start" }] } }
            """);

        var errors = DefinitionValidator.Validate(definition, ActivityRegistry.WithBuiltIns(), new ScriptEngine());

        Assert.Equal(["definitionId", "name"], errors.Select(e => e.Code));
    }

    [Fact]
    public void A_valid_definition_using_every_activity_compiles()
    {
        var definition = Definitions.Parse("""
            [{ "id": "start", "type": "Start" },
             { "id": "hear", "type": "HumanTask", "title": "核实：${variables.title}", "role": "gridWorker", "scope": "variables.gridId",
               "deadline": "PT24H", "outputVariable": "hearing",
               "form": [{ "name": "category", "label": "分类", "type": "select", "options": ["小事", "大事"], "required": true }],
               "outcomes": [{ "name": "accept", "label": "受理" }, { "name": "reject", "label": "不予受理" }] },
             { "id": "route", "type": "Switch", "mode": "matchFirst", "cases": [{ "name": "major", "condition": "variables.hearing.values.category === '大事'" }] },
             { "id": "fork", "type": "Fork", "branches": ["vote", "notice"] },
             { "id": "vote", "type": "WaitForEvent", "eventName": "ballot.closed", "correlation": "variables.matterId", "outputVariable": "tally" },
             { "id": "notice", "type": "Delay", "duration": "P3D" },
             { "id": "join", "type": "Join", "mode": "all" },
             { "id": "passed", "type": "Decision", "condition": "variables.tally && variables.tally.passed" },
             { "id": "meeting", "type": "Timer", "at": "variables.meetingAt" },
             { "id": "record", "type": "SetVariable", "variable": "result", "value": "'passed'" },
             { "id": "end", "type": "End" }]
            """,
            "start > hear; hear:accept > route; hear:reject > end; route:major > fork; route:Default > end; fork:vote > vote; fork:notice > "
                + "notice; " +
            "vote > join; notice > join; join > passed; passed:True > meeting; passed:False > end; meeting > record; record > end",
            """
            [{ "name": "title", "type": "string" }, { "name": "gridId", "type": "string" }, { "name": "matterId", "type": "string" },
             { "name": "meetingAt", "type": "datetime" }, { "name": "hearing", "type": "object" }, { "name": "tally", "type": "object" },
             { "name": "result", "type": "string" }]
            """);

        Assert.Empty(DefinitionValidator.Validate(definition, ActivityRegistry.WithBuiltIns(), new ScriptEngine()));
        var plan = WorkflowPlan.Compile(definition, ActivityRegistry.WithBuiltIns(), new ScriptEngine());

        Assert.Equal("start", plan.Start.Node.Id);
        Assert.Equal(11, plan.Activities.Count());
        Assert.Equal(["fork", "hear", "notice", "route", "start", "vote"], plan["join"].Ancestors.Order(StringComparer.Ordinal));
        Assert.Equal(["join"], plan["vote"].Outgoing("Done").Select(c => c.Target.Activity));
    }
}
