using System.Text;
using System.Text.Json.Nodes;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.Tests.Workflows;

/// <summary>
/// Builds definitions from small JSON pieces. Connections are written compactly,
/// "source > target" or "source:Port > target", separated by ';' (the port defaults to Done).
/// </summary>
static class Definitions
{
    public static string Json(string activities, string connections = "", string variables = "[]", string name = "测试流程") =>
        $$"""
        {
          "definitionId": "test-flow",
          "version": 1,
          "name": "{{name}}",
          "variables": {{variables}},
          "root": { "type": "Flowchart", "activities": {{activities}}, "connections": {{Connections(connections)}} }
        }
        """;

    public static WorkflowDefinition Parse(string activities, string connections = "", string variables = "[]") =>
        WorkflowJson.ParseDefinition(Json(activities, connections, variables));

    static string Connections(string compact)
    {
        var json = new JsonArray();
        foreach (var part in compact.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('>', StringSplitOptions.TrimEntries);
            if (ends.Length != 2) throw new ArgumentException($"'{part}' is not 'source[:port] > target'.");
            var source = ends[0].Split(':');
            json.Add(new JsonObject
            {
                ["source"] = new JsonObject { ["activity"] = source[0], ["port"] = source.Length > 1 ? source[1] : "Done" },
                ["target"] = new JsonObject { ["activity"] = ends[1], ["port"] = "In" },
            });
        }
        return json.ToJsonString();
    }
}

/// <summary>One instance of a definition, run the way a host runs it: a fake clock, bookmarks kept beside the state.</summary>
sealed class TestWorkflow
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));
    public static readonly Actor Secretary = new("u-secretary", "王书记");
    public static readonly Actor GridWorker = new("u-grid", "李网格员");

    TestWorkflow(WorkflowPlan plan, WorkflowRunner runner, FakeTimeProvider clock, IServiceProvider services)
    {
        Plan = plan;
        Runner = runner;
        Clock = clock;
        Services = services;
    }

    public WorkflowPlan Plan { get; }
    public WorkflowRunner Runner { get; }
    public FakeTimeProvider Clock { get; }
    public IServiceProvider Services { get; }
    public WorkflowState State { get; } = new();
    public Guid InstanceId { get; } = Guid.NewGuid();
    public List<RunResult> Runs { get; } = [];
    public IEnumerable<JournalEntry> Journal => Runs.SelectMany(r => r.Journal);
    public RunResult LastRun => Runs[^1];
    public WorkflowStatus Status => State.Status;

    public static TestWorkflow Create(WorkflowDefinition definition, ActivityRegistry? registry = null, ScriptEngine? scripts = null,
        int maxSteps = 10_000, Action<IServiceCollection>? services = null)
    {
        registry ??= ActivityRegistry.WithBuiltIns();
        scripts ??= new ScriptEngine();
        var clock = new FakeTimeProvider(Epoch);
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        var plan = WorkflowPlan.Compile(definition, registry, scripts);
        return new TestWorkflow(plan, new WorkflowRunner(registry, scripts, clock) { MaxStepsPerRun = maxSteps }, clock,
            collection.BuildServiceProvider());
    }

    /// <summary>Compiles and starts the definition.</summary>
    public static async Task<TestWorkflow> StartAsync(string activities, string connections = "", string variables = "[]",
        Dictionary<string, JsonNode?>? input = null, ActivityRegistry? registry = null, int maxSteps = 10_000,
        Action<IServiceCollection>? services = null)
    {
        var workflow = Create(Definitions.Parse(activities, connections, variables), registry, maxSteps: maxSteps, services: services);
        await workflow.StartAsync(input);
        return workflow;
    }

    public async Task<RunResult> StartAsync(Dictionary<string, JsonNode?>? input = null, Actor? actor = null)
    {
        var result = await Runner.StartAsync(Plan, State, Request(actor), input);
        Runs.Add(result);
        return result;
    }

    public async Task<RunResult> ResumeAsync(Bookmark bookmark, JsonNode? payload = null, Actor? actor = null)
    {
        var result = await Runner.ResumeAsync(Plan, State, bookmark.Id, payload, Request(actor));
        Runs.Add(result);
        return result;
    }

    public async Task<RunResult> RetryAsync(Actor? actor = null)
    {
        var result = await Runner.RetryAsync(Plan, State, Request(actor));
        Runs.Add(result);
        return result;
    }

    public RunResult Cancel(Actor? actor = null)
    {
        var result = Runner.Cancel(Plan, State, Request(actor));
        Runs.Add(result);
        return result;
    }

    RunRequest Request(Actor? actor) => new(InstanceId, "matter-1", actor ?? Secretary, Services);

    /// <summary>The one bookmark waiting at this activity.</summary>
    public Bookmark BookmarkAt(string activityId) => Assert.Single(State.Bookmarks, b => b.ActivityId == activityId);

    public JsonNode? Variable(string name) => State.Variables.GetValueOrDefault(name);

    /// <summary>The activity ids executed (or resumed) so far, in order.</summary>
    public List<string> Executed => Journal
        .Where(j => j.Event is JournalEvent.Executed or JournalEvent.Resumed)
        .Select(j => j.ActivityId!)
        .ToList();

    public string Describe()
    {
        var text = new StringBuilder($"{Status}; bookmarks: {string.Join(", ", State.Bookmarks.Select(b => b.ActivityId))}\n");
        foreach (var entry in Journal) text.AppendLine($"  {entry.Event} {entry.ActivityId} {entry.Outcome} {entry.Data?.ToJsonString()}");
        return text.ToString();
    }
}

static class Json
{
    public static JsonNode? Parse(string json) => JsonNode.Parse(json);

    /// <summary>The JSON text of a node, for comparing values whatever their backing store.</summary>
    public static string? Text(JsonNode? node) => node?.ToJsonString(WorkflowJson.Options);
}
