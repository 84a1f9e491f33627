using System.Text.Json.Nodes;
using Deliberate.Workflows.Model;

namespace Deliberate.Workflows.Import;

/// <summary>Elsa's connections (both shapes) and the Start activity Elsa does not need but ours does.</summary>
sealed partial class ElsaImportRun
{
    List<Connection> ReadConnections(JsonObject root)
    {
        var connections = new List<Connection>();
        foreach (var connection in (root["connections"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // 3.1+: { source: { activity, port }, target: { activity, port } }; 3.0: { source, sourcePort, target, targetPort }.
            var (source, sourcePort, target, targetPort) = connection["source"] is JsonObject s
                ? (Text(s["activity"]), Text(s["port"]), Text(At(connection, "target", "activity")), Text(At(connection, "target", "port")))
                : (Text(connection["source"]), Text(connection["sourcePort"]), Text(connection["target"]), Text(connection["targetPort"]));
            if (string.IsNullOrEmpty(source) || string.IsNullOrEmpty(target))
            {
                Problem("badConnection", null, $"有一条连线缺少起点或终点：{connection.ToJsonString()}",
                    $"A connection has no source or target: {connection.ToJsonString()}");
                continue;
            }
            connections.Add(new Connection(new Endpoint(source, string.IsNullOrEmpty(sourcePort) ? "Done" : sourcePort),
                new Endpoint(target, string.IsNullOrEmpty(targetPort) ? "In" : targetPort)));
        }
        return connections;
    }

    /// <summary>
    /// Elsa does not need a Start activity: it starts at the flowchart's "start", else at an activity that can
    /// start the workflow, else at the one without inbound connections. Ours does, so one is put before it.
    /// </summary>
    void AddStartIfMissing(JsonObject root, List<JsonObject> activities, List<ActivityNode> nodes, List<Connection> connections)
    {
        if (activities.Any(a => TypeOf(a) == "Elsa.Start") || activities.Count == 0 || problems.Count > 0) return;
        var targets = connections.Select(c => c.Target.Activity).ToHashSet(StringComparer.Ordinal);
        var first = Text(root["start"]) is { } start && nodes.Any(n => n.Id == start) ? start
            : activities.FirstOrDefault(CanStartWorkflow) is { } trigger ? IdOf(trigger)
            : activities.Select(IdOf).FirstOrDefault(id => id is not null && !targets.Contains(id));
        if (first is null) return;

        var id = "start";
        for (var i = 1; nodes.Any(n => n.Id == id); i++) id = $"start{i}";
        var position = nodes.First(n => n.Id == first).Metadata?["designer"]?["position"];
        var metadata = position is null ? null : new JsonObject
        {
            ["designer"] = new JsonObject
            {
                ["position"] = new JsonObject { ["x"] = ((double?)position["x"] ?? 0) - 200, ["y"] = (double?)position["y"] ?? 0 },
            },
        };
        nodes.Insert(0, new ActivityNode { Id = id, Type = "Start", Metadata = metadata });
        connections.Insert(0, new Connection(new Endpoint(id, "Done"), new Endpoint(first, "In")));
        Warn("startAdded", null, $"Elsa 流程没有“开始”活动；已在“{first}”之前加上一个。",
            $"The Elsa workflow has no Start activity; one was added before '{first}'.");
    }
}
