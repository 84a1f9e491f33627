using System.Text.Json.Nodes;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Workflows.Activities;

[Activity("SetVariable", "Primitives", "设置变量", "Set variable", DescriptionZh = "把表达式的值存入变量。",
    DescriptionEn = "Stores the value of an expression in a variable.")]
[Outcome("Done", "完成", "Done")]
public sealed class SetVariable : Activity
{
    [Input("变量", "Variable", UiHint = UiHints.Variable, Required = true)]
    public string Variable { get; set; } = "";

    [Input("值", "Value", UiHint = UiHints.Script, Required = true, DescriptionZh = "JavaScript 表达式", DescriptionEn = "A JavaScript expression")]
    public string Value { get; set; } = "";

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.SetVariable(Variable, context.Evaluate(Value));
        return new(ActivityResult.Done("Done"));
    }
}

[Activity("WaitForEvent", "Primitives", "等待事件", "Wait for event",
    DescriptionZh = "等待一个具名事件（可按关联键区分），例如“表决结束”。",
    DescriptionEn = "Waits for a named event, optionally for one correlation key, e.g. 'ballot closed'.")]
[Outcome("Done", "完成", "Done")]
public sealed class WaitForEvent : Activity
{
    public const string BookmarkPrefix = "Event:";

    [Input("事件名", "Event name", Required = true)]
    public string EventName { get; set; } = "";

    [Input("关联键", "Correlation", UiHint = UiHints.Script, DescriptionZh = "JavaScript 表达式，如 variables.matterId",
        DescriptionEn = "A JavaScript expression, e.g. variables.matterId")]
    public string? Correlation { get; set; }

    [Input("结果存入变量", "Store payload in", UiHint = UiHints.Variable)]
    public string? OutputVariable { get; set; }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var correlation = string.IsNullOrWhiteSpace(Correlation) ? null : ScalarText(context.Evaluate(Correlation));
        return new(ActivityResult.Wait(new BookmarkRequest(BookmarkPrefix + EventName, correlation)));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, payload);
        context.JournalData = payload?.DeepClone();
        return new(ActivityResult.Done("Done"));
    }

    internal static string? ScalarText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(WorkflowJson.Options),
    };
}
