using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Meetings;
using Deliberate.Server.ReviewCycles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>Review cycles over HTTP on a fake clock: their schedule, who may keep them, and what a firing drafts.</summary>
public sealed class ReviewCycleTests : AppTest
{
    // A Monday, 08:00 in Beijing: the first Tuesday of December 2026 is the 1st.
    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
    protected override TimeProvider? Clock => clock;

    static string Str(JsonNode? node) => node!.GetValue<string>();
    static string Id(JsonNode node) => Str(node["id"]);

    async Task<Meeting?> FireAsync(string cycleId, DateTimeOffset firedFor)
    {
        // What the cycle's Quartz trigger does when it fires (the fake clock's tests run it themselves).
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewCycleFiring>().FireAsync(Guid.Parse(cycleId), firedFor, CancellationToken.None);
    }

    [Fact]
    public async Task The_demo_community_has_a_monthly_joint_meeting_on_the_first_Tuesday_at_three_and_a_weekly_one()
    {
        var cycles = (await (await As("secretary")).GetJsonAsync("/api/review-cycles")).AsArray();
        var monthly = cycles.Single(c => Str(c!["cron"]) == "0 0 15 ? * TUE#1")!;
        Assert.Equal(("fourParty", "Asia/Shanghai", DemoData.Ids.Xingfuli.ToString()),
            (Str(monthly["meetingType"]), Str(monthly["timeZone"]), Str(monthly["communityId"])));
        Assert.Equal(["2026-12-01T15:00:00+08:00", "2027-01-05T15:00:00+08:00", "2027-02-02T15:00:00+08:00", "2027-03-02T15:00:00+08:00",
            "2027-04-06T15:00:00+08:00"],
            monthly["nextFirings"]!.AsArray().Select(f => Str(f)));
        Assert.Contains(cycles, c => Str(c!["cron"]) == "0 0 9 ? * MON");
        Assert.Empty((await (await As("hp-secretary")).GetJsonAsync("/api/review-cycles")).AsArray());
    }

    [Fact]
    public async Task A_firing_drafts_a_meeting_with_open_major_matters_overdue_work_and_the_last_resolutions_and_a_skip_date_skips()
    {
        var secretary = await As("secretary");
        var secretaryId = Id(await secretary.GetJsonAsync("/api/auth/me"));
        // A major matter (the shipped workflow leaves it with the party secretary) and a work item that will run overdue.
        var major = await RaiseAsync(await As("resident"), "3号楼加装电梯", XingfuliGrid2);
        await CompleteAsync(await As("gridworker2"), Id(major), "major", new { verified = true, note = "需社区议事" });
        await secretary.PostJsonAsync("/api/work-items", new
        {
            title = "清理东门消防通道", responsibleUnit = "物业公司", level = "community", orgUnitId = DemoData.Ids.Xingfuli,
            deadline = clock.GetUtcNow().AddHours(2),
        });
        var created = await secretary.PostJsonAsync("/api/review-cycles", new
        {
            communityId = DemoData.Ids.Xingfuli, name = "月度四方联席会议", meetingType = "fourParty", cron = "0 0 15 ? * TUE#1",
            skipDates = new[] { "2027-01-05" }, convenerUserId = secretaryId,
        });
        Assert.Equal(["2026-12-01T15:00:00+08:00", "2027-02-02T15:00:00+08:00"], created["nextFirings"]!.AsArray().Take(2).Select(f => Str(f)));
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var trigger = await scope.ServiceProvider.GetRequiredService<ReviewCycleScheduler>().TriggerAsync(Guid.Parse(Id(created)));
            Assert.NotNull(trigger); // a Quartz cron trigger in the store, in the cycle's time zone
            Assert.Equal(("0 0 15 ? * TUE#1", "Asia/Shanghai"), (trigger!.CronExpressionString, trigger.TimeZone.Id));
        }

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(7)); // 15:00 on Tuesday 1 December
        secretary = await As("secretary"); // a day later: sign in again
        var first = await FireAsync(Id(created), new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.FromHours(8)));
        Assert.NotNull(first);
        Assert.Null(await FireAsync(Id(created), new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.FromHours(8)))); // the same firing again: nothing

        var meeting = await secretary.GetJsonAsync($"/api/meetings/{first!.Id}");
        Assert.Equal("draft", Str(meeting["state"]));
        Assert.Equal("刘书记", Str(meeting["chairName"]));
        var agenda = meeting["agenda"]!.AsArray().Select(a => Str(a!["title"])).ToList();
        Assert.Equal(["重大事项：3号楼加装电梯", "逾期工作事项：清理东门消防通道（物业公司）"], agenda);
        Assert.Equal(Id(major), Str(meeting["agenda"]![0]!["matterId"]));
        var notes = (await (await As("secretary")).GetJsonAsync("/api/notifications")).AsArray();
        Assert.Contains(notes, n => Str(n!["kind"]) == "reviewCycle" && Str(n!["link"]) == $"/console/meetings/{first.Id}");

        // The meeting is held and makes a resolution; the next firing (January's is a skip date) follows it up.
        var id = first.Id;
        var residentsCommittee = Id(await (await As("residents-committee")).GetJsonAsync("/api/auth/me"));
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}", new
        {
            title = Str(meeting["title"]), place = "社区红色议事厅", startsAt = clock.GetUtcNow().AddMinutes(10), chairUserId = secretaryId,
            recorderUserId = residentsCommittee,
        })).IsSuccessStatusCode);
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        var participants = (await secretary.GetJsonAsync($"/api/meetings/{id}"))["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray());
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance",
            participants.Select(p => new { participantId = Id(p!), attendance = "present" }).ToArray())).IsSuccessStatusCode);
        // A four-party resolution records every present party's position and the consensus.
        var parties = participants.Where(p => Str(p!["role"]) == "member").Select(p => Str(p!["party"])).Distinct().ToArray();
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            text = "东门消防通道每周巡查一次", responsibleUnit = "物业公司", deadline = "2026-12-31", consensus = true,
            positions = parties.Select(party => new { party, position = "agree" }).ToArray(),
        });
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });

        clock.Advance(TimeSpan.FromDays(35));
        Assert.Null(await FireAsync(Id(created), new DateTimeOffset(2027, 1, 5, 15, 0, 0, TimeSpan.FromHours(8)))); // skip date: no meeting
        clock.Advance(TimeSpan.FromDays(28));
        var second = await FireAsync(Id(created), new DateTimeOffset(2027, 2, 2, 15, 0, 0, TimeSpan.FromHours(8)));
        var next = await (await As("secretary")).GetJsonAsync($"/api/meetings/{second!.Id}");
        Assert.Contains("上次会议议定事项跟进：东门消防通道每周巡查一次", next["agenda"]!.AsArray().Select(a => Str(a!["title"])));
    }

    [Theory]
    [InlineData("* * * * * ?")]        // every second
    [InlineData("0 * * * * ?")]        // every minute
    [InlineData("0 0 9,15 ? * MON")]   // twice on Mondays
    [InlineData("0 0/30 9 1 * ?")]     // twice on the first of the month
    public async Task A_cycle_that_fires_more_often_than_once_a_day_is_refused_naming_the_cron(string cron)
    {
        var committee = await As("residents-committee");
        var body = new { communityId = DemoData.Ids.Xingfuli, name = "太频繁", meetingType = "fourParty", cron };
        var bad = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/review-cycles", body),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(bad["errors"]!["cron"]);
        Assert.DoesNotContain((await committee.GetJsonAsync("/api/review-cycles")).AsArray(), c => Str(c!["name"]) == "太频繁");

        // Nor can an accepted cycle be edited into one.
        var daily = await committee.PostJsonAsync("/api/review-cycles", body with { name = "日联", cron = "0 30 8 * * ?" });
        var edit = await committee.PutAsJsonAsync($"/api/review-cycles/{Id(daily)}", body with { name = "日联" });
        Assert.NotNull((await ProblemAssert.IsProblemAsync(edit, HttpStatusCode.BadRequest, "validation"))["errors"]!["cron"]);
    }

    [Fact]
    public async Task Only_the_communitys_staff_keep_its_cycles_and_bad_input_is_a_problem_per_field()
    {
        var body = new { communityId = DemoData.Ids.Xingfuli, name = "周会", meetingType = "fourParty", cron = "0 0 9 ? * MON" };
        await ProblemAssert.IsProblemAsync(await (await As("resident")).PostAsJsonAsync("/api/review-cycles", body),
            HttpStatusCode.Forbidden, "notCommunityStaff");
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).PostAsJsonAsync("/api/review-cycles", body),
            HttpStatusCode.Forbidden, "notCommunityStaff");
        var committee = await As("residents-committee");
        var cycle = await committee.PostJsonAsync("/api/review-cycles", body);
        Assert.Equal("Asia/Shanghai", Str(cycle["timeZone"]));
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).GetAsync($"/api/review-cycles/{Id(cycle)}"),
            HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await (await As("gridworker")).PostAsJsonAsync($"/api/review-cycles/{Id(cycle)}/pause", new { }),
            HttpStatusCode.NotFound, "notFound");

        var bad = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/review-cycles", new
        {
            communityId = DemoData.Ids.Xingfuli, name = "", meetingType = "tea", cron = "every monday", timeZone = "Mars/Olympus",
            skipDates = new[] { "2026-10-01", "1 Oct" },
        }), HttpStatusCode.BadRequest, "validation");
        foreach (var field in new[] { "name", "meetingType", "cron", "timeZone", "skipDates[1]" }) Assert.NotNull(bad["errors"]![field]);
        Assert.Null(bad["errors"]!["skipDates[0]"]);

        var paused = await committee.PostJsonAsync($"/api/review-cycles/{Id(cycle)}/pause", new { });
        Assert.True(paused["paused"]!.GetValue<bool>());
        Assert.Empty(paused["nextFirings"]!.AsArray());
        Assert.Null(await FireAsync(Id(cycle), clock.GetUtcNow().AddDays(1)));
        Assert.Equal(5, (await committee.PostJsonAsync($"/api/review-cycles/{Id(cycle)}/resume", new { }))["nextFirings"]!.AsArray().Count);
        var edited = await (await committee.PutAsJsonAsync($"/api/review-cycles/{Id(cycle)}", body with { name = "季度研究会", cron = "0 0 9 1 1/3 ?" }))
            .JsonAsync();
        Assert.Equal(("季度研究会", "2027-01-01T09:00:00+08:00"), (Str(edited["name"]), Str(edited["nextFirings"]![0])));
        Assert.Equal(HttpStatusCode.NoContent, (await committee.DeleteAsync($"/api/review-cycles/{Id(cycle)}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await committee.GetAsync($"/api/review-cycles/{Id(cycle)}"), HttpStatusCode.NotFound, "notFound");
    }
}
