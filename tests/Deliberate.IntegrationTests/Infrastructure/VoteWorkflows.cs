using System.Text.Json.Nodes;

namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>A one-step workflow around a Vote activity, published by the designer and started by the admin, for tests of the activity
/// itself.</summary>
public static class VoteWorkflows
{
    /// <summary>Publishes "start → vote → end" with the vote's <paramref name="inputs"/>, starts it with <paramref name="input"/>, returns the
    /// instance.</summary>
    public static async Task<JsonNode> StartAsync(HttpClient designer, HttpClient admin, string id, JsonObject inputs, object input)
    {
        var vote = new JsonObject { ["id"] = "vote", ["type"] = "Vote", ["title"] = "是否同意" };
        foreach (var (name, value) in inputs) vote[name] = value?.DeepClone();
        var end = new JsonObject { ["id"] = "end", ["type"] = "End" };
        JsonObject Connect(string from, string port, string to) =>
            new()
            {
                ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
                ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" }
            };
        var definition = new JsonObject
        {
            ["definitionId"] = id, ["name"] = id,
            ["variables"] = new JsonArray(new JsonObject { ["name"] = "communityId" }, new JsonObject { ["name"] = "meetingId" }),
            ["root"] = new JsonObject
            {
                ["type"] = "Flowchart",
                ["activities"] = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start" }, vote, end),
                ["connections"] = new JsonArray(Connect("start", "Done", "vote"), Connect("vote", "passed", "end"),
                Connect("vote", "rejected", "end"),
                    Connect("vote", "noDecision", "end")),
            },
        };
        await designer.PostJsonAsync("/api/workflow-definitions", definition);
        await designer.PostJsonAsync($"/api/workflow-definitions/{id}/publish", new { });
        return await admin.PostJsonAsync("/api/workflow-instances", new { definitionId = id, input });
    }
}
