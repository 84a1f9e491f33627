using System.Text.Json.Nodes;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Scripting;

namespace Deliberate.Workflows.Runtime;

/// <summary>What an activity sees while it runs: the instance's variables, scripts, time and services.</summary>
public sealed class ActivityContext
{
    readonly WorkflowExecution execution;

    internal ActivityContext(WorkflowExecution execution, PlannedActivity activity, ScheduledActivity? arrival)
    {
        this.execution = execution;
        Activity = activity;
        Arrival = arrival;
    }

    public PlannedActivity Activity { get; }
    public string ActivityId => Activity.Node.Id;
    /// <summary>How the runner got here: the activity and port it came from (null on resume).</summary>
    public ScheduledActivity? Arrival { get; }
    public Guid InstanceId => execution.Request.InstanceId;
    public string? CorrelationId => execution.Request.CorrelationId;
    public Actor Actor => execution.Request.Actor;
    public CancellationToken CancellationToken => execution.Request.CancellationToken;
    public DateTimeOffset Now => execution.Clock.GetUtcNow();
    public IReadOnlyDictionary<string, JsonNode?> Variables => execution.State.Variables;

    /// <summary>Data recorded with this execution in the journal (form values, a step name).</summary>
    public JsonNode? JournalData { get; set; }

    /// <summary>This activity's memory across saves, e.g. which branches reached a join.</summary>
    public JsonObject State
    {
        get
        {
            if (!execution.State.ActivityState.TryGetValue(ActivityId, out var state))
                execution.State.ActivityState[ActivityId] = state = [];
            return state;
        }
    }

    public void ClearState() => execution.State.ActivityState.Remove(ActivityId);

    public JsonNode? GetVariable(string name) => execution.State.Variables.GetValueOrDefault(name)?.DeepClone();

    /// <summary>Sets a variable; throws <see cref="WorkflowLimitException"/> past what one value or the instance may keep.</summary>
    public void SetVariable(string name, JsonNode? value) => execution.SetVariable(name, value);

    /// <summary>Evaluates a JavaScript expression over the instance's variables.</summary>
    public JsonNode? Evaluate(string script) => execution.Scripts.Evaluate(script, execution.ScriptGlobals(), CancellationToken);

    public bool Test(string condition) => execution.Scripts.EvaluateCondition(condition, execution.ScriptGlobals(), CancellationToken);

    /// <summary>Text with ${expression} parts filled in.</summary>
    public string Render(string? template)
    {
        if (string.IsNullOrEmpty(template) || !Templates.HasExpressions(template)) return template ?? "";
        return Evaluate(Templates.ToScript(template))?.GetValue<string>() ?? "";
    }

    /// <summary>
    /// Drops the work still under way on the branches that lead into this activity (a join that needs any one),
    /// and their arrivals here that are already queued behind this one, so the join goes on only once.
    /// </summary>
    public void CancelBranchesLeadingHere()
    {
        execution.CancelWhere(Activity.Ancestors.Contains);
        execution.State.Queue.RemoveAll(q => q.ActivityId == ActivityId && !ReferenceEquals(q, Arrival));
    }

    /// <summary>Whether a branch into this activity still has work queued or waiting (a join's question).</summary>
    /// <remarks>
    /// Another arrival already queued at this activity counts: branches that finish in the same run queue one arrival each,
    /// and without it the first would see nothing under way and go on, and the second would go on again.
    /// </remarks>
    public bool HasWorkUnderWayLeadingHere() =>
        execution.State.Queue.Any(q => Activity.Ancestors.Contains(q.ActivityId) || (q.ActivityId == ActivityId && !ReferenceEquals(q, Arrival)))
        || execution.State.Bookmarks.Any(b => Activity.Ancestors.Contains(b.ActivityId));

    public Guid NewId() => Guid.CreateVersion7(Now);

    /// <summary>
    /// Something to do only once this run is saved — e.g. schedule the deadline of the ballot the activity
    /// made; if the save fails, it never happens. It runs with the host's services of this run.
    /// </summary>
    public void AfterCommit(Func<IServiceProvider, CancellationToken, Task> action) => execution.Result.AfterCommit.Add(action);
}
