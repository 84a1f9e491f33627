using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Operations;
using Deliberate.Server.Tasks;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>Someone else advanced the instance first; nothing of this attempt was saved.</summary>
public sealed class WorkflowConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A definition or instance that is asked for and is not there.</summary>
public sealed class WorkflowNotFoundException(string message) : Exception(message);

/// <summary>
/// Runs instances for the host: loads state and bookmarks, lets the runner advance the instance,
/// and saves the state, bookmarks, journal, inbox tasks (<see cref="TaskCreation"/>), every domain row the activities
/// changed and whatever the caller left in the change tracker in ONE SaveChanges — one transaction. A published event
/// (<see cref="PublishEventAsync"/>) advances every waiting instance and saves the caller's changes in one transaction too. The instance's revision
/// makes a concurrent advance fail
/// instead of overwrite. On PostgreSQL an advance also holds a transaction-scoped advisory lock on the
/// instance from before it loads the instance until it commits, so that nodes of a cluster advance one
/// instance one at a time: a second advance waits, then runs on the committed state (and finds its
/// bookmark gone, or advances another branch) instead of failing late with a conflict.
/// </summary>
public sealed class WorkflowEngine(DeliberateDbContext db, WorkflowPlans plans, WorkflowRunner runner, IServiceProvider services,
    TimerScheduler timers, Scheduling.Deadlines deadlines, Scheduling.SlaOptions sla, TimeProvider clock, ILogger<WorkflowEngine> log)
{
    /// <summary>The context the engine saves with: the request's (scoped) one.</summary>
    internal DeliberateDbContext Db => db;

    /// <summary>
    /// Starts the newest published version and saves, with whatever the caller already added to the context.
    /// <paramref name="scope"/> says who started it and what its domain activities may touch (a test run, if not given).
    /// </summary>
    public async Task<WorkflowInstanceRecord> StartAsync(string definitionId, IReadOnlyDictionary<string, JsonNode?> input,
        string? correlationId, Actor actor, CancellationToken ct = default, Guid? instanceId = null, InstanceStart? scope = null)
    {
        var plan = await plans.LatestPublishedAsync(db, definitionId, ct)
            ?? throw new WorkflowNotFoundException($"No published workflow '{definitionId}'.");
        var now = clock.GetUtcNow();
        scope ??= InstanceStart.TestRun(null);
        var record = new WorkflowInstanceRecord(instanceId ?? Guid.CreateVersion7(now), definitionId, plan.Definition.Version, correlationId, now,
            scope.Scope, scope.StartedById, scope.MatterId);
        db.WorkflowInstances.Add(record);
        var state = new WorkflowState();
        var result = await runner.StartAsync(plan, state, Request(record, actor, ct), input);
        await SaveAsync(record, state, result, ct);
        return record;
    }

    /// <summary>Resumes one bookmark with a payload. Throws <see cref="WorkflowConflictException"/> if it is gone or was taken meanwhile.</summary>
    public async Task<WorkflowInstanceRecord> ResumeAsync(Guid bookmarkId, JsonNode? payload, Actor actor, CancellationToken ct = default)
    {
        var instanceId = await db.Bookmarks.AsNoTracking().Where(b => b.Id == bookmarkId).Select(b => (Guid?)b.InstanceId).FirstOrDefaultAsync(ct)
            ?? throw new WorkflowConflictException("The bookmark is no longer waiting; someone resumed it first.");
        return await OneAtATimeAsync(instanceId, async () =>
        {
            // The instance with all its bookmarks, if this one still waits: one query, by the instance's key (a
            // condition on the bookmarks alone would have SQLite test every instance there is).
            var record = await db.WorkflowInstances.Include(i => i.Bookmarks)
                .FirstOrDefaultAsync(i => i.Id == instanceId && i.Bookmarks.Any(b => b.Id == bookmarkId), ct)
                ?? throw new WorkflowConflictException("The bookmark is no longer waiting; someone resumed it first.");
            return await ResumeAsync(record, bookmarkId, payload, actor, ct);
        }, ct);
    }

    async Task<WorkflowInstanceRecord> ResumeAsync(WorkflowInstanceRecord record, Guid bookmarkId, JsonNode? payload,
        Actor actor, CancellationToken ct)
    {
        var (state, result) = await RunResumesAsync(record, [bookmarkId], payload, actor, ct);
        await SaveAsync(record, state, result, ct);
        return record;
    }

    /// <summary>Resumes the bookmarks of one instance one after the other, in memory; the result is what all of them changed.</summary>
    async Task<(WorkflowState, RunResult)> RunResumesAsync(WorkflowInstanceRecord record, IReadOnlyList<Guid> bookmarkIds, JsonNode? payload,
        Actor actor, CancellationToken ct)
    {
        var (plan, state) = await PlanAndStateAsync(record, ct);
        var all = new RunResult();
        foreach (var bookmarkId in bookmarkIds)
        {
            if (state.Status != WorkflowStatus.Suspended)
                throw new WorkflowConflictException($"The instance is {state.Status}; it cannot be resumed now.");
            RunResult result;
            try
            {
                result = await runner.ResumeAsync(plan, state, bookmarkId, payload, Request(record, actor, ct));
            }
            catch (BookmarkNotFoundException e)
            {
                throw new WorkflowConflictException("The bookmark is no longer waiting; someone resumed it first.", e);
            }
            all.Journal.AddRange(result.Journal);
            all.CreatedBookmarks.AddRange(result.CreatedBookmarks);
            foreach (var removed in result.RemovedBookmarks)
                if (!all.CreatedBookmarks.Remove(removed)) all.RemovedBookmarks.Add(removed); // made and taken in this publication: never saved
            all.AfterCommit.AddRange(result.AfterCommit);
        }
        return (state, all);
    }

    /// <summary>
    /// Resumes every bookmark waiting for this event and correlation, and saves whatever else the caller changed (the
    /// close that raised the event), all in ONE transaction: every waiting instance's advance and the caller's changes
    /// go into one SaveChanges (on PostgreSQL inside a transaction that holds each instance's lock), so either all are
    /// committed or none is. An activity that fails faults its own instance (an incident, saved with the rest); a save
    /// that fails (a concurrent advance, a rejected row) saves nothing and throws. Returns how many bookmarks were resumed.
    /// </summary>
    public Task<int> PublishEventAsync(string eventName, string? correlation, JsonNode? payload, Actor actor, CancellationToken ct = default)
    {
        // SQLite: no explicit transaction (it would hold the file's write lock across the process's write gate); the one
        // SaveChanges is the transaction, with the load and the save on one open connection.
        if (db.UsesSqlite && !advancing && db.Database.CurrentTransaction is null) return db.OnOpenConnectionAsync(PublishAsync, ct);
        return InOneTransactionAsync(PublishAsync, ct);

        async Task<int> PublishAsync()
        {
            var name = WaitForEvent.BookmarkPrefix + eventName;
            var waiting = await db.Bookmarks.AsNoTracking().Where(b => b.Name == name && b.Correlation == correlation)
                .Select(b => b.InstanceId).Distinct().ToListAsync(ct);
            var advanced = new List<Advance>();
            var resumed = 0;
            // In id order, each locked (PostgreSQL) before it is loaded: publications that wake the same instances lock them in
            // the same order, and an instance waiting a moment ago may have gone on since.
            foreach (var instanceId in waiting.Order())
            {
                await LockAsync(instanceId, ct);
                var record = await db.WorkflowInstances.Include(i => i.Bookmarks).FirstOrDefaultAsync(i => i.Id == instanceId, ct);
                if (record is null) continue;
                var bookmarks = record.Bookmarks.Where(b => b.Name == name && b.Correlation == correlation).OrderBy(b => b.CreatedAt)
                    .Select(b => b.Id).ToList();
                if (bookmarks.Count == 0) continue;
                var (state, result) = await RunResumesAsync(record, bookmarks, payload, actor, ct);
                advanced.Add(await StageAsync(record, state, result, ct));
                resumed += bookmarks.Count;
            }
            await CommitAsync(advanced, ct); // with the caller's changes, also when no instance was waiting
            return resumed;
        }
    }

    /// <summary>
    /// Records, on the instance of a timer bookmark that failed or crashed on every one of its tries, an incident at the
    /// bookmark's activity. The instance stays suspended and the bookmark waiting; nothing resumes it automatically again.
    /// </summary>
    public async Task GiveUpResumingAsync(Guid bookmarkId, int attempts, CancellationToken ct = default)
    {
        var instanceId = await db.Bookmarks.AsNoTracking().Where(b => b.Id == bookmarkId).Select(b => (Guid?)b.InstanceId).FirstOrDefaultAsync(ct);
        if (instanceId is null) return;
        await OneAtATimeAsync(instanceId.Value, async () =>
        {
            var (record, _, state) = await LoadAsync(instanceId.Value, ct);
            if (state.Bookmarks.FirstOrDefault(b => b.Id == bookmarkId) is not { } bookmark) return 0;
            var now = clock.GetUtcNow();
            state.Incidents.Add(new Incident(Guid.CreateVersion7(now), bookmark.ActivityId,
                $"Resuming the timer of this activity failed or stopped the server {attempts} times; it is not resumed automatically again.", now));
            await SaveAsync(record, state, new RunResult(), ct);
            return 0;
        }, ct);
    }

    public Task<WorkflowInstanceRecord> RetryAsync(Guid instanceId, Actor actor, CancellationToken ct = default) =>
        OneAtATimeAsync(instanceId, async () =>
        {
            var (record, plan, state) = await LoadAsync(instanceId, ct);
            var result = await runner.RetryAsync(plan, state, Request(record, actor, ct));
            await SaveAsync(record, state, result, ct);
            return record;
        }, ct);

    public Task<WorkflowInstanceRecord> CancelAsync(Guid instanceId, Actor actor, CancellationToken ct = default) =>
        OneAtATimeAsync(instanceId, async () =>
        {
            var (record, plan, state) = await LoadAsync(instanceId, ct);
            var result = runner.Cancel(plan, state, Request(record, actor, ct));
            await SaveAsync(record, state, result, ct);
            return record;
        }, ct);

    /// <summary>
    /// Moves a waiting instance onto another version of its definition. Every activity it waits at or
    /// has queued must exist, with the same type, in the target version.
    /// </summary>
    public Task<(WorkflowInstanceRecord? Record, IReadOnlyList<string> Problems)> MigrateAsync(Guid instanceId, int toVersion, Actor actor,
        CancellationToken ct = default) =>
        OneAtATimeAsync(instanceId, () => MigrateLockedAsync(instanceId, toVersion, actor, ct), ct);

    async Task<(WorkflowInstanceRecord? Record, IReadOnlyList<string> Problems)> MigrateLockedAsync(Guid instanceId, int toVersion,
        Actor actor, CancellationToken ct)
    {
        var (record, plan, state) = await LoadAsync(instanceId, ct);
        var target = await plans.GetAsync(db, record.DefinitionId, toVersion, ct)
            ?? throw new WorkflowNotFoundException($"Version {toVersion} of '{record.DefinitionId}' does not exist.");
        var problems = new List<string>();
        foreach (var activityId in state.Bookmarks.Select(b => b.ActivityId).Concat(state.Queue.Select(q => q.ActivityId)).Distinct())
        {
            if (!target.Contains(activityId)) problems.Add($"Activity '{activityId}' is not in version {toVersion}.");
            else if (target[activityId].Node.Type != plan[activityId].Node.Type)
                problems.Add($"Activity '{activityId}' is a {plan[activityId].Node.Type} here but a {target[activityId].Node.Type} in "
                    + $"version {toVersion}.");
        }
        if (state.IsEnded) problems.Add($"The instance is {state.Status}.");
        if (problems.Count > 0) return (null, problems);

        var from = record.DefinitionVersion;
        record.MoveToVersion(toVersion);
        var result = new RunResult();
        result.Journal.Add(new JournalEntry(clock.GetUtcNow(), JournalEvent.Migrated, null, null, null, $"{from}->{toVersion}", actor));
        await SaveAsync(record, state, result, ct);
        return (record, []);
    }

    /// <summary>Work for after the commit (scheduling timers, activities' after-commit actions), while a transaction of ours is open.</summary>
    readonly List<Func<Task>> afterCommit = [];
    bool advancing;

    /// <summary>
    /// Runs one advance of an instance. On PostgreSQL: in a transaction that first takes the instance's advisory lock
    /// (released by the commit or rollback). On SQLite it runs on one open connection, its one SaveChanges being its
    /// transaction. Inside a caller's transaction, or nested in another advance, it joins that transaction.
    /// </summary>
    Task<T> OneAtATimeAsync<T>(Guid instanceId, Func<Task<T>> advance, CancellationToken ct)
    {
        if (db.UsesSqlite && !advancing && db.Database.CurrentTransaction is null)
            return db.OnOpenConnectionAsync(advance, ct); // load and save on one connection
        return InOneTransactionAsync(async () =>
        {
            await LockAsync(instanceId, ct);
            return await advance();
        }, ct);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction of ours, with the after-commit work run once committed; a failure
    /// rolls everything back. Inside a caller's transaction, or nested in ours, it just runs (the outer one commits).
    /// </summary>
    async Task<T> InOneTransactionAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (advancing || db.Database.CurrentTransaction is not null) return await work();
        advancing = true;
        try
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                var result = await work();
                await transaction.CommitAsync(ct);
                advancing = false;
                var committed = afterCommit.ToList(); // the work may itself advance other instances, which adds to the list
                afterCommit.Clear();
                foreach (var action in committed) await action();
                return result;
            }
        }
        finally
        {
            advancing = false;
            afterCommit.Clear();
        }
    }

    /// <summary>On PostgreSQL, holds the instance's advisory lock until the current transaction ends (SQLite's transaction locks the whole
    /// database).</summary>
    async Task LockAsync(Guid instanceId, CancellationToken ct)
    {
        if (!db.UsesSqlite) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey(instanceId)})", ct);
    }

    /// <summary>A 64-bit lock key from the instance id (both halves folded: a v7 id's first half is mostly its time).</summary>
    static long AdvisoryLockKey(Guid instanceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        instanceId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    RunRequest Request(WorkflowInstanceRecord record, Actor actor, CancellationToken ct) =>
        new(record.Id, record.CorrelationId, actor, services, ct);

    /// <summary>The instance with its bookmarks (tracked, so that they can be removed), its plan and its state.</summary>
    async Task<(WorkflowInstanceRecord, WorkflowPlan, WorkflowState)> LoadAsync(Guid instanceId, CancellationToken ct)
    {
        var record = await db.WorkflowInstances.Include(i => i.Bookmarks).FirstOrDefaultAsync(i => i.Id == instanceId, ct)
            ?? throw new WorkflowNotFoundException($"Workflow instance {instanceId} does not exist.");
        var (plan, state) = await PlanAndStateAsync(record, ct);
        return (record, plan, state);
    }

    async Task<(WorkflowPlan, WorkflowState)> PlanAndStateAsync(WorkflowInstanceRecord record, CancellationToken ct)
    {
        var plan = await plans.GetAsync(db, record.DefinitionId, record.DefinitionVersion, ct)
            ?? throw new WorkflowNotFoundException($"Version {record.DefinitionVersion} of '{record.DefinitionId}' is missing.");
        var state = JsonSerializer.Deserialize<WorkflowState>(record.StateJson, WorkflowJson.Options)!;
        state.Bookmarks = record.Bookmarks.Select(b => b.ToBookmark()).ToList();
        return (plan, state);
    }

    /// <summary>One instance's advance, staged in the change tracker and not yet saved.</summary>
    sealed record Advance(WorkflowInstanceRecord Record, WorkflowState State, RunResult Result, TaskChanges Tasks);

    async Task SaveAsync(WorkflowInstanceRecord record, WorkflowState state, RunResult result, CancellationToken ct) =>
        await CommitAsync([await StageAsync(record, state, result, ct)], ct);

    /// <summary>Puts an advance into the change tracker: the state, the created and removed bookmarks, their inbox tasks, the journal.</summary>
    async Task<Advance> StageAsync(WorkflowInstanceRecord record, WorkflowState state, RunResult result, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        record.Save(state, JsonSerializer.Serialize(state, WorkflowJson.Options), now);
        foreach (var bookmark in result.CreatedBookmarks)
            db.Bookmarks.Add(new BookmarkRecord(bookmark, record.Id)); // explicitly: a set Guid key found by navigation would read as an update
        foreach (var bookmark in result.RemovedBookmarks)
            db.Bookmarks.Remove(record.Bookmarks.Single(b => b.Id == bookmark.Id));
        var tasks = await TaskCreation.ApplyAsync(db, record, state, result, now, ct); // inbox tasks are the Tasks/ side of human-task bookmarks
        db.WorkflowJournal.AddRange(record.Append(result.Journal));
        return new Advance(record, state, result, tasks);
    }

    /// <summary>
    /// Saves the staged advances and everything else in the change tracker in ONE SaveChanges; then (or, inside a
    /// transaction of ours, once it commits) schedules their timers and task SLAs and runs the activities' after-commit work.
    /// </summary>
    async Task CommitAsync(IReadOnlyList<Advance> advances, CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity("workflow.save");
        if (advances is [var one])
        {
            span?.SetTag("workflow.definition", one.Record.DefinitionId);
            span?.SetTag("workflow.instance", one.Record.Id.ToString());
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // A failed statement spoils PostgreSQL's transaction: end it before asking anything more.
            if (db.Database.CurrentTransaction is { } transaction && advancing) await transaction.RollbackAsync(ct);
            // Either a revision check failed, or a concurrent writer's journal line took our sequence number first.
            if (e is DbUpdateConcurrencyException || await AdvancedMeanwhileAsync(advances, ct))
            {
                Telemetry.WorkflowConflicts.Add(1);
                throw new WorkflowConflictException("Another request advanced this workflow instance first; nothing was saved.", e);
            }
            throw;
        }
        Telemetry.WorkflowSaveDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        foreach (var (record, state, result, _) in advances)
        {
            Telemetry.WorkflowSteps.Add(result.Journal.Count(j => j.Event == JournalEvent.Executed),
                new KeyValuePair<string, object?>("workflow.definition", record.DefinitionId));
            if (advances.Count == 1) span?.SetTag("workflow.status", state.Status.ToString());
            if (state.Status == WorkflowStatus.Faulted)
                log.LogWarning("Workflow instance {InstanceId} faulted: {Incident}", record.Id, state.Incidents.LastOrDefault()?.Message);
        }

        // Timers, task SLAs and activities' deadlines are scheduled once committed; a crash in between is healed by the reconcilers.
        async Task AfterCommit()
        {
            foreach (var (_, _, result, tasks) in advances)
            {
                timers.Schedule(result.CreatedBookmarks.Where(b => b.DueAt is not null));
                timers.Unschedule(result.RemovedBookmarks.Where(b => b.DueAt is not null));
                tasks.Schedule(deadlines, sla);
                foreach (var action in result.AfterCommit) await action(services, ct);
            }
        }
        if (advancing) afterCommit.Add(AfterCommit);
        else await AfterCommit();
    }

    async Task<bool> AdvancedMeanwhileAsync(IReadOnlyList<Advance> advances, CancellationToken ct)
    {
        foreach (var advance in advances)
            if (await AdvancedMeanwhileAsync(advance.Record, ct)) return true;
        return false;
    }

    async Task<bool> AdvancedMeanwhileAsync(WorkflowInstanceRecord record, CancellationToken ct)
    {
        var saved = await db.WorkflowInstances.AsNoTracking().Where(i => i.Id == record.Id).Select(i => (int?)i.Revision).FirstOrDefaultAsync(ct);
        return saved is { } revision && revision != record.Revision - 1;
    }
}
