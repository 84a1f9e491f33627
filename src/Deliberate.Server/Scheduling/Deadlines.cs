using Quartz;

namespace Deliberate.Server.Scheduling;

/// <summary>
/// Something that must happen at a moment to one domain object: a ballot closes, a rating window ends,
/// a consultation closes, a work item runs overdue. Each kind has one handler, registered in Program.cs.
/// Handlers are idempotent (the object knows whether it is already closed), so a deadline that fires late
/// after a restart, or twice on two nodes, does its work once.
/// </summary>
public interface IDeadlineHandler
{
    /// <summary>A short name such as "ballot.close"; part of the trigger's key.</summary>
    string Kind { get; }

    /// <summary>Runs in its own scope; saves its own changes.</summary>
    Task HandleAsync(Guid id, CancellationToken ct);

    /// <summary>
    /// The deadlines still waiting, at least those due at or before <paramref name="until"/> (null: all); the reconciler
    /// sets their triggers as they come within the horizon, and again when a node died before applying them.
    /// </summary>
    Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct);
}

/// <summary>
/// Schedules and cancels domain deadlines as Quartz triggers in the persistent store (through the <see cref="TriggerQueue"/>);
/// a deadline beyond the <see cref="TriggerHorizon"/> gets its trigger from the <see cref="DeadlineReconciler"/> when it comes near.
/// </summary>
public sealed class Deadlines(TriggerQueue triggers, TriggerHorizon horizon)
{
    public const string Group = "deadlines";
    public const string KindKey = "kind";
    public const string IdKey = "id";

    public static TriggerKey Key(string kind, Guid id) => new($"{kind}:{id}", Group);

    /// <summary>
    /// Sets (or moves) the deadline of one object. Call it after the object is committed. A deadline moved beyond the
    /// horizon leaves its old trigger in place: it fires early, and the handler, finding the moment not yet come, does nothing.
    /// </summary>
    public void Schedule(string kind, Guid id, DateTimeOffset at)
    {
        if (!horizon.Covers(at)) return;
        triggers.Schedule(TriggerBuilder.Create() // the scheduler's own (real) clock; the moment is absolute
            .WithIdentity(Key(kind, id))
            .ForJob(DeadlineJob.Key)
            .UsingJobData(KindKey, kind)
            .UsingJobData(IdKey, id.ToString())
            .StartAt(at)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build());
    }

    /// <summary>Cancels the deadline due at <paramref name="at"/>; one beyond the horizon has no trigger to cancel.</summary>
    public void Cancel(string kind, Guid id, DateTimeOffset at)
    {
        if (horizon.Covers(at)) triggers.Unschedule(Key(kind, id));
    }
}

public static class DeadlineActivityExtensions
{
    /// <summary>Sets a deadline for an object the activity made, once the run that made it is committed.</summary>
    public static void ScheduleDeadline(this Deliberate.Workflows.Runtime.ActivityContext context, string kind, Guid id, DateTimeOffset at) =>
        context.AfterCommit((services, _) =>
        {
            services.GetRequiredService<Deadlines>().Schedule(kind, id, at);
            return Task.CompletedTask;
        });
}

/// <summary>Runs the handler of the deadline's kind.</summary>
[DisallowConcurrentExecution]
public sealed class DeadlineJob(IServiceScopeFactory scopes, ILogger<DeadlineJob> log) : IJob
{
    public static readonly JobKey Key = new("deadline", Deadlines.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var kind = context.MergedJobDataMap.GetString(Deadlines.KindKey);
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(Deadlines.IdKey), out var id) || kind is null) return;
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetServices<IDeadlineHandler>().FirstOrDefault(h => h.Kind == kind);
            if (handler is null)
            {
                log.LogError("No handler for deadline kind {Kind}.", kind);
                return;
            }
            try
            {
                await handler.HandleAsync(id, cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < 5
                && e is WorkflowHosting.WorkflowConflictException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                // Someone changed the same rows at the same moment: try again on fresh state.
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
    }
}

/// <summary>
/// Every minute, gives the pending deadlines that came within the horizon their triggers, and again those more than a
/// minute overdue and still pending: a node that died before applying its queued trigger changes leaves some without
/// one, and the other nodes of a cluster do not restart to heal them. Handlers do their work once however often they fire.
/// </summary>
public sealed class DeadlineReconciler(IServiceScopeFactory scopes, TimeProvider clock, TriggerHorizon horizon, ILogger<DeadlineReconciler> log)
    : TriggerReconciler(clock, horizon, log, TimeSpan.FromMinutes(1))
{
    protected override async Task ReconcileAsync(TriggerWindow window, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deadlines = scope.ServiceProvider.GetRequiredService<Deadlines>();
        foreach (var handler in scope.ServiceProvider.GetServices<IDeadlineHandler>())
            foreach (var (id, at) in await handler.PendingAsync(window.Until, ct))
                if (window.Needs(at)) deadlines.Schedule(handler.Kind, id, at);
    }
}
