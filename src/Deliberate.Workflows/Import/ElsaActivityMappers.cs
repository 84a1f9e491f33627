using System.Text.Json.Nodes;
using System.Xml;
using Deliberate.Workflows.Model;

namespace Deliberate.Workflows.Import;

/// <summary>Each Elsa activity mapped to ours (one mapper per Elsa type the importer knows).</summary>
sealed partial class ElsaImportRun
{
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
            JsonObject { } wrapped when At(wrapped, "expression", "value") is JsonValue value && value.TryGetValue(out string? text) =>
                TryParse(text) as JsonArray,
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
                $"Activity '{IdOf(activity)}' ({TypeOf(activity)}) holds its branches as nested activities rather than flowchart connections; use "
                    + $"Fork (flow) in Elsa instead.");
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
                    ? TryParse(text)
                        ?? new JsonArray([.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(s => (JsonNode?)s)])
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
                    $"Join '{IdOf(activity)}' waits only for activated branches in Elsa (WaitAllActive); it is imported as waiting for every inbound "
                        + $"branch, so check for branches that may never arrive.");
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
                $"'{IdOf(activity)}' can start the workflow in Elsa; here it only waits once the instance reaches it, so instances must be started "
                    + $"otherwise.");
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
}
