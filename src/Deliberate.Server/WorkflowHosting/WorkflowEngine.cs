using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Operations;
using Deliberate.Server.Identity;
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
/// and saves the state, bookmarks, journal, inbox tasks and every domain row the activities changed
/// in ONE SaveChanges — one transaction. The instance's revision makes a concurrent advance fail
/// instead of overwrite. On PostgreSQL an advance also holds a transaction-scoped advisory lock on the
/// instance from before it loads the instance until it commits, so that nodes of a cluster advance one
/// instance one at a time: a second advance waits, then runs on the committed state (and finds its
/// bookmark gone, or advances another branch) instead of failing late with a conflict.
/// </summary>
public sealed class WorkflowEngine(DeliberateDbContext db, WorkflowPlans plans, WorkflowRunner runner, IServiceProvider services,
    TimerScheduler timers, Scheduling.Deadlines deadlines, Scheduling.SlaOptions sla, TimeProvider clock, ILogger<WorkflowEngine> log)
{
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

    async Task<WorkflowInstanceRecord> ResumeAsync(WorkflowInstanceRecord record, Guid bookmarkId, JsonNode? payload, Actor actor, CancellationToken ct)
    {
        var (plan, state) = await PlanAndStateAsync(record, ct);
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
        await SaveAsync(record, state, result, ct);
        return record;
    }

    /// <summary>Resumes every bookmark waiting for this event and correlation; returns how many.</summary>
    public async Task<int> PublishEventAsync(string eventName, string? correlation, JsonNode? payload, Actor actor, CancellationToken ct = default)
    {
        var name = WaitForEvent.BookmarkPrefix + eventName;
        var resumed = 0;
        if (db.UsesSqlite)
        {
            // SQLite has no per-instance lock to take first (the revision check guards): the waiting instances with their
            // bookmarks, in one query. "Id in (the waiting bookmarks' instances)" lets SQLite start from the bookmarks'
            // index; "any of its bookmarks waits" would have it test every instance there is.
            // The load and the save on one open connection (EF Core would open it for each).
            return await db.OnOpenConnectionAsync(async () =>
            {
                var waitingInstances = db.Bookmarks.Where(b => b.Name == name && b.Correlation == correlation).Select(b => b.InstanceId);
                var records = await db.WorkflowInstances.Include(i => i.Bookmarks)
                    .Where(i => waitingInstances.Contains(i.Id)).ToListAsync(ct);
                foreach (var record in records) resumed += await ResumeWaitingAsync(record);
                return resumed;
            }, ct);
        }
        var waiting = await db.Bookmarks.AsNoTracking().Where(b => b.Name == name && b.Correlation == correlation)
            .Select(b => b.InstanceId).Distinct().ToListAsync(ct);
        foreach (var instanceId in waiting)
            resumed += await OneAtATimeAsync(instanceId, async () =>
            {
                // The instance with its bookmarks, loaded once it is ours: one waiting a moment ago may have gone on since.
                var record = await db.WorkflowInstances.Include(i => i.Bookmarks).FirstOrDefaultAsync(i => i.Id == instanceId, ct);
                return record is null ? 0 : await ResumeWaitingAsync(record);
            }, ct);
        return resumed;

        async Task<int> ResumeWaitingAsync(WorkflowInstanceRecord record)
        {
            var bookmarks = record.Bookmarks.Where(b => b.Name == name && b.Correlation == correlation).OrderBy(b => b.CreatedAt).ToList();
            foreach (var bookmark in bookmarks) await ResumeAsync(record, bookmark.Id, payload, actor, ct);
            return bookmarks.Count;
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
    public Task<(WorkflowInstanceRecord? Record, IReadOnlyList<string> Problems)> MigrateAsync(Guid instanceId, int toVersion, Actor actor, CancellationToken ct = default) =>
        OneAtATimeAsync(instanceId, () => MigrateLockedAsync(instanceId, toVersion, actor, ct), ct);

    async Task<(WorkflowInstanceRecord? Record, IReadOnlyList<string> Problems)> MigrateLockedAsync(Guid instanceId, int toVersion, Actor actor, CancellationToken ct)
    {
        var (record, plan, state) = await LoadAsync(instanceId, ct);
        var target = await plans.GetAsync(db, record.DefinitionId, toVersion, ct)
            ?? throw new WorkflowNotFoundException($"Version {toVersion} of '{record.DefinitionId}' does not exist.");
        var problems = new List<string>();
        foreach (var activityId in state.Bookmarks.Select(b => b.ActivityId).Concat(state.Queue.Select(q => q.ActivityId)).Distinct())
        {
            if (!target.Contains(activityId)) problems.Add($"Activity '{activityId}' is not in version {toVersion}.");
            else if (target[activityId].Node.Type != plan[activityId].Node.Type)
                problems.Add($"Activity '{activityId}' is a {plan[activityId].Node.Type} here but a {target[activityId].Node.Type} in version {toVersion}.");
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

    /// <summary>Work for after the commit (scheduling timers, activities' after-commit actions), while an advance holds its lock.</summary>
    readonly List<Func<Task>> afterCommit = [];
    bool advancing;

    /// <summary>
    /// Runs one advance of an instance. On PostgreSQL: in a transaction that first takes the instance's
    /// advisory lock (released by the commit or rollback), with the after-commit work run once committed.
    /// On SQLite it runs on one open connection; inside a caller's transaction, or nested in another advance, it just runs.
    /// </summary>
    async Task<T> OneAtATimeAsync<T>(Guid instanceId, Func<Task<T>> advance, CancellationToken ct)
    {
        if (advancing || db.Database.CurrentTransaction is not null) return await advance();
        if (db.UsesSqlite) return await db.OnOpenConnectionAsync(advance, ct); // load and save on one connection
        advancing = true;
        try
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey(instanceId)})", ct);
                var result = await advance();
                await transaction.CommitAsync(ct);
                advancing = false;
                var committed = afterCommit.ToList(); // the work may itself advance other instances, which adds to the list
                afterCommit.Clear();
                foreach (var work in committed) await work();
                return result;
            }
        }
        finally
        {
            advancing = false;
            afterCommit.Clear();
        }
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

    async Task SaveAsync(WorkflowInstanceRecord record, WorkflowState state, RunResult result, CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity("workflow.save");
        span?.SetTag("workflow.definition", record.DefinitionId);
        span?.SetTag("workflow.instance", record.Id.ToString());
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        record.Save(state, JsonSerializer.Serialize(state, WorkflowJson.Options), now);
        var newTasks = new List<InboxTask>();
        foreach (var bookmark in result.CreatedBookmarks)
        {
            db.Bookmarks.Add(new BookmarkRecord(bookmark, record.Id)); // explicitly: a set Guid key found by navigation would read as an update
            if (bookmark.Name == HumanTask.BookmarkName)
            {
                var task = ToInboxTask(record, state, bookmark, now);
                db.InboxTasks.Add(task);
                newTasks.Add(task);
                await TaskSla.NotifyAssignedAsync(db, task, now, ct);
            }
        }
        var closedTasks = new List<InboxTask>();
        foreach (var bookmark in result.RemovedBookmarks)
        {
            db.Bookmarks.Remove(record.Bookmarks.Single(b => b.Id == bookmark.Id));
            if (bookmark.Name == HumanTask.BookmarkName && await db.InboxTasks.FirstOrDefaultAsync(t => t.Id == bookmark.Id, ct) is { } closed)
            {
                closed.Cancel(now);
                closedTasks.Add(closed);
            }
        }
        db.WorkflowJournal.AddRange(record.Append(result.Journal));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // A failed statement spoils PostgreSQL's transaction: end it before asking anything more.
            if (db.Database.CurrentTransaction is { } transaction && advancing) await transaction.RollbackAsync(ct);
            // Either the revision check failed, or a concurrent writer's journal line took our sequence number first.
            if (e is DbUpdateConcurrencyException || await AdvancedMeanwhileAsync(record, ct))
            {
                Telemetry.WorkflowConflicts.Add(1);
                throw new WorkflowConflictException("Another request advanced this workflow instance first; nothing was saved.", e);
            }
            throw;
        }
        Telemetry.WorkflowSteps.Add(result.Journal.Count(j => j.Event == JournalEvent.Executed), new KeyValuePair<string, object?>("workflow.definition", record.DefinitionId));
        Telemetry.WorkflowSaveDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        span?.SetTag("workflow.status", state.Status.ToString());
        if (state.Status == WorkflowStatus.Faulted)
            log.LogWarning("Workflow instance {InstanceId} faulted: {Incident}", record.Id, state.Incidents.LastOrDefault()?.Message);

        // Timers, task SLAs and activities' deadlines are scheduled once committed; a crash in between is healed by the reconcilers.
        async Task AfterCommit()
        {
            timers.Schedule(result.CreatedBookmarks.Where(b => b.DueAt is not null));
            timers.Unschedule(result.RemovedBookmarks.Where(b => b.DueAt is not null));
            foreach (var task in newTasks)
                if (task.DueAt is { } dueAt) TaskSla.Schedule(deadlines, sla, task.Id, task.CreatedAt, dueAt);
            foreach (var closed in closedTasks) TaskSla.Cancel(deadlines, sla, closed);
            foreach (var action in result.AfterCommit) await action(services, ct);
        }
        if (advancing) afterCommit.Add(AfterCommit);
        else await AfterCommit();
    }

    async Task<bool> AdvancedMeanwhileAsync(WorkflowInstanceRecord record, CancellationToken ct)
    {
        var saved = await db.WorkflowInstances.AsNoTracking().Where(i => i.Id == record.Id).Select(i => (int?)i.Revision).FirstOrDefaultAsync(ct);
        return saved is { } revision && revision != record.Revision - 1;
    }

    static InboxTask ToInboxTask(WorkflowInstanceRecord record, WorkflowState state, Bookmark bookmark, DateTimeOffset now)
    {
        var request = bookmark.Payload.Deserialize<HumanTaskRequest>(WorkflowJson.Options)!;
        // Roles are checked when a definition is validated (WorkflowPlans), so this holds.
        var role = Roles.Parse(request.Role) ?? throw new InvalidOperationException($"Unknown role '{request.Role}' in activity {bookmark.ActivityId}.");
        // A task belongs to the instance's own matter; a test run's task to none (it must not show on a real matter).
        Guid? matterId = record.Scope switch
        {
            StartScope.Matter => record.ScopeMatterId,
            StartScope.Starter => state.Variables.GetValueOrDefault("matterId") is JsonValue v && Guid.TryParse(v.ToString(), out var m) ? m : null,
            _ => null,
        };
        Guid? assignee = Guid.TryParse(request.Assignee, out var named) ? named : null;
        // A test run's task goes to whoever started the run, never into the inboxes of real staff who hold the role.
        if (record.Scope == StartScope.TestRun && record.StartedById is { } starter) assignee = starter;
        return new InboxTask(bookmark.Id, record.Id, bookmark.ActivityId, matterId, request.Title, request.Description, role,
            Guid.TryParse(request.Scope, out var scope) ? scope : null,
            assignee,
            JsonSerializer.Serialize(request.Form, WorkflowJson.Options),
            JsonSerializer.Serialize(request.Outcomes, WorkflowJson.Options),
            request.DueAt, now);
    }
}
