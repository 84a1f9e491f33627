using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Workflows.Model;

namespace Deliberate.Workflows.Import;

/// <summary>The Elsa definition's variables: our names and types for them, and their values as JSON.</summary>
sealed partial class ElsaImportRun
{
    void ReadVariables(JsonObject definition)
    {
        foreach (var variable in (definition["variables"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(variable["name"]);
            if (string.IsNullOrWhiteSpace(name)) continue;
            var typeName = Text(variable["typeName"]) ?? Text(variable["type"]);
            var type = TypeFor(typeName, variable["isArray"] is JsonValue a && a.TryGetValue(out bool isArray) && isArray);
            if (type is null)
            {
                Warn("variableType", null, $"变量“{name}”的 Elsa 类型“{typeName}”没有对应类型，按 object 导入。",
                    $"Variable '{name}' has Elsa type '{typeName}', which has no equivalent; it is imported as object.");
                type = "object";
            }
            variables.Add(new VariableDefinition { Name = name, Type = type, Value = ValueFor(name, type, variable["value"]) });
            if (Text(variable["id"]) is { } id) variableById[id] = name;
            variableByAccessor["get" + Pascalize(name)] = name;
        }

        // Elsa workflow inputs become variables, so that start input can set them.
        foreach (var input in (definition["inputs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(input["name"]);
            if (string.IsNullOrWhiteSpace(name)) continue;
            variableByAccessor["get" + name] = name;
            if (variables.Any(v => v.Name == name)) continue;
            var typeName = Text(input["type"]) ?? Text(input["typeName"]);
            var type = TypeFor(typeName, input["isArray"] is JsonValue a && a.TryGetValue(out bool isArray) && isArray) ?? "object";
            variables.Add(new VariableDefinition { Name = name, Type = type });
            Warn("inputAsVariable", null, $"Elsa 流程输入“{name}”作为变量导入，启动时可传入。",
                $"Elsa workflow input '{name}' is imported as a variable, which start input can set.");
        }
    }

    /// <summary>Our variable type for an Elsa type alias (String, Int32, String[], ...), or null when there is none.</summary>
    static string? TypeFor(string? typeName, bool isArray)
    {
        if (isArray) return "array";
        if (string.IsNullOrWhiteSpace(typeName)) return "object";
        var alias = typeName.Split(',')[0].Trim().TrimEnd('?');
        if (alias.EndsWith("[]", StringComparison.Ordinal) || alias.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal))
            return "array";
        alias = alias[(alias.LastIndexOf('.') + 1)..];
        return alias switch
        {
            "String" or "Guid" or "Char" or "TimeSpan" => "string",
            "Int16" or "Int32" or "Int64" or "Long" or "Single" or "Double" or "Decimal" or "Byte" or "UInt16" or "UInt32" or "UInt64" => "number",
            "Boolean" => "boolean",
            "DateTime" or "DateTimeOffset" or "DateOnly" => "datetime",
            "Object" or "JSON" or "ExpandoObject" or "JsonElement" or "JsonNode" or "JsonObject"
                or "ObjectDictionary" or "StringDictionary" or "ObjectMap" or "StringMap" => "object",
            "JsonArray" => "array",
            _ => null,
        };
    }

    /// <summary>Elsa keeps variable values as text ("0", "true", "[1,2]"); ours are JSON of the variable's type.</summary>
    JsonNode? ValueFor(string name, string type, JsonNode? value)
    {
        if (value is null) return null;
        if (value is not JsonValue v || !v.TryGetValue(out string? text)) return value.DeepClone();
        if (text.Length == 0) return null;
        JsonNode? converted = type switch
        {
            "number" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
                number % 1 == 0 && Math.Abs(number) < 1e15 ? JsonValue.Create((long)number) : JsonValue.Create(number),
            "boolean" when bool.TryParse(text, out var flag) => JsonValue.Create(flag),
            "object" or "array" => TryParse(text),
            "string" or "datetime" => JsonValue.Create(text),
            _ => null,
        };
        if (converted is null)
            Warn("variableValue", null, $"变量“{name}”的初始值“{text}”不是 {type}，已略去。",
                $"The initial value '{text}' of variable '{name}' is not a {type}; it was left out.");
        return converted;
    }
}
