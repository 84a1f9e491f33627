using System.Diagnostics;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>Instances over HTTP: faults and retries, cancelling, events and durable timers.</summary>
public sealed class WorkflowInstanceTests : AppTest
{
    static JsonObject Definition(string id, JsonArray variables, JsonArray activities, JsonArray connections) => new()
    {
        ["definitionId"] = id,
        ["name"] = id,
        ["variables"] = variables,
        ["root"] = new JsonObject { ["type"] = "Flowchart", ["activities"] = activities, ["connections"] = connections },
    };

    async Task<HttpClient> PublishAsync(JsonObject definition)
    {
        var designer = await As("designer");
        var id = definition["definitionId"]!.GetValue<string>();
        if ((await designer.GetAsync($"/api/workflow-definitions/{id}")).StatusCode == HttpStatusCode.NotFound)
            await designer.PostJsonAsync("/api/workflow-definitions", definition);
        else
            Assert.True((await designer.PutAsJsonAsync($"/api/workflow-definitions/{id}/draft", definition)).IsSuccessStatusCode);
        await designer.PostJsonAsync($"/api/workflow-definitions/{id}/publish", new { });
        return designer;
    }

    static JsonObject Looping(string condition) => Definition("looping", [],
        [
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "check", ["type"] = "Decision", ["condition"] = condition },
            new JsonObject { ["id"] = "end", ["type"] = "End" },
        ],
        [Connect("start", "Done", "check"), Connect("check", "True", "end"), Connect("check", "False", "end")]);

    [Fact]
    public async Task A_runaway_script_faults_its_instance_with_an_incident_and_the_server_keeps_answering()
    {
        var designer = await PublishAsync(Looping("while (true) {} "));
        var watch = Stopwatch.StartNew();
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "looping" });
        watch.Stop();

        Assert.Equal("faulted", instance["status"]!.GetValue<string>());
        var incident = instance["incidents"]!.AsArray().Single()!;
        Assert.Equal("check", incident["activityId"]!.GetValue<string>());
        Assert.StartsWith("Script ran", incident["message"]!.GetValue<string>()); // stopped by a limit, not by luck
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The runaway script held the request for {watch.Elapsed}.");
        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_faulted_instance_runs_on_after_its_definition_is_fixed_the_instance_migrated_and_retried()
    {
        var designer = await PublishAsync(Looping("variables.missing.field === 1")); // throws: missing is undefined
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "looping" });
        Assert.Equal("faulted", instance["status"]!.GetValue<string>());

        var stillBroken = await designer.PostJsonAsync($"/api/workflow-instances/{instance["id"]}/retry", new { });
        Assert.Equal("faulted", stillBroken["status"]!.GetValue<string>());
        Assert.Equal(2, stillBroken["incidents"]!.AsArray().Count);

        await PublishAsync(Looping("true"));
        await designer.PostJsonAsync($"/api/workflow-instances/{instance["id"]}/migrate", new { version = 2 });
        var fixedUp = await designer.PostJsonAsync($"/api/workflow-instances/{instance["id"]}/retry", new { });
        Assert.Equal("finished", fixedUp["status"]!.GetValue<string>());
        Assert.All(fixedUp["incidents"]!.AsArray(), i => Assert.NotNull(i!["resolvedAt"]));

        var journal = (await designer.GetJsonAsync($"/api/workflow-instances/{instance["id"]}/journal"))["items"]!.AsArray()
            .Select(j => j!["event"]!.GetValue<string>()).ToList();
        Assert.Equal(["WorkflowStarted", "Executed", "Faulted", "Retried", "Faulted", "Migrated", "Retried", "Executed", "Executed",
            "WorkflowFinished"], journal);
    }

    [Fact]
    public async Task Retrying_a_healthy_instance_is_refused_with_409()
    {
        var designer = await PublishAsync(Review());
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "test-review" });
        var response = await designer.PostAsJsonAsync($"/api/workflow-instances/{instance["id"]}/retry", new { });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("badInstanceState", (await response.JsonAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_an_instance_takes_its_open_task_out_of_the_inbox()
    {
        var designer = await PublishAsync(Review());
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "test-review" });
        // A designer's start is a test run: its task waits in the designer's own inbox, not in the street officers'.
        Assert.Single((await designer.GetJsonAsync("/api/tasks"))["items"]!.AsArray());
        Assert.Empty((await (await As("street")).GetJsonAsync("/api/tasks"))["items"]!.AsArray());

        var cancelled = await designer.PostJsonAsync($"/api/workflow-instances/{instance["id"]}/cancel", new { });
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Empty(cancelled["bookmarks"]!.AsArray());
        Assert.Empty((await designer.GetJsonAsync("/api/tasks"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_published_event_resumes_the_instances_waiting_for_it_with_that_correlation_only()
    {
        var designer = await PublishAsync(Definition("waits-for-ballot",
            [new JsonObject { ["name"] = "ballotId" }, new JsonObject { ["name"] = "result", ["type"] = "object" }],
            [
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "wait", ["type"] = "WaitForEvent", ["eventName"] = "ballot.closed", ["correlation"] = "variables.ballotId",
                ["outputVariable"] = "result" },
                new JsonObject { ["id"] = "end", ["type"] = "End" },
            ],
            [Connect("start", "Done", "wait"), Connect("wait", "Done", "end")]));
        var a = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "waits-for-ballot", input = new { ballotId = "a" } });
        var b = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "waits-for-ballot", input = new { ballotId = "b" } });

        var admin = await As("admin");
        var published = await admin.PostJsonAsync("/api/workflow-events",
            new { name = "ballot.closed", correlation = "a", payload = new { outcome = "passed" } });
        Assert.Equal(1, published["resumed"]!.GetValue<int>());

        var doneA = await designer.GetJsonAsync($"/api/workflow-instances/{a["id"]}");
        Assert.Equal("finished", doneA["status"]!.GetValue<string>());
        Assert.Equal("passed", doneA["variables"]!["result"]!["outcome"]!.GetValue<string>());
        Assert.Equal("suspended", (await designer.GetJsonAsync($"/api/workflow-instances/{b["id"]}"))["status"]!.GetValue<string>());
        Assert.Equal(0,
            (await admin.PostJsonAsync("/api/workflow-events", new { name = "ballot.closed", correlation = "a" }))["resumed"]!.GetValue<int>());
    }

    /// <summary>Waits for "thing.closed" about variables.key, then asks variables.assignee in a task if given, else fails in a script.</summary>
    static JsonObject WaitsThenAsks() => Definition("waits-then-asks",
        [new JsonObject { ["name"] = "key" }, new JsonObject { ["name"] = "assignee" }],
        [
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "wait", ["type"] = "WaitForEvent", ["eventName"] = "thing.closed", ["correlation"] = "variables.key" },
            new JsonObject { ["id"] = "who", ["type"] = "Decision", ["condition"] = "!!variables.assignee" },
            new JsonObject
            {
                ["id"] = "ask", ["type"] = "HumanTask", ["title"] = "复核", ["role"] = "gridWorker", ["assignee"] = "variables.assignee",
                ["outcomes"] = new JsonArray("ok"),
            },
            new JsonObject { ["id"] = "boom", ["type"] = "SetVariable", ["variable"] = "key", ["value"] = "null.boom" },
            new JsonObject { ["id"] = "end", ["type"] = "End" },
        ],
        [Connect("start", "Done", "wait"), Connect("wait", "Done", "who"), Connect("who", "True", "ask"), Connect("who", "False", "boom"),
         Connect("ask", "ok", "end"), Connect("boom", "Done", "end")]);

    [Fact]
    public async Task An_event_whose_resumption_of_one_waiting_instance_cannot_be_saved_saves_none_of_them()
    {
        var designer = await PublishAsync(WaitsThenAsks());
        var me = (await designer.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();
        var a = await designer.PostJsonAsync("/api/workflow-instances",
            new { definitionId = "waits-then-asks", input = new { key = "k1", assignee = me } });
        var b = await designer.PostJsonAsync("/api/workflow-instances",
            new { definitionId = "waits-then-asks", input = new { key = "k1", assignee = me } });
        // A stray writer has taken b's next journal line: b's advance cannot be saved.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var record = await db.WorkflowInstances.AsNoTracking().FirstAsync(i => i.Id == Guid.Parse(b["id"]!.GetValue<string>()));
            db.WorkflowJournal.Add(new JournalRecord(record.Id, record.JournalLength + 1,
                new JournalEntry(DateTimeOffset.UtcNow, JournalEvent.Held, "wait", "WaitForEvent", null, null, null, null)));
            await db.SaveChangesAsync();
        }

        var admin = await As("admin");
        var published = await admin.PostAsJsonAsync("/api/workflow-events", new { name = "thing.closed", correlation = "k1" });
        Assert.False(published.IsSuccessStatusCode);

        // One transaction: a's advance was not saved either; both still wait for the event, and no task was opened.
        foreach (var instance in new[] { a, b })
        {
            var view = await designer.GetJsonAsync($"/api/workflow-instances/{instance["id"]}");
            Assert.Equal("suspended", view["status"]!.GetValue<string>());
            Assert.Equal("wait", Assert.Single(view["bookmarks"]!.AsArray())!["activityId"]!.GetValue<string>());
        }
        Assert.Equal(0, (await designer.GetJsonAsync("/api/tasks"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_activity_failing_after_an_event_faults_its_own_instance_and_the_other_waiting_instance_goes_on()
    {
        var designer = await PublishAsync(WaitsThenAsks());
        var me = (await designer.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();
        // a's script fails once resumed (an incident on a); b asks the designer in a task.
        var a = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "waits-then-asks", input = new { key = "k2" } });
        var b = await designer.PostJsonAsync("/api/workflow-instances",
            new { definitionId = "waits-then-asks", input = new { key = "k2", assignee = me } });

        var admin = await As("admin");
        Assert.Equal(2,
            (await admin.PostJsonAsync("/api/workflow-events", new { name = "thing.closed", correlation = "k2" }))["resumed"]!.GetValue<int>());

        var faulted = await designer.GetJsonAsync($"/api/workflow-instances/{a["id"]}");
        Assert.Equal("faulted", faulted["status"]!.GetValue<string>());
        Assert.Equal("boom", Assert.Single(faulted["incidents"]!.AsArray())!["activityId"]!.GetValue<string>());
        var asking = await designer.GetJsonAsync($"/api/workflow-instances/{b["id"]}");
        Assert.Equal("suspended", asking["status"]!.GetValue<string>());
        Assert.Equal("ask", Assert.Single(asking["bookmarks"]!.AsArray())!["activityId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_delay_is_kept_by_the_persistent_scheduler_and_resumes_the_instance_once()
    {
        var designer = await PublishAsync(Definition("short-delay", [],
            [
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "wait", ["type"] = "Delay", ["duration"] = "PT1S" },
                new JsonObject { ["id"] = "end", ["type"] = "End" },
            ],
            [Connect("start", "Done", "wait"), Connect("wait", "Done", "end")]));
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "short-delay" });
        Assert.Equal("suspended", instance["status"]!.GetValue<string>());
        Assert.NotNull(instance["bookmarks"]![0]!["dueAt"]);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonNode state;
        do
        {
            await Task.Delay(250);
            state = await designer.GetJsonAsync($"/api/workflow-instances/{instance["id"]}");
        } while (state["status"]!.GetValue<string>() != "finished" && DateTime.UtcNow < deadline);
        Assert.Equal("finished", state["status"]!.GetValue<string>());

        var journal = (await designer.GetJsonAsync($"/api/workflow-instances/{instance["id"]}/journal"))["items"]!.AsArray();
        var resumed = Assert.Single(journal, j => j!["event"]!.GetValue<string>() == "Resumed");
        Assert.Equal("system", resumed!["actorId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Starting_with_a_variable_the_workflow_does_not_declare_is_a_400()
    {
        var designer = await PublishAsync(Review());
        var response = await designer.PostAsJsonAsync("/api/workflow-instances", new { definitionId = "test-review", input = new { nonsense = 1 } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]!["input"]);
    }
}
