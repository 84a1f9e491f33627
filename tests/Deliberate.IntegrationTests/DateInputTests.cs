using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Api;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// How request bodies' dates are read: people in China write a time without an offset and a deadline as a date
/// alone. A time without an offset is China time (it was read as UTC and moved a meeting by eight hours), a date alone
/// is the end of that day in China (a work item's deadline "2026-12-20" had become 08:00 that morning).
/// </summary>
public sealed class DateInputTests : AppTest
{
    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_work_items_deadline_written_as_a_date_is_met_until_midnight_in_China_and_shown_as_that_date()
    {
        var due = ChinaTime.Today(DateTimeOffset.UtcNow).AddDays(14);
        var secretary = await As("secretary");
        var created = await secretary.PostJsonAsync("/api/work-items", new
        {
            title = "更换3号楼门口路灯", responsibleUnit = "物业公司", level = "grid", orgUnitId = DemoData.Ids.XingfuliGrid1,
            deadline = Day(due), role = "propertyCompany",
        });

        var item = await secretary.GetJsonAsync($"/api/work-items/{created["id"]}");
        Assert.Equal(ChinaTime.EndOf(due), item["deadline"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Day(due), item["dueDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_meeting_time_written_without_an_offset_is_China_time()
    {
        var day = ChinaTime.Today(DateTimeOffset.UtcNow).AddDays(10);
        var secretary = await As("secretary");
        var created = await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = $"{Day(day)}T15:00:00", chairName = "刘书记", recorderName = "孙主任",
        });

        var meeting = await secretary.GetJsonAsync($"/api/meetings/{created["id"]}");
        Assert.Equal(new DateTimeOffset(day.ToDateTime(new TimeOnly(15, 0)), ChinaTime.Offset),
            meeting["startsAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00", "dateOutOfRange")]
    [InlineData("9999-12-31T23:59:59", "dateOutOfRange")]
    [InlineData("0001-01-01", "dateOutOfRange")]
    [InlineData("2026-13-01", "badJson")]
    public async Task A_date_without_an_offset_outside_the_domains_range_or_not_a_date_is_refused_naming_the_field(string written, string code)
    {
        var secretary = await As("secretary");
        var before = (await secretary.GetJsonAsync("/api/work-items"))["total"]!.GetValue<int>();

        var refused = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/work-items", new
        {
            title = "更换路灯", responsibleUnit = "物业公司", level = "grid", orgUnitId = DemoData.Ids.XingfuliGrid1,
            deadline = written, role = "propertyCompany",
        }), HttpStatusCode.BadRequest, code);

        Assert.NotNull(refused["errors"]!["deadline"]); // named under errors, not as a JSON path in the message
        Assert.DoesNotContain("$", refused["detail"]!.GetValue<string>());
        Assert.Equal(before, (await secretary.GetJsonAsync("/api/work-items"))["total"]!.GetValue<int>());
    }
}
