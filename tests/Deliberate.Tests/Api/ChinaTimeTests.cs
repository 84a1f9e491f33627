using Deliberate.Server.Api;

namespace Deliberate.Tests.Api;

public class ChinaTimeTests
{
    [Fact]
    public void The_day_in_China_turns_at_16_00_UTC()
    {
        Assert.Equal(new DateOnly(2026, 12, 31), ChinaTime.Today(new DateTimeOffset(2026, 12, 31, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2027, 1, 1), ChinaTime.Today(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Around_UTC_midnight_it_is_already_the_next_morning_in_China()
    {
        Assert.Equal(new DateOnly(2026, 3, 2), ChinaTime.Today(new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 2), ChinaTime.Today(new DateTimeOffset(2026, 3, 2, 0, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_day_in_China_starts_at_16_00_UTC_the_day_before_and_ends_where_the_next_starts()
    {
        var day = new DateOnly(2026, 3, 1);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 16, 0, 0, TimeSpan.Zero), ChinaTime.StartOf(day));
        Assert.Equal(TimeSpan.Zero, ChinaTime.StartOf(day).Offset); // stored instants are UTC (PostgreSQL insists)
        Assert.Equal(ChinaTime.StartOf(day.AddDays(1)), ChinaTime.EndOf(day));
        Assert.Equal(day, ChinaTime.Today(ChinaTime.StartOf(day)));
        Assert.Equal(day, ChinaTime.Today(ChinaTime.EndOf(day).AddTicks(-1)));
    }

    [Fact]
    public void Times_are_written_in_China_time_whatever_offset_they_carry()
    {
        var at = new DateTimeOffset(2026, 12, 20, 17, 5, 0, TimeSpan.Zero); // 01:05 on the 21st in Beijing
        Assert.Equal("2026-12-21 01:05", ChinaTime.Minutes(at));
        Assert.Equal("2026年12月21日 01:05", ChinaTime.ChineseDateTime(at));
        Assert.Equal("21 December 2026 01:05 (Beijing time)", ChinaTime.EnglishDateTime(at));
        Assert.Equal(ChinaTime.Minutes(at), ChinaTime.Minutes(at.ToOffset(TimeSpan.FromHours(-5))));
    }

    [Fact]
    public void A_deadline_at_the_end_of_a_China_day_is_due_that_day_and_one_at_another_time_has_no_due_day()
    {
        var day = new DateOnly(2026, 12, 20);
        Assert.Equal(day, ChinaTime.DueDay(ChinaTime.EndOf(day))); // not "2026/12/21 00:00"
        Assert.Equal(day, ChinaTime.DueDay(ChinaTime.EndOf(day).ToOffset(TimeSpan.FromHours(-5))));
        Assert.Null(ChinaTime.DueDay(ChinaTime.EndOf(day).AddMinutes(-1)));
        Assert.Null(ChinaTime.DueDay(new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero))); // midnight UTC is 08:00 in China
    }
}
