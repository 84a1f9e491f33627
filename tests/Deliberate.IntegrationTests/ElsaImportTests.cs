using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>POST /api/workflow-definitions/import: an Elsa 3 export becomes a draft, or is refused with every unsupported activity named.</summary>
public sealed class ElsaImportTests : AppTest
{
    const string Export = """
        {
          "id": "e1", "definitionId": "elsa-hearing", "name": "从 Elsa 导入的听事流程", "version": 3,
          "variables": [ { "id": "v1", "name": "Category", "typeName": "String", "value": "大事" } ],
          "root": {
            "type": "Elsa.Flowchart", "id": "root",
            "activities": [
              { "id": "start", "type": "Elsa.Start", "version": 1, "metadata": { "designer": { "position": { "x": 10, "y": 20 } } } },
              { "id": "check", "type": "Elsa.FlowDecision", "version": 1,
                "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getVariable('Category') === '大事'" } },
                "metadata": { "designer": { "position": { "x": 200, "y": 20 } } } },
              { "id": "wait", "type": "Elsa.Event", "version": 1,
                "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "meeting.closed" } } },
              { "id": "pause", "type": "Elsa.Delay", "version": 1,
                "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "00:05:00" } } },
              { "id": "done", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "check", "port": "In" } },
              { "source": { "activity": "check", "port": "True" }, "target": { "activity": "wait", "port": "In" } },
              { "source": { "activity": "check", "port": "False" }, "target": { "activity": "pause", "port": "In" } },
              { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "done", "port": "In" } },
              { "source": { "activity": "pause", "port": "Done" }, "target": { "activity": "done", "port": "In" } }
            ]
          }
        }
        """;

    [Fact]
    public async Task An_elsa_export_becomes_a_draft_that_publishes_and_runs()
    {
        var designer = await As("designer");
        var response = await designer.PostAsync("/api/workflow-definitions/import",
            new StringContent(Export, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var draft = await response.JsonAsync();
        Assert.Equal("elsa-hearing", draft["definitionId"]!.GetValue<string>());
        Assert.False(draft["isPublished"]!.GetValue<bool>());
        var activities = draft["definition"]!["root"]!["activities"]!.AsArray();
        Assert.Equal(["Start", "Decision", "WaitForEvent", "Delay", "End"], activities.Select(a => a!["type"]!.GetValue<string>()));
        Assert.Equal(200, activities[1]!["metadata"]!["designer"]!["position"]!["x"]!.GetValue<int>());

        await designer.PostJsonAsync("/api/workflow-definitions/elsa-hearing/publish", new { });
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "elsa-hearing" });
        Assert.Equal("suspended", instance["status"]!.GetValue<string>());
        Assert.Equal("Event:meeting.closed", instance["bookmarks"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_export_with_activities_we_do_not_have_is_refused_naming_every_one_and_nothing_is_saved()
    {
        var designer = await As("designer");
        var export = Export
            .Replace("\"type\": \"Elsa.Event\"", "\"type\": \"Elsa.SendEmail\"")
            .Replace("\"type\": \"Elsa.Delay\"", "\"type\": \"Elsa.HttpEndpoint\"");
        var response = await designer.PostAsync("/api/workflow-definitions/import",
            new StringContent(export, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("unsupportedElsaWorkflow", problem["code"]!.GetValue<string>());
        var named = problem["problems"]!.AsArray().Select(p => (p!["activityId"]?.GetValue<string>(), p["elsaType"]?.GetValue<string>())).ToList();
        Assert.Contains(("wait", "Elsa.SendEmail"), named);
        Assert.Contains(("pause", "Elsa.HttpEndpoint"), named);
        Assert.Equal(HttpStatusCode.NotFound, (await designer.GetAsync("/api/workflow-definitions/elsa-hearing")).StatusCode);
    }
}
