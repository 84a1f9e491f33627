using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Deliberate.Workflows.Activities;

/// <summary>A text in both of the product's languages.</summary>
public sealed record LocalizedText(
    [property: JsonPropertyName("zh-CN")] string ZhCn,
    [property: JsonPropertyName("en")] string En)
{
    public string For(string? culture) =>
        culture is not null && culture.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? En : ZhCn;
}

public sealed record ActivityCategory(string Name, LocalizedText DisplayName);

/// <summary>What the designer needs to know about an activity type.</summary>
public sealed record ActivityDescriptor(
    string Type,
    ActivityCategory Category,
    LocalizedText DisplayName,
    LocalizedText? Description,
    IReadOnlyList<InputDescriptor> Inputs,
    IReadOnlyList<OutcomeDescriptor> Outcomes,
    string? OutcomesFromInput,
    bool Waits)
{
    // Not "required": System.Text.Json refuses to serialize a type whose required member it ignores.
    [JsonIgnore] public Type ClrType { get; init; } = null!;

    /// <summary>The ports of one configured activity: the declared ones and those listed in its inputs.</summary>
    public IReadOnlyList<string> OutcomesOf(JsonObject inputs)
    {
        var names = Outcomes.Select(o => o.Name).ToList();
        if (OutcomesFromInput is null || inputs[OutcomesFromInput] is not JsonArray items) return names;
        foreach (var item in items)
        {
            var name = item switch
            {
                JsonValue value when value.TryGetValue(out string? s) => s,
                JsonObject obj => (string?)obj["name"],
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(name) && !names.Contains(name)) names.Add(name);
        }
        return names;
    }
}

public sealed record InputDescriptor(
    string Name,
    string Type,
    string UiHint,
    LocalizedText DisplayName,
    LocalizedText? Description,
    bool Required,
    IReadOnlyList<string>? Options,
    JsonNode? DefaultValue)
{
    [JsonIgnore] public PropertyInfo Property { get; init; } = null!;
}

public sealed record OutcomeDescriptor(string Name, LocalizedText DisplayName);
