using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Deliberate.Workflows.Model;

/// <summary>A workflow definition in Elsa 3's flowchart shape, one JSON file per workflow.</summary>
public sealed class WorkflowDefinition
{
    public required string DefinitionId { get; set; }
    public int Version { get; set; } = 1;
    public required string Name { get; set; }
    public string? Description { get; set; }
    public List<VariableDefinition> Variables { get; set; } = [];
    public required Flowchart Root { get; set; }
}

public sealed class VariableDefinition
{
    public required string Name { get; set; }
    /// <summary>string, number, boolean, object, array or datetime: a hint for the designer and for input checks.</summary>
    public string Type { get; set; } = "string";
    public JsonNode? Value { get; set; }
}

public sealed class Flowchart
{
    public string Type { get; set; } = "Flowchart";
    public List<ActivityNode> Activities { get; set; } = [];
    public List<Connection> Connections { get; set; } = [];
}

/// <summary>
/// One activity on the canvas. Its inputs are plain JSON properties beside id and type,
/// kept in <see cref="Inputs"/> so that unknown activity types round-trip unchanged.
/// </summary>
public sealed class ActivityNode
{
    public required string Id { get; set; }
    public required string Type { get; set; }
    public int Version { get; set; } = 1;
    public string? DisplayName { get; set; }
    public JsonObject? Metadata { get; set; }

    [JsonExtensionData]
    public JsonObject Inputs { get; set; } = [];
}

public sealed record Connection(Endpoint Source, Endpoint Target)
{
    /// <summary>A stable key for the arrival of this connection at its target (used by Join).</summary>
    [JsonIgnore]
    public string Key => $"{Source.Activity}:{Source.Port}->{Target.Activity}";
}

public sealed record Endpoint(string Activity, string? Port = null);
