using System.Threading.Channels;
using Quartz;

namespace Deliberate.Server.Scheduling;

/// <summary>
/// Trigger changes for timers and deadlines, applied to Quartz off the request path and in batches.
/// Every change to Quartz's clustered store takes its TRIGGER_ACCESS row lock, which all nodes share;
/// made one at a time inside requests they queued every request behind the others (hearing a matter
/// made six). Here a request queues its changes once its own transaction has committed and goes on;
/// one worker per node applies whatever has gathered with one UnscheduleJobs and one ScheduleJobs call.
/// The last change queued for a trigger wins. A node that dies with changes still queued loses them:
/// the reconcilers give every due timer and deadline its trigger again, and a trigger left behind finds
/// nothing to do (the jobs are idempotent).
/// </summary>
public sealed class TriggerQueue(ISchedulerFactory schedulers, ILogger<TriggerQueue> log) : BackgroundService
{
    const int MaxBatch = 500;

    /// <summary>A trigger to set (replacing one with its key), a key to cancel, or a flush marker.</summary>
    sealed record Change(TriggerKey? Key, ITrigger? Trigger, TaskCompletionSource? Flushed);

    readonly Channel<Change> changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    readonly Dictionary<JobKey, IJobDetail> jobs = [];

    /// <summary>Sets the trigger (a trigger with its key is replaced).</summary>
    public void Schedule(ITrigger trigger) => changes.Writer.TryWrite(new(trigger.Key, trigger, null));

    public void Unschedule(TriggerKey key) => changes.Writer.TryWrite(new(key, null, null));

    /// <summary>Completes when every change queued before the call has been applied.</summary>
    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changes.Writer.TryWrite(new(null, null, flushed));
        return flushed.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await changes.Reader.WaitToReadAsync(stoppingToken))
                await ApplyQueuedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Shutting down: apply what is left before Quartz (registered earlier, stopped later) goes.
        while (changes.Reader.TryPeek(out _))
            await ApplyQueuedAsync(CancellationToken.None);
    }

    async Task ApplyQueuedAsync(CancellationToken ct)
    {
        var latest = new Dictionary<TriggerKey, ITrigger?>();
        var flushes = new List<TaskCompletionSource>();
        while (latest.Count < MaxBatch && changes.Reader.TryRead(out var change))
        {
            if (change.Flushed is { } flushed) flushes.Add(flushed);
            else latest[change.Key!] = change.Trigger;
        }
        for (var attempt = 1; latest.Count > 0; attempt++)
        {
            try
            {
                await ApplyAsync(latest, ct);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 5)
            {
                log.LogWarning(e, "Could not apply {Count} trigger changes (attempt {Attempt}); trying again.", latest.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Gave up on {Count} trigger changes; the reconcilers will set the due ones again.", latest.Count);
                break;
            }
        }
        foreach (var flushed in flushes) flushed.TrySetResult();
    }

    async Task ApplyAsync(Dictionary<TriggerKey, ITrigger?> latest, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var cancelled = latest.Where(c => c.Value is null).Select(c => c.Key).ToList();
        if (cancelled.Count > 0) await scheduler.UnscheduleJobs(cancelled, ct);
        var triggers = latest.Values.OfType<ITrigger>().ToList();
        if (triggers.Count == 0) return;
        // ScheduleJobs stores each job with its triggers: give it the job exactly as it is stored (durable, recoverable).
        var byJob = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var group in triggers.GroupBy(t => t.JobKey))
        {
            if (!jobs.TryGetValue(group.Key, out var job))
                jobs[group.Key] = job = await scheduler.GetJobDetail(group.Key, ct)
                    ?? throw new InvalidOperationException($"The job {group.Key} is not in the scheduler's store.");
            byJob[job] = group.ToList();
        }
        await scheduler.ScheduleJobs(byJob, ScheduleJobOptions.Replacing, ct);
    }
}
