using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Scripting;
using Deliberate.Workflows.Validation;

namespace Deliberate.Workflows.Import;

/// <summary>Elsa inputs and expressions: literals, scripts, and Elsa's JavaScript accessors rewritten to ours.</summary>
sealed partial class ElsaImportRun
{
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
        @"\b(?<name>setVariable|getVariable|getInput|getLastResult|setOutcomes?|setCorrelationId|setWorkflowInstanceName|"
        + @"getWorkflowInstanceName|getWorkflowDefinitionVersionId|newGuid|newGuidString|newShortGuid|getGuid|getGuidString|"
        + @"getShortGuid|parseGuid|toJson|isNullOrEmpty|isNullOrWhiteSpace|getConfig|createEventTriggerUrl|set[A-Z][A-Za-z0-9_]*|"
        + @"get[A-Z][A-Za-z0-9_]*)\s*\(",
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
                $"Activity '{IdOf(activity)}': the {labelEn} calls Elsa functions that have no equivalent here: {string.Join(", ", helpers)}. Read "
                    + $"variables as variables.name and change them with a SetVariable activity.");
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
        DefinitionValidator.IsIdentifier(variable) ? $"variables.{variable}"
            : $"variables[{JsonSerializer.Serialize(variable, WorkflowJson.Options)}]";

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
}
