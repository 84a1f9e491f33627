using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Scripting;
using Deliberate.Workflows.Validation;

namespace Deliberate.Workflows.Runtime;

/// <summary>
/// A validated definition, indexed for running: each activity with its descriptor, its bound
/// inputs and its connections. Immutable; hosts cache one per definition version.
/// </summary>
public sealed class WorkflowPlan
{
    readonly Dictionary<string, PlannedActivity> activities;

    WorkflowPlan(WorkflowDefinition definition, Dictionary<string, PlannedActivity> activities, PlannedActivity start)
    {
        Definition = definition;
        this.activities = activities;
        Start = start;
    }

    public WorkflowDefinition Definition { get; }
    public PlannedActivity Start { get; }
    public PlannedActivity this[string activityId] => activities[activityId];
    public bool Contains(string activityId) => activities.ContainsKey(activityId);
    public IEnumerable<PlannedActivity> Activities => activities.Values;

    /// <summary>Validates and indexes the definition; throws <see cref="InvalidDefinitionException"/> with every fault.</summary>
    public static WorkflowPlan Compile(WorkflowDefinition definition, ActivityRegistry registry, ScriptEngine scripts)
    {
        var errors = DefinitionValidator.Validate(definition, registry, scripts);
        if (errors.Count > 0) throw new InvalidDefinitionException(errors);

        var planned = definition.Root.Activities.ToDictionary(
            n => n.Id,
            n =>
            {
                var descriptor = registry.Find(n.Type)!;
                return new PlannedActivity(n, descriptor, ActivityRegistry.BindInputs(descriptor, n.Inputs));
            },
            StringComparer.Ordinal);
        foreach (var connection in definition.Root.Connections)
        {
            planned[connection.Source.Activity].AddOutgoing(connection);
            planned[connection.Target.Activity].Incoming.Add(connection);
        }
        foreach (var activity in planned.Values.Where(a => a.Node.Type == "Join"))
            activity.Ancestors = AncestorsOf(activity.Node.Id, planned);

        return new WorkflowPlan(definition, planned, planned.Values.Single(a => a.Node.Type == "Start"));
    }

    /// <summary>Every activity from which the target can be reached without passing through it.</summary>
    static HashSet<string> AncestorsOf(string target, Dictionary<string, PlannedActivity> planned)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([target]);
        while (stack.Count > 0)
            foreach (var connection in planned[stack.Pop()].Incoming)
                if (connection.Source.Activity != target && found.Add(connection.Source.Activity))
                    stack.Push(connection.Source.Activity);
        return found;
    }
}

public sealed class PlannedActivity(ActivityNode node, ActivityDescriptor descriptor, IReadOnlyDictionary<string, object?> inputs)
{
    readonly Dictionary<string, List<Connection>> outgoing = new(StringComparer.Ordinal);

    public ActivityNode Node { get; } = node;
    public ActivityDescriptor Descriptor { get; } = descriptor;
    public IReadOnlyDictionary<string, object?> Inputs { get; } = inputs;
    public List<Connection> Incoming { get; } = [];
    /// <summary>For a Join: the activities whose branches lead into it.</summary>
    public IReadOnlySet<string> Ancestors { get; internal set; } = new HashSet<string>();
    public string Name => Node.DisplayName ?? Descriptor.DisplayName.ZhCn;

    public IReadOnlyList<Connection> Outgoing(string port) => outgoing.TryGetValue(port, out var list) ? list : [];

    internal void AddOutgoing(Connection connection)
    {
        var port = connection.Source.Port ?? "Done";
        if (!outgoing.TryGetValue(port, out var list)) outgoing[port] = list = [];
        list.Add(connection);
    }
}
