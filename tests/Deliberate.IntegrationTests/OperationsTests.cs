using System.Diagnostics;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>What operators rely on: liveness and readiness, traces of every step, metrics to scrape.</summary>
public sealed class OperationsTests : AppTest
{
    /// <summary>Traces are recorded only when there is somewhere to send them: an OTLP endpoint (nobody listens on this one).</summary>
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9" };

    [Fact]
    public async Task Liveness_and_readiness_answer_with_their_checks()
    {
        var client = App.CreateClient();
        var live = await client.GetJsonAsync("/health/live");
        Assert.Equal("healthy", live["status"]!.GetValue<string>());
        var ready = await client.GetJsonAsync("/health/ready");
        Assert.Equal("healthy", ready["status"]!.GetValue<string>());
        Assert.Equal("healthy", ready["checks"]!["database"]!.GetValue<string>());
        Assert.Equal("healthy", ready["checks"]!["scheduler"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_that_advances_a_workflow_is_traced_with_its_step_and_counted_in_the_metrics()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Deliberate" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);

        var matter = await RaiseAsync(await As("resident"));

        Activity[] recorded;
        lock (spans) recorded = [.. spans];
        var save = recorded.First(a =>
            a.OperationName == "workflow.save" && (string?)a.GetTagItem("workflow.instance") == matter["workflowInstanceId"]!.GetValue<string>());
        Assert.Equal("six-step-method", save.GetTagItem("workflow.definition"));
        Assert.Equal("Suspended", save.GetTagItem("workflow.status"));
        // The request's own span stops only after its response went out: give it a moment.
        Activity? request = null;
        for (var wait = 0; request is null && wait < 50; wait++)
        {
            lock (spans) request = spans.FirstOrDefault(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == save.TraceId);
            if (request is null) await Task.Delay(100);
        }
        Assert.NotNull(request);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));

        var metrics = await App.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("deliberate_workflow_steps_total", metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics);
    }
}
