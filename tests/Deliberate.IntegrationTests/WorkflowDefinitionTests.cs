using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>Definitions over HTTP: drafts, validation, publishing, version pinning and migration.</summary>
public sealed class WorkflowDefinitionTests : AppTest
{
    /// <summary>Start → HumanTask "review" (street officer) → Decision → End / End: five activities.</summary>
    internal static JsonObject Review(string id = "test-review", string title = "审核", string condition = "variables.review.outcome === 'ok'") => new()
    {
        ["definitionId"] = id,
        ["name"] = "测试审核流程",
        ["variables"] = new JsonArray(new JsonObject { ["name"] = "review", ["type"] = "object" }),
        ["root"] = new JsonObject
        {
            ["type"] = "Flowchart",
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject
                {
                    ["id"] = "review", ["type"] = "HumanTask", ["title"] = title, ["role"] = "streetOfficer",
                    ["scope"] = $"'{Deliberate.Server.Data.DemoData.Ids.Street}'", ["outputVariable"] = "review",
                    ["outcomes"] = new JsonArray(new JsonObject { ["name"] = "ok" }, new JsonObject { ["name"] = "no" }),
                },
                new JsonObject { ["id"] = "check", ["type"] = "Decision", ["condition"] = condition },
                new JsonObject { ["id"] = "yes", ["type"] = "End" },
                new JsonObject { ["id"] = "nope", ["type"] = "End" }),
            ["connections"] = new JsonArray(
                Connect("start", "Done", "review"), Connect("review", "ok", "check"), Connect("review", "no", "check"),
                Connect("check", "True", "yes"), Connect("check", "False", "nope")),
        },
    };

    internal static JsonObject Connect(string from, string port, string to) => new()
    {
        ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
    };

    [Fact]
    public async Task A_designer_creates_publishes_and_runs_a_workflow_and_running_instances_stay_on_their_version()
    {
        var designer = await As("designer");
        var created = await designer.PostJsonAsync("/api/workflow-definitions", Review());
        Assert.Equal(1, created["version"]!.GetValue<int>());
        Assert.False(created["isPublished"]!.GetValue<bool>());

        var notYet = await designer.PostAsJsonAsync("/api/workflow-instances", new { definitionId = "test-review" });
        Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode); // nothing published yet

        Assert.True((await designer.PostJsonAsync("/api/workflow-definitions/test-review/publish", new { }))["isPublished"]!.GetValue<bool>());
        var first = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "test-review" });
        Assert.Equal("suspended", first["status"]!.GetValue<string>());
        Assert.Equal(1, first["version"]!.GetValue<int>());

        // Version 2 changes the task's title; the running instance keeps version 1's task.
        var draft = await designer.PutAsJsonAsync("/api/workflow-definitions/test-review/draft", Review(title: "复核"));
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        Assert.Equal(2, (await draft.JsonAsync())["version"]!.GetValue<int>());
        await designer.PostJsonAsync("/api/workflow-definitions/test-review/publish", new { });
        var second = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "test-review" });
        Assert.Equal(2, second["version"]!.GetValue<int>());

        // The designer's starts are test runs: their tasks wait in the designer's own inbox.
        var inbox = (await designer.GetJsonAsync("/api/tasks"))["items"]!.AsArray();
        Assert.Equal("审核", inbox.Single(t => t!["instanceId"]!.GetValue<string>() == first["id"]!.GetValue<string>())!["title"]!.GetValue<string>());
        Assert.Equal("复核", inbox.Single(t => t!["instanceId"]!.GetValue<string>() == second["id"]!.GetValue<string>())!["title"]!.GetValue<string>());

        var task = inbox.Single(t => t!["instanceId"]!.GetValue<string>() == first["id"]!.GetValue<string>())!;
        await designer.PostJsonAsync($"/api/tasks/{task["id"]}/complete", new { outcome = "ok" });
        var finished = await designer.GetJsonAsync($"/api/workflow-instances/{first["id"]}");
        Assert.Equal("finished", finished["status"]!.GetValue<string>());
        Assert.Equal(1, finished["version"]!.GetValue<int>());

        var versions = (await designer.GetJsonAsync("/api/workflow-definitions/test-review/versions")).AsArray();
        Assert.Equal([2, 1], versions.Select(v => v!["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_waiting_instance_can_be_migrated_to_a_version_that_still_has_its_activity_but_not_to_one_that_lacks_it()
    {
        var designer = await As("designer");
        await designer.PostJsonAsync("/api/workflow-definitions", Review());
        await designer.PostJsonAsync("/api/workflow-definitions/test-review/publish", new { });
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "test-review" });

        await designer.PutAsJsonAsync("/api/workflow-definitions/test-review/draft", Review(title: "复核"));
        await designer.PostJsonAsync("/api/workflow-definitions/test-review/publish", new { });
        var moved = await designer.PostJsonAsync($"/api/workflow-instances/{instance["id"]}/migrate", new { version = 2 });
        Assert.Equal(2, moved["version"]!.GetValue<int>());

        // Version 3 renames the waiting activity: the instance cannot move there.
        var v3 = Review();
        var activities = v3["root"]!["activities"]!.AsArray();
        activities[1]!["id"] = "review2";
        v3["root"]!["connections"] = new JsonArray(Connect("start", "Done", "review2"), Connect("review2", "ok", "check"),
            Connect("review2", "no", "check"),
            Connect("check", "True", "yes"), Connect("check", "False", "nope"));
        await designer.PutAsJsonAsync("/api/workflow-definitions/test-review/draft", v3);
        await designer.PostJsonAsync("/api/workflow-definitions/test-review/publish", new { });
        var refused = await designer.PostAsJsonAsync($"/api/workflow-instances/{instance["id"]}/migrate", new { version = 3 });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("cannotMigrate", (await refused.JsonAsync())["code"]!.GetValue<string>());
        Assert.Equal(2, (await designer.GetJsonAsync($"/api/workflow-instances/{instance["id"]}"))["version"]!.GetValue<int>());
    }

    public static TheoryData<string, string, string?> BadDefinitions => new()
    {
        { "unknownType", """{"id":"odd","type":"NoSuchActivity"}""", "odd" },
        { "danglingConnection", """{"connection":{"source":{"activity":"start","port":"Done"},"target":{"activity":"ghost","port":"In"}}}""", "start" },
        { "duplicateConnection", """{"connection":{"source":{"activity":"start","port":"Done"},"target":{"activity":"review","port":"In"}}}""", "start" },
        { "unknownPort", """{"connection":{"source":{"activity":"review","port":"maybe"},"target":{"activity":"check","port":"In"}}}""", "review" },
        { "unreachable", """{"id":"island","type":"End"}""", "island" },
        { "badScript", """{"replace":"check","with":{"id":"check","type":"Decision","condition":"variables.review.outcome ==="}}""", "check" },
        { "unknownRole", """{"replace":"review","with":{"id":"review","type":"HumanTask","title":"x","role":"mayor","outcomes":[{"name":"ok"},{"name":"no"}]}}""", "review" },
        { "noStart", """{"remove":"start"}""", null },
        { "joinWithoutBranches", """{"insertJoin":true}""", "join" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task A_bad_definition_is_refused_with_an_error_naming_the_activity_and_nothing_is_saved(string code, string change, string? activity)
    {
        var designer = await As("designer");
        await designer.PostJsonAsync("/api/workflow-definitions", Review());
        var definition = Apply(Review(), JsonNode.Parse(change)!.AsObject());

        var response = await designer.PutAsJsonAsync("/api/workflow-definitions/test-review/draft", definition);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("invalidDefinition", problem["code"]!.GetValue<string>());
        Assert.Contains(problem["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == code
            && e["activityId"]?.GetValue<string>() == activity && e["message"]!.GetValue<string>().Length > 0);

        var stored = await designer.GetJsonAsync("/api/workflow-definitions/test-review");
        Assert.Equal(JsonNode.Parse(Review().ToJsonString())!["root"]!["activities"]!.AsArray().Count,
            stored["definition"]!["root"]!["activities"]!.AsArray().Count);

        var validation = await designer.PostJsonAsync("/api/workflow-definitions/validate", definition);
        Assert.False(validation["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_deadline_written_in_words_is_refused_in_Chinese_with_examples_and_no_notation_names()
    {
        var designer = await As("designer");
        var definition = Review();
        definition["root"]!["activities"]!.AsArray().First(a => a!["id"]!.GetValue<string>() == "review")!["deadline"] = "一天";

        var validation = await designer.PostJsonAsync("/api/workflow-definitions/validate", definition);

        Assert.False(validation["valid"]!.GetValue<bool>());
        var message = validation["errors"]!.AsArray().Single(e => e!["code"]!.GetValue<string>() == "badInput")!["message"]!.GetValue<string>();
        Assert.Equal("活动“人工任务”的“办理时限”不是时长：“一天”。请填写时长，如 P1D（1天）、PT24H（24小时）、PT30M（30分钟）。", message);
    }

    static JsonObject Apply(JsonObject definition, JsonObject change)
    {
        var activities = definition["root"]!["activities"]!.AsArray();
        var connections = definition["root"]!["connections"]!.AsArray();
        if (change["connection"] is JsonObject connection) connections.Add(connection.DeepClone());
        else if (change["replace"] is JsonValue replace)
        {
            var index = activities.ToList().FindIndex(a => a!["id"]!.GetValue<string>() == replace.GetValue<string>());
            activities[index] = change["with"]!.DeepClone();
        }
        else if (change["remove"] is JsonValue remove)
        {
            var id = remove.GetValue<string>();
            activities.Remove(activities.First(a => a!["id"]!.GetValue<string>() == id));
            foreach (var c in connections.Where(c => c!["source"]!["activity"]!.GetValue<string>() == id).ToList()) connections.Remove(c);
        }
        else if (change["insertJoin"] is not null)
        {
            activities.Add(new JsonObject { ["id"] = "join", ["type"] = "Join" });
            connections.Remove(connections.First(c => c!["target"]!["activity"]!.GetValue<string>() == "yes"));
            connections.Add(Connect("check", "True", "join"));
            connections.Add(Connect("join", "Done", "yes"));
        }
        else activities.Add(change.DeepClone());
        return definition;
    }

    [Fact]
    public async Task The_activity_descriptors_describe_every_activity_in_both_languages()
    {
        var client = await As("designer");
        var descriptors = (await client.GetJsonAsync("/api/activity-descriptors")).AsArray();
        var types = descriptors.Select(d => d!["type"]!.GetValue<string>()).ToList();
        foreach (var type in new[] { "Start", "End", "Decision", "Switch", "Fork", "Join", "SetVariable", "WaitForEvent", "Delay", "Timer",
            "HumanTask", "SetMatterStep" })
            Assert.Contains(type, types);
        var humanTask = descriptors.Single(d => d!["type"]!.GetValue<string>() == "HumanTask")!;
        Assert.Equal("人工任务", humanTask["displayName"]!["zh-CN"]!.GetValue<string>());
        Assert.Equal("Human task", humanTask["displayName"]!["en"]!.GetValue<string>());
        Assert.Equal("outcomes", humanTask["outcomesFromInput"]!.GetValue<string>());
        var role = humanTask["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "role")!;
        Assert.Equal("role", role["uiHint"]!.GetValue<string>());
        Assert.True(role["required"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Only_designers_and_admins_may_edit_workflows()
    {
        var secretary = await As("secretary");
        var response = await secretary.PostAsJsonAsync("/api/workflow-definitions", Review());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await response.JsonAsync())["code"]!.GetValue<string>());
        var admin = await As("admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/workflow-definitions", Review())).StatusCode);
    }
}
