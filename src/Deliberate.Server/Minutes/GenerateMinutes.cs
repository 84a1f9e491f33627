using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Meetings;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Minutes;

/// <summary>
/// 生成会议纪要: after a meeting closes, stores the first version of its minutes (PDF with its SHA-256) and tells
/// those who must sign it. A meeting that already has minutes keeps them: the step does not make a second version.
/// </summary>
[Activity("GenerateMinutes", "Meetings", "生成会议纪要", "Generate minutes",
    DescriptionZh = "会议结束后生成会议纪要（PDF，留存并计算 SHA-256），通知参会人签字确认。",
    DescriptionEn = "Once the meeting is closed, generates and stores its minutes (PDF with SHA-256) and asks the participants to sign them off.")]
[Outcome("Done", "完成", "Done")]
public sealed class GenerateMinutes(DeliberateDbContext db) : Activity
{
    [Input("会议", "Meeting", UiHint = UiHints.Script, Required = true,
        DescriptionZh = "JavaScript 表达式，值为会议 id，如 variables.meeting.meetingId",
        DescriptionEn = "A JavaScript expression giving the meeting id, e.g. variables.meeting.meetingId")]
    public string Meeting { get; set; } = "variables.meeting.meetingId";

    [Input("语言", "Language", UiHint = UiHints.Select, Options = ["zh-CN", "en"], DescriptionZh = "纪要中固定文字的语言",
        DescriptionEn = "The language of the minutes' fixed labels")]
    public string Language { get; set; } = MeetingMinutes.Chinese;

    [Input("结果存入变量", "Store result in", UiHint = UiHints.Variable, DescriptionZh = "{meetingId, version, sha256}",
        DescriptionEn = "{meetingId, version, sha256}")]
    public string? OutputVariable { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var meetingId = ActivityInputs.Id(context.Evaluate(Meeting), "meeting");
        var (meeting, _) = await MeetingsApi.LoadAsync(db, meetingId, context.CancellationToken);
        if (meeting is null) throw new InvalidOperationException($"No meeting {meetingId}.");
        var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == meeting.OrgUnitId, context.CancellationToken);
        (await InstanceScope.OfAsync(db, context))
            .EnsurePlace(community, InstanceScope.WriteMinutes, caller => MeetingAccess.MayRun(caller, meeting, community.Path));
        var existing = await db.MinutesVersions.AsNoTracking().Where(v => v.MeetingId == meetingId).OrderBy(v => v.Version)
            .Select(v => new { v.Version, v.Sha256 }).FirstOrDefaultAsync(context.CancellationToken);
        int version;
        string sha256;
        if (existing is null)
        {
            var createdBy = Guid.TryParse(context.Actor.Id, out var actorId) ? actorId : (Guid?)null;
            var made = await MeetingMinutes.GenerateAsync(db, meeting, Language, createdBy, context.Actor.Name, null, context.Now,
                context.CancellationToken);
            MeetingMinutes.NotifyReady(db, meeting, made, context.Now);
            (version, sha256) = (made.Version, made.Sha256);
        }
        else (version, sha256) = (existing.Version, existing.Sha256);

        var result = new JsonObject { ["meetingId"] = meetingId.ToString(), ["version"] = version, ["sha256"] = sha256 };
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, result);
        context.JournalData = result.DeepClone();
        return ActivityResult.Done("Done");
    }
}
