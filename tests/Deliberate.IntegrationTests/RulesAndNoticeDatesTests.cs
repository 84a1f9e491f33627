using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Scheduling;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// What an outside tester found in issue 15: rules of procedure adopted by the whole community, once, with the text voted
/// on; a custom rule stated in words; posting days that agree with when a notice comes down; a lawful demo ballot.
/// </summary>
public sealed class RulesAndNoticeDatesTests : AppTest
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected override TimeProvider? Clock => clock;

    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;
    const string RulesText = "第一条 本规则依据《民法典》制定。第二条 表决公告期为二十日。";
    static string Str(JsonNode? node) => node!.GetValue<string>();

    JsonObject Ballot(string kind, string rule, object? threshold = null, Guid? scope = null, string? description = null,
        string title = "制定业主大会议事规则") =>
        OwnersBallots.Announced(new
        {
            title, description, rule, kind, threshold, orgUnitId = scope ?? Xingfuli,
            closesAt = clock.GetUtcNow().AddDays(7)
        },
            clock.GetUtcNow());

    async Task<string> PassedRulesBallotAsync(Guid? scope = null)
    {
        var id = Str((await (await As("owners-committee")).PostJsonAsync("/api/ballots",
            Ballot("rules-of-procedure", "civil-code-278-ordinary", scope: scope, description: RulesText)))["id"]);
        await using var s = App.Services.CreateAsyncScope();
        var db = s.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        (await db.Ballots.SingleAsync(b => b.Id == Guid.Parse(id))).Close(clock.GetUtcNow(), TallyOutcome.Passed, "{}");
        await db.SaveChangesAsync();
        return id;
    }

    static string Url => $"/api/communities/{Xingfuli}/rules-of-procedure";

    [Fact]
    public async Task A_rules_ballot_of_one_building_cannot_set_the_whole_communitys_rules()
    {
        var building = await PassedRulesBallotAsync(DemoData.Ids.Building(Xingfuli, 3));
        await ProblemAssert.IsProblemAsync(await (await As("owners-committee")).PostAsJsonAsync(Url, new { ballotId = building, noticeDays = 20 }),
            HttpStatusCode.BadRequest, "notAdoptingBallot");
        await ProblemAssert.IsProblemAsync(await (await As("owners-committee")).GetAsync(Url), HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public async Task A_ballot_adopts_rules_once_and_the_text_recorded_is_the_text_the_owners_voted_on()
    {
        var committee = await As("owners-committee");
        var ballot = await PassedRulesBallotAsync();
        var other = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync(Url,
            new { ballotId = ballot, text = "第一条 另一份文本。", noticeDays = 20 }),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(other["errors"]!["text"]);

        // Left out, the text is the ballot's description; given, it must be that description.
        var recorded = await committee.PostJsonAsync(Url, new { ballotId = ballot, noticeDays = 20 });
        Assert.Equal(RulesText, Str(recorded["text"]));
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync(Url,
            new { ballotId = ballot, text = " " + RulesText + " ", noticeDays = 30 }),
            HttpStatusCode.Conflict, "ballotAlreadyAdopted");
        var current = await (await As("resident")).GetJsonAsync(Url);
        Assert.Equal(20, current["noticeDays"]!.GetValue<int>());
        Assert.Equal(RulesText, Str(current["text"]));
    }

    [Fact]
    public async Task A_custom_rules_quorum_and_threshold_are_stated_in_words_on_the_ballot_its_announcement_and_its_notice_pdf()
    {
        var committee = await As("owners-committee");
        var threshold = new { fraction = "3/5", @base = "participating", inclusive = true, quorum = new { fraction = "2/3", inclusive = true } };
        var ballot = await OwnersBallots.OpenAsync(App, committee,
            Ballot("property-service", "custom", threshold, description: "续聘幸福物业三年。", title: "是否同意续聘幸福物业"));
        var id = Str(ballot["id"]);
        var rule = ballot["ruleDescription"]!;
        Assert.Contains("3/5", Str(rule["pass"]!["textZh"]));
        Assert.Contains("3/5", Str(rule["pass"]!["textEn"]));
        Assert.Contains("2/3", Str(rule["quorum"]!["textZh"]));
        Assert.Contains("2/3", Str(rule["quorum"]!["textEn"]));

        var announcement = Assert.Single((await committee.GetJsonAsync("/api/notices?all=true")).AsArray(),
            n => n!["ballotId"]?.GetValue<string>() == id && Str(n["kind"]) == "ballotAnnouncement")!;
        var body = Str(announcement["body"]);
        Assert.DoesNotContain("见表决详情", body);
        Assert.Contains("参与条件：参与表决业主的专有部分面积和人数均不少于全体业主的 2/3", body);
        Assert.Contains("通过条件：同意业主的专有部分面积和人数均不少于参与表决业主的 3/5", body);
        Assert.Contains("事项类别：选聘和解聘物业服务企业或者其他管理人", body);

        clock.Advance(TimeSpan.FromDays(8));
        await using (var s = App.Services.CreateAsyncScope())
            await s.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == BallotCounting.DeadlineKind)
                .HandleAsync(Guid.Parse(id), CancellationToken.None);
        committee = await As("owners-committee"); // a new session after the days went by
        var pdf = Pdf.Text(await committee.GetPdfAsync($"/api/ballots/{id}/notice.pdf"));
        Assert.Contains("3/5", pdf);
        Assert.Contains("2/3", pdf);
        Assert.Contains("3/5", Pdf.Text(await committee.GetPdfAsync($"/api/ballots/{id}/notice.pdf?lang=en")));
    }

    static void AssertDaysAgree(JsonNode notice)
    {
        var first = DateOnly.Parse(Str(notice["firstDay"]));
        var last = DateOnly.Parse(Str(notice["lastDay"]));
        var until = notice["postedUntil"]!.GetValue<DateTimeOffset>();
        Assert.Equal(ChinaTime.Today(notice["postedAt"]!.GetValue<DateTimeOffset>()), first);
        Assert.Equal(ChinaTime.Today(until.AddTicks(-1)), last); // the last day printed is the last day it is up
        Assert.Equal(last.DayNumber - first.DayNumber + 1, notice["postingDays"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_notices_last_day_and_posting_days_agree_with_when_it_comes_down_and_a_posting_of_days_ends_at_midnight()
    {
        var secretary = await As("secretary");
        var posted = await secretary.PostJsonAsync("/api/notices",
            new { orgUnitId = Xingfuli, kind = "decision", title = "停车划线决定", body = "重新施划停车位。", days = 7 });
        AssertDaysAgree(posted);
        Assert.Equal(7, posted["postingDays"]!.GetValue<int>());
        Assert.Equal(ChinaTime.EndOf(DateOnly.Parse(Str(posted["lastDay"]))), posted["postedUntil"]!.GetValue<DateTimeOffset>());

        // The announcement is up until the ballot closes; the result notice 7 whole days from the close.
        var committee = await As("owners-committee");
        var ballot = await OwnersBallots.OpenAsync(App, committee, Ballot("property-service", "civil-code-278-ordinary", title: "是否同意续聘幸福物业"));
        var id = Str(ballot["id"]);
        var announcement = Assert.Single((await committee.GetJsonAsync("/api/notices?all=true")).AsArray(),
            n => n!["ballotId"]?.GetValue<string>() == id && Str(n["kind"]) == "ballotAnnouncement")!;
        AssertDaysAgree(announcement);
        Assert.Equal(ChinaTime.Today(ballot["closesAt"]!.GetValue<DateTimeOffset>()), DateOnly.Parse(Str(announcement["lastDay"])));

        clock.Advance(TimeSpan.FromDays(8));
        await using (var s = App.Services.CreateAsyncScope())
            await s.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == BallotCounting.DeadlineKind)
                .HandleAsync(Guid.Parse(id), CancellationToken.None);
        committee = await As("owners-committee");
        var result = Assert.Single((await committee.GetJsonAsync("/api/notices?all=true")).AsArray(),
            n => n!["ballotId"]?.GetValue<string>() == id && Str(n["kind"]) == "ballotResult")!;
        AssertDaysAgree(result);
        Assert.Equal(7, result["postingDays"]!.GetValue<int>());
        var pdf = Pdf.Text(await committee.GetPdfAsync($"/api/ballots/{id}/notice.pdf"));
        var last = DateOnly.Parse(Str(result["lastDay"]));
        Assert.Contains($"{last.Month}月{last.Day}日", pdf);
    }

    [Fact]
    public async Task The_demos_closed_elevator_ballot_was_announced_fifteen_full_days_before_it_opened_after_the_meeting_that_decided_it()
    {
        var committee = await As("owners-committee");
        var closed = (await committee.GetJsonAsync("/api/ballots?status=closed"))["items"]!.AsArray()
            .Single(b => Str(b!["title"]).Contains("3号楼加装电梯"))!;
        var announced = closed["announcedAt"]!.GetValue<DateTimeOffset>();
        var opens = closed["opensAt"]!.GetValue<DateTimeOffset>();
        Assert.True(ChinaTime.Today(opens).DayNumber - ChinaTime.Today(announced).DayNumber > RulesOfProcedure.LawNoticeDays);
        Assert.True(closed["closesAt"]!.GetValue<DateTimeOffset>() < clock.GetUtcNow());
        var meeting = await committee.GetJsonAsync($"/api/meetings/{Str(closed["meetingId"])}");
        Assert.True(meeting["startsAt"]!.GetValue<DateTimeOffset>() < announced);

        var pdf = Pdf.Text(await committee.GetPdfAsync($"/api/ballots/{Str(closed["id"])}/notice.pdf"));
        var day = announced.ToOffset(ChinaTime.Offset);
        Assert.Contains($"公告日期", pdf);
        Assert.Contains($"{day.Year}年{day.Month}月{day.Day}日", pdf);
        Assert.Contains((await committee.GetJsonAsync("/api/notices?all=true")).AsArray(),
            n => n!["ballotId"]?.GetValue<string>() == Str(closed["id"]) && Str(n["kind"]) == "ballotAnnouncement");
    }
}
