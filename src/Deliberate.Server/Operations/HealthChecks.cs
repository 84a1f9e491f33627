using System.Text.Json;
using Deliberate.Server.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Deliberate.Server.Operations;

/// <summary>Healthy when the database answers.</summary>
public sealed class DatabaseHealthCheck(DeliberateDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database does not answer.");
}

/// <summary>Healthy when this node's scheduler runs (or this node is configured not to run one).</summary>
public sealed class SchedulerHealthCheck(IServiceProvider services, IConfiguration config) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!config.GetValue("Scheduling:Enabled", true)) return HealthCheckResult.Healthy("Scheduling is off on this node.");
        var factory = services.GetService<ISchedulerFactory>();
        if (factory is null) return HealthCheckResult.Unhealthy("No scheduler is registered.");
        var scheduler = await factory.GetScheduler(ct);
        return scheduler.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The scheduler is not running.");
    }
}

/// <summary>
/// <c>/health/live</c>: the process answers (restart it if not). <c>/health/ready</c> (and <c>/health</c>):
/// the database answers and the scheduler runs (send it traffic only then).
/// </summary>
public static class HealthEndpoints
{
    const string Ready = "ready";

    public static IServiceCollection AddDeliberateHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [Ready]);
        return services;
    }

    public static void MapDeliberateHealth(this IEndpointRouteBuilder app)
    {
        var ready = new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(Ready),
            ResponseWriter = WriteJson
        };
        app.MapHealthChecks("/health", ready);
        app.MapHealthChecks("/health/ready", ready);
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = WriteJson });
    }

    static Task WriteJson(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant()),
        }));
    }
}
