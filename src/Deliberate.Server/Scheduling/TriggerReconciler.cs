namespace Deliberate.Server.Scheduling;

/// <summary>
/// Gives triggers back to what should have one: everything at start-up, then at each interval whatever is more
/// than an interval overdue and still waiting (its trigger was lost with a node that died before applying it).
/// Setting a trigger that exists replaces it, and what fires twice does its work once, so checking often is safe.
/// </summary>
public abstract class TriggerReconciler(TimeProvider clock, ILogger log, TimeSpan interval) : BackgroundService
{
    /// <summary>Queues the triggers of everything waiting (<paramref name="overdueBefore"/> null) or of what was due before it.</summary>
    protected abstract Task ReconcileAsync(DateTimeOffset? overdueBefore, CancellationToken ct);

    public override async Task StartAsync(CancellationToken ct)
    {
        await ReconcileAsync(overdueBefore: null, ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The cadence is wall-clock time: on a test's fake clock moved on by days, a timer on that clock would tick
        // once per interval of the jump (thousands of checks in a row); "overdue" still reads the domain clock.
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReconcileAsync(clock.GetUtcNow() - interval, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not check the triggers of {Reconciler}; trying again at the next interval.", GetType().Name);
            }
        }
    }
}
