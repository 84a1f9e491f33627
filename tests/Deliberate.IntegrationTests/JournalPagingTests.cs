using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>An instance's journal comes a page at a time, paged by the database: a runaway loop's 10,002 lines are not sent at once.</summary>
public sealed class JournalPagingTests : AppTest
{
    /// <summary>A loop that never waits: the runner faults it after 10,000 executions.</summary>
    static JsonObject Runaway() => ExecutionKit.Definition("runaway", ["n"],
        [
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "count", ["type"] = "SetVariable", ["variable"] = "n", ["value"] = "(variables.n || 0) + 1" },
            new JsonObject { ["id"] = "again", ["type"] = "Decision", ["condition"] = "true" },
            new JsonObject { ["id"] = "end", ["type"] = "End" },
        ],
        [Connect("start", "Done", "count"), Connect("count", "Done", "again"), Connect("again", "True", "count"), Connect("again", "False", "end")]);

    [Fact]
    public async Task The_journal_of_a_runaway_instance_is_answered_a_page_at_a_time_in_order()
    {
        var designer = await As("designer");
        await ExecutionKit.PublishAsync(designer, Runaway());
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "runaway" });
        Assert.Equal("faulted", instance["status"]!.GetValue<string>());
        var id = instance["id"]!.GetValue<string>();

        var first = await designer.GetJsonAsync($"/api/workflow-instances/{id}/journal");
        var total = first["total"]!.GetValue<int>();
        Assert.True(total > 10_000, $"total {total}");
        Assert.Equal((1, 100, 100), (first["page"]!.GetValue<int>(), first["pageSize"]!.GetValue<int>(), first["items"]!.AsArray().Count));
        Assert.Equal(Enumerable.Range(1, 100), first["items"]!.AsArray().Select(j => j!["sequence"]!.GetValue<int>()));

        var last = await designer.GetJsonAsync($"/api/workflow-instances/{id}/journal?page={(total + 499) / 500}&pageSize=500");
        var lines = last["items"]!.AsArray();
        Assert.Equal(total, lines[^1]!["sequence"]!.GetValue<int>());
        Assert.Equal("Faulted", lines[^1]!["event"]!.GetValue<string>());

        var tooBig = await designer.GetAsync($"/api/workflow-instances/{id}/journal?pageSize=501");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.NotNull((await tooBig.JsonAsync())["errors"]!["pageSize"]);
    }
}
