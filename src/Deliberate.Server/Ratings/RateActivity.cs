using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Organisation;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Ratings;

/// <summary>
/// 群众评事: opens the next rating round of this workflow's matter for the residents it affects and waits until the
/// round closes (at the end of its window, or when everyone has rated). Below the threshold it goes out by
/// "dissatisfied", which a workflow routes back to execution.
/// </summary>
[Activity("Rate", "Ratings", "群众评事", "Rate",
    DescriptionZh = "请受影响的居民（楼栋或网格）评价办理结果，满意 + 基本满意达到门槛即为满意；结果公示。",
    DescriptionEn =
        "Asks the affected residents (of the building or grid) to rate the result; satisfied + basically satisfied at or above the threshold passes; "
            + "the result is posted.")]
[Outcome("satisfied", "满意", "Satisfied")]
[Outcome("dissatisfied", "不满意", "Dissatisfied")]
[Outcome("noRatings", "无人评价", "No ratings")]
public sealed class Rate(DeliberateDbContext db) : Activity
{
    [Input("评价时长", "Window", UiHint = UiHints.Duration,
        DescriptionZh = "ISO 8601 时长，如 P7D；留空用社区设置（默认 7 天）",
        DescriptionEn = "An ISO 8601 duration, e.g. P7D; empty means the community's setting (7 days by default)")]
    public TimeSpan? Window { get; set; }

    [Input("满意门槛", "Threshold", UiHint = UiHints.Number,
        DescriptionZh = "满意与基本满意所占比例，如 0.8；留空用社区设置（默认 0.8）",
        DescriptionEn = "The share of satisfied and basically satisfied, e.g. 0.8; empty means the community's setting (0.8 by default)")]
    public decimal? Threshold { get; set; }

    [Input("参评范围", "Who rates", UiHint = UiHints.Select, Options = ["building", "grid"],
        DescriptionZh = "building：事项所在楼栋的居民（没有楼栋时为网格）；grid：所在网格的居民。默认 building",
        DescriptionEn =
            "building: the residents of the matter's building (its grid when it has none); grid: the residents of its grid. Default building")]
    public string? Scope { get; set; }

    [Input("结果存入变量", "Store result in", UiHint = UiHints.Variable)]
    public string? OutputVariable { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var matterId = Guid.TryParse(context.GetVariable("matterId")?.ToString(), out var id) ? id
            : throw new InvalidOperationException("The workflow has no matterId variable naming a matter.");
        var matter = await db.Matters.AsNoTracking().FirstOrDefaultAsync(m => m.Id == matterId, ct)
            ?? throw new InvalidOperationException($"Matter {matterId} does not exist.");
        await (await InstanceScope.OfAsync(db, context)).EnsureMatterAsync(db, matter, InstanceScope.OpenRating, ct);
        var communityId = await db.OrgUnits.Where(o => o.Id == matter.GridId).Select(o => o.ParentId).FirstAsync(ct);
        var settings = await db.CommunitySettings.AsNoTracking().FirstOrDefaultAsync(s => s.CommunityId == communityId, ct);

        var window = Window ?? TimeSpan.FromDays(settings?.RatingDays ?? CommunitySettings.DefaultRatingDays);
        if (window <= TimeSpan.Zero) throw new InvalidOperationException("The rating window must be a positive duration.");
        var threshold = Threshold ?? settings?.RatingThreshold ?? CommunitySettings.DefaultRatingThreshold;
        if (threshold is <= 0 or > 1) throw new InvalidOperationException($"The threshold {threshold} is not a fraction in (0, 1].");
        var scopeId = Scope switch
        {
            null or "" or "building" => matter.BuildingId ?? matter.GridId,
            "grid" => matter.GridId,
            _ => throw new InvalidOperationException($"'{Scope}' is not building or grid."),
        };

        var last = await db.RatingRounds.Where(r => r.MatterId == matterId).MaxAsync(r => (int?)r.Round, ct) ?? 0;
        var now = context.Now;
        var round = new RatingRound(context.NewId(), matterId, scopeId, threshold, now, now + window, last + 1);
        db.RatingRounds.Add(round);
        context.ScheduleDeadline(RatingCloseHandler.KindName, round.Id, round.ClosesAt);
        // The residents who rate hear of it, with a link straight to the rating page.
        var scopePath = await db.OrgUnits.Where(o => o.Id == scopeId).Select(o => o.Path).FirstAsync(ct);
        var closes = Api.ChinaTime.Minutes(round.ClosesAt);
        var raters = await Meetings.MeetingAccess.ResidentsUnderAsync(db, scopePath, ct);
        Notifications.Notify.Send(db, raters, Notifications.NotificationKind.RatingOpened,
            $"请评价办理结果：{matter.Title}", $"Please rate the result: {matter.Title}",
            $"事项已办理完成，请在 {closes}（北京时间）前评价是否满意。", $"The work is done; please say whether you are satisfied by {closes} (Beijing time).",
            Notifications.Notify.Links.Rating(matter.Id), now);

        var waiting = new JsonObject
        {
            ["roundId"] = round.Id.ToString(), ["round"] = round.Round, ["closesAt"] = round.ClosesAt.ToString("O"),
            ["threshold"] = threshold
        };
        context.JournalData = waiting.DeepClone();
        return ActivityResult.Wait(DomainEvents.Await(DomainEvents.RatingClosed, round.Id, waiting));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        var outcome = payload?["outcome"]?.GetValue<string>();
        if (outcome is not ("satisfied" or "dissatisfied" or "noRatings"))
            throw new InvalidOperationException($"A closed round reports outcome '{outcome}', which is not satisfied, dissatisfied or noRatings.");
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, payload);
        context.JournalData = payload?.DeepClone();
        return new(ActivityResult.Done(outcome));
    }
}
