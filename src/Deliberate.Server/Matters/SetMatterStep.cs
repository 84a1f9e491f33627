using Deliberate.Server.Data;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Server.Matters;

/// <summary>
/// Moves the workflow's matter (variable matterId) to a step of the six-step method, optionally
/// recording the triage and the resolution. The change is saved with the run, in one transaction.
/// </summary>
[Activity("SetMatterStep", "Matters", "事项进入步骤", "Set matter step",
    DescriptionZh = "把本流程的事项推进到六事工作法的某一步，可同时记录分流结果和处理结论。",
    DescriptionEn = "Moves this workflow's matter to a step of the six-step method, optionally with its triage and resolution.")]
[Outcome("Done", "完成", "Done")]
public sealed class SetMatterStep(DeliberateDbContext db) : Activity
{
    [Input("步骤", "Step", UiHint = UiHints.Select, Required = true,
        Options = ["raise", "hear", "deliberate", "decide", "execute", "rate", "closed"])]
    public string Step { get; set; } = "";

    [Input("分流", "Triage", UiHint = UiHints.Select, Options = ["private", "minor", "major", "escalate"])]
    public string? Triage { get; set; }

    [Input("处理结论", "Resolution", UiHint = UiHints.Template, DescriptionZh = "可用 ${...} 引用变量", DescriptionEn = "May use ${...} to refer to variables")]
    public string? Resolution { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var matterId = context.GetVariable("matterId")?.GetValue<string>();
        if (!Guid.TryParse(matterId, out var id))
            throw new InvalidOperationException("The workflow has no matterId variable naming a matter.");
        var matter = await db.Matters.FindAsync([id], context.CancellationToken)
            ?? throw new InvalidOperationException($"Matter {id} does not exist.");

        var step = Enum.Parse<MatterStep>(Step, ignoreCase: true);
        MatterTriage? triage = string.IsNullOrEmpty(Triage) ? null : Enum.Parse<MatterTriage>(Triage, ignoreCase: true);
        matter.MoveTo(step, context.Now, triage, context.Render(Resolution));
        context.JournalData = new System.Text.Json.Nodes.JsonObject { ["step"] = Step, ["triage"] = Triage };
        return ActivityResult.Done("Done");
    }
}
