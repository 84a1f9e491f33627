using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Deliberate.Server.Operations;

/// <summary>
/// OpenTelemetry traces and metrics: ASP.NET Core, outgoing HTTP, the .NET runtime, PostgreSQL (Npgsql)
/// and our own spans and instruments. Exported over OTLP when <c>Telemetry:OtlpEndpoint</c> is set, and
/// metrics scraped by Prometheus at <c>/metrics</c> (from the machine itself only).
/// </summary>
public static class Telemetry
{
    public const string Name = "Deliberate";
    public static readonly ActivitySource Source = new(Name);
    static readonly Meter Meter = new(Name);

    public static readonly Counter<long> WorkflowSteps = Meter.CreateCounter<long>("deliberate.workflow.steps", "{step}", "Activity executions committed.");
    public static readonly Counter<long> WorkflowConflicts = Meter.CreateCounter<long>("deliberate.workflow.conflicts", "{conflict}", "Advances refused because another request advanced the instance first.");
    public static readonly Histogram<double> WorkflowSaveDuration = Meter.CreateHistogram<double>("deliberate.workflow.save.duration", "ms", "Time to commit one step's transaction (state, bookmarks, journal, domain rows).");
    public static readonly Counter<long> BallotsCast = Meter.CreateCounter<long>("deliberate.ballots.cast", "{ballot}", "Votes cast, by channel.");

    public static IServiceCollection AddDeliberateTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var otlp = config["Telemetry:OtlpEndpoint"];
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("deliberate", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Name, "Npgsql").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(otlp)) metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            });
        // Traces only go somewhere over OTLP. Without it, recording a span for every request and every SQL command
        // would cost each request its time for nobody to read.
        if (!string.IsNullOrWhiteSpace(otlp))
            telemetry.WithTracing(tracing => tracing.AddSource(Name, "Npgsql").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        return services;
    }

    /// <summary>Prometheus' scrape endpoint, answered only to the machine itself (put a scraper beside each node).</summary>
    public static void MapMetrics(this WebApplication app) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http =>
            http.Request.Path == "/metrics" && (http.Connection.RemoteIpAddress is null || System.Net.IPAddress.IsLoopback(http.Connection.RemoteIpAddress)));
}
