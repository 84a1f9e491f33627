using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Scripting;

namespace Deliberate.Workflows.Import;

/// <summary>Something in an Elsa definition that keeps it from being imported, or that the import changed.</summary>
/// <param name="Code">A stable key, e.g. unknownType, unsupportedExpression, notFlowchart.</param>
/// <param name="ActivityId">The Elsa activity it is on, if any.</param>
/// <param name="ElsaType">That activity's Elsa type, e.g. Elsa.WriteLine.</param>
public sealed record ElsaImportProblem(string Code, string? ActivityId, string? ElsaType, string MessageZh, string MessageEn)
{
    public string Message(string? culture) =>
        culture is not null && culture.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? MessageEn : MessageZh;
}

/// <summary>
/// The outcome of importing an Elsa 3 definition: our definition, or null with every problem found.
/// Warnings name what was imported with a change of meaning; they never block the import.
/// </summary>
public sealed class ElsaImportResult
{
    internal ElsaImportResult(WorkflowDefinition? definition, IReadOnlyList<ElsaImportProblem> problems, IReadOnlyList<ElsaImportProblem> warnings)
    {
        Definition = problems.Count == 0 ? definition : null;
        Problems = problems;
        Warnings = warnings;
    }

    public WorkflowDefinition? Definition { get; }
    public IReadOnlyList<ElsaImportProblem> Problems { get; }
    public IReadOnlyList<ElsaImportProblem> Warnings { get; }
    public bool Succeeded => Definition is not null;
}

/// <summary>
/// Reads a workflow definition as Elsa Studio 3.x exports it (a flowchart root, wrapped inputs
/// <c>{ typeName, expression: { type, value } }</c>, connections in the 3.0 or the 3.1+ shape) and maps the
/// activities we have an equivalent for. Anything else refuses the whole import, listing every activity
/// concerned. The definition comes back as a new one (version 1) and is not validated here: validate or
/// compile it as any other definition.
/// </summary>
public sealed class ElsaImporter(ScriptEngine scripts)
{
    /// <summary>The Elsa activity types this importer maps, and to what.</summary>
    public static readonly IReadOnlyDictionary<string, string> MappedTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Elsa.Start"] = "Start",
        ["Elsa.End"] = "End",
        ["Elsa.Finish"] = "End",
        ["Elsa.FlowDecision"] = "Decision",
        ["Elsa.FlowSwitch"] = "Switch",
        ["Elsa.FlowFork"] = "Fork",
        ["Elsa.Fork"] = "Fork",
        ["Elsa.FlowJoin"] = "Join",
        ["Elsa.SetVariable"] = "SetVariable",
        ["Elsa.Event"] = "WaitForEvent",
        ["Elsa.Delay"] = "Delay",
    };

    public ElsaImportResult Import(string json)
    {
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(json,
                documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            return new ElsaImportResult(null,
                [new("notJson", null, null, $"文件不是有效的 JSON：{e.Message}", $"The file is not valid JSON: {e.Message}")], []);
        }
        return Import(document);
    }

    public ElsaImportResult Import(JsonNode? document) => new ElsaImportRun(scripts, document).Run();
}

/// <summary>One import: the problems and warnings found so far, and the variables to resolve references against.</summary>
/// <remarks>Split by job: variables (ElsaVariables.cs), activities (ElsaActivityMappers.cs), inputs and expressions
/// (ElsaExpressions.cs), connections and the start (ElsaConnections.cs); the run and the small readers here.</remarks>
sealed partial class ElsaImportRun(ScriptEngine scripts, JsonNode? document)
{
    readonly List<ElsaImportProblem> problems = [];
    readonly List<ElsaImportProblem> warnings = [];
    readonly List<VariableDefinition> variables = [];
    /// <summary>Elsa variable ids and names (and Elsa's get{Name}() accessor names) to our variable names.</summary>
    readonly Dictionary<string, string> variableById = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> variableByAccessor = new(StringComparer.Ordinal);

    void Problem(string code, JsonObject? activity, string zh, string en) =>
        problems.Add(new(code, IdOf(activity), TypeOf(activity), zh, en));

    void Warn(string code, JsonObject? activity, string zh, string en) =>
        warnings.Add(new(code, IdOf(activity), TypeOf(activity), zh, en));

    public ElsaImportResult Run()
    {
        if (document is not JsonObject definition)
        {
            Problem("notJson", null, "文件不是 Elsa 流程定义（应为一个 JSON 对象）。", "The file is not an Elsa workflow definition (a JSON object is expected).");
            return Result(null);
        }
        var root = definition["root"] as JsonObject;
        var rootType = Text(root?["type"]);
        if (root is null || rootType is not ("Elsa.Flowchart" or "Flowchart"))
        {
            var shown = rootType ?? "（无）";
            Problem("notFlowchart", null,
                $"只能导入以流程图（Elsa.Flowchart）为根的流程；此流程的根是“{shown}”。",
                $"Only workflows whose root is a flowchart (Elsa.Flowchart) can be imported; this one's root is '{rootType ?? "(none)"}'.");
            return Result(null);
        }

        ReadVariables(definition);
        var activities = (root["activities"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var nodes = new List<ActivityNode>();
        foreach (var activity in activities)
            if (MapActivity(activity) is { } node) nodes.Add(node);
        var connections = ReadConnections(root);
        AddStartIfMissing(root, activities, nodes, connections);

        var definitionId = Text(definition["definitionId"]) ?? Text(definition["id"]) ?? Guid.NewGuid().ToString("N");
        return Result(new WorkflowDefinition
        {
            DefinitionId = definitionId,
            Version = 1,
            Name = Text(definition["name"]) is { Length: > 0 } name ? name : definitionId,
            Description = Text(definition["description"]) is { Length: > 0 } description ? description : null,
            Variables = variables,
            Root = new Flowchart { Activities = nodes, Connections = connections },
        });
    }

    ElsaImportResult Result(WorkflowDefinition? definition) => new(definition, problems, warnings);

    // ---- Small readers ---------------------------------------------------------------------------

    /// <summary>The node at a path of property names, or null where the path leads through anything but an object ("metadata": "x").</summary>
    static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var name in path) node = node is JsonObject o ? o[name] : null;
        return node;
    }

    static string? IdOf(JsonObject? activity) => activity is null ? null : Text(activity["id"]);
    static string? TypeOf(JsonObject? activity) => activity is null ? null : Text(activity["type"]);

    static string? DisplayNameOf(JsonObject activity) =>
        Text(At(activity, "metadata", "displayText")) is { Length: > 0 } text ? text
        : Text(activity["displayName"]) is { Length: > 0 } name ? name
        : null;

    /// <summary>Only the designer position is kept; Elsa's sizes and other metadata mean nothing here.</summary>
    static JsonObject? DesignerOf(JsonObject activity) =>
        At(activity, "metadata", "designer", "position") is JsonObject position && position["x"] is JsonValue && position["y"] is JsonValue
            ? new JsonObject
            {
                ["designer"] = new JsonObject
                {
                    ["position"] = new JsonObject
                    {
                        ["x"] = position["x"]!.DeepClone(),
                        ["y"] = position["y"]!.DeepClone()
                    }
                }
            }
            : null;

    static bool CanStartWorkflow(JsonObject activity) =>
        (At(activity, "customProperties", "canStartWorkflow") ?? activity["canStartWorkflow"]) is JsonValue v && v.TryGetValue(out bool flag) && flag;

    /// <summary>A property by its camelCase name, or in another casing (hand-edited files).</summary>
    static JsonNode? Property(JsonObject activity, string name) =>
        activity.TryGetPropertyValue(name, out var value) ? value
        : activity.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    static string Abbreviate(JsonNode node) => node.ToJsonString() is var text && text.Length > 80 ? text[..80] + "…" : text;

    static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    /// <summary>Elsa's accessor names: "Counter" → getCounter, "my_count" → getMyCount (Humanizer's Pascalize).</summary>
    static string Pascalize(string name) =>
        Regex.Replace(name, "(?:^|_| +)(.)", m => m.Groups[1].Value.ToUpperInvariant(), RegexOptions.CultureInvariant);
}
