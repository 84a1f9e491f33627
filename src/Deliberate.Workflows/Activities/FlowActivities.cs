using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Validation;

namespace Deliberate.Workflows.Activities;

[Activity("Start", "Flow", "开始", "Start", DescriptionZh = "流程从这里开始。", DescriptionEn = "Where the workflow begins.")]
[Outcome("Done", "完成", "Done")]
public sealed class Start : Activity
{
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => new(ActivityResult.Done("Done"));
}

[Activity("End", "Flow", "结束", "End", DescriptionZh = "结束整个流程，其他分支一并结束。", DescriptionEn = "Ends the whole workflow, with every other branch.")]
public sealed class End : Activity
{
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => new(ActivityResult.FinishWorkflow);
}

[Activity("Decision", "Flow", "条件判断", "Decision", DescriptionZh = "按条件走“是”或“否”。", DescriptionEn = "Goes True or False by a condition.")]
[Outcome("True", "是", "True")]
[Outcome("False", "否", "False")]
public sealed class Decision : Activity
{
    [Input("条件", "Condition", UiHint = UiHints.Script, Required = true,
        DescriptionZh = "JavaScript 表达式，例如 variables.category === '大事'",
        DescriptionEn = "A JavaScript expression, e.g. variables.category === 'major'")]
    public string Condition { get; set; } = "";

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        new(ActivityResult.Done(context.Test(Condition) ? "True" : "False"));
}

/// <summary>One case of a Switch: its port name and its condition.</summary>
public sealed class SwitchCase : IContainsScripts
{
    public string Name { get; set; } = "";
    public string Condition { get; set; } = "";
    IEnumerable<string> IContainsScripts.Scripts => [Condition];
}

[Activity("Switch", "Flow", "多路分支", "Switch", DescriptionZh = "按顺序检查各条件，走第一个（或每个）成立的分支，都不成立走“默认”。",
    DescriptionEn = "Checks the cases in order and goes by the first (or every) one that holds; Default when none does.")]
[Outcome("Default", "默认", "Default")]
[OutcomesFromInput("cases")]
public sealed class Switch : Activity
{
    [Input("分支条件", "Cases", UiHint = UiHints.SwitchCases, Required = true)]
    public List<SwitchCase> Cases { get; set; } = [];

    [Input("匹配方式", "Mode", UiHint = UiHints.Select, Options = ["matchFirst", "matchAny"],
        DescriptionZh = "matchFirst：只走第一个成立的分支；matchAny：走所有成立的分支",
        DescriptionEn = "matchFirst: the first case that holds; matchAny: every case that holds")]
    public string Mode { get; set; } = "matchFirst";

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var matched = new List<string>();
        foreach (var @case in Cases)
        {
            if (!context.Test(@case.Condition)) continue;
            matched.Add(@case.Name);
            if (Mode != "matchAny") break;
        }
        return new(ActivityResult.Done(matched.Count > 0 ? [.. matched] : ["Default"]));
    }
}

[Activity("Fork", "Flow", "并行分支", "Fork", DescriptionZh = "同时走所有分支。", DescriptionEn = "Goes down every branch at once.")]
[OutcomesFromInput("branches")]
public sealed class Fork : Activity
{
    [Input("分支", "Branches", UiHint = UiHints.StringList, Required = true)]
    public List<string> Branches { get; set; } = [];

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => new(ActivityResult.Done([.. Branches]));
}

[Activity("Join", "Flow", "汇合", "Join",
    DescriptionZh = "“全部”：等仍在进行的分支都到达后继续（被条件跳过的分支不等）；“任一”：第一个分支到达即继续，并结束其余分支。",
    DescriptionEn =
        "'all': goes on when every branch still under way has arrived (branches a decision skipped are not awaited); 'any': goes on at the first "
            + "arrival and ends the other branches.")]
[Outcome("Done", "完成", "Done")]
public sealed class Join : Activity
{
    [Input("汇合方式", "Mode", UiHint = UiHints.Select, Options = ["all", "any"])]
    public string Mode { get; set; } = "all";

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        if (Mode == "any")
        {
            context.CancelBranchesLeadingHere();
            context.ClearState();
            return new(ActivityResult.Done("Done"));
        }

        var arrived = context.State["arrived"] as System.Text.Json.Nodes.JsonArray ?? [];
        context.State["arrived"] = arrived;
        // A re-check by the runner (no arrival) when nothing else is under way; see WorkflowExecution.
        if (context.Arrival is { FromActivity: { } from })
        {
            var key = $"{from}:{context.Arrival.FromPort}";
            if (!arrived.Any(a => (string?)a == key)) arrived.Add(key);
        }
        if (arrived.Count == 0)
        {
            context.ClearState();
            return new(ActivityResult.Hold);
        }

        // Every branch has arrived, or the ones that have not can no longer come (nothing is under way on them).
        var expected = context.Activity.Incoming.Select(c => $"{c.Source.Activity}:{c.Source.Port ?? "Done"}").Distinct();
        if (!expected.All(e => arrived.Any(a => (string?)a == e)) && context.HasWorkUnderWayLeadingHere())
            return new(ActivityResult.Hold);

        context.ClearState();
        return new(ActivityResult.Done("Done"));
    }
}
