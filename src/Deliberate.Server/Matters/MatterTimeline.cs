using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Matters;

/// <summary>A matter's history as people read it, made from its workflow's journal.</summary>
public static class MatterTimeline
{
    public static async Task<IReadOnlyList<TimelineEntry>> BuildAsync(DeliberateDbContext db, WorkflowPlans plans, Guid instanceId,
        Matter matter, bool showRaiser, CancellationToken ct)
    {
        var instance = await db.WorkflowInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, ct);
        if (instance is null) return [];
        var plan = await plans.GetAsync(db, instance.DefinitionId, instance.DefinitionVersion, ct);
        var journal = await db.WorkflowJournal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync(ct);
        var raiserId = matter.RaisedById.ToString();

        PersonView? Person(JournalRecord j)
        {
            if (j.ActorId is null || j.ActorId == Actor.System.Id) return new PersonView(null, Text.L("系统", "System"));
            if (j.ActorId == raiserId && !showRaiser) return new PersonView(null, MatterAccess.AnonymousName);
            return new PersonView(Guid.TryParse(j.ActorId, out var id) ? id : null, j.ActorName ?? "");
        }

        var entries = new List<TimelineEntry>();
        foreach (var j in journal)
        {
            switch (j.Event)
            {
                case JournalEvent.WorkflowStarted:
                    entries.Add(new(j.At, "raised", Text.L("居民提事", "Matter raised"), "raise", null, null, Person(j), null));
                    break;
                case JournalEvent.Executed when j.ActivityType == "SetMatterStep":
                    var step = j.DataJson is null ? null : (string?)JsonNode.Parse(j.DataJson)?["step"];
                    if (step is not null && EnumCodes.TryParseCode<MatterStep>(step, out var s))
                        entries.Add(new(j.At, "step", MattersApi.StepName(s), step, null, null, null, null));
                    break;
                case JournalEvent.Suspended when j.ActivityType == nameof(HumanTask):
                    entries.Add(new(j.At, "taskCreated", j.ActivityName ?? "", null, null, null, null, null));
                    break;
                case JournalEvent.Resumed when j.ActivityType == nameof(HumanTask):
                    var values = j.DataJson is null ? null : JsonNode.Parse(j.DataJson)?["values"];
                    entries.Add(new(j.At, "taskCompleted", j.ActivityName ?? "", null, j.Outcome, OutcomeLabel(plan, j.ActivityId, j.Outcome),
                        Person(j), values?.DeepClone()));
                    break;
                case JournalEvent.WorkflowFinished:
                    entries.Add(new(j.At, "finished", Text.L("流程结束", "Workflow finished"), null, null, null, null, null));
                    break;
                case JournalEvent.Cancelled:
                    entries.Add(new(j.At, "cancelled", Text.L("流程已取消", "Workflow cancelled"), null, null, null, Person(j), null));
                    break;
            }
        }
        return entries;
    }

    static string? OutcomeLabel(WorkflowPlan? plan, string? activityId, string? outcome)
    {
        if (plan is null || activityId is null || outcome is null || !plan.Contains(activityId)) return outcome;
        if (plan[activityId].Inputs.GetValueOrDefault("outcomes") is not List<TaskOutcome> outcomes) return outcome;
        var match = outcomes.FirstOrDefault(o => o.Name == outcome);
        return match is null ? outcome : Text.L(match.Label ?? match.Name, match.LabelEn ?? match.Label ?? match.Name);
    }
}
