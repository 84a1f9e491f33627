using System.Globalization;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Api;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The outside tester's second pass over issue 17: the ballot announcement says what the owners vote on, date-only deadlines and
/// period ends read as their day, a meeting's time needs its hour, a draft's new time is not a public 改期, and refusals speak
/// Chinese without codes or JSON paths.
/// </summary>
public sealed class TesterSecondPassTests : AppTest
{
    static string Str(JsonNode? node) => node!.GetValue<string>();
    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;

    /// <summary>A day two weeks ahead in China, as a person writes a date-only deadline.</summary>
    static DateOnly InTwoWeeks() => ChinaTime.Today(DateTimeOffset.UtcNow).AddDays(14);

    [Fact]
    public async Task The_ballot_announcement_a_resident_reads_carries_the_proposal_its_reason_cost_and_proposer_and_ends_on_its_day_at_24()
    {
        var committee = await As("owners-committee");
        var body = OwnersBallots.Announced(new
        {
            title = "3号楼门口路灯不亮", proposal = "使用公共收益约3200元更换路灯", reason = "路灯不亮，老人夜间出行不便", cost = 3200m,
            proposedBy = "周主任", rule = "civil-code-278-ordinary", kind = "other-major-matter", orgUnitId = Xingfuli,
        }, DateTimeOffset.UtcNow);
        // Voting until the end of a China day, written as a date: the notice must not say it runs into the next day.
        var lastDay = ChinaTime.Today(body["opensAt"]!.GetValue<DateTimeOffset>()).AddDays(7);
        body["closesAt"] = lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ballot = await committee.PostJsonAsync("/api/ballots", body);

        var notices = (await (await As("resident")).GetJsonAsync("/api/notices?all=true")).AsArray();
        var notice = Assert.Single(notices, n => Str(n!["kind"]) == "ballotAnnouncement" && n!["ballotId"]?.GetValue<string>() == Str(ballot["id"]))!;
        var text = Str(notice["body"]);
        Assert.Contains("表决议案：使用公共收益约3200元更换路灯", text);
        Assert.Contains("提议理由：路灯不亮，老人夜间出行不便", text);
        Assert.Contains("预计费用：3,200 元", text);
        Assert.Contains("提议人：周主任", text);
        Assert.Contains($"至 {lastDay.Year}年{lastDay.Month}月{lastDay.Day}日 24:00", text);
        Assert.DoesNotContain("00:00（北京时间）", text);
    }

    [Fact]
    public async Task The_property_company_is_told_a_date_only_deadline_as_that_day_not_midnight_of_the_next()
    {
        var day = InTwoWeeks();
        var secretary = await As("secretary");
        await secretary.PostJsonAsync("/api/work-items", new
        {
            title = "更换3号楼门口路灯", responsibleUnit = "物业公司", level = "community", orgUnitId = Xingfuli, role = "propertyCompany",
            deadline = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        var told = Assert.Single((await (await As("property")).GetJsonAsync("/api/notifications")).AsArray(),
            n => Str(n!["title"]) == "新工作事项：更换3号楼门口路灯")!;
        Assert.Contains($"完成时限：{day:yyyy-MM-dd}（北京时间）", Str(told["body"]));
        Assert.DoesNotContain("00:00", Str(told["body"]));
    }

    [Theory]
    [InlineData("POST", "create")]
    [InlineData("PUT", "edit")]
    [InlineData("POST", "reschedule")]
    public async Task A_meeting_time_given_as_a_bare_date_is_refused_naming_the_field_in_chinese(string method, string what)
    {
        var secretary = await As("secretary");
        var meeting = await secretary.PostJsonAsync("/api/meetings", new
        {
            // Whole minutes: PostgreSQL keeps microseconds, so a finer time would read back shorter than it was written.
            type = "fourParty", orgUnitId = Xingfuli, title = "四方联席会议", place = "议事厅",
            startsAt = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(3).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero),
        });
        var id = Str(meeting["id"]);
        var date = InTwoWeeks().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var revision = meeting["revision"]!.GetValue<int>();
        var (url, body) = what switch
        {
            "create" => ("/api/meetings", (object)new { type = "fourParty", orgUnitId = Xingfuli, title = "四方联席会议", place = "议事厅", startsAt = date }),
            "edit" => ($"/api/meetings/{id}", new { title = "四方联席会议", place = "议事厅", startsAt = date, revision }),
            _ => ($"/api/meetings/{id}/reschedule", new { startsAt = date, reason = "改期", revision }),
        };
        var response = await secretary.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(body) });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("开会时间需要具体到时分。", Str(problem["errors"]!["startsAt"]![0]));
        Assert.Equal(meeting["startsAt"]!.ToString(), (await secretary.GetJsonAsync($"/api/meetings/{id}"))["startsAt"]!.ToString());
    }

    [Fact]
    public async Task A_ballot_opening_given_as_a_bare_date_is_refused_but_a_closing_date_is_the_end_of_that_day()
    {
        var committee = await As("owners-committee");
        var body = OwnersBallots.Announced(new
        {
            title = "3号楼门口路灯不亮", proposedBy = "周主任", rule = "civil-code-278-ordinary", kind = "other-major-matter", orgUnitId = Xingfuli,
        }, DateTimeOffset.UtcNow);
        body["opensAt"] = InTwoWeeks().AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var problem = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots", body),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("开始投票时间需要具体到时分。", Str(problem["errors"]!["opensAt"]![0]));
    }

    [Fact]
    public async Task Moving_a_draft_meeting_is_an_edit_no_notice_line_no_rescheduled_flag_and_nobody_told()
    {
        var secretary = await As("secretary");
        var draft = await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = Xingfuli, title = "四方联席会议", place = "议事厅", startsAt = DateTimeOffset.UtcNow.AddDays(3),
            chairName = "刘书记", recorderName = "孙主任",
        });
        var id = Str(draft["id"]);
        var moved = await secretary.PostJsonAsync($"/api/meetings/{id}/reschedule",
            new { startsAt = DateTimeOffset.UtcNow.AddDays(4), reason = "改到周五", revision = draft["revision"]!.GetValue<int>() });
        Assert.Equal("draft", Str(moved["state"]));
        Assert.Empty(moved["notices"]!.AsArray());
        foreach (var user in new[] { "residents-committee", "owners-committee", "property" })
            Assert.DoesNotContain((await (await As(user)).GetJsonAsync("/api/notifications")).AsArray(), n => Str(n!["title"]).StartsWith("会议改期"));

        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "3号楼门口路灯不亮" });
        // A four-party meeting is noticed only with someone of each of the four parties invited.
        foreach (var (party, name) in new[]
        {
            ("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"), ("propertyCompany", "吴经理"),
        })
            await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party, name });
        var convened = await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        Assert.Equal(["convened"], convened["notices"]!.AsArray().Select(n => Str(n!["kind"])));
    }

    [Fact]
    public async Task A_work_item_for_a_resident_names_the_staff_roles_in_chinese()
    {
        var problem = await ProblemAssert.IsProblemAsync(await (await As("secretary")).PostAsJsonAsync("/api/work-items", new
        {
            title = "更换路灯", responsibleUnit = "物业", level = "community", orgUnitId = Xingfuli, role = "resident",
            deadline = DateTimeOffset.UtcNow.AddDays(3),
        }), HttpStatusCode.BadRequest, "validation");
        var message = Str(problem["errors"]!["role"]![0]);
        Assert.Contains("网格员", message);
        Assert.Contains("物业公司", message);
        Assert.DoesNotMatch("[A-Za-z]{3,}", message);
    }

    [Fact]
    public async Task A_malformed_value_is_named_under_errors_by_its_field_and_the_message_has_no_json_path()
    {
        var response = await (await As("secretary")).PostAsync("/api/meetings",
            new StringContent("""{"type":"fourParty","title":"会","startsAt":"下周三"}""", System.Text.Encoding.UTF8, "application/json"));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "badJson");
        Assert.Equal("请求中有字段的值无法读取（类型或格式不对）。", Str(problem["detail"]));
        Assert.NotNull(problem["errors"]!["startsAt"]);
        Assert.DoesNotContain("$", problem.ToJsonString());
    }
}
