using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Execution;

/// <summary>
/// 协同办事: makes the work items of this workflow's matter — one per resolution of a meeting (its 责任单位 and
/// 完成时限), or one from the inputs — as one batch, and waits until every one of them is done. Run again for the
/// same matter (the residents were not satisfied), it makes them again as 返工 in a new batch.
/// </summary>
[Activity("Execute", "Execution", "协同办事", "Execute",
    DescriptionZh = "为本事项建立工作事项（按会议的议定事项逐项建立，或按输入建一项），全部办结后继续；再次进入即为返工。",
    DescriptionEn =
        "Creates this matter's work items (one per resolution of a meeting, or one from the inputs) and goes on when all are done; entered again, it "
            + "makes them as rework.")]
[Outcome("Done", "全部办结", "All done")]
public sealed class Execute(DeliberateDbContext db) : Activity
{
    [Input("来自会议", "From meeting", UiHint = UiHints.Script,
        DescriptionZh = "JavaScript 表达式，值为会议 id，如 variables.deliberation.meetingId；按该会议的每项议定事项建立一个工作事项",
        DescriptionEn =
            "A JavaScript expression giving a meeting id, e.g. variables.deliberation.meetingId; one work item per resolution of that meeting")]
    public string? FromMeeting { get; set; }

    [Input("事项标题", "Title", UiHint = UiHints.Template,
        DescriptionZh = "没有会议议定事项时使用，可用 ${variables.title}；留空则用事项标题",
        DescriptionEn = "Used without a meeting's resolutions; may use ${variables.title}; empty means the matter's title")]
    public string? Title { get; set; }

    [Input("责任单位", "Responsible unit", UiHint = UiHints.Template, DescriptionZh = "如 物业公司", DescriptionEn = "E.g. 物业公司 (the property company)")]
    public string? ResponsibleUnit { get; set; }

    [Input("办理角色", "Role", UiHint = UiHints.Role,
        DescriptionZh = "在该层级办理的角色；留空则为该层级的默认角色（网格员、社区书记、街道干部、职能部门）",
        DescriptionEn =
            "The role that works on it at its level; empty means the level's own (grid worker, party secretary, street officer, department officer)")]
    public string? Role { get; set; }

    [Input("组织范围", "Scope", UiHint = UiHints.Script,
        DescriptionZh = "JavaScript 表达式，值为组织节点 id，决定事项所在层级；默认 variables.communityId",
        DescriptionEn = "A JavaScript expression giving the organisation node, which sets the level; default variables.communityId")]
    public string? Scope { get; set; }

    [Input("办理时限", "Deadline", UiHint = UiHints.Duration,
        DescriptionZh = "ISO 8601 时长，如 P15D；会议议定事项用其完成时限；留空用该层级的时限",
        DescriptionEn = "An ISO 8601 duration, e.g. P15D; a resolution keeps its own deadline; empty means the level's time limit")]
    public TimeSpan? Deadline { get; set; }

    [Input("结果存入变量", "Store result in", UiHint = UiHints.Variable)]
    public string? OutputVariable { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var now = context.Now;
        var matterId = ActivityValues.GuidVariable(context, "matterId");
        var matter = matterId is { } m ? await db.Matters.FirstOrDefaultAsync(x => x.Id == m, ct) : null;

        var node = await ActivityValues.NodeAsync(db, context, string.IsNullOrWhiteSpace(Scope) ? "variables.communityId" : Scope, ct);
        if (node.Level == OrgLevel.Building) node = await db.OrgUnits.FirstAsync(o => o.Id == node.ParentId, ct);
        var scope = await InstanceScope.OfAsync(db, context);
        if (matterId is { } named && matter is null) throw new InvalidOperationException($"Matter {named} does not exist.");
        if (matter is not null) await scope.EnsureMatterAsync(db, matter, InstanceScope.MakeWork, ct);
        scope.EnsurePlace(node, InstanceScope.MakeWork, caller => WorkItemAccess.MayCreateAt(caller, node));
        var level = EscalationLadder.LevelOf(node.Level);
        var role = ActivityValues.WorkRole(Role) ?? EscalationLadder.RoleAt(level);
        var span = Deadline ?? EscalationLadder.Sla(level);
        if (span <= TimeSpan.Zero) throw new InvalidOperationException("The deadline must be a positive duration.");

        var rework = matterId is { } mid && await db.WorkItems.AnyAsync(w => w.MatterId == mid && w.BatchId != null, ct);
        var batchId = context.NewId();
        var prefix = rework ? "返工：" : "";
        var items = new List<WorkItem>();

        var meetingText = string.IsNullOrWhiteSpace(FromMeeting) ? null : ActivityValues.Text(context.Evaluate(FromMeeting));
        if (!string.IsNullOrWhiteSpace(meetingText))
        {
            var meetingCommunity = Guid.TryParse(meetingText, out var meetingId)
                ? await (from x in db.Meetings join o in db.OrgUnits on x.OrgUnitId equals o.Id where x.Id == meetingId select o)
                    .AsNoTracking().FirstOrDefaultAsync(ct)
                : null;
            if (meetingCommunity is null) throw new InvalidOperationException($"Meeting '{meetingText}' does not exist.");
            // Work from a meeting's resolutions: a meeting of a community this instance may work in.
            scope.EnsurePlace(meetingCommunity, InstanceScope.MakeWork, caller => WorkItemAccess.MayCreateAt(caller, meetingCommunity));
            var resolutions = await db.Resolutions.Where(r => r.MeetingId == meetingId).ToListAsync(ct);
            // A resolution about another matter of the same meeting is not this matter's work.
            var otherMatters = await db.AgendaItems.Where(a => a.MeetingId == meetingId && a.MatterId != null && a.MatterId != matterId)
                .Select(a => a.Id).ToListAsync(ct);
            foreach (var resolution in resolutions.Where(r => r.AgendaItemId is not { } a || !otherMatters.Contains(a)).OrderBy(r => r.Id))
            {
                var text = resolution.Text.Trim();
                var title = prefix + text;
                items.Add(new WorkItem(context.NewId(), Shorten(title, 200), title.Length > 200 ? Shorten(text, 2000) : null,
                    Shorten(resolution.ResponsibleUnit, 100), level, node.Id, role, null,
                    rework ? now + span : ChinaTime.EndOf(resolution.Deadline), matter?.Id, meetingId, resolution.Id, batchId, now, null, rework));
            }
        }
        if (items.Count == 0)
        {
            var title = context.Render(Title).Trim();
            if (title.Length == 0) title = matter?.Title ?? ActivityValues.Text(context.GetVariable("title")) ?? "";
            if (title.Length == 0) throw new InvalidOperationException("The work item has no title: set the Title input.");
            var unit = context.Render(ResponsibleUnit).Trim();
            if (unit.Length == 0) unit = Roles.DisplayNames[role].Zh;
            items.Add(new WorkItem(context.NewId(), Shorten(prefix + title, 200), null, Shorten(unit, 100), level, node.Id, role, null,
                now + span, matter?.Id, null, null, batchId, now, null, rework));
        }

        db.WorkItems.AddRange(items);
        foreach (var item in items)
        {
            await WorkItemSla.NotifyAssignedAsync(db, item, now, ct);
            context.ScheduleDeadlines(item.Id, now, item.Deadline);
        }
        var waiting = new JsonObject
        {
            ["batchId"] = batchId.ToString(),
            ["rework"] = rework,
            ["items"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["id"] = i.Id.ToString(), ["title"] = i.Title }).ToArray()),
        };
        context.JournalData = waiting.DeepClone();
        return ActivityResult.Wait(DomainEvents.Await(DomainEvents.WorkItemsDone, batchId, waiting));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, payload);
        context.JournalData = payload?.DeepClone();
        return new(ActivityResult.Done("Done"));
    }

    static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>上报: hands every unfinished work item of this workflow's matter one level up the ladder (吹哨).</summary>
[Activity("Escalate", "Execution", "上报", "Escalate",
    DescriptionZh = "把本事项所有未办结的工作事项上报一级（网格→社区→街道→职能部门），交由上一级办理。",
    DescriptionEn = "Hands every unfinished work item of this matter one level up (grid → community → street → department).")]
[Outcome("Done", "完成", "Done")]
public sealed class Escalate(DeliberateDbContext db) : Activity
{
    [Input("上报原因", "Reason", UiHint = UiHints.Template, Required = true, DescriptionZh = "可用 ${...} 引用变量",
        DescriptionEn = "May use ${...} to refer to variables")]
    public string Reason { get; set; } = "";

    [Input("组织范围", "Scope", UiHint = UiHints.Script,
        DescriptionZh = "JavaScript 表达式，值为组织节点 id；只上报该节点之内的事项，留空则全部",
        DescriptionEn = "A JavaScript expression giving an organisation node; only items within it climb; empty means all")]
    public string? Scope { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var matterId = ActivityValues.GuidVariable(context, "matterId")
            ?? throw new InvalidOperationException("The workflow has no matterId variable naming a matter.");
        var reason = context.Render(Reason).Trim();
        if (reason.Length == 0) throw new InvalidOperationException("The reason is empty.");
        var within = string.IsNullOrWhiteSpace(Scope) ? null : await ActivityValues.NodeAsync(db, context, Scope, ct);
        var matter = await db.Matters.FirstOrDefaultAsync(x => x.Id == matterId, ct)
            ?? throw new InvalidOperationException($"Matter {matterId} does not exist.");
        await (await InstanceScope.OfAsync(db, context)).EnsureMatterAsync(db, matter, InstanceScope.ChangeMatter, ct);

        var items = await (from w in db.WorkItems
                           join o in db.OrgUnits on w.OrgUnitId equals o.Id
                           where w.MatterId == matterId && w.Status != WorkItemStatus.Done
                           select new { Item = w, o.Path }).ToListAsync(ct);
        var escalated = new JsonArray();
        var stayed = 0;
        foreach (var row in items.OrderBy(r => r.Item.CreatedAt))
        {
            if (within is not null && !row.Path.StartsWith(within.Path, StringComparison.Ordinal)) continue;
            if (row.Item.Level == EscalationLevel.Department)
            {
                stayed++; // nothing above a department
                continue;
            }
            // By whoever advanced the workflow to here (a grid worker completing a task), or the system.
            var by = Guid.TryParse(context.Actor.Id, out var actorId) ? actorId : (Guid?)null;
            var deadline = await WorkItemFlow.EscalateAsync(db, row.Item, by, reason, context.Now, ct);
            context.ScheduleDeadlines(row.Item.Id, context.Now, deadline);
            escalated.Add(row.Item.Id.ToString());
        }
        context.JournalData = new JsonObject { ["escalated"] = escalated, ["alreadyAtTop"] = stayed };
        return ActivityResult.Done("Done");
    }
}

/// <summary>Reading activity inputs and variables that name things of ours.</summary>
static class ActivityValues
{
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(WorkflowJson.Options),
    };

    public static Guid? GuidVariable(ActivityContext context, string name) =>
        Guid.TryParse(Text(context.GetVariable(name)), out var id) ? id : null;

    public static async Task<OrgUnit> NodeAsync(DeliberateDbContext db, ActivityContext context, string script, CancellationToken ct)
    {
        var text = Text(context.Evaluate(script));
        if (!Guid.TryParse(text, out var id))
            throw new InvalidOperationException($"The scope '{script}' gives '{text}', which is not an organisation node id.");
        return await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == id, ct)
            ?? throw new InvalidOperationException($"Organisation node {id} does not exist.");
    }

    /// <summary>A staff role named in an input; null when none is named.</summary>
    public static Role? WorkRole(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        return Roles.Parse(name) is { } role && EscalationLadder.CanHoldWork(role) ? role
            : throw new InvalidOperationException($"'{name}' is not a staff role that can hold work.");
    }
}
