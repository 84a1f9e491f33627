using System.Text.Json.Nodes;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Scripting;

namespace Deliberate.Workflows.Validation;

/// <summary>
/// Checks a definition before it is saved, published or run: every fault is reported at once,
/// each naming the activity it is on.
/// </summary>
public static class DefinitionValidator
{
    public static IReadOnlyList<DefinitionError> Validate(WorkflowDefinition definition, ActivityRegistry registry, ScriptEngine scripts)
    {
        var errors = new List<DefinitionError>();
        void Add(string code, string? activity, string zh, string en) => errors.Add(new DefinitionError(code, activity, zh, en));

        if (string.IsNullOrWhiteSpace(definition.DefinitionId))
            Add("definitionId", null, "缺少流程标识 definitionId。", "The definition has no definitionId.");
        if (string.IsNullOrWhiteSpace(definition.Name))
            Add("name", null, "缺少流程名称。", "The definition has no name.");
        if (definition.Root is null || definition.Root.Type is not ("Flowchart" or "Elsa.Flowchart"))
        {
            Add("root", null, "根节点必须是流程图（Flowchart）。", "The root must be a Flowchart.");
            return errors;
        }

        var variableNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in definition.Variables)
        {
            if (!IsIdentifier(variable.Name))
                Add("variableName", null, $"变量名“{variable.Name}”不是合法的标识符。", $"Variable name '{variable.Name}' is not a valid identifier.");
            else if (ReservedNames.Contains(variable.Name))
                Add("variableName", null, $"变量名“{variable.Name}”是 JavaScript 保留字或内置对象，会在脚本中遮住它，请换一个名字。",
                    $"Variable name '{variable.Name}' is a JavaScript reserved word or built-in and would hide it in scripts; choose another.");
            else if (!variableNames.Add(variable.Name))
                Add("duplicateVariable", null, $"变量“{variable.Name}”重复定义。", $"Variable '{variable.Name}' is declared twice.");
        }

        // Activities: ids, types, inputs.
        var nodes = new Dictionary<string, ActivityNode>(StringComparer.Ordinal);
        var ports = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var node in definition.Root.Activities)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
            {
                Add("activityId", null, $"有一个“{node.Type}”活动没有标识 id。", $"An activity of type '{node.Type}' has no id.");
                continue;
            }
            if (!nodes.TryAdd(node.Id, node))
            {
                Add("duplicateActivity", node.Id, $"活动标识“{node.Id}”重复。", $"Activity id '{node.Id}' is used twice.");
                continue;
            }
            var descriptor = registry.Find(node.Type);
            if (descriptor is null)
            {
                Add("unknownType", node.Id, $"活动“{node.Id}”的类型“{node.Type}”不存在。", $"Activity '{node.Id}' has unknown type '{node.Type}'.");
                continue;
            }
            ports[node.Id] = descriptor.OutcomesOf(node.Inputs);
            CheckInputs(node, descriptor, variableNames, scripts, Add);
            CheckListedOutcomes(node, descriptor, Add);
            CheckFormFields(node, descriptor, Add);
        }

        string Zh(string? id) => id is not null && nodes.TryGetValue(id, out var n) ? ZhName(n, registry.Find(n.Type)) : id ?? "";

        var starts = nodes.Values.Where(n => n.Type == "Start").ToList();
        if (starts.Count == 0)
            Add("noStart", null, "流程没有“开始”活动。", "The workflow has no Start activity.");
        else if (starts.Count > 1)
            foreach (var extra in starts.Skip(1))
                Add("manyStarts", extra.Id, $"活动“{Zh(extra.Id)}”是第二个“开始”活动；一个流程只能有一个。",
                    $"Activity '{extra.Id}' is a second Start; a workflow has exactly one.");

        // Connections: both ends exist, the port is declared, no duplicates.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var outgoing = nodes.Keys.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        var inbound = nodes.Keys.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        foreach (var connection in definition.Root.Connections)
        {
            var source = connection.Source?.Activity;
            var target = connection.Target?.Activity;
            var label = $"{source}:{connection.Source?.Port} → {target}";
            var zhLabel = $"“{Zh(source)}”的“{connection.Source?.Port}” → “{Zh(target)}”";
            if (source is null || !nodes.ContainsKey(source))
            {
                Add("danglingConnection", source, $"连线 {zhLabel} 的起点活动不存在。", $"Connection {label} starts at an activity that does not exist.");
                continue;
            }
            if (target is null || !nodes.ContainsKey(target))
            {
                Add("danglingConnection", source, $"连线 {zhLabel} 的终点活动不存在。", $"Connection {label} ends at an activity that does not exist.");
                continue;
            }
            var port = connection.Source!.Port;
            if (ports.TryGetValue(source, out var known) && (port is null || !known.Contains(port)))
                Add("unknownPort", source, $"活动“{Zh(source)}”没有出口“{port}”（可用：{string.Join("、", known)}）。",
                    $"Activity '{source}' has no port '{port}' (it has: {string.Join(", ", known)}).");
            if (connection.Target!.Port is { } targetPort && targetPort != "In")
                Add("unknownPort", target, $"活动“{Zh(target)}”没有入口“{targetPort}”，入口应为 In。",
                    $"Activity '{target}' has no input port '{targetPort}'; the input port is In.");
            if (!seen.Add($"{source}\n{port}\n{target}"))
            {
                Add("duplicateConnection", source, $"连线 {zhLabel} 重复。", $"Connection {label} appears twice.");
                continue;
            }
            if (nodes[target].Type == "Start")
                Add("connectionToStart", target, $"连线 {zhLabel} 指向“开始”活动；“开始”不能有入线。",
                    $"Connection {label} leads into the Start activity, which cannot have incoming connections.");
            outgoing[source].Add(target);
            inbound[target]++;
        }

        // Reachability from Start.
        if (starts.Count >= 1)
        {
            var reached = new HashSet<string>(StringComparer.Ordinal) { starts[0].Id };
            var stack = new Stack<string>(reached);
            while (stack.Count > 0)
                foreach (var next in outgoing[stack.Pop()])
                    if (reached.Add(next)) stack.Push(next);
            foreach (var node in nodes.Values.Where(n => !reached.Contains(n.Id)))
                Add("unreachable", node.Id, $"活动“{Zh(node.Id)}”无法从“开始”到达。", $"Activity '{node.Id}' cannot be reached from Start.");
        }

        foreach (var join in nodes.Values.Where(n => n.Type == "Join" && inbound[n.Id] < 2))
            Add("joinWithoutBranches", join.Id, $"汇合活动“{Zh(join.Id)}”只有 {inbound[join.Id]} 条入线，至少需要两个分支。",
                $"Join '{join.Id}' has {inbound[join.Id]} incoming connection(s); it needs at least two branches.");

        return errors;
    }

    static void CheckInputs(ActivityNode node, ActivityDescriptor descriptor, HashSet<string> variables, ScriptEngine scripts,
        Action<string, string?, string, string> add)
    {
        var zh = ZhName(node, descriptor);
        Dictionary<string, object?> bound;
        try
        {
            bound = ActivityRegistry.BindInputs(descriptor, node.Inputs);
        }
        catch (InputBindingException e) when (e.Input.UiHint == UiHints.Duration)
        {
            // The converter's reason is English and names ISO 8601; a designer needs an example in words.
            var text = node.Inputs[e.Input.Name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.Inputs[e.Input.Name]?.ToJsonString();
            add("badInput", node.Id,
                $"活动“{zh}”的“{e.Input.DisplayName.ZhCn}”不是时长：“{text}”。请填写时长，如 P1D（1天）、PT24H（24小时）、PT30M（30分钟）。",
                $"Activity '{node.Id}': '{e.Input.DisplayName.En}' is not a duration: '{text}'. "
                + "Write one such as P1D (1 day), PT24H (24 hours) or PT30M (30 minutes).");
            return;
        }
        catch (InputBindingException e)
        {
            add("badInput", node.Id, $"活动“{zh}”的输入“{e.Input.DisplayName.ZhCn}”格式不对：{e.Reason}",
                $"Activity '{node.Id}': input '{e.Input.DisplayName.En}' is malformed: {e.Reason}");
            return;
        }

        foreach (var input in descriptor.Inputs)
        {
            bound.TryGetValue(input.Name, out var value);
            var empty = value is null || (value is string s && string.IsNullOrWhiteSpace(s))
                || (value is System.Collections.ICollection { Count: 0 });
            if (input.Required && empty && input.DefaultValue is null)
            {
                add("missingInput", node.Id, $"活动“{zh}”缺少必填输入“{input.DisplayName.ZhCn}”。",
                    $"Activity '{node.Id}' is missing required input '{input.DisplayName.En}'.");
                continue;
            }
            if (empty) continue;

            if (input.UiHint == UiHints.Variable && value is string name && !variables.Contains(name))
                add("unknownVariable", node.Id, $"活动“{zh}”引用了未声明的变量“{name}”。", $"Activity '{node.Id}' refers to undeclared variable '{name}'.");
            if (input.Options is { Count: > 0 } options && value is string option && !options.Contains(option))
                add("badOption", node.Id, $"活动“{zh}”的输入“{input.DisplayName.ZhCn}”取值“{option}”不在可选项中（{string.Join("、", options)}）。",
                    $"Activity '{node.Id}': '{option}' is not an option of input '{input.DisplayName.En}' ({string.Join(", ", options)}).");

            foreach (var script in ScriptsIn(input, value))
                if (scripts.CheckSyntax(script) is { } problem)
                    add("badScript", node.Id, $"活动“{zh}”的输入“{input.DisplayName.ZhCn}”脚本有误：{problem}",
                        $"Activity '{node.Id}': the script in input '{input.DisplayName.En}' is wrong: {problem}");
        }
    }

    /// <summary>Ports listed in an input (Fork branches, Switch cases, task outcomes) need names, each once.</summary>
    static void CheckListedOutcomes(ActivityNode node, ActivityDescriptor descriptor, Action<string, string?, string, string> add)
    {
        var zh = ZhName(node, descriptor);
        if (descriptor.OutcomesFromInput is not { } inputName || node.Inputs[inputName] is not JsonArray items) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var name = item switch
            {
                JsonValue value when value.TryGetValue(out string? s) => s,
                JsonObject obj => obj["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : null,
                _ => null,
            };
            if (string.IsNullOrWhiteSpace(name))
                add("emptyOutcome", node.Id, $"活动“{zh}”有一个出口没有名字。", $"Activity '{node.Id}' lists a port without a name.");
            else if (!seen.Add(name) || descriptor.Outcomes.Any(o => o.Name == name))
                add("duplicateOutcome", node.Id, $"活动“{zh}”的出口“{name}”重复。", $"Activity '{node.Id}' lists port '{name}' twice.");
        }
    }

    /// <summary>A task's form: named fields, each once, of a known type; a select offers options.</summary>
    static void CheckFormFields(ActivityNode node, ActivityDescriptor descriptor, Action<string, string?, string, string> add)
    {
        var zh = ZhName(node, descriptor);
        if (node.Inputs["form"] is not JsonArray fields) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields.OfType<JsonObject>())
        {
            var name = field["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : null;
            var type = field["type"] is JsonValue t && t.TryGetValue(out string? ts) ? ts : "text";
            if (!IsIdentifier(name))
                add("badFormField", node.Id, $"活动“{zh}”的表单字段名“{name}”不合法。",
                    $"Activity '{node.Id}' has a form field with an invalid name '{name}'.");
            else if (!seen.Add(name!))
                add("badFormField", node.Id, $"活动“{zh}”的表单字段“{name}”重复。", $"Activity '{node.Id}' has form field '{name}' twice.");
            if (!FormField.Types.Contains(type))
                add("badFormField", node.Id, $"活动“{zh}”的表单字段“{name}”类型“{type}”不存在（可用：{string.Join("、", FormField.Types)}）。",
                    $"Activity '{node.Id}': form field '{name}' has unknown type '{type}' (types: {string.Join(", ", FormField.Types)}).");
            if (type == "select" && field["options"] is not JsonArray { Count: > 0 })
                add("badFormField", node.Id, $"活动“{zh}”的下拉字段“{name}”没有可选项。", $"Activity '{node.Id}': select field '{name}' has no options.");
        }
    }

    /// <summary>
    /// How a Chinese message names an activity: its display name, else its type's Chinese name — a designer reads names,
    /// not ids (the error's ActivityId still points at the node on the canvas).
    /// </summary>
    static string ZhName(ActivityNode node, ActivityDescriptor? descriptor) =>
        !string.IsNullOrWhiteSpace(node.DisplayName) ? node.DisplayName : descriptor?.DisplayName.ZhCn ?? node.Id;

    /// <summary>Names a variable may not take: scripts see each variable under its own name.</summary>
    static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "variables", "workflow", "undefined", "NaN", "Infinity", "globalThis", "eval", "arguments",
        "Math", "Date", "JSON", "String", "Number", "Boolean", "Object", "Array", "RegExp", "Error", "TypeError", "RangeError",
        "Promise", "Symbol", "Map", "Set", "WeakMap", "WeakSet", "BigInt", "Reflect", "Proxy", "Function", "Intl",
        "parseInt", "parseFloat", "isNaN", "isFinite", "encodeURIComponent", "decodeURIComponent", "encodeURI", "decodeURI",
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export",
        "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
        "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "await",
        "implements", "package", "protected", "interface", "private", "public",
    };

    static IEnumerable<string> ScriptsIn(InputDescriptor input, object? value) => value switch
    {
        string code when input.UiHint == UiHints.Script => [code],
        string text when input.UiHint == UiHints.Template && Templates.HasExpressions(text) => [Templates.ToScript(text)],
        IContainsScripts holder => holder.Scripts,
        System.Collections.IEnumerable items when value is not string => items.OfType<IContainsScripts>().SelectMany(h => h.Scripts),
        _ => [],
    };

    internal static bool IsIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && (char.IsLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$');
}

/// <summary>An input value that carries scripts of its own (a Switch case's condition).</summary>
public interface IContainsScripts
{
    IEnumerable<string> Scripts { get; }
}
