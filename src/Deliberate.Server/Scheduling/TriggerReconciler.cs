namespace Deliberate.Server.Scheduling;

/// <summary>
/// Gives triggers to what is waiting within the <see cref="TriggerHorizon"/>: at start-up everything due before the
/// horizon's end; then at each interval what the horizon has moved over since, and whatever is more than an interval
/// overdue and still waiting (its trigger was lost with a node that died before applying it). Setting a trigger that
/// exists replaces it, and what fires twice does its work once, so checking often is safe.
/// </summary>
public abstract class TriggerReconciler(TimeProvider clock, TriggerHorizon horizon, ILogger log, TimeSpan interval) : BackgroundService
{
    readonly SemaphoreSlim passing = new(1, 1);
    DateTimeOffset? coveredUntil; // the horizon's end at the last pass that succeeded

    /// <summary>Queues the triggers of what the window <see cref="TriggerWindow.Needs"/>.</summary>
    protected abstract Task ReconcileAsync(TriggerWindow window, CancellationToken ct);

    /// <summary>One pass, as the interval runs it (tests on a fake clock call it after moving the clock).</summary>
    public async Task PassAsync(CancellationToken ct)
    {
        await passing.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            var until = now + horizon.Length;
            await ReconcileAsync(new TriggerWindow(until, coveredUntil, coveredUntil is null ? null : now - interval), ct);
            coveredUntil = until;
        }
        finally
        {
            passing.Release();
        }
    }

    public override async Task StartAsync(CancellationToken ct)
    {
        await PassAsync(ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The cadence is wall-clock time: on a test's fake clock moved on by days, a timer on that clock would tick
        // once per interval of the jump (thousands of checks in a row); the window reads the domain clock.
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not check the triggers of {Reconciler}; trying again at the next interval.", GetType().Name);
            }
        }
    }
}
