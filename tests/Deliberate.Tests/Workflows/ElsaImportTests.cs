using System.Text.Json.Nodes;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Import;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;

namespace Deliberate.Tests.Workflows;

public class ElsaImportTests
{
    /// <summary>
    /// A deliberation flow as Elsa Studio 3.x exports it: wrapped inputs, variables with ids and text values,
    /// connections in the 3.1+ shape, designer positions and sizes, memory references, custom properties.
    /// </summary>
    const string DeliberationExport = """
        {
          "$schema": "https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json",
          "id": "8a1c5e0f2b7d4a11",
          "definitionId": "resident-deliberation",
          "name": "居民议事",
          "description": "大事进入表决与公示，小事在网格办结",
          "createdAt": "2025-02-20T09:12:44.108815+00:00",
          "version": 7,
          "toolVersion": "3.3.0.0",
          "variables": [
            { "id": "c4f1a0d2e9b34f01", "name": "Category", "typeName": "String", "isArray": false, "value": "大事",
              "storageDriverTypeName": "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core" },
            { "id": "c4f1a0d2e9b34f02", "name": "Approvals", "typeName": "Int32", "isArray": false, "value": "0",
              "storageDriverTypeName": "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core" },
            { "id": "c4f1a0d2e9b34f03", "name": "Tally", "typeName": "Object", "isArray": false,
              "storageDriverTypeName": "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core" },
            { "id": "c4f1a0d2e9b34f04", "name": "Result", "typeName": "String", "isArray": false, "value": "",
              "storageDriverTypeName": "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core" },
            { "id": "c4f1a0d2e9b34f05", "name": "Parties", "typeName": "String", "isArray": true, "value": "[\"党支部\",\"业委会\",\"物业\"]",
              "storageDriverTypeName": "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core" },
            { "id": "c4f1a0d2e9b34f06", "name": "Urgent", "typeName": "Boolean", "isArray": false, "value": "False",
              "storageDriverTypeName": "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core" }
          ],
          "inputs": [],
          "outputs": [],
          "outcomes": [],
          "customProperties": {},
          "isReadonly": false,
          "isSystem": false,
          "isLatest": true,
          "isPublished": true,
          "options": { "autoUpdateConsumingWorkflows": false },
          "root": {
            "id": "2d3c1b0a99887766",
            "nodeId": "Workflow1:2d3c1b0a99887766",
            "type": "Elsa.Flowchart",
            "version": 1,
            "customProperties": { "source": "FlowchartJsonConverter.cs:45", "notFoundConnections": [], "canStartWorkflow": false, "runAsynchronously": false },
            "metadata": {},
            "activities": [
              {
                "id": "a01start",
                "nodeId": "Workflow1:2d3c1b0a99887766:a01start",
                "name": "Start1",
                "type": "Elsa.Start",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": -420, "y": 40 }, "size": { "width": 102.4, "height": 50 } } }
              },
              {
                "condition": {
                  "typeName": "Boolean",
                  "expression": { "type": "JavaScript", "value": "return getCategory() === '大事';" }
                },
                "id": "a02major",
                "nodeId": "Workflow1:2d3c1b0a99887766:a02major",
                "name": "FlowDecision1",
                "type": "Elsa.FlowDecision",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": -240, "y": 40 }, "size": { "width": 130.5, "height": 50 } }, "displayText": "是否大事" }
              },
              {
                "variable": {
                  "id": "c4f1a0d2e9b34f04",
                  "name": "Result",
                  "typeName": "String",
                  "value": "",
                  "storageDriverTypeName": "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core"
                },
                "value": {
                  "typeName": "Object",
                  "expression": { "type": "Literal", "value": "小事不出网格" }
                },
                "id": "a03minor",
                "nodeId": "Workflow1:2d3c1b0a99887766:a03minor",
                "name": "SetVariable1",
                "type": "Elsa.SetVariable",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": -40, "y": 200 }, "size": { "width": 150, "height": 50 } } }
              },
              {
                "id": "a04finish",
                "nodeId": "Workflow1:2d3c1b0a99887766:a04finish",
                "name": "Finish1",
                "type": "Elsa.Finish",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": 180, "y": 200 }, "size": { "width": 100, "height": 50 } } }
              },
              {
                "branches": {
                  "typeName": "String[]",
                  "expression": { "type": "Object", "value": "[\"Vote\",\"Notice\"]" }
                },
                "id": "a05fork",
                "nodeId": "Workflow1:2d3c1b0a99887766:a05fork",
                "name": "FlowFork1",
                "type": "Elsa.FlowFork",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": -40, "y": 40 }, "size": { "width": 145.56, "height": 50 } } }
              },
              {
                "eventName": {
                  "typeName": "String",
                  "expression": { "type": "Literal", "value": "ballot.closed" }
                },
                "result": {
                  "typeName": "Object",
                  "memoryReference": { "id": "c4f1a0d2e9b34f03" }
                },
                "id": "a06vote",
                "nodeId": "Workflow1:2d3c1b0a99887766:a06vote",
                "name": "Event1",
                "type": "Elsa.Event",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": 180, "y": -40 }, "size": { "width": 106.8, "height": 50 } }, "displayText": "等待表决结束" }
              },
              {
                "timeSpan": {
                  "typeName": "TimeSpan",
                  "expression": { "type": "Literal", "value": "5.00:00:00" }
                },
                "strategy": {
                  "typeName": "Elsa.Scheduling.Models.DelayBlockingStrategy, Elsa.Scheduling",
                  "expression": { "type": "Literal", "value": "Auto" }
                },
                "id": "a07notice",
                "nodeId": "Workflow1:2d3c1b0a99887766:a07notice",
                "name": "Delay1",
                "type": "Elsa.Delay",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": 180, "y": 120 }, "size": { "width": 96, "height": 50 } }, "displayText": "公示五天" }
              },
              {
                "mode": {
                  "typeName": "Elsa.Workflows.Activities.Flowchart.Models.FlowJoinMode, Elsa.Workflows.Core",
                  "expression": { "type": "Literal", "value": "WaitAll" }
                },
                "id": "a08join",
                "nodeId": "Workflow1:2d3c1b0a99887766:a08join",
                "name": "FlowJoin1",
                "type": "Elsa.FlowJoin",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": 400, "y": 40 }, "size": { "width": 118.77, "height": 67.97 } } }
              },
              {
                "cases": [
                  { "label": "Passed", "condition": { "type": "JavaScript", "value": "variables.Tally.passed === true" } },
                  { "label": "Rejected", "condition": { "type": "JavaScript", "value": "getVariable(\"Tally\").passed === false" } }
                ],
                "mode": {
                  "typeName": "Elsa.Workflows.SwitchMode, Elsa.Workflows.Core",
                  "expression": { "type": "Literal", "value": "MatchFirst" }
                },
                "id": "a09outcome",
                "nodeId": "Workflow1:2d3c1b0a99887766:a09outcome",
                "name": "FlowSwitch1",
                "type": "Elsa.FlowSwitch",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": 600, "y": 40 }, "size": { "width": 130.2, "height": 50 } } }
              },
              {
                "variable": { "id": "c4f1a0d2e9b34f02", "name": "Approvals", "typeName": "Int32" },
                "value": {
                  "typeName": "Object",
                  "expression": { "type": "JavaScript", "value": "getApprovals() + 1" }
                },
                "id": "a10passed",
                "nodeId": "Workflow1:2d3c1b0a99887766:a10passed",
                "name": "SetVariable2",
                "type": "Elsa.SetVariable",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": 820, "y": -20 }, "size": { "width": 150, "height": 50 } } }
              },
              {
                "variable": { "id": "c4f1a0d2e9b34f04", "name": "Result", "typeName": "String" },
                "value": {
                  "typeName": "Object",
                  "expression": { "type": "Literal", "value": "否决" }
                },
                "id": "a11rejected",
                "nodeId": "Workflow1:2d3c1b0a99887766:a11rejected",
                "name": "SetVariable3",
                "type": "Elsa.SetVariable",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": 820, "y": 100 }, "size": { "width": 150, "height": 50 } } }
              },
              {
                "id": "a12end",
                "nodeId": "Workflow1:2d3c1b0a99887766:a12end",
                "name": "End1",
                "type": "Elsa.End",
                "version": 1,
                "customProperties": { "canStartWorkflow": false, "runAsynchronously": false },
                "metadata": { "designer": { "position": { "x": 1040, "y": 40 }, "size": { "width": 90, "height": 50 } } }
              }
            ],
            "connections": [
              { "source": { "activity": "a01start", "port": "Done" }, "target": { "activity": "a02major", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a02major", "port": "True" }, "target": { "activity": "a05fork", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a02major", "port": "False" }, "target": { "activity": "a03minor", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a03minor", "port": "Done" }, "target": { "activity": "a04finish", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a05fork", "port": "Vote" }, "target": { "activity": "a06vote", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a05fork", "port": "Notice" }, "target": { "activity": "a07notice", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a06vote", "port": "Done" }, "target": { "activity": "a08join", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a07notice", "port": "Done" }, "target": { "activity": "a08join", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a08join", "port": "Done" }, "target": { "activity": "a09outcome", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a09outcome", "port": "Passed" }, "target": { "activity": "a10passed", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a09outcome", "port": "Rejected" }, "target": { "activity": "a11rejected", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a09outcome", "port": "Default" }, "target": { "activity": "a12end", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a10passed", "port": "Done" }, "target": { "activity": "a12end", "port": "In" }, "vertices": [] },
              { "source": { "activity": "a11rejected", "port": "Done" }, "target": { "activity": "a12end", "port": "In" }, "vertices": [] }
            ]
          }
        }
        """;

    static ElsaImportResult Import(string json) => new ElsaImporter(new ScriptEngine()).Import(json);

    static WorkflowDefinition Imported(string json)
    {
        var result = Import(json);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems.Select(p => $"{p.Code} {p.ActivityId}: {p.MessageEn}")));
        return result.Definition!;
    }

    static ActivityNode Activity(WorkflowDefinition definition, string id) => definition.Root.Activities.Single(a => a.Id == id);

    /// <summary>A minimal Elsa 3 export around the given activities and connections.</summary>
    static string Export(string activities, string connections = "[]", string variables = "[]", string rootExtra = "") => $$"""
        {
          "id": "x1", "definitionId": "elsa-test", "name": "Elsa test", "version": 1, "toolVersion": "3.2.0.0",
          "variables": {{variables}}, "inputs": [], "outputs": [], "outcomes": [],
          "root": { "id": "root1", "type": "Elsa.Flowchart", "version": 1, {{rootExtra}} "activities": {{activities}}, "connections": {{connections}} }
        }
        """;

    const string ElsaStart = """{ "id": "s", "type": "Elsa.Start", "version": 1 }""";

    [Fact]
    public void An_elsa_studio_export_using_every_mapped_type_imports_and_compiles()
    {
        var result = Import(DeliberationExport);

        Assert.Empty(result.Problems);
        Assert.Empty(result.Warnings);
        var definition = result.Definition!;
        Assert.Equal(("resident-deliberation", 1, "居民议事", "大事进入表决与公示，小事在网格办结"),
            (definition.DefinitionId, definition.Version, definition.Name, definition.Description));
        Assert.Equal("Flowchart", definition.Root.Type);
        Assert.Equal(
            ["Start", "Decision", "SetVariable", "End", "Fork", "WaitForEvent", "Delay", "Join", "Switch", "SetVariable", "SetVariable", "End"],
            definition.Root.Activities.Select(a => a.Type));
        Assert.Equal(14, definition.Root.Connections.Count);

        var plan = WorkflowPlan.Compile(definition, ActivityRegistry.WithBuiltIns(), new ScriptEngine());
        Assert.Equal("a01start", plan.Start.Node.Id);
    }

    [Fact]
    public void Elsa_variables_become_ours_with_types_and_values_converted()
    {
        var definition = Imported(DeliberationExport);

        var variables = definition.Variables.Select(v => (v.Name, v.Type, Json.Text(v.Value))).ToList();
        Assert.Equal(
        [
            ("Category", "string", "\"大事\""),
            ("Approvals", "number", "0"),
            ("Tally", "object", null),
            ("Result", "string", null),
            ("Parties", "array", """["党支部","业委会","物业"]"""),
            ("Urgent", "boolean", "false"),
        ], variables);
    }

    [Fact]
    public void Elsa_inputs_become_plain_inputs_and_javascript_is_carried_over_as_our_scripts()
    {
        var definition = Imported(DeliberationExport);

        Assert.Equal("return variables.Category === '大事';", (string?)Activity(definition, "a02major").Inputs["condition"]);
        Assert.Equal("是否大事", Activity(definition, "a02major").DisplayName);
        Assert.Equal(("Result", "\"小事不出网格\""),
            ((string?)Activity(definition, "a03minor").Inputs["variable"], (string?)Activity(definition, "a03minor").Inputs["value"]));
        Assert.Equal(("Approvals", "variables.Approvals + 1"),
            ((string?)Activity(definition, "a10passed").Inputs["variable"], (string?)Activity(definition, "a10passed").Inputs["value"]));
        Assert.Equal("""["Vote","Notice"]""", Json.Text(Activity(definition, "a05fork").Inputs["branches"]));
        Assert.Equal(("ballot.closed", "Tally"),
            ((string?)Activity(definition, "a06vote").Inputs["eventName"], (string?)Activity(definition, "a06vote").Inputs["outputVariable"]));
        Assert.Equal("P5D", (string?)Activity(definition, "a07notice").Inputs["duration"]);
        Assert.Null(Activity(definition, "a07notice").Inputs["strategy"]);
        Assert.Equal("all", (string?)Activity(definition, "a08join").Inputs["mode"]);
        Assert.Equal("matchFirst", (string?)Activity(definition, "a09outcome").Inputs["mode"]);
        Assert.Equal("""[{"name":"Passed","condition":"variables.Tally.passed === true"},{"name":"Rejected","condition":"variables.Tally.passed === false"}]""",
            Json.Text(Activity(definition, "a09outcome").Inputs["cases"]));
    }

    [Fact]
    public void Designer_positions_are_kept_and_elsa_sizes_dropped()
    {
        var definition = Imported(DeliberationExport);

        Assert.Equal("""{"designer":{"position":{"x":-420,"y":40}}}""", Json.Text(Activity(definition, "a01start").Metadata));
        Assert.Equal("""{"designer":{"position":{"x":400,"y":40}}}""", Json.Text(Activity(definition, "a08join").Metadata));
    }

    [Fact]
    public void Elsa_ports_carry_over_to_our_connections()
    {
        var definition = Imported(DeliberationExport);

        var ports = definition.Root.Connections.Select(c => $"{c.Source.Activity}:{c.Source.Port}>{c.Target.Activity}:{c.Target.Port}").ToList();
        Assert.Contains("a02major:True>a05fork:In", ports);
        Assert.Contains("a02major:False>a03minor:In", ports);
        Assert.Contains("a05fork:Vote>a06vote:In", ports);
        Assert.Contains("a09outcome:Rejected>a11rejected:In", ports);
        Assert.Contains("a09outcome:Default>a12end:In", ports);
    }

    [Fact]
    public async Task An_imported_major_matter_waits_for_the_vote_and_the_publicity_then_counts_the_approval()
    {
        var workflow = TestWorkflow.Create(Imported(DeliberationExport));
        await workflow.StartAsync();

        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
        var vote = workflow.BookmarkAt("a06vote");
        Assert.Equal("Event:ballot.closed", vote.Name);
        var publicity = workflow.BookmarkAt("a07notice");
        Assert.Equal(TestWorkflow.Epoch.AddDays(5), publicity.DueAt);

        await workflow.ResumeAsync(vote, Json.Parse("""{ "passed": true }"""));
        Assert.Equal(WorkflowStatus.Suspended, workflow.Status);
        workflow.Clock.Advance(TimeSpan.FromDays(5));
        await workflow.ResumeAsync(publicity, actor: Actor.System);

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Equal(1, (int)workflow.Variable("Approvals")!);
        Assert.Equal("""{"passed":true}""", Json.Text(workflow.Variable("Tally")));
        Assert.Contains("a10passed", workflow.Executed);
    }

    [Fact]
    public async Task An_imported_minor_matter_is_settled_in_the_grid()
    {
        var workflow = TestWorkflow.Create(Imported(DeliberationExport));

        await workflow.StartAsync(new() { ["Category"] = "小事" });

        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
        Assert.Equal("小事不出网格", (string?)workflow.Variable("Result"));
    }

    [Fact]
    public void Unknown_activity_types_refuse_the_import_and_every_one_is_listed()
    {
        var result = Import(Export($$"""
            [{{ElsaStart}},
             { "text": { "typeName": "String", "expression": { "type": "Literal", "value": "hi" } }, "id": "w1", "type": "Elsa.WriteLine", "version": 1 },
             { "path": { "typeName": "String", "expression": { "type": "Literal", "value": "/x" } }, "id": "h1", "type": "Elsa.HttpEndpoint", "version": 1 },
             { "id": "e1", "type": "Elsa.End", "version": 1 }]
            """, """
            [{ "source": { "activity": "s", "port": "Done" }, "target": { "activity": "w1", "port": "In" } },
             { "source": { "activity": "w1", "port": "Done" }, "target": { "activity": "h1", "port": "In" } },
             { "source": { "activity": "h1", "port": "Done" }, "target": { "activity": "e1", "port": "In" } }]
            """));

        Assert.False(result.Succeeded);
        Assert.Null(result.Definition);
        Assert.Equal([("unknownType", "w1", "Elsa.WriteLine"), ("unknownType", "h1", "Elsa.HttpEndpoint")],
            result.Problems.Select(p => (p.Code, p.ActivityId!, p.ElsaType!)));
        Assert.All(result.Problems, p =>
        {
            Assert.Contains(p.ElsaType!, p.MessageZh);
            Assert.Contains(p.ActivityId!, p.MessageEn);
        });
    }

    [Theory]
    [InlineData("""{ "type": "Elsa.Sequence", "activities": [] }""", "Elsa.Sequence")]
    [InlineData("""{ "type": "Elsa.WriteLine" }""", "Elsa.WriteLine")]
    public void A_root_that_is_not_a_flowchart_is_refused(string root, string rootType)
    {
        var result = Import($$"""{ "definitionId": "seq", "name": "Sequence", "root": {{root}} }""");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("notFlowchart", problem.Code);
        Assert.Contains(rootType, problem.MessageEn);
        Assert.Contains("流程图", problem.MessageZh);
        Assert.Null(result.Definition);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    public void A_file_that_is_not_an_elsa_definition_is_refused(string text)
    {
        var result = Import(text);

        Assert.Equal("notJson", Assert.Single(result.Problems).Code);
    }

    [Theory]
    [InlineData("""{ "eventName": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'ballot.' + getKind()" } }, "id": "x", "type": "Elsa.Event" }""")]
    [InlineData("""{ "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "JavaScript", "value": "'00:05:00'" } }, "id": "x", "type": "Elsa.Delay" }""")]
    [InlineData("""{ "mode": { "typeName": "FlowJoinMode", "expression": { "type": "JavaScript", "value": "'WaitAll'" } }, "id": "x", "type": "Elsa.FlowJoin" }""")]
    [InlineData("""{ "branches": { "typeName": "String[]", "expression": { "type": "JavaScript", "value": "['a']" } }, "id": "x", "type": "Elsa.FlowFork" }""")]
    [InlineData("""{ "condition": { "typeName": "Boolean", "expression": { "type": "CSharp", "value": "true" } }, "id": "x", "type": "Elsa.FlowDecision" }""")]
    [InlineData("""{ "condition": { "typeName": "Boolean", "expression": { "type": "Liquid", "value": "{{ true }}" } }, "id": "x", "type": "Elsa.FlowDecision" }""")]
    public void An_expression_where_ours_takes_a_fixed_value_or_of_another_language_is_refused_for_that_activity(string activity)
    {
        var result = Import(Export($"[{ElsaStart}, {activity}]",
            """[{ "source": { "activity": "s", "port": "Done" }, "target": { "activity": "x", "port": "In" } }]"""));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("unsupportedExpression", "x"), (problem.Code, problem.ActivityId));
        Assert.Null(result.Definition);
    }

    [Fact]
    public void A_script_using_elsa_functions_we_do_not_have_is_refused_naming_them()
    {
        var result = Import(Export($$"""
            [{{ElsaStart}},
             { "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "setVariable('Count', 1); return isNullOrEmpty(getInput('Title'));" } },
               "id": "x", "type": "Elsa.FlowDecision" }]
            """));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("unsupportedScript", "x"), (problem.Code, problem.ActivityId));
        Assert.Contains("setVariable", problem.MessageEn);
        Assert.Contains("isNullOrEmpty", problem.MessageZh);
        Assert.Contains("getInput", problem.MessageEn);
    }

    [Fact]
    public void A_script_that_does_not_parse_even_as_a_function_body_is_refused()
    {
        var result = Import(Export($$"""
            [{{ElsaStart}},
             { "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "variables.x >" } }, "id": "x", "type": "Elsa.FlowDecision" }]
            """));

        Assert.Equal(("badScript", "x"), (Assert.Single(result.Problems).Code, result.Problems[0].ActivityId));
    }

    [Fact]
    public void A_set_variable_naming_a_variable_the_workflow_lacks_is_refused()
    {
        var result = Import(Export($$"""
            [{{ElsaStart}},
             { "variable": { "id": "nope", "name": "Ghost", "typeName": "String" },
               "value": { "typeName": "Object", "expression": { "type": "Literal", "value": "x" } }, "id": "x", "type": "Elsa.SetVariable" }]
            """));

        Assert.Equal(("unknownVariable", "x"), (Assert.Single(result.Problems).Code, result.Problems[0].ActivityId));
    }

    /// <summary>Elsa 3.0 wrote connections as { source, sourcePort, target, targetPort } and needed no Start activity.</summary>
    const string Elsa30Export = """
        {
          "id": "0975a7e7cff7421ea03d1cc0247db02b",
          "definitionId": "68e6bca3d86c4a5a8dfb825f1d5c0875",
          "name": "Looping construct",
          "version": 1,
          "variables": [
            { "id": "b1198ecccf3f435abe462dc37012cda9", "name": "Counter", "typeName": "Int32", "isArray": false, "value": "0",
              "storageDriverTypeName": "Elsa.Workflows.Services.WorkflowStorageDriver, Elsa.Workflows.Core" }
          ],
          "root": {
            "type": "Elsa.Flowchart",
            "version": 1,
            "id": "Flowchart1",
            "metadata": {},
            "start": "SetVariable1",
            "activities": [
              {
                "variable": { "id": "b1198ecccf3f435abe462dc37012cda9", "name": "Counter", "typeName": "Int32", "value": "0" },
                "value": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getCounter() \u002B 1" }, "memoryReference": { "id": "SetVariable1:input-1" } },
                "id": "SetVariable1", "type": "Elsa.SetVariable", "version": 1, "canStartWorkflow": false, "runAsynchronously": false,
                "customProperties": {}, "source": null, "line": null,
                "metadata": { "designer": { "position": { "x": 2620, "y": 2280 } }, "displayText": "Increment counter" }
              },
              {
                "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getCounter() < 3" }, "memoryReference": { "id": "FlowDecision1:input-1" } },
                "id": "FlowDecision1", "type": "Elsa.FlowDecision", "version": 1, "canStartWorkflow": false, "runAsynchronously": false,
                "customProperties": {}, "metadata": { "designer": { "position": { "x": 2840, "y": 2280 } } }
              },
              {
                "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "00:00:10" }, "memoryReference": { "id": "Delay1:input-1" } },
                "id": "Delay1", "type": "Elsa.Delay", "version": 1, "canStartWorkflow": false, "runAsynchronously": false,
                "customProperties": {}, "metadata": { "designer": { "position": { "x": 3060, "y": 2180 } } }
              },
              {
                "id": "Finish1", "type": "Elsa.Finish", "version": 1, "canStartWorkflow": false, "runAsynchronously": false,
                "customProperties": {}, "metadata": { "designer": { "position": { "x": 3060, "y": 2400 } } }
              }
            ],
            "connections": [
              { "source": "SetVariable1", "target": "FlowDecision1", "sourcePort": "Done", "targetPort": "In" },
              { "source": "FlowDecision1", "target": "Delay1", "sourcePort": "True", "targetPort": "In" },
              { "source": "Delay1", "target": "SetVariable1", "sourcePort": "Done", "targetPort": "In" },
              { "source": "FlowDecision1", "target": "Finish1", "sourcePort": "False", "targetPort": "In" }
            ]
          }
        }
        """;

    [Fact]
    public async Task An_elsa_3_0_export_without_a_start_imports_with_a_start_before_its_first_activity_and_loops()
    {
        var result = Import(Elsa30Export);

        Assert.Empty(result.Problems);
        Assert.Equal("startAdded", Assert.Single(result.Warnings).Code);
        var definition = result.Definition!;
        var start = definition.Root.Activities[0];
        Assert.Equal(("start", "Start"), (start.Id, start.Type));
        Assert.Equal("""{"designer":{"position":{"x":2420,"y":2280}}}""", Json.Text(start.Metadata));
        Assert.Contains(definition.Root.Connections, c => c.Source == new Endpoint("start", "Done") && c.Target.Activity == "SetVariable1");
        Assert.Contains(definition.Root.Connections,
            c => c.Source == new Endpoint("Delay1", "Done") && c.Target == new Endpoint("SetVariable1", "In"));
        Assert.Equal("PT10S", (string?)Activity(definition, "Delay1").Inputs["duration"]);
        Assert.Equal("Increment counter", Activity(definition, "SetVariable1").DisplayName);

        var workflow = TestWorkflow.Create(definition);
        await workflow.StartAsync();
        for (var round = 1; round < 3; round++)
        {
            Assert.Equal(round, (int)workflow.Variable("Counter")!);
            workflow.Clock.Advance(TimeSpan.FromSeconds(10));
            await workflow.ResumeAsync(workflow.BookmarkAt("Delay1"), actor: Actor.System);
        }
        Assert.Equal(3, (int)workflow.Variable("Counter")!);
        Assert.Equal(WorkflowStatus.Finished, workflow.Status);
    }

    [Fact]
    public void Without_a_start_property_the_activity_without_inbound_connections_is_where_the_start_goes()
    {
        var definition = Imported(Export("""
            [{ "id": "end", "type": "Elsa.End" },
             { "id": "first", "type": "Elsa.FlowDecision", "condition": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "true" } } }]
            """, """[{ "source": "first", "sourcePort": "True", "target": "end", "targetPort": "In" }]"""));

        Assert.Contains(definition.Root.Connections, c => c.Source.Activity == "start" && c.Target.Activity == "first");
        Assert.Equal("true", (string?)Activity(definition, "first").Inputs["condition"]);
        WorkflowPlan.Compile(definition, ActivityRegistry.WithBuiltIns(), new ScriptEngine());
    }

    [Theory]
    [InlineData("""{ "typeName": "FlowJoinMode", "expression": { "type": "Literal", "value": "WaitAny" } }""", "any", null)]
    [InlineData("""{ "typeName": "FlowJoinMode", "expression": { "type": "Literal", "value": "WaitAll" } }""", "all", null)]
    [InlineData("""{ "typeName": "FlowJoinMode", "expression": { "type": "Literal", "value": "WaitAllActive" } }""", "all", "joinMode")]
    [InlineData("""{ "typeName": "FlowJoinMode", "expression": { "type": "Literal", "value": 0 } }""", "all", null)]
    [InlineData("null", "any", null)]
    public void An_elsa_join_mode_maps_to_ours_and_a_join_without_one_waits_for_any_as_in_elsa(string mode, string expected, string? warning)
    {
        var result = Import(Export($$"""
            [{{ElsaStart}}, { "id": "j", "type": "Elsa.FlowJoin", "mode": {{mode}} }]
            """));

        Assert.Empty(result.Problems);
        Assert.Equal(expected, (string?)Activity(result.Definition!, "j").Inputs["mode"]);
        Assert.Equal(warning, result.Warnings.SingleOrDefault(w => w.ActivityId == "j")?.Code);
    }

    [Theory]
    [InlineData("\"00:01:00\"", "PT1M")]
    [InlineData("\"1.12:00:00\"", "P1DT12H")]
    [InlineData("\"PT24H\"", "P1D")]
    public void An_elsa_delay_keeps_its_duration_as_iso_8601(string timeSpan, string expected)
    {
        var definition = Imported(Export($$"""
            [{{ElsaStart}}, { "id": "d", "type": "Elsa.Delay", "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": {{timeSpan}} } } }]
            """));

        Assert.Equal(expected, (string?)Activity(definition, "d").Inputs["duration"]);
    }

    [Fact]
    public void A_delay_that_is_not_a_duration_is_refused()
    {
        var result = Import(Export($$"""
            [{{ElsaStart}}, { "id": "d", "type": "Elsa.Delay", "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "soon" } } }]
            """));

        Assert.Equal(("badValue", "d"), (Assert.Single(result.Problems).Code, result.Problems[0].ActivityId));
    }

    [Fact]
    public void A_fork_without_branches_goes_on_by_done_as_in_elsa_and_a_fork_with_nested_activities_is_refused()
    {
        var plain = Imported(Export($$"""[{{ElsaStart}}, { "id": "f", "type": "Elsa.FlowFork" }]"""));
        Assert.Equal("""["Done"]""", Json.Text(Activity(plain, "f").Inputs["branches"]));

        var nested = Import(Export($$"""
            [{{ElsaStart}}, { "id": "f", "type": "Elsa.Fork", "joinMode": "WaitAll",
              "branches": [{ "id": "w", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "Literal", "value": "x" } } }] }]
            """));
        Assert.Equal(("nestedBranches", "f", "Elsa.Fork"),
            (Assert.Single(nested.Problems).Code, nested.Problems[0].ActivityId, nested.Problems[0].ElsaType));
    }

    [Fact]
    public void A_switch_in_match_any_mode_with_literal_conditions_imports()
    {
        var definition = Imported(Export($$"""
            [{{ElsaStart}},
             { "id": "sw", "type": "Elsa.FlowSwitch",
               "mode": { "typeName": "Elsa.Workflows.SwitchMode, Elsa.Workflows.Core", "expression": { "type": "Literal", "value": "MatchAny" } },
               "cases": [{ "label": "A", "condition": { "type": "Literal", "value": "True" } }, { "label": "B", "condition": { "type": "Literal", "value": false } }] }]
            """));

        Assert.Equal("matchAny", (string?)Activity(definition, "sw").Inputs["mode"]);
        Assert.Equal("""[{"name":"A","condition":"true"},{"name":"B","condition":"false"}]""", Json.Text(Activity(definition, "sw").Inputs["cases"]));
    }

    [Fact]
    public void An_event_that_can_start_the_workflow_imports_with_a_warning()
    {
        var result = Import(Export("""
            [{ "id": "ev", "type": "Elsa.Event", "customProperties": { "canStartWorkflow": true },
               "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "matter.raised" } } }]
            """));

        Assert.Empty(result.Problems);
        Assert.Equal(["trigger", "startAdded"], result.Warnings.Select(w => w.Code));
        Assert.Equal("matter.raised", (string?)Activity(result.Definition!, "ev").Inputs["eventName"]);
    }

    [Fact]
    public void A_top_level_return_as_elsa_writes_it_works_in_our_scripts()
    {
        var engine = new ScriptEngine();
        var globals = new Dictionary<string, JsonNode?> { ["variables"] = new JsonObject { ["Counter"] = 2 } };

        Assert.Equal(3, (int)engine.Evaluate("const next = variables.Counter + 1;\nreturn next;", globals)!);
        Assert.True(engine.EvaluateCondition("if (variables.Counter > 1) { return true; }\nreturn false;", globals));
    }

    [Fact]
    public void Every_mapped_elsa_type_maps_to_a_built_in_activity()
    {
        var registry = ActivityRegistry.WithBuiltIns();

        Assert.All(ElsaImporter.MappedTypes.Values, ours => Assert.NotNull(registry.Find(ours)));
    }
}
