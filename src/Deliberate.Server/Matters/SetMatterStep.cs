using Deliberate.Server.Data;
using Deliberate.Server.Tasks;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

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
        var scope = await InstanceScope.OfAsync(db, context);
        await scope.EnsureMatterAsync(db, matter, InstanceScope.ChangeMatter, context.CancellationToken);

        var step = Enum.Parse<MatterStep>(Step, ignoreCase: true);
        MatterTriage? triage = string.IsNullOrEmpty(Triage) ? null : Enum.Parse<MatterTriage>(Triage, ignoreCase: true);
        matter.MoveTo(step, context.Now, triage, context.Render(Resolution));
        // A closed matter has no open tasks (this or any other instance's): they are cancelled with the closing.
        if (step == MatterStep.Closed) await MatterClosing.CancelOpenTasksAsync(db, matter.Id, context.Now, context.CancellationToken);
        context.JournalData = new System.Text.Json.Nodes.JsonObject { ["step"] = Step, ["triage"] = Triage };
        return ActivityResult.Done("Done");
    }
}

/// <summary>What closing a matter brings with it.</summary>
public static class MatterClosing
{
    /// <summary>Cancels every open inbox task of the matter; completing one afterwards is refused (409).</summary>
    public static async Task CancelOpenTasksAsync(DeliberateDbContext db, Guid matterId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var task in await db.InboxTasks.Where(t => t.MatterId == matterId && t.Status == InboxTaskStatus.Open).ToListAsync(ct))
            task.Cancel(now);
    }
}
