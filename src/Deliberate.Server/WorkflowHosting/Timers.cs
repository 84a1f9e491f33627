using Deliberate.Server.Data;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>
/// Timer bookmarks (Delay, Timer, deadlines) as Quartz triggers keyed by the bookmark id, in
/// Quartz's persistent store: a timer that came due while the server was down fires when it is
/// back, and because resuming consumes the bookmark, none resumes twice.
/// </summary>
public sealed class TimerScheduler(ISchedulerFactory schedulers)
{
    public const string Group = "workflow-timers";

    public async Task ScheduleAsync(IEnumerable<Bookmark> bookmarks, CancellationToken ct = default)
    {
        IScheduler? scheduler = null;
        foreach (var bookmark in bookmarks)
        {
            scheduler ??= await schedulers.GetScheduler(ct);
            var key = new TriggerKey(bookmark.Id.ToString(), Group);
            if (await scheduler.Exists(key, ct)) continue;
            var trigger = TriggerBuilder.Create() // the scheduler's own (real) clock; the moment is absolute
                .WithIdentity(key)
                .ForJob(ResumeTimerJob.Key)
                .UsingJobData(ResumeTimerJob.BookmarkIdKey, bookmark.Id.ToString())
                .StartAt(bookmark.DueAt ?? DateTimeOffset.UtcNow)
                // Came due while the server was down: fire once, as soon as it is back.
                .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            try
            {
                await scheduler.ScheduleJob(trigger, cancellationToken: ct);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another node scheduled it a moment ago: one trigger is what we want.
            }
        }
    }

    public async Task UnscheduleAsync(IEnumerable<Guid> bookmarkIds, CancellationToken ct = default)
    {
        IScheduler? scheduler = null;
        foreach (var id in bookmarkIds)
        {
            scheduler ??= await schedulers.GetScheduler(ct);
            await scheduler.UnscheduleJob(new TriggerKey(id.ToString(), Group), ct);
        }
    }
}

/// <summary>Resumes the timer bookmark its trigger names, as the system.</summary>
[DisallowConcurrentExecution]
public sealed class ResumeTimerJob(IServiceScopeFactory scopes, ILogger<ResumeTimerJob> log) : IJob
{
    public static readonly JobKey Key = new("resume-timer", TimerScheduler.Group);
    public const string BookmarkIdKey = "bookmarkId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(BookmarkIdKey), out var bookmarkId)) return;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            if (!await db.Bookmarks.AnyAsync(b => b.Id == bookmarkId, cancellationToken)) return; // already resumed or cancelled
            try
            {
                await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().ResumeAsync(bookmarkId, null, Actor.System, cancellationToken);
                return;
            }
            catch (WorkflowConflictException) when (attempt < 5)
            {
                // Someone advanced the instance at the same moment; try again on fresh state.
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
        log.LogWarning("Timer bookmark {BookmarkId} could not be resumed after 5 attempts.", bookmarkId);
    }
}

/// <summary>
/// Gives every timer bookmark its trigger: all of them at start-up, then every 15 seconds those more than
/// 15 seconds overdue on a waiting instance. A node that dies between committing a timer and scheduling it
/// (under load that can be seconds: scheduling waits for Quartz's cluster lock) leaves one without a
/// trigger, and in a cluster the other nodes do not restart to heal it. Scheduling one whose trigger
/// exists does nothing, and a timer that fires twice resumes once, so checking often is safe.
/// </summary>
public sealed class TimerReconciler(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TimerReconciler> log) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public override async Task StartAsync(CancellationToken ct)
    {
        await ReconcileAsync(overdueBefore: null, ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The cadence is wall-clock time: on a test's fake clock moved on by days, a timer on that clock would tick
        // once per 15 s of the jump (thousands of checks in a row); "overdue" still reads the domain clock.
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReconcileAsync(clock.GetUtcNow() - Interval, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not check the timers' triggers; trying again shortly.");
            }
        }
    }

    async Task ReconcileAsync(DateTimeOffset? overdueBefore, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var query = db.Bookmarks.AsNoTracking().Where(b => b.DueAt != null);
        if (overdueBefore is { } before)
            query = query.Where(b => b.DueAt < before
                && db.WorkflowInstances.Any(i => i.Id == b.InstanceId && i.Status == WorkflowStatus.Suspended));
        var timers = await query.ToListAsync(ct);
        await scope.ServiceProvider.GetRequiredService<TimerScheduler>().ScheduleAsync(timers.Select(t => t.ToBookmark()), ct);
    }
}
