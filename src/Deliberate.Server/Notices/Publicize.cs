using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notices;

/// <summary>
/// 公示: posts a notice in the community for a period and, unless told not to, waits until the period is
/// over before going on — a decision must stand its posting period before it is carried out.
/// </summary>
[Activity("Publicize", "Notices", "公示", "Publicize",
    DescriptionZh = "在社区张贴公示（如议定事项、表决结果），公示期满后继续。",
    DescriptionEn = "Posts a public notice in the community (a decision, a ballot result) and goes on when the posting period is over.")]
[Outcome("Done", "公示期满", "Posting period over")]
public sealed class Publicize(DeliberateDbContext db) : Activity
{
    [Input("标题", "Title", UiHint = UiHints.Template, Required = true)]
    public string Title { get; set; } = "";

    [Input("正文", "Body", UiHint = UiHints.Template, Required = true)]
    public string Body { get; set; } = "";

    [Input("类别", "Kind", UiHint = UiHints.Select,
        Options = ["decision", "ballotResult", "ratingResult", "meetingNotice", "executionResult", "other"])]
    public string Kind { get; set; } = "decision";

    [Input("公示期", "Posting period", UiHint = UiHints.Duration, DescriptionZh = "默认 7 天（公示期一般 5–7 天）",
        DescriptionEn = "An ISO 8601 duration; default P7D (postings run 5–7 days)")]
    public TimeSpan? Period { get; set; }

    [Input("张贴范围", "Where", UiHint = UiHints.Script, DescriptionZh = "组织节点 id，默认 variables.communityId",
        DescriptionEn = "Organisation node id; default variables.communityId")]
    public string? Scope { get; set; }

    [Input("等待公示期满", "Wait for the period to end", UiHint = UiHints.Checkbox)]
    public bool WaitForPeriod { get; set; } = true;

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var scope = context.Evaluate(string.IsNullOrWhiteSpace(Scope) ? "variables.communityId" : Scope);
        if (scope is not JsonValue v || !v.TryGetValue(out string? text) || !Guid.TryParse(text, out var placeId))
            throw new InvalidOperationException("The notice's place expression did not give an organisation node id.");
        var ct = context.CancellationToken;
        var place = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == placeId, ct)
            ?? throw new InvalidOperationException($"Organisation node {placeId} does not exist.");
        var instance = await InstanceScope.OfAsync(db, context);
        instance.EnsurePlace(place, InstanceScope.PostNotice, caller => NoticeAccess.MayPost(caller, place));
        Guid? matterId = Guid.TryParse(context.GetVariable("matterId")?.GetValue<string>(), out var m) ? m : null;
        if (matterId is { } id)
        {
            // The notice names the matter: it must be one this instance may touch, and of the place's line.
            var matter = await db.Matters.FirstOrDefaultAsync(x => x.Id == id, ct)
                ?? throw new InvalidOperationException($"Matter {id} does not exist.");
            await instance.EnsureMatterAsync(db, matter, InstanceScope.PostNotice, ct);
        }
        var now = context.Now;
        var period = Period ?? TimeSpan.FromDays(7);
        // A posting of whole days runs to the end of its last day (Notice.EndOfDays); a shorter or odd period is taken as given.
        var until = period.Ticks % TimeSpan.TicksPerDay == 0 && period > TimeSpan.Zero ? Notice.EndOfDays(now, period.Days) : now + period;
        var kind = Enum.Parse<NoticeKind>(Kind, ignoreCase: true);
        var notice = new Notice(context.NewId(), place.Id, kind, context.Render(Title), context.Render(Body), now, until, matterId, null, null, null);
        db.Notices.Add(notice);
        context.JournalData = new JsonObject { ["noticeId"] = notice.Id.ToString(), ["until"] = until.ToString("O") };
        return WaitForPeriod
            ? ActivityResult.Wait(new BookmarkRequest(TimerBookmarks.Name, DueAt: until))
            : ActivityResult.Done("Done");
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload) =>
        new(ActivityResult.Done("Done"));
}
