using System.Diagnostics;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.WorkflowHosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Issue 14: a designer's script that killed the server. Through the API as the designer: publish, run, and the server
/// still answers, with the instance faulted and an incident at the activity. And a timer that keeps failing on resume is
/// given up after three tries instead of being resumed after every restart.
/// </summary>
public sealed class ScriptSandboxTests(ITestOutputHelper output) : AppTest
{
    readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero)); // UTC: PostgreSQL keeps no offset
    protected override TimeProvider? Clock => clock; // timers are run by the test (RunDueAsync, the job's body)

    static JsonObject Definition(string id, params (string Id, string Type, string? Variable, string? Value)[] steps)
    {
        var activities = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start" });
        var connections = new JsonArray();
        var previous = "start";
        foreach (var (stepId, type, variable, value) in steps)
        {
            var activity = new JsonObject { ["id"] = stepId, ["type"] = type };
            if (type == "SetVariable") { activity["variable"] = variable; activity["value"] = value; }
            if (type == "Delay") activity["duration"] = value;
            activities.Add(activity);
            connections.Add(Connect(previous, "Done", stepId));
            previous = stepId;
        }
        return new JsonObject
        {
            ["definitionId"] = id,
            ["name"] = id,
            ["variables"] = new JsonArray(new JsonObject { ["name"] = "x" }),
            ["root"] = new JsonObject { ["type"] = "Flowchart", ["activities"] = activities, ["connections"] = connections },
        };
    }

    async Task<HttpClient> PublishAsync(JsonObject definition)
    {
        var designer = await As("designer");
        var id = definition["definitionId"]!.GetValue<string>();
        await designer.PostJsonAsync("/api/workflow-definitions", definition);
        await designer.PostJsonAsync($"/api/workflow-definitions/{id}/publish", new { });
        return designer;
    }

    const string NestedArrayToText = "(() => { let a = []; for (let i = 0; i < 20000; i++) a = [a]; return String(a); })()";

    static (long Managed, long WorkingSet) Memory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    [Fact]
    public async Task A_published_set_variable_that_overflowed_the_stack_faults_its_instance_and_the_server_still_answers()
    {
        var designer = await PublishAsync(Definition("killer", ("killer", "SetVariable", "x", NestedArrayToText), ("after", "End", null, null)));

        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "killer" });

        var health = await App.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var state = await designer.GetJsonAsync($"/api/workflow-instances/{instance["id"]}");
        Assert.Equal("faulted", state["status"]!.GetValue<string>());
        var incident = Assert.Single(state["incidents"]!.AsArray())!;
        Assert.Equal("killer", incident["activityId"]!.GetValue<string>());
        Assert.Contains("levels deep", incident["message"]!.GetValue<string>());
        Assert.Null(state["variables"]!["x"]);
    }

    /// <summary>
    /// The killers of the report, eight instances at a time, through the API; the server's memory (this process: the test
    /// host runs in it) is printed before and after and must come back near where it started.
    /// </summary>
    [Fact]
    public async Task Killer_scripts_eight_at_a_time_fault_their_instances_and_leave_the_memory_near_where_it_started()
    {
        string[] killers =
        [
            NestedArrayToText,
            "(() => { let a = []; for (let i = 0; i < 20000; i++) a = [a]; return JSON.stringify(a); })()",
            "new Uint8Array(1e9).length",
            "'x'.repeat(1 << 28)",
            "'\\u00C5'.repeat(1 << 20).normalize('NFKD')",
            "'a'.repeat(4096).replaceAll('', 'x'.repeat(4096))",
            "new RegExp('^(a+)+$').test('a'.repeat(40) + '!')",
            "(() => { const s = 'x'.repeat(1 << 20); return s.padEnd(32e6, s); })()",
        ];
        var designer = await As("designer");
        for (var i = 0; i < killers.Length; i++) await PublishAsync(Definition($"killer-{i}", ("killer", "SetVariable", "x", killers[i])));
        var before = Memory();
        output.WriteLine($"before: managed {before.Managed >> 20} MB, working set {before.WorkingSet >> 20} MB");

        for (var round = 0; round < 2; round++)
        {
            var started = await Task.WhenAll(killers.Select((_, i) =>
                designer.PostJsonAsync("/api/workflow-instances", new { definitionId = $"killer-{i}" })));
            foreach (var instance in started)
            {
                Assert.Equal("faulted", instance["status"]!.GetValue<string>());
                Assert.Equal("killer", instance["incidents"]![0]!["activityId"]!.GetValue<string>());
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().GetAsync("/health")).StatusCode);
        var after = Memory();
        output.WriteLine($"after {2 * killers.Length} killer instances: managed {after.Managed >> 20} MB, working set {after.WorkingSet >> 20} MB");
        Assert.True(after.WorkingSet - before.WorkingSet < 300L << 20,
            $"working set grew from {before.WorkingSet >> 20} MB to {after.WorkingSet >> 20} MB");
    }

    [Fact]
    public async Task A_result_too_large_to_keep_faults_at_its_activity_and_nothing_of_it_is_stored()
    {
        var designer = await PublishAsync(Definition("too-large", ("big", "SetVariable", "x", "'居'.repeat(200000)")));

        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "too-large" });

        Assert.Equal("faulted", instance["status"]!.GetValue<string>());
        var incident = instance["incidents"]![0]!;
        Assert.Equal("big", incident["activityId"]!.GetValue<string>());
        Assert.Contains("256 KB", incident["message"]!.GetValue<string>());
        await using var scope = App.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().WorkflowInstances
            .Where(i => i.Id == instance["id"]!.GetValue<Guid>()).Select(i => i.StateJson).SingleAsync();
        Assert.True(stored.Length < 10_000, $"state is {stored.Length} characters");
    }

    async Task<Guid> TimerOfAsync(string instanceId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Bookmarks
            .Where(b => b.InstanceId == Guid.Parse(instanceId)).Select(b => b.Id).SingleAsync();
    }

    async Task FireAsync(Guid bookmarkId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<ResumeTimerJob>(scope.ServiceProvider).ResumeAsync(bookmarkId, CancellationToken.None);
    }

    /// <summary>
    /// A try that crashed the server cannot count itself afterwards: each try is counted in the bookmark's row before it
    /// runs. Here three tries are already counted, as three crashes would have left them; the next firing gives up.
    /// </summary>
    [Fact]
    public async Task A_timer_whose_resume_was_tried_three_times_is_not_resumed_again_and_its_instance_gets_an_incident()
    {
        var designer = await PublishAsync(Definition("poisoned", ("wait", "Delay", null, "PT1M"), ("after", "SetVariable", "x", "1")));
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "poisoned" });
        var id = instance["id"]!.GetValue<string>();
        var timer = await TimerOfAsync(id);
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Bookmarks.Where(b => b.Id == timer)
                .ExecuteUpdateAsync(b => b.SetProperty(x => x.ResumeAttempts, ResumeTimerJob.MaxAttempts));
        clock.Advance(TimeSpan.FromMinutes(2));

        await FireAsync(timer);
        await FireAsync(timer); // a trigger left over: no second incident

        var state = await designer.GetJsonAsync($"/api/workflow-instances/{id}");
        Assert.Equal("suspended", state["status"]!.GetValue<string>());
        var incident = Assert.Single(state["incidents"]!.AsArray())!;
        Assert.Equal("wait", incident["activityId"]!.GetValue<string>());
        Assert.Contains("3 times", incident["message"]!.GetValue<string>());
        Assert.Null(state["variables"]!["x"]);
        Assert.Single(state["bookmarks"]!.AsArray());
    }

    [Fact]
    public async Task A_timer_resumed_on_its_first_try_goes_on_and_a_faulting_activity_after_it_faults_once()
    {
        var designer = await PublishAsync(Definition("delay-then-killer", ("wait", "Delay", null, "PT1M"),
            ("killer", "SetVariable", "x", NestedArrayToText)));
        var instance = await designer.PostJsonAsync("/api/workflow-instances", new { definitionId = "delay-then-killer" });
        var id = instance["id"]!.GetValue<string>();
        var timer = await TimerOfAsync(id);
        clock.Advance(TimeSpan.FromMinutes(2));

        await FireAsync(timer);
        await FireAsync(timer); // the bookmark is gone: nothing more happens

        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().GetAsync("/health")).StatusCode);
        var state = await designer.GetJsonAsync($"/api/workflow-instances/{id}");
        Assert.Equal("faulted", state["status"]!.GetValue<string>());
        Assert.Equal("killer", Assert.Single(state["incidents"]!.AsArray())!["activityId"]!.GetValue<string>());
        Assert.Empty(state["bookmarks"]!.AsArray());
    }
}
