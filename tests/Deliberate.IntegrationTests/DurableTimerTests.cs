using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>Runs only against PostgreSQL (DELIBERATE_TEST_DB=postgres): what it tests needs one shared database server.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabase.IsPostgres) Skip = "Clustering needs PostgreSQL: run with DELIBERATE_TEST_DB=postgres.";
    }
}

/// <summary>
/// Timers kept by Quartz's persistent store on the real clock, across a server restart and across two nodes of a cluster.
/// Each test runs real hosts with the scheduler on, over a database of its own.
/// </summary>
public sealed class DurableTimerTests : IAsyncLifetime
{
    string connection = "";

    public async Task InitializeAsync() => connection = await TestDatabase.CreateAsync();
    public Task DisposeAsync() => TestDatabase.DropAsync(connection);

    static JsonObject DelayFlow(string duration) => new()
    {
        ["definitionId"] = "durable-delay",
        ["name"] = "durable-delay",
        ["variables"] = new JsonArray(),
        ["root"] = new JsonObject
        {
            ["type"] = "Flowchart",
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "wait", ["type"] = "Delay", ["duration"] = duration },
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray(Connect("start", "Done", "wait"), Connect("wait", "Done", "end")),
        },
    };

    static async Task<HttpClient> PublishAsync(DeliberateApp app, string duration)
    {
        var designer = await app.SignInAsync("designer");
        await designer.PostJsonAsync("/api/workflow-definitions", DelayFlow(duration));
        await designer.PostJsonAsync("/api/workflow-definitions/durable-delay/publish", new { });
        return designer;
    }

    /// <summary>Waits (on the real clock) until every instance has finished; returns how often each was resumed.</summary>
    static async Task<List<int>> ResumptionsWhenFinishedAsync(HttpClient client, IReadOnlyList<string> ids, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var states = new List<string>();
            foreach (var id in ids) states.Add((await client.GetJsonAsync($"/api/workflow-instances/{id}"))["status"]!.GetValue<string>());
            if (states.All(s => s == "finished") || DateTime.UtcNow > until) break;
            await Task.Delay(250);
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // a second firing, if there were one, would show by now
        var counts = new List<int>();
        foreach (var id in ids)
        {
            Assert.Equal("finished", (await client.GetJsonAsync($"/api/workflow-instances/{id}"))["status"]!.GetValue<string>());
            var journal = (await client.GetJsonAsync($"/api/workflow-instances/{id}/journal"))["items"]!.AsArray();
            counts.Add(journal.Count(j => j!["event"]!.GetValue<string>() == "Resumed"));
        }
        return counts;
    }

    [Fact]
    public async Task A_timer_that_came_due_while_the_server_was_down_resumes_its_instance_exactly_once_when_a_new_server_starts()
    {
        string id;
        await using (var first = new DeliberateApp(connection))
        {
            await first.StartAsync();
            var designer = await PublishAsync(first, "PT2S");
            var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "durable-delay" });
            Assert.Equal("suspended", instance["status"]!.GetValue<string>());
            id = instance["id"]!.GetValue<string>();
        } // the server stops before the timer is due

        await Task.Delay(TimeSpan.FromSeconds(4)); // the clock passes the due time while nothing runs

        await using var second = new DeliberateApp(connection);
        await second.StartAsync(); // same database, same scheduler store
        var client = await second.SignInAsync("designer");
        Assert.Equal([1], await ResumptionsWhenFinishedAsync(client, [id], TimeSpan.FromSeconds(30)));
    }

    [PostgresFact]
    public async Task Two_nodes_of_a_cluster_on_one_database_fire_each_timer_once()
    {
        await using var nodeA = new DeliberateApp(connection);
        await using var nodeB = new DeliberateApp(connection);
        await Task.WhenAll(nodeA.StartAsync(), nodeB.StartAsync());
        var designer = await PublishAsync(nodeA, "PT3S");
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var node = i % 2 == 0 ? designer : await nodeB.SignInAsync("designer");
            ids.Add((await node.PostJsonAsync("/api/workflow-instances", new { definitionId = "durable-delay" }))["id"]!.GetValue<string>());
        }
        Assert.Equal(Enumerable.Repeat(1, 6), await ResumptionsWhenFinishedAsync(designer, ids, TimeSpan.FromSeconds(60)));
    }
}
