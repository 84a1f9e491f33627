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

    /// <summary>The deadlines that should exist now (for start-up, to heal a crash between commit and scheduling).</summary>
    Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(CancellationToken ct);
}

/// <summary>Schedules and cancels domain deadlines as Quartz triggers in the persistent store.</summary>
public sealed class Deadlines(ISchedulerFactory schedulers)
{
    public const string Group = "deadlines";
    public const string KindKey = "kind";
    public const string IdKey = "id";

    static TriggerKey Key(string kind, Guid id) => new($"{kind}:{id}", Group);

    /// <summary>Sets (or moves) the deadline of one object. Call it after the object is committed.</summary>
    public async Task ScheduleAsync(string kind, Guid id, DateTimeOffset at, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = Key(kind, id);
        var trigger = TriggerBuilder.Create() // the scheduler's own (real) clock; the moment is absolute
            .WithIdentity(key)
            .ForJob(DeadlineJob.Key)
            .UsingJobData(KindKey, kind)
            .UsingJobData(IdKey, id.ToString())
            .StartAt(at)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        try
        {
            if (await scheduler.Exists(key, ct)) await scheduler.RescheduleJob(key, trigger, ct);
            else await scheduler.ScheduleJob(trigger, cancellationToken: ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            await scheduler.RescheduleJob(key, trigger, ct); // another node scheduled it a moment ago
        }
    }

    public async Task CancelAsync(string kind, Guid id, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.UnscheduleJob(Key(kind, id), ct);
    }
}

public static class DeadlineActivityExtensions
{
    /// <summary>Sets a deadline for an object the activity made, once the run that made it is committed.</summary>
    public static void ScheduleDeadline(this Deliberate.Workflows.Runtime.ActivityContext context, string kind, Guid id, DateTimeOffset at) =>
        context.AfterCommit((services, ct) => services.GetRequiredService<Deadlines>().ScheduleAsync(kind, id, at, ct));
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
            catch (Exception e) when (attempt < 5 && e is WorkflowHosting.WorkflowConflictException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                // Someone changed the same rows at the same moment: try again on fresh state.
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
    }
}

/// <summary>At start-up, gives every pending deadline its trigger.</summary>
public sealed class DeadlineReconciler(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deadlines = scope.ServiceProvider.GetRequiredService<Deadlines>();
        foreach (var handler in scope.ServiceProvider.GetServices<IDeadlineHandler>())
            foreach (var (id, at) in await handler.PendingAsync(ct))
                await deadlines.ScheduleAsync(handler.Kind, id, at, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
