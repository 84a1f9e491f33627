using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Deliberate.Server.Operations;

/// <summary>
/// OpenTelemetry traces and metrics: ASP.NET Core, outgoing HTTP, the .NET runtime, PostgreSQL (Npgsql)
/// and our own spans and instruments. Exported over OTLP when <c>Telemetry:OtlpEndpoint</c> is set, and
/// metrics scraped by Prometheus at <c>/metrics</c> (with <c>Metrics:Token</c>, or from the machine itself only).
/// </summary>
public static class Telemetry
{
    public const string Name = "Deliberate";
    public static readonly ActivitySource Source = new(Name);
    static readonly Meter Meter = new(Name);

    public static readonly Counter<long> WorkflowSteps = Meter.CreateCounter<long>("deliberate.workflow.steps", "{step}",
        "Activity executions committed.");
    public static readonly Counter<long> WorkflowConflicts = Meter.CreateCounter<long>("deliberate.workflow.conflicts", "{conflict}",
        "Advances refused because another request advanced the instance first.");
    public static readonly Histogram<double> WorkflowSaveDuration = Meter.CreateHistogram<double>("deliberate.workflow.save.duration", "ms",
        "Time to commit one step's transaction (state, bookmarks, journal, domain rows).");
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

    /// <summary>
    /// Prometheus' scrape endpoint. With <c>Metrics:Token</c> set, it answers whoever sends
    /// <c>Authorization: Bearer &lt;token&gt;</c> (and nobody else, wherever they come from); without it, only a scraper on
    /// the machine itself — a loopback connection that no proxy relayed (no forwarding header). Everyone else gets 404.
    /// </summary>
    public static void MapMetrics(this WebApplication app)
    {
        var token = app.Configuration["Metrics:Token"];
        var expected = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token));
        app.Use(async (http, next) =>
        {
            if (http.Request.Path == "/metrics" && !MayScrape(http, expected))
            {
                await Api.Problems.NotFound("指标", "metrics").ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == "/metrics");
    }

    static bool MayScrape(HttpContext http, byte[]? expected)
    {
        if (expected is not null) // compared as digests, in constant time
            return CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString())), expected);
        var remote = http.Connection.RemoteIpAddress;
        var relayed = http.Request.Headers.ContainsKey("X-Forwarded-For") || http.Request.Headers.ContainsKey("Forwarded")
            || http.Request.Headers.ContainsKey("X-Real-IP") || http.Request.Headers.ContainsKey("X-Original-For");
        return (remote is null || System.Net.IPAddress.IsLoopback(remote)) && !relayed;
    }
}
