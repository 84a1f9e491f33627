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
[JsonConverter(typeof(ActivityNodeJsonConverter))]
public sealed class ActivityNode
{
    public required string Id { get; set; }
    public required string Type { get; set; }
    public int Version { get; set; } = 1;
    public string? DisplayName { get; set; }
    public JsonObject? Metadata { get; set; }
    public JsonObject Inputs { get; set; } = [];
}

/// <summary>Reads and writes an activity with its inputs flat beside id, type, version, displayName and metadata.</summary>
public sealed class ActivityNodeJsonConverter : JsonConverter<ActivityNode>
{
    static readonly string[] Reserved = ["id", "type", "version", "displayName", "metadata"];

    public override ActivityNode Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        var json = JsonNode.Parse(ref reader) as JsonObject ?? throw new System.Text.Json.JsonException("An activity must be a JSON object.");
        string? Text(string name) => json[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        var metadata = json["metadata"] as JsonObject;
        json.Remove("metadata"); // detached, so it can live in the node
        var node = new ActivityNode
        {
            Id = Text("id") ?? "",
            Type = Text("type") ?? "",
            Version = json["version"] is JsonValue version && version.TryGetValue(out int n) ? n : 1,
            DisplayName = Text("displayName"),
            Metadata = metadata,
        };
        foreach (var (name, value) in json.ToList())
            if (!Reserved.Contains(name))
            {
                json.Remove(name);
                node.Inputs[name] = value;
            }
        return node;
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, ActivityNode value, System.Text.Json.JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteString("type", value.Type);
        writer.WriteNumber("version", value.Version);
        if (value.DisplayName is not null) writer.WriteString("displayName", value.DisplayName);
        foreach (var (name, input) in value.Inputs)
        {
            writer.WritePropertyName(name);
            if (input is null) writer.WriteNullValue(); else input.WriteTo(writer, options);
        }
        if (value.Metadata is not null)
        {
            writer.WritePropertyName("metadata");
            value.Metadata.WriteTo(writer, options);
        }
        writer.WriteEndObject();
    }
}

public sealed record Connection(Endpoint Source, Endpoint Target)
{
    /// <summary>A stable key for the arrival of this connection at its target (used by Join).</summary>
    [JsonIgnore]
    public string Key => $"{Source.Activity}:{Source.Port}->{Target.Activity}";
}

public sealed record Endpoint(string Activity, string? Port = null);
