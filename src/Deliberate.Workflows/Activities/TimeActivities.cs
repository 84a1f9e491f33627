using System.Globalization;
using System.Text.Json.Nodes;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Workflows.Activities;

/// <summary>The bookmark name of every activity that waits for a time; the host schedules it.</summary>
public static class TimerBookmarks
{
    public const string Name = "Timer";
}

[Activity("Delay", "Time", "延时", "Delay", DescriptionZh = "等待一段时间后继续。", DescriptionEn = "Waits for a while, then goes on.")]
[Outcome("Done", "完成", "Done")]
public sealed class Delay : Activity
{
    [Input("时长", "Duration", UiHint = UiHints.Duration, Required = true, DescriptionZh = "等待多久，如 1 小时、3 天",
        DescriptionEn = "An ISO 8601 duration, e.g. PT1H or P3D")]
    public TimeSpan Duration { get; set; }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        new(ActivityResult.Wait(new BookmarkRequest(TimerBookmarks.Name, DueAt: context.Now + Duration)));

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload) =>
        new(ActivityResult.Done("Done"));
}

[Activity("Timer", "Time", "定时", "Timer", DescriptionZh = "等到某个时刻后继续；时刻已过则立即继续。",
    DescriptionEn = "Waits until a moment; goes on at once if it has passed.")]
[Outcome("Done", "完成", "Done")]
public sealed class Timer : Activity
{
    [Input("时刻", "At", UiHint = UiHints.Script, Required = true,
        DescriptionZh = "JavaScript 表达式，值为 ISO 8601 时间，如 variables.meetingAt",
        DescriptionEn = "A JavaScript expression giving an ISO 8601 time, e.g. variables.meetingAt")]
    public string At { get; set; } = "";

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var value = WaitForEvent.ScalarText(context.Evaluate(At));
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            throw new FormatException($"The timer's time '{value}' is not a date and time.");
        return new(at <= context.Now
            ? ActivityResult.Done("Done")
            : ActivityResult.Wait(new BookmarkRequest(TimerBookmarks.Name, DueAt: at)));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload) =>
        new(ActivityResult.Done("Done"));
}
