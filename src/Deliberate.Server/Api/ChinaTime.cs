using System.Globalization;

namespace Deliberate.Server.Api;

/// <summary>
/// China Standard Time (UTC+8, no daylight saving): where dates such as a resolution's 完成时限 are meant and how
/// times are written in messages and documents. Instants are stored in UTC (PostgreSQL insists); this is the one
/// place that knows the offset and the formats.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The same instant with China's offset, for reading its local date and clock time.</summary>
    public static DateTimeOffset Local(DateTimeOffset at) => at.ToOffset(Offset);

    /// <summary>The first instant of a day in China, in UTC.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    /// <summary>The end of a day in China (the first instant of the next), e.g. a deadline "by 30 June".</summary>
    public static DateTimeOffset EndOf(DateOnly day) => StartOf(day.AddDays(1));

    /// <summary>
    /// The day a deadline is the end of, when it is one (midnight in China, as <see cref="EndOf"/> makes it): shown as that
    /// date, never as "00:00" of the next. Null for a deadline at another time of day, which is shown with its time.
    /// </summary>
    public static DateOnly? DueDay(DateTimeOffset deadline) =>
        Local(deadline).TimeOfDay == TimeSpan.Zero ? Today(deadline).AddDays(-1) : null;

    /// <summary>The day it is in China at this instant.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(Local(now).DateTime);

    /// <summary>"2026-12-21 09:00": minutes, notifications and rule messages.</summary>
    public static string Minutes(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// A deadline in a message: "2026-12-20" when it is the end of that China day (<see cref="DueDay"/>: a date-only deadline), else
    /// "2026-12-20 15:00". Never "2026-12-21 00:00", which reads a day late.
    /// </summary>
    public static string Deadline(DateTimeOffset deadline) =>
        DueDay(deadline) is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Minutes(deadline);

    /// <summary>
    /// The last moment of a period (a ballot's close, a notice's end) in the notices' style: the end of a China day is written as that
    /// day's 24:00, "2027年1月5日 24:00", never "2027年1月6日 00:00" (an elderly owner would think voting is open on the 6th).
    /// The web writes the same ("2027/01/05 24:00", shared/format.ts formatUntil).
    /// </summary>
    public static string ChineseUntil(DateTimeOffset end) =>
        DueDay(end) is { } day ? $"{day.Year}年{day.Month}月{day.Day}日 24:00" : ChineseDateTime(end);

    /// <summary><see cref="ChineseUntil"/> in the <see cref="Minutes"/> style: "2027-01-05 24:00".</summary>
    public static string MinutesUntil(DateTimeOffset end) =>
        DueDay(end) is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 24:00" : Minutes(end);

    /// <summary>"2026年12月21日 09:00": how dates read in the ballot notices and their errors.</summary>
    public static string ChineseDateTime(DateTimeOffset at)
    {
        var local = Local(at);
        return $"{local.Year}年{local.Month}月{local.Day}日 {local.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>"21 December 2026 09:00 (Beijing time)": the English counterpart of <see cref="ChineseDateTime"/>.</summary>
    public static string EnglishDateTime(DateTimeOffset at) =>
        Local(at).ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture) + " (Beijing time)";
}
