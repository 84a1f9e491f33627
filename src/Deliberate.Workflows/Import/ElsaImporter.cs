using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Scripting;
using Deliberate.Workflows.Validation;

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
            document = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            return new ElsaImportResult(null, [new("notJson", null, null, $"文件不是有效的 JSON：{e.Message}", $"The file is not valid JSON: {e.Message}")], []);
        }
        return Import(document);
    }

    public ElsaImportResult Import(JsonNode? document) => new ElsaImportRun(scripts, document).Run();
}

/// <summary>One import: the problems and warnings found so far, and the variables to resolve references against.</summary>
file sealed class ElsaImportRun(ScriptEngine scripts, JsonNode? document)
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

    // ---- Variables -------------------------------------------------------------------------------

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
        if (alias.EndsWith("[]", StringComparison.Ordinal) || alias.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal)) return "array";
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

    // ---- Activities ------------------------------------------------------------------------------

    ActivityNode? MapActivity(JsonObject activity)
    {
        var id = IdOf(activity);
        var type = TypeOf(activity);
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(type))
        {
            Problem("badActivity", activity, $"有一个活动缺少 id 或 type：{Abbreviate(activity)}", $"An activity has no id or type: {Abbreviate(activity)}");
            return null;
        }
        if (!ElsaImporter.MappedTypes.TryGetValue(type, out var ours))
        {
            Problem("unknownType", activity,
                $"活动“{id}”的类型“{type}”在本系统中没有对应活动，无法导入。",
                $"Activity '{id}' is of type '{type}', which has no equivalent here and cannot be imported.");
            return null;
        }

        var node = new ActivityNode { Id = id, Type = ours, DisplayName = DisplayNameOf(activity), Metadata = DesignerOf(activity) };
        var ok = type switch
        {
            "Elsa.FlowDecision" => MapDecision(activity, node),
            "Elsa.FlowSwitch" => MapSwitch(activity, node),
            "Elsa.FlowFork" or "Elsa.Fork" => MapFork(activity, node),
            "Elsa.FlowJoin" => MapJoin(activity, node),
            "Elsa.SetVariable" => MapSetVariable(activity, node),
            "Elsa.Event" => MapEvent(activity, node),
            "Elsa.Delay" => MapDelay(activity, node),
            _ => true,
        };
        return ok ? node : null;
    }

    bool MapDecision(JsonObject activity, ActivityNode node)
    {
        // Elsa's default condition is the literal false.
        var condition = Script(activity, "条件", "condition", InputOf(activity, "condition"), "boolean") ?? "false";
        node.Inputs["condition"] = condition;
        return !HasProblem(activity);
    }

    bool MapSwitch(JsonObject activity, ActivityNode node)
    {
        var cases = new JsonArray();
        var items = Property(activity, "cases") switch
        {
            JsonArray array => array,
            // Tolerate a wrapped list, should an export ever carry one.
            JsonObject { } wrapped when At(wrapped, "expression", "value") is JsonValue value && value.TryGetValue(out string? text) => TryParse(text) as JsonArray,
            _ => null,
        } ?? [];
        foreach (var item in items.OfType<JsonObject>())
        {
            var label = Text(item["label"]);
            if (string.IsNullOrWhiteSpace(label))
            {
                Problem("badSwitchCase", activity, $"多路分支“{IdOf(activity)}”有一个条件没有名称（label），无法作为出口。",
                    $"Switch '{IdOf(activity)}' has a case without a label, which cannot be a port.");
                continue;
            }
            var expression = item["condition"] as JsonObject;
            var input = expression is null ? null : new ElsaExpression(Text(expression["type"]) ?? "Literal", expression["value"]);
            var condition = Script(activity, $"条件“{label}”", $"case '{label}'", input, "boolean") ?? "false";
            cases.Add(new JsonObject { ["name"] = label, ["condition"] = condition });
        }
        if (items.Count == 0)
            Problem("switchWithoutCases", activity, $"多路分支“{IdOf(activity)}”没有任何条件；本系统的多路分支至少要有一个条件。",
                $"Switch '{IdOf(activity)}' has no cases; a Switch here needs at least one.");
        node.Inputs["cases"] = cases;

        var mode = Literal(activity, "mode", "匹配方式", "mode");
        node.Inputs["mode"] = mode switch
        {
            null or "MatchFirst" or "0" => "matchFirst",
            "MatchAny" or "1" => "matchAny",
            _ => BadValue(activity, "匹配方式", "mode", mode),
        };
        return !HasProblem(activity);
    }

    bool MapFork(JsonObject activity, ActivityNode node)
    {
        if (Property(activity, "branches") is JsonArray nested && nested.Any(b => b is JsonObject))
        {
            Problem("nestedBranches", activity,
                $"活动“{IdOf(activity)}”（{TypeOf(activity)}）的分支是嵌套的活动，不是流程图上的连线；请在 Elsa 中改用 Fork (flow)。",
                $"Activity '{IdOf(activity)}' ({TypeOf(activity)}) holds its branches as nested activities rather than flowchart connections; use Fork (flow) in Elsa instead.");
            return false;
        }
        var branches = new JsonArray();
        var input = InputOf(activity, "branches");
        switch (input?.Kind)
        {
            case null:
                break;
            case "Literal" or "Object":
                var value = input.Value is JsonValue v && v.TryGetValue(out string? text)
                    ? TryParse(text) ?? new JsonArray([.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => (JsonNode?)s)])
                    : input.Value;
                foreach (var branch in (value as JsonArray ?? []).Select(Text).Where(b => !string.IsNullOrWhiteSpace(b)).Distinct())
                    branches.Add(branch);
                break;
            default:
                Unsupported(activity, "分支", "branches", input.Kind);
                return false;
        }
        // With no branches Elsa's fork goes on by Done.
        if (branches.Count == 0) branches.Add("Done");
        node.Inputs["branches"] = branches;
        return true;
    }

    bool MapJoin(JsonObject activity, ActivityNode node)
    {
        var mode = Literal(activity, "mode", "汇合方式", "mode");
        switch (mode)
        {
            // Elsa's join waits for any branch unless told otherwise.
            case null or "WaitAny" or "2":
                node.Inputs["mode"] = "any";
                break;
            case "WaitAll" or "0":
                node.Inputs["mode"] = "all";
                break;
            case "WaitAllActive" or "1":
                node.Inputs["mode"] = "all";
                Warn("joinMode", activity,
                    $"汇合“{IdOf(activity)}”在 Elsa 中只等“已激活”的分支（WaitAllActive）；这里按“等所有入线分支”导入，请检查不会走到的分支。",
                    $"Join '{IdOf(activity)}' waits only for activated branches in Elsa (WaitAllActive); it is imported as waiting for every inbound branch, so check for branches that may never arrive.");
                break;
            default:
                BadValue(activity, "汇合方式", "mode", mode);
                break;
        }
        return !HasProblem(activity);
    }

    bool MapSetVariable(JsonObject activity, ActivityNode node)
    {
        var name = VariableReference(Property(activity, "variable"));
        if (name is null)
        {
            Problem("unknownVariable", activity,
                $"设置变量“{IdOf(activity)}”引用的变量在流程的变量中找不到。",
                $"SetVariable '{IdOf(activity)}' refers to a variable that the workflow does not declare.");
            return false;
        }
        node.Inputs["variable"] = name;
        var type = variables.First(v => v.Name == name).Type;
        node.Inputs["value"] = Script(activity, "值", "value", InputOf(activity, "value"), type) ?? "null";
        return !HasProblem(activity);
    }

    bool MapEvent(JsonObject activity, ActivityNode node)
    {
        var eventName = Literal(activity, "eventName", "事件名", "event name");
        if (string.IsNullOrWhiteSpace(eventName))
        {
            if (!HasProblem(activity))
                Problem("missingInput", activity, $"等待事件“{IdOf(activity)}”没有事件名。", $"Event '{IdOf(activity)}' has no event name.");
            return false;
        }
        node.Inputs["eventName"] = eventName;

        if (Property(activity, "result") is JsonObject result && Text(At(result, "memoryReference", "id")) is { } reference)
        {
            if (VariableReference(JsonValue.Create(reference)) is { } name)
                node.Inputs["outputVariable"] = name;
            else
                Warn("outputDropped", activity, $"等待事件“{IdOf(activity)}”的结果存入“{reference}”，它不是流程变量，结果不再保存。",
                    $"Event '{IdOf(activity)}' stores its result in '{reference}', which is not a workflow variable; the result is not kept.");
        }
        if (CanStartWorkflow(activity))
            Warn("trigger", activity,
                $"“{IdOf(activity)}”在 Elsa 中可以触发启动流程；这里它只在流程走到时等待事件，流程须另行启动。",
                $"'{IdOf(activity)}' can start the workflow in Elsa; here it only waits once the instance reaches it, so instances must be started otherwise.");
        return true;
    }

    bool MapDelay(JsonObject activity, ActivityNode node)
    {
        var text = Literal(activity, "timeSpan", "时长", "time span");
        if (HasProblem(activity)) return false;
        if (text is null)
        {
            node.Inputs["duration"] = "PT1M"; // Elsa's default delay
            return true;
        }
        if (DurationJsonConverter.Parse(text) is not { } duration || duration < TimeSpan.Zero)
        {
            BadValue(activity, "时长", "time span", text);
            return false;
        }
        node.Inputs["duration"] = XmlConvert.ToString(duration);
        return true;
    }

    // ---- Inputs and expressions ------------------------------------------------------------------

    sealed record ElsaExpression(string Kind, JsonNode? Value);

    /// <summary>An Elsa input: wrapped as { typeName, expression: { type, value } }, or a plain value.</summary>
    static ElsaExpression? InputOf(JsonObject activity, string name) => Property(activity, name) switch
    {
        null => null,
        JsonObject wrapped when wrapped["expression"] is JsonObject expression =>
            expression["value"] is null ? null : new ElsaExpression(Text(expression["type"]) ?? "Literal", expression["value"]),
        JsonObject wrapped when wrapped.ContainsKey("typeName") => null,
        var plain => new ElsaExpression("Literal", plain),
    };

    /// <summary>An input that takes a fixed value here: a literal, as text, or null when absent.</summary>
    string? Literal(JsonObject activity, string name, string labelZh, string labelEn)
    {
        var input = InputOf(activity, name);
        if (input is null) return null;
        if (input.Kind is not ("Literal" or "Object"))
        {
            Unsupported(activity, labelZh, labelEn, input.Kind);
            return null;
        }
        return input.Value switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            null => null,
            var other => other.ToJsonString(),
        };
    }

    /// <summary>An input that is a script here: JavaScript carried over, a literal written as JavaScript.</summary>
    string? Script(JsonObject activity, string labelZh, string labelEn, ElsaExpression? input, string type)
    {
        switch (input?.Kind)
        {
            case null:
                return null;
            case "JavaScript":
                var code = Text(input.Value);
                return string.IsNullOrWhiteSpace(code) ? null : JavaScript(activity, labelZh, labelEn, code);
            case "Literal":
                return LiteralScript(input.Value, type);
            case "Object":
                return input.Value is JsonValue v && v.TryGetValue(out string? json) && TryParse(json) is { } parsed
                    ? $"({parsed.ToJsonString(WorkflowJson.Options)})"
                    : LiteralScript(input.Value, type);
            case "Variable":
                if (VariableReference(input.Value) is { } variable) return Access(variable);
                Problem("unknownVariable", activity, $"活动“{IdOf(activity)}”的{labelZh}引用了未声明的变量。",
                    $"Activity '{IdOf(activity)}': the {labelEn} refers to an undeclared variable.");
                return null;
            default:
                Unsupported(activity, labelZh, labelEn, input.Kind);
                return null;
        }
    }

    /// <summary>A literal as the JavaScript that yields it, read as the target type the way Elsa converts it.</summary>
    static string LiteralScript(JsonNode? value, string type)
    {
        if (value is null) return "null";
        if (value.GetValueKind() is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number) return value.ToJsonString();
        if (value is not JsonValue v || !v.TryGetValue(out string? text)) return $"({value.ToJsonString(WorkflowJson.Options)})";
        return type switch
        {
            "boolean" when bool.TryParse(text, out var flag) => flag ? "true" : "false",
            "number" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) =>
                number.ToString("R", CultureInfo.InvariantCulture),
            "object" or "array" when TryParse(text) is { } parsed => $"({parsed.ToJsonString(WorkflowJson.Options)})",
            _ => JsonSerializer.Serialize(text, WorkflowJson.Options),
        };
    }

    static readonly Regex GetVariableCall = new(@"\bgetVariable\(\s*(['""])(?<name>[^'""]*)\1\s*\)", RegexOptions.CultureInvariant);
    static readonly Regex Accessor = new(@"\b(?<name>get[A-Za-z_][A-Za-z0-9_]*)\(\s*\)", RegexOptions.CultureInvariant);
    static readonly Regex ElsaHelper = new(
        @"\b(?<name>setVariable|getVariable|getInput|getLastResult|setOutcomes?|setCorrelationId|setWorkflowInstanceName|getWorkflowInstanceName|getWorkflowDefinitionVersionId|newGuid|newGuidString|newShortGuid|getGuid|getGuidString|getShortGuid|parseGuid|toJson|isNullOrEmpty|isNullOrWhiteSpace|getConfig|createEventTriggerUrl|set[A-Z][A-Za-z0-9_]*|get[A-Z][A-Za-z0-9_]*)\s*\(",
        RegexOptions.CultureInvariant);

    static readonly Dictionary<string, string> WorkflowAccessors = new(StringComparer.Ordinal)
    {
        ["getWorkflowInstanceId"] = "workflow.instanceId",
        ["getCorrelationId"] = "workflow.correlationId",
        ["getWorkflowDefinitionId"] = "workflow.definitionId",
        ["getWorkflowDefinitionVersion"] = "workflow.version",
    };

    /// <summary>
    /// Elsa's JavaScript made ours: its accessors (getCounter(), getVariable('Counter'), getWorkflowInstanceId())
    /// become reads of variables and workflow. Helpers we have no equivalent for are problems.
    /// </summary>
    string? JavaScript(JsonObject activity, string labelZh, string labelEn, string code)
    {
        var unknown = new List<string>();
        code = GetVariableCall.Replace(code, m =>
        {
            var name = m.Groups["name"].Value;
            if (variables.Any(v => v.Name == name)) return Access(name);
            unknown.Add(name);
            return m.Value;
        });
        code = Accessor.Replace(code, m =>
        {
            var name = m.Groups["name"].Value;
            if (WorkflowAccessors.TryGetValue(name, out var replacement)) return replacement;
            return variableByAccessor.TryGetValue(name, out var variable) ? Access(variable) : m.Value;
        });
        foreach (var name in unknown.Distinct())
            Problem("unknownVariable", activity, $"活动“{IdOf(activity)}”的{labelZh}读取了未声明的变量“{name}”。",
                $"Activity '{IdOf(activity)}': the {labelEn} reads undeclared variable '{name}'.");

        var helpers = ElsaHelper.Matches(code).Select(m => m.Groups["name"].Value).Distinct().ToList();
        if (helpers.Count > 0)
        {
            Problem("unsupportedScript", activity,
                $"活动“{IdOf(activity)}”的{labelZh}使用了本系统没有的 Elsa 函数：{string.Join("、", helpers)}。变量请用 variables.名称 读取，用“设置变量”活动修改。",
                $"Activity '{IdOf(activity)}': the {labelEn} calls Elsa functions that have no equivalent here: {string.Join(", ", helpers)}. Read variables as variables.name and change them with a SetVariable activity.");
            return null;
        }
        if (unknown.Count > 0) return null;

        // Elsa allows a top-level return; so does our engine (Jint's default), so the code needs no wrapping.
        if (scripts.CheckSyntax(code) is not { } error) return code;
        Problem("badScript", activity, $"活动“{IdOf(activity)}”的{labelZh}脚本无法解析：{error}",
            $"Activity '{IdOf(activity)}': the {labelEn} script does not parse: {error}");
        return null;
    }

    static string Access(string variable) =>
        DefinitionValidator.IsIdentifier(variable) ? $"variables.{variable}" : $"variables[{JsonSerializer.Serialize(variable, WorkflowJson.Options)}]";

    /// <summary>An Elsa variable reference (an object with id and name, or a bare id or name) as our variable name.</summary>
    string? VariableReference(JsonNode? reference)
    {
        var (id, name) = reference switch
        {
            JsonObject o when o["expression"] is JsonObject e => (Text(e["value"]), Text(e["value"])),
            JsonObject o => (Text(o["id"]), Text(o["name"])),
            JsonValue => (Text(reference), Text(reference)),
            _ => (null, null),
        };
        if (id is not null && variableById.TryGetValue(id, out var byId)) return byId;
        return name is not null && variables.Any(v => v.Name == name) ? name : null;
    }

    void Unsupported(JsonObject activity, string labelZh, string labelEn, string kind) =>
        Problem("unsupportedExpression", activity,
            $"活动“{IdOf(activity)}”（{TypeOf(activity)}）的{labelZh}在这里只能是固定值，不支持 {kind} 表达式。",
            $"Activity '{IdOf(activity)}' ({TypeOf(activity)}): the {labelEn} takes a fixed value here; {kind} expressions are not supported.");

    string? BadValue(JsonObject activity, string labelZh, string labelEn, string? value)
    {
        Problem("badValue", activity, $"活动“{IdOf(activity)}”的{labelZh}取值“{value}”无法识别。",
            $"Activity '{IdOf(activity)}': the {labelEn} value '{value}' is not understood.");
        return null;
    }

    bool HasProblem(JsonObject activity) => problems.Any(p => p.ActivityId == IdOf(activity));

    // ---- Connections and start -------------------------------------------------------------------

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
                Problem("badConnection", null, $"有一条连线缺少起点或终点：{connection.ToJsonString()}", $"A connection has no source or target: {connection.ToJsonString()}");
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
            ? new JsonObject { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = position["x"]!.DeepClone(), ["y"] = position["y"]!.DeepClone() } } }
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
