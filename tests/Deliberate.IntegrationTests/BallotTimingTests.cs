using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Deliberate.Server.Voting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// An owners' ballot is announced with its agenda, rule, dates and organiser at least 15 days before voting opens, never
/// backdated, open for a minimum period, opened and closed by scheduled deadlines; organised by the owners' committee, or
/// where there is none by the residents' committee under the street's guidance.
/// </summary>
public sealed class BallotTimingTests : AppTest
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected override TimeProvider? Clock => clock;

    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;
    static readonly Guid Heping = DemoData.Ids.Heping;

    object Body(Guid scope, DateTimeOffset? opensAt, DateTimeOffset closesAt, string title = "是否同意使用公共收益更换3号楼门口路灯") => new
    {
        title,
        description = "3号楼门口两盏路灯损坏，拟由公共收益列支更换费用约2400元。",
        proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary", kind = "other-major-matter",
        orgUnitId = scope,
        secret = true,
        allowRevote = true,
        opensAt,
        closesAt,
    };

    static string Str(JsonNode? node) => node!.GetValue<string>();

    async Task<JsonNode> AnnounceAsync(string user = "owners-committee", Guid? scope = null)
    {
        var opensAt = clock.GetUtcNow().AddDays(16);
        var response = await (await As(user)).PostAsJsonAsync("/api/ballots", Body(scope ?? Xingfuli, opensAt, opensAt.AddDays(7)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task A_ballot_backdated_to_open_in_the_past_is_refused()
    {
        var now = clock.GetUtcNow();
        var response = await (await As("owners-committee"))
            .PostAsJsonAsync("/api/ballots", Body(Xingfuli, now.AddDays(-20), now.AddDays(-20).AddSeconds(70)));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(problem["errors"]!["opensAt"]);
    }

    [Fact]
    public async Task An_owners_ballot_announced_less_than_fifteen_days_ahead_or_with_no_opening_is_refused_naming_the_earliest_date()
    {
        var now = clock.GetUtcNow();
        var committee = await As("owners-committee");
        var soon = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots",
            Body(Xingfuli, now.AddDays(10), now.AddDays(20))),
            HttpStatusCode.BadRequest, "validation");
        // 民法典 Art. 201: the day of announcement is not counted; the 15 whole days after it must be over.
        var earliest = OwnersBallots.OpeningAfterNotice(now).ToOffset(TimeSpan.FromHours(8));
        Assert.Equal(TimeSpan.Zero, earliest.TimeOfDay);
        Assert.Equal(DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).Date).AddDays(16), DateOnly.FromDateTime(earliest.Date));
        var message = Str(soon["errors"]!["opensAt"]![0]);
        Assert.Contains("15", message);
        Assert.Contains($"{earliest.Month}月{earliest.Day}日", message);

        var english = await As("owners-committee", "en");
        var en = await ProblemAssert.IsProblemAsync(await english.PostAsJsonAsync("/api/ballots", Body(Xingfuli, now.AddDays(14), now.AddDays(20))),
            HttpStatusCode.BadRequest, "validation");
        Assert.Contains("at least 15 days", Str(en["errors"]!["opensAt"]![0]));

        // Half a minute short of 15 days — and a whole 15 days that end before the 16th day begins — are both too short.
        var almost = now.AddDays(15).AddSeconds(-30);
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots", Body(Xingfuli, almost, almost.AddDays(7))),
            HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots",
            Body(Xingfuli, earliest.AddSeconds(-1), earliest.AddDays(7))),
            HttpStatusCode.BadRequest, "validation");
        // (sent with the +08:00 offset a Beijing client uses: PostgreSQL keeps UTC instants, the server must convert)
        Assert.Equal(HttpStatusCode.Created,
            (await committee.PostAsJsonAsync("/api/ballots", Body(Xingfuli, earliest, earliest.AddDays(7)))).StatusCode);

        var omitted = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots", Body(Xingfuli, null, now.AddDays(7))),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(omitted["errors"]!["opensAt"]);
        Assert.Single((await committee.GetJsonAsync("/api/ballots?status=announced"))["items"]!.AsArray()); // only the lawful one
    }

    [Fact]
    public async Task A_voting_period_shorter_than_the_minimum_is_refused()
    {
        var opensAt = clock.GetUtcNow().AddDays(16);
        var problem = await ProblemAssert.IsProblemAsync(
            await (await As("owners-committee")).PostAsJsonAsync("/api/ballots", Body(Xingfuli, opensAt, opensAt.AddDays(2).AddHours(23))),
            HttpStatusCode.BadRequest, "validation");
        Assert.Contains("3", Str(problem["errors"]!["closesAt"]![0]));
    }

    [Fact]
    public async Task A_vote_before_the_ballot_opens_is_a_409_and_changes_nothing()
    {
        var ballot = await AnnounceAsync();
        Assert.Equal("announced", Str(ballot["status"]));
        Assert.False(ballot["isOpen"]!.GetValue<bool>());
        var owner = await As("owner-xf-2-101");
        var me = await owner.GetJsonAsync($"/api/ballots/{Str(ballot["id"])}/me");
        Assert.True(me["eligible"]!.GetValue<bool>());
        Assert.False(me["canVote"]!.GetValue<bool>());
        var early = await owner.PostAsJsonAsync($"/api/ballots/{Str(ballot["id"])}/votes", new { choice = "agree" });
        var problem = await ProblemAssert.IsProblemAsync(early, HttpStatusCode.Conflict, "ballotNotOpen");
        Assert.Contains("公告", Str(problem["detail"]));
        Assert.Equal(0, (await owner.GetJsonAsync($"/api/ballots/{Str(ballot["id"])}"))["participation"]!["heads"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_scheduled_opening_opens_the_ballot_once_tells_the_owners_and_survives_a_restart()
    {
        var ballot = await AnnounceAsync();
        var id = Guid.Parse(Str(ballot["id"]));
        // What a restarted server's reconciler gives triggers to: the announced ballot's opening, at its opensAt.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var opening = scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == "ballot.open");
            Assert.Contains(await opening.PendingAsync(null, CancellationToken.None),
                d => d.Id == id && d.At == ballot["opensAt"]!.GetValue<DateTimeOffset>());
            await opening.HandleAsync(id, CancellationToken.None); // fired early: nothing happens
        }
        Assert.Equal("announced", Str((await (await As("owner-xf-2-101")).GetJsonAsync($"/api/ballots/{id}"))["status"]));

        clock.Advance(TimeSpan.FromDays(16));
        await RunDueAsync(clock.GetUtcNow());
        await RunDueAsync(clock.GetUtcNow()); // twice, as two nodes might: one opening, one notice to each owner
        var owner = await As("owner-xf-2-101"); // signed in again: 16 days on
        var open = await owner.GetJsonAsync($"/api/ballots/{id}");
        Assert.Equal("open", Str(open["status"]));
        Assert.True(open["isOpen"]!.GetValue<bool>());
        Assert.Single((await owner.GetJsonAsync("/api/notifications")).AsArray(), n => Str(n!["kind"]) == "voteOpened");
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync($"/api/ballots/{id}/votes", new { choice = "agree" })).StatusCode);
        await using (var scope = App.Services.CreateAsyncScope())
            Assert.DoesNotContain(await scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == "ballot.open")
                .PendingAsync(null, CancellationToken.None), d => d.Id == id);
    }

    [Fact]
    public async Task The_announcement_is_a_notice_residents_read_with_the_agenda_rule_dates_organiser_and_how_to_vote()
    {
        var ballot = await AnnounceAsync();
        var notices = (await (await As("resident")).GetJsonAsync("/api/notices")).AsArray();
        var notice = Assert.Single(notices, n => n!["ballotId"]?.GetValue<string>() == Str(ballot["id"]))!;
        Assert.Equal("ballotAnnouncement", Str(notice["kind"]));
        var body = Str(notice["body"]);
        var opens = ballot["opensAt"]!.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(8));
        Assert.Contains("是否同意使用公共收益更换3号楼门口路灯", Str(notice["title"]));
        Assert.Contains("拟由公共收益列支更换费用约2400元", body);
        Assert.Contains("民法典第二百七十八条", body);
        Assert.Contains($"{opens.Year}年{opens.Month}月{opens.Day}日", body);
        Assert.Contains("业主委员会（周主任）", body);
        Assert.Contains("无记名投票", body);
        Assert.Contains("截止前可以改票", body);
        Assert.True(notice["postedUntil"]!.GetValue<DateTimeOffset>() >= ballot["closesAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("ownersCommittee", Str(ballot["organiser"]!["body"]));
        Assert.Equal("周主任", Str(ballot["organiser"]!["name"]));
    }

    [Fact]
    public async Task A_party_secretary_cannot_organise_an_owners_ballot_where_the_community_has_an_owners_committee()
    {
        var opensAt = clock.GetUtcNow().AddDays(16);
        var response = await (await As("secretary")).PostAsJsonAsync("/api/ballots", Body(Xingfuli, opensAt, opensAt.AddDays(7)));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "ownersCommitteeOrganises");
        Assert.Contains("业主委员会", Str(problem["detail"]));
    }

    [Fact]
    public async Task Where_there_is_no_owners_committee_the_residents_committee_organises_it_under_the_streets_guidance_and_every_text_says_so()
    {
        var ballot = await AnnounceAsync("hp-secretary", Heping);
        Assert.Equal("residentsCommitteeUnderStreetGuidance", Str(ballot["organiser"]!["body"]));
        Assert.Equal("何书记", Str(ballot["organiser"]!["name"]));
        var announcement = Assert.Single((await (await As("owner-hp-1-101")).GetJsonAsync("/api/notices")).AsArray(),
            n => n!["ballotId"]?.GetValue<string>() == Str(ballot["id"]))!;
        Assert.Contains("居民委员会（在街道办事处指导下）（何书记）", Str(announcement["body"]));
        Assert.DoesNotContain("业主委员会", Str(announcement["body"]));

        // Voting opens, an owner votes, the ballot closes: the result notice and its PDF name the same organiser.
        clock.Advance(TimeSpan.FromDays(16));
        await RunDueAsync(clock.GetUtcNow());
        await (await As("owner-hp-1-101")).PostAsJsonAsync($"/api/ballots/{Str(ballot["id"])}/votes", new { choice = "agree" });
        clock.Advance(TimeSpan.FromDays(8));
        await RunDueAsync(clock.GetUtcNow());
        var secretary = await As("hp-secretary");
        var result = Assert.Single((await secretary.GetJsonAsync("/api/notices")).AsArray(),
            n => n!["ballotId"]?.GetValue<string>() == Str(ballot["id"]) && Str(n["kind"]) == "ballotResult")!;
        Assert.Contains("何书记", Str(result["body"]));
        Assert.DoesNotContain("业主委员会", Str(result["body"]));
        var pdf = Pdf.Text(await secretary.GetPdfAsync($"/api/ballots/{Str(ballot["id"])}/notice.pdf"));
        Assert.Contains("和平社区居民委员会", pdf);
        Assert.Contains("何书记", pdf);
        Assert.DoesNotContain("业主委员会", pdf);
        var announced = ballot["announcedAt"]!.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(8));
        Assert.Contains("公告日期", pdf);
        Assert.Contains($"{announced.Year}年{announced.Month}月{announced.Day}日", pdf);
    }

    [Fact]
    public async Task An_owners_ballot_at_an_assembly_convened_fifteen_days_before_opens_in_the_meeting()
    {
        var committee = await As("owners-committee");
        var meeting = await committee.PostJsonAsync("/api/meetings", new
        {
            type = "ownersAssembly", orgUnitId = Xingfuli, title = "业主大会", place = "小区广场",
            startsAt = clock.GetUtcNow().AddDays(16), chairName = "周主任", recorderName = "孙主任",
        });
        var id = Str(meeting["id"]);
        await committee.PostJsonAsync($"/api/meetings/{id}/participants", new { party = "ownersCommittee", name = "周主任", role = "member" });
        var item = Str((await committee.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "选聘新物业服务企业" }))["id"]);
        await committee.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        // An item added after the notice was never announced.
        var lateItem = Str((await committee.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "临时动议：筹集维修资金" }))["id"]);
        var early = await committee.PostAsJsonAsync("/api/ballots", new
        {
            title = "选聘新物业服务企业", proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary", kind = "property-service", orgUnitId = Xingfuli,
            meetingId = id, agendaItemId = item,
            closesAt = clock.GetUtcNow().AddDays(5),
        });
        await ProblemAssert.IsProblemAsync(early, HttpStatusCode.BadRequest, "validation"); // convened a moment ago: no notice yet

        clock.Advance(TimeSpan.FromDays(16));
        committee = await As("owners-committee");
        // Naming the assembly is not enough: without an announced item the ballot needs its own notice.
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots", new
        {
            title = "筹集维修资金（会上临时提出）", proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-major", kind = "maintenance-fund-raising",
            orgUnitId = Xingfuli, meetingId = id,
            closesAt = clock.GetUtcNow().AddDays(3),
        }), HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots", new
        {
            title = "筹集维修资金（会上临时提出）", proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-major", kind = "maintenance-fund-raising",
            orgUnitId = Xingfuli, meetingId = id,
            agendaItemId = lateItem, closesAt = clock.GetUtcNow().AddDays(3),
        }), HttpStatusCode.Conflict, "notAnnounced");
        var ballot = await committee.PostJsonAsync("/api/ballots", new
        {
            title = "选聘新物业服务企业", proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary", kind = "property-service", orgUnitId = Xingfuli,
            meetingId = id, agendaItemId = item,
            closesAt = clock.GetUtcNow().AddDays(3),
        });
        Assert.Equal("open", Str(ballot["status"]));
    }

    [Fact]
    public async Task A_member_rule_without_its_meeting_is_a_400_naming_the_meeting_not_a_500()
    {
        var response = await (await As("owners-committee")).PostAsJsonAsync("/api/ballots", new
        {
            title = "续聘物业", rule = "owners-committee", kind = "property-service", orgUnitId = Xingfuli, closesAt = clock.GetUtcNow().AddDays(5),
        });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(problem["errors"]!["meetingId"]);
    }

    [Fact]
    public async Task The_demo_has_an_owners_ballot_open_now_secret_and_revotable_that_an_owner_finds_and_votes_on_at_once()
    {
        var owner = await As("owner-xf-2-101");
        var ballots = (await owner.GetJsonAsync("/api/ballots"))["items"]!.AsArray();
        var demo = Assert.Single(ballots, b => Str(b!["title"]) == DemoMeeting.OpenBallotTitle)!;
        Assert.Equal("open", Str(demo["status"]));
        Assert.True(demo["isOpen"]!.GetValue<bool>());
        Assert.True(demo["secret"]!.GetValue<bool>());
        Assert.True(demo["allowRevote"]!.GetValue<bool>());
        var now = clock.GetUtcNow();
        Assert.True(demo["opensAt"]!.GetValue<DateTimeOffset>() < now);
        Assert.True(demo["closesAt"]!.GetValue<DateTimeOffset>() > now.AddDays(3));
        Assert.True(demo["opensAt"]!.GetValue<DateTimeOffset>() - demo["announcedAt"]!.GetValue<DateTimeOffset>() >= TimeSpan.FromDays(15));
        Assert.Equal("ownersCommittee", Str(demo["organiser"]!["body"]));
        var id = Str(demo["id"]);
        Assert.True((await owner.GetJsonAsync($"/api/ballots/{id}/me"))["canVote"]!.GetValue<bool>());
        var receipt = await owner.PostJsonAsync($"/api/ballots/{id}/votes", new { choice = "agree" });
        Assert.Equal(HttpStatusCode.OK,
            (await owner.PostAsJsonAsync($"/api/ballots/{id}/votes", new { choice = "disagree", receipt = Str(receipt["receipt"]) })).StatusCode);
    }
}
