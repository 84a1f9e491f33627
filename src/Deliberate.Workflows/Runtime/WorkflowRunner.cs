using System.Text.Json.Nodes;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Scripting;

namespace Deliberate.Workflows.Runtime;

/// <summary>Who runs an instance, and with which services (the host's request scope).</summary>
public sealed record RunRequest(Guid InstanceId, string? CorrelationId, Actor Actor, IServiceProvider Services,
    CancellationToken CancellationToken = default);

/// <summary>What one run changed, for the host to save in the same transaction as the domain rows.</summary>
public sealed class RunResult
{
    public List<JournalEntry> Journal { get; } = [];
    public List<Bookmark> CreatedBookmarks { get; } = [];
    public List<Bookmark> RemovedBookmarks { get; } = [];
    /// <summary>Activity executions in this run (executes and resumes).</summary>
    public int Steps { get; internal set; }
    /// <summary>Work for the host to do once the run is committed (schedule a deadline), never before.</summary>
    public List<Func<IServiceProvider, CancellationToken, Task>> AfterCommit { get; } = [];
}

/// <summary>The instance cannot do what was asked in its present state (resume a finished one, retry a healthy one).</summary>
public sealed class WorkflowStateException(string message) : Exception(message);

/// <summary>A value, or all of an instance's variables, larger than an instance may keep (see <see cref="WorkflowState.MaxValueBytes"/>).</summary>
public sealed class WorkflowLimitException(string message) : Exception(message);

/// <summary>No such bookmark on this instance, e.g. because someone else resumed it first.</summary>
public sealed class BookmarkNotFoundException(Guid bookmarkId) : Exception($"Bookmark {bookmarkId} is not waiting on this instance.")
{
    public Guid BookmarkId { get; } = bookmarkId;
}

/// <summary>Start input that the definition does not declare.</summary>
public sealed class WorkflowInputException(IReadOnlyList<string> unknown)
    : Exception("The workflow does not declare these variables: " + string.Join(", ", unknown))
{
    public IReadOnlyList<string> Unknown { get; } = unknown;
}

/// <summary>
/// Carries an instance on from where it stands until it waits, ends or faults. Pure: it changes the
/// state object and reports journal lines and bookmarks; the host saves them.
/// </summary>
public sealed class WorkflowRunner(ActivityRegistry registry, ScriptEngine scripts, TimeProvider clock)
{
    /// <summary>Activity executions one run may make without waiting: a loop that never waits faults instead of spinning.</summary>
    public int MaxStepsPerRun { get; init; } = 10_000;

    public ActivityRegistry Registry => registry;
    public ScriptEngine Scripts => scripts;

    public async Task<RunResult> StartAsync(WorkflowPlan plan, WorkflowState state, RunRequest request,
        IReadOnlyDictionary<string, JsonNode?>? input = null)
    {
        var declared = plan.Definition.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var unknown = (input?.Keys ?? []).Where(k => !declared.ContainsKey(k)).ToList();
        if (unknown.Count > 0) throw new WorkflowInputException(unknown);

        foreach (var variable in plan.Definition.Variables)
            state.Variables[variable.Name] = variable.Value?.DeepClone();
        foreach (var (name, value) in input ?? new Dictionary<string, JsonNode?>())
            state.Variables[name] = value?.DeepClone();

        state.Status = WorkflowStatus.Running;
        var execution = new WorkflowExecution(plan, state, request, registry, scripts, clock);
        execution.Record(JournalEvent.WorkflowStarted, null);
        state.Queue.Add(new ScheduledActivity(plan.Start.Node.Id));
        await execution.RunQueueAsync(MaxStepsPerRun);
        return execution.Result;
    }

    public async Task<RunResult> ResumeAsync(WorkflowPlan plan, WorkflowState state, Guid bookmarkId, JsonNode? payload, RunRequest request)
    {
        if (state.Status != WorkflowStatus.Suspended)
            throw new WorkflowStateException($"The instance is {state.Status}; only a suspended instance can be resumed.");
        var bookmark = state.Bookmarks.FirstOrDefault(b => b.Id == bookmarkId) ?? throw new BookmarkNotFoundException(bookmarkId);

        var execution = new WorkflowExecution(plan, state, request, registry, scripts, clock);
        await execution.ResumeAsync(bookmark, payload);
        await execution.RunQueueAsync(MaxStepsPerRun);
        return execution.Result;
    }

    /// <summary>Runs the faulted activity again, and on from there.</summary>
    public async Task<RunResult> RetryAsync(WorkflowPlan plan, WorkflowState state, RunRequest request)
    {
        if (state.Status != WorkflowStatus.Faulted)
            throw new WorkflowStateException($"The instance is {state.Status}; only a faulted instance can be retried.");
        var now = clock.GetUtcNow();
        foreach (var incident in state.Incidents.Where(i => i.ResolvedAt is null)) incident.ResolvedAt = now;

        state.Status = WorkflowStatus.Running;
        var execution = new WorkflowExecution(plan, state, request, registry, scripts, clock);
        execution.Record(JournalEvent.Retried, state.Queue.Count > 0 ? plan[state.Queue[0].ActivityId] : null);
        await execution.RunQueueAsync(MaxStepsPerRun);
        return execution.Result;
    }

    public RunResult Cancel(WorkflowPlan plan, WorkflowState state, RunRequest request)
    {
        if (state.IsEnded)
            throw new WorkflowStateException($"The instance is already {state.Status}.");
        var execution = new WorkflowExecution(plan, state, request, registry, scripts, clock);
        execution.CancelWhere(_ => true);
        state.Status = WorkflowStatus.Cancelled;
        execution.Record(JournalEvent.Cancelled, null);
        return execution.Result;
    }
}

/// <summary>One run of one instance: the queue loop and the bookkeeping of its results.</summary>
internal sealed class WorkflowExecution(WorkflowPlan plan, WorkflowState state, RunRequest request,
    ActivityRegistry registry, ScriptEngine scripts, TimeProvider clock)
{
    public WorkflowPlan Plan { get; } = plan;
    public WorkflowState State { get; } = state;
    public RunRequest Request { get; } = request;
    public ScriptEngine Scripts { get; } = scripts;
    public TimeProvider Clock { get; } = clock;
    public RunResult Result { get; } = new();

    public async Task RunQueueAsync(int maxSteps)
    {
        while (State.Status == WorkflowStatus.Running && (State.Queue.Count > 0 || RecheckStrandedJoins()))
        {
            var item = State.Queue[0];
            var activity = Plan[item.ActivityId];
            if (Result.Steps >= maxSteps)
            {
                Fault(activity, $"The workflow ran {maxSteps} activities without waiting; it looks like an endless loop.");
                return;
            }

            var context = new ActivityContext(this, activity, item);
            ActivityResult outcome;
            try
            {
                Result.Steps++;
                outcome = await registry.Create(activity.Descriptor, activity.Inputs, Request.Services).ExecuteAsync(context);
            }
            catch (Exception e) when (e is not OperationCanceledException || !Request.CancellationToken.IsCancellationRequested)
            {
                Fault(activity, e is ScriptException or WorkflowLimitException ? e.Message : $"{e.GetType().Name}: {e.Message}");
                return;
            }
            State.Queue.RemoveAt(0);
            Apply(activity, context, outcome);
        }

        if (State.Status != WorkflowStatus.Running) return;
        if (State.Bookmarks.Count == 0)
        {
            State.Status = WorkflowStatus.Finished;
            Record(JournalEvent.WorkflowFinished, null);
        }
        else
        {
            State.Status = WorkflowStatus.Suspended;
        }
    }

    /// <summary>
    /// When the queue is empty, a join holding some arrivals whose other branches have nothing under way
    /// (a decision sent them elsewhere, a task on them was cancelled) is queued once more so it can go on.
    /// </summary>
    bool RecheckStrandedJoins()
    {
        foreach (var join in Plan.Activities.Where(a => a.Descriptor.ClrType == typeof(Join) && State.ActivityState.ContainsKey(a.Node.Id)))
            if (!State.Bookmarks.Any(b => join.Ancestors.Contains(b.ActivityId)))
                State.Queue.Add(new ScheduledActivity(join.Node.Id));
        return State.Queue.Count > 0;
    }

    public async Task ResumeAsync(Bookmark bookmark, JsonNode? payload)
    {
        var activity = Plan[bookmark.ActivityId];
        var context = new ActivityContext(this, activity, null);
        // A resume that throws is the caller's fault (bad payload) or a broken store: it propagates before
        // the state is touched (status, bookmark), so the caller can answer 400 and the task stays open.
        var outcome = await registry.Create(activity.Descriptor, activity.Inputs, Request.Services).ResumeAsync(context, bookmark, payload);
        Result.Steps++;
        State.Status = WorkflowStatus.Running;
        RemoveBookmark(bookmark);
        Apply(activity, context, outcome, resumed: true);
    }

    void Apply(PlannedActivity activity, ActivityContext context, ActivityResult outcome, bool resumed = false)
    {
        switch (outcome)
        {
            case ActivityResult.Completed completed:
                Record(resumed ? JournalEvent.Resumed : JournalEvent.Executed, activity, string.Join(",", completed.Outcomes), context.JournalData);
                foreach (var port in completed.Outcomes)
                    foreach (var connection in activity.Outgoing(port))
                        State.Queue.Add(new ScheduledActivity(connection.Target.Activity, activity.Node.Id, port));
                break;
            case ActivityResult.Waiting waiting:
                var request = waiting.Bookmark;
                var now = Clock.GetUtcNow();
                var bookmark = new Bookmark(Guid.CreateVersion7(now), activity.Node.Id, request.Name, request.Correlation,
                    request.Payload, request.DueAt, now);
                State.Bookmarks.Add(bookmark);
                Result.CreatedBookmarks.Add(bookmark);
                Record(JournalEvent.Suspended, activity, null, context.JournalData);
                break;
            case ActivityResult.Held:
                Record(JournalEvent.Held, activity, null, context.JournalData);
                break;
            case ActivityResult.Finishing:
                Record(JournalEvent.Executed, activity, null, context.JournalData);
                CancelWhere(_ => true);
                State.Status = WorkflowStatus.Finished;
                Record(JournalEvent.WorkflowFinished, null);
                break;
        }
    }

    void Fault(PlannedActivity activity, string message)
    {
        var now = Clock.GetUtcNow();
        State.Incidents.Add(new Incident(Guid.CreateVersion7(now), activity.Node.Id, message, now));
        State.Status = WorkflowStatus.Faulted;
        Record(JournalEvent.Faulted, activity, null, JsonValue.Create(message));
    }

    Dictionary<string, int>? variableBytes; // each variable's size, measured once per run

    public void SetVariable(string name, JsonNode? value)
    {
        var bytes = SizeOf(value);
        if (bytes > WorkflowState.MaxValueBytes)
            throw new WorkflowLimitException($"The value for variable '{name}' is {bytes / 1024} KB; a variable may hold at "
                + $"most {WorkflowState.MaxValueBytes / 1024} KB.");
        variableBytes ??= State.Variables.ToDictionary(v => v.Key, v => SizeOf(v.Value), StringComparer.Ordinal);
        var total = variableBytes.Where(v => v.Key != name).Sum(v => (long)v.Value) + bytes;
        if (total > WorkflowState.MaxVariablesBytes)
            throw new WorkflowLimitException($"Setting variable '{name}' would bring the instance's variables to {total / 1024} KB; an instance may "
                + $"keep at most {WorkflowState.MaxVariablesBytes / 1024} KB.");
        variableBytes[name] = bytes;
        State.Variables[name] = value?.DeepClone();
    }

    static int SizeOf(JsonNode? value) => value is null ? 4 : System.Text.Encoding.UTF8.GetByteCount(value.ToJsonString(Model.WorkflowJson.Options));

    /// <summary>Drops queued work and bookmarks of the activities that match.</summary>
    public void CancelWhere(Func<string, bool> activityMatches)
    {
        State.Queue.RemoveAll(q => activityMatches(q.ActivityId));
        foreach (var bookmark in State.Bookmarks.Where(b => activityMatches(b.ActivityId)).ToList())
            RemoveBookmark(bookmark);
    }

    public void RemoveBookmark(Bookmark bookmark)
    {
        State.Bookmarks.Remove(bookmark);
        if (!Result.CreatedBookmarks.Remove(bookmark)) Result.RemovedBookmarks.Add(bookmark);
    }

    public void Record(JournalEvent journalEvent, PlannedActivity? activity, string? outcome = null, JsonNode? data = null) =>
        Result.Journal.Add(new JournalEntry(Clock.GetUtcNow(), journalEvent, activity?.Node.Id, activity?.Node.Type,
            activity?.Name, outcome, Request.Actor, data?.DeepClone()));

    /// <summary>What scripts see: "variables", each variable by its own name, and "workflow".</summary>
    public IReadOnlyDictionary<string, JsonNode?> ScriptGlobals()
    {
        var variables = new JsonObject();
        var globals = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in State.Variables)
        {
            variables[name] = value?.DeepClone();
            if (Validation.DefinitionValidator.IsIdentifier(name) && name is not ("variables" or "workflow")) globals[name] = value;
        }
        globals["variables"] = variables;
        globals["workflow"] = new JsonObject
        {
            ["instanceId"] = Request.InstanceId.ToString(),
            ["correlationId"] = Request.CorrelationId,
            ["definitionId"] = Plan.Definition.DefinitionId,
            ["version"] = Plan.Definition.Version,
        };
        return globals;
    }
}
