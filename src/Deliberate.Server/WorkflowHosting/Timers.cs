using Deliberate.Server.Data;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>
/// Timer bookmarks (Delay, Timer, deadlines) as Quartz triggers keyed by the bookmark id, in
/// Quartz's persistent store: a timer that came due while the server was down fires when it is
/// back, and because resuming consumes the bookmark, none resumes twice. A timer beyond the
/// <see cref="Scheduling.TriggerHorizon"/> gets its trigger from the <see cref="TimerReconciler"/> when it comes near.
/// </summary>
public sealed class TimerScheduler(Scheduling.TriggerQueue triggers, Scheduling.TriggerHorizon horizon)
{
    public const string Group = "workflow-timers";

    /// <summary>Queues each timer's trigger; call it once the bookmarks are committed.</summary>
    public void Schedule(IEnumerable<Bookmark> bookmarks)
    {
        foreach (var bookmark in bookmarks.Where(b => b.DueAt is not { } due || horizon.Covers(due)))
            triggers.Schedule(TriggerBuilder.Create() // the scheduler's own (real) clock; the moment is absolute
                .WithIdentity(new TriggerKey(bookmark.Id.ToString(), Group))
                .ForJob(ResumeTimerJob.Key)
                .UsingJobData(ResumeTimerJob.BookmarkIdKey, bookmark.Id.ToString())
                .StartAt(bookmark.DueAt ?? DateTimeOffset.UtcNow)
                // Came due while the server was down: fire once, as soon as it is back.
                .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build());
    }

    /// <summary>Cancels the triggers of timers that will not fire (a timer beyond the horizon has none).</summary>
    public void Unschedule(IEnumerable<Bookmark> bookmarks)
    {
        foreach (var bookmark in bookmarks.Where(b => b.DueAt is not { } due || horizon.Covers(due)))
            triggers.Unschedule(new TriggerKey(bookmark.Id.ToString(), Group));
    }
}

/// <summary>
/// Resumes the timer bookmark its trigger names, as the system. Each try is first counted in the bookmark's row and
/// committed; a bookmark tried <see cref="MaxAttempts"/> times (its resume failed, or crashed the process, which
/// Quartz's recovery and the reconciler would otherwise repeat after every restart) is not resumed again: its instance
/// stays suspended with an incident at the bookmark's activity, for a person to look at.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ResumeTimerJob(IServiceScopeFactory scopes, ILogger<ResumeTimerJob> log) : IJob
{
    public static readonly JobKey Key = new("resume-timer", TimerScheduler.Group);
    public const string BookmarkIdKey = "bookmarkId";
    public const int MaxAttempts = 3;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(BookmarkIdKey), out var bookmarkId)) return;
        await ResumeAsync(bookmarkId, cancellationToken);
    }

    /// <summary>One firing of the timer (the job's body; tests on a fake clock call it directly).</summary>
    public async Task ResumeAsync(Guid bookmarkId, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            // Counted and committed before the try, so that a try that kills the process still counts.
            var counted = await db.Bookmarks.Where(b => b.Id == bookmarkId)
                .ExecuteUpdateAsync(b => b.SetProperty(x => x.ResumeAttempts, x => x.ResumeAttempts + 1), cancellationToken);
            if (counted == 0) return; // already resumed or cancelled
            var tries = await db.Bookmarks.Where(b => b.Id == bookmarkId).Select(b => b.ResumeAttempts).FirstAsync(cancellationToken);
            if (tries > MaxAttempts)
            {
                if (tries == MaxAttempts + 1) // the incident once; later firings (a trigger left over) do nothing
                    await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().GiveUpResumingAsync(bookmarkId, MaxAttempts, cancellationToken);
                log.LogError("Timer bookmark {BookmarkId} was tried {Attempts} times without success; it is no longer resumed automatically.",
                    bookmarkId, MaxAttempts);
                return;
            }
        }
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
/// Every 15 seconds, gives the timers that came within the horizon their triggers, and again those more than 15 seconds
/// overdue on a waiting instance: a node that dies between committing a timer and applying its trigger leaves one
/// without it, and in a cluster the other nodes do not restart to heal it.
/// </summary>
public sealed class TimerReconciler(IServiceScopeFactory scopes, TimeProvider clock, Scheduling.TriggerHorizon horizon, ILogger<TimerReconciler> log)
    : Scheduling.TriggerReconciler(clock, horizon, log, TimeSpan.FromSeconds(15))
{
    protected override async Task ReconcileAsync(Scheduling.TriggerWindow window, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var until = window.Until;
        var query = db.Bookmarks.AsNoTracking().Where(b => b.DueAt != null && b.DueAt <= until);
        if (window is { CoveredUntil: { } covered, OverdueBefore: { } before })
            query = query.Where(b => b.DueAt > covered
                || (b.DueAt < before && b.ResumeAttempts < ResumeTimerJob.MaxAttempts
                    && db.WorkflowInstances.Any(i => i.Id == b.InstanceId && i.Status == WorkflowStatus.Suspended)));
        var timers = await query.ToListAsync(ct);
        scope.ServiceProvider.GetRequiredService<TimerScheduler>().Schedule(timers.Select(t => t.ToBookmark()));
    }
}
