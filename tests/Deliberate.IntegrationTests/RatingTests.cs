using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Notices;
using Deliberate.Server.Ratings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// 群众评事 over HTTP, inside a matter workflow whose Rate step loops back to Execute when the residents are
/// dissatisfied: who may rate, once each, inside the window; closing at the deadline or when all have rated.
/// </summary>
public sealed class RatingTests : AppTest
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected override TimeProvider? Clock => clock;

    static readonly Guid Building1 = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 1);

    /// <summary>The residents of 幸福里 1号楼: the raiser (resident, 1-102) and the owners of its other eleven units.</summary>
    static readonly string[] Building1Residents =
    [
        "resident", "owner-xf-1-101", "owner-xf-1-201", "owner-xf-1-202", "owner-xf-1-301", "owner-xf-1-302",
        "owner-xf-1-401", "owner-xf-1-402", "owner-xf-1-501", "owner-xf-1-502", "owner-xf-1-601", "owner-xf-1-602",
    ];

    static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();

    /// <summary>A matter of 1号楼 heard as minor and its work item done, so that the Rate step has opened round 1.</summary>
    async Task<string> MatterBeingRatedAsync(string rateScope = "building")
    {
        await ExecutionKit.PublishAsync(await As("designer"), ExecutionKit.MatterFlow(rateScope));
        var resident = await As("resident");
        var matter = await resident.PostJsonAsync("/api/matters", new
        {
            title = "1号楼门口路灯不亮", description = "晚上很黑，老人出行不便", category = "facilities", gridId = XingfuliGrid1, buildingId = Building1,
        });
        var id = Text(matter, "id");
        var gridWorker = await As("gridworker");
        await CompleteAsync(gridWorker, id, "minor");
        await CompleteWorkAsync(id, "两盏路灯已更换");
        Assert.Equal("rate", await StepOfAsync(resident, id));
        return id;
    }

    async Task CompleteWorkAsync(string matterId, string text)
    {
        var gridWorker = await As("gridworker");
        var item = Assert.Single((await gridWorker.GetJsonAsync($"/api/work-items?matterId={matterId}&status=open"))["items"]!.AsArray())!;
        await gridWorker.PostJsonAsync($"/api/work-items/{Text(item, "id")}/complete", new { text });
    }

    async Task<HttpResponseMessage> RateAsync(string userName, string matterId, string choice, string? comment = null) =>
        await (await As(userName)).PostAsJsonAsync($"/api/matters/{matterId}/ratings", new { choice, comment });

    async Task<Guid> OpenRoundAsync(string matterId) =>
        await ExecutionKit.QueryAsync(App, db => db.RatingRounds.Where(r => r.MatterId == Guid.Parse(matterId) && r.Status == RatingStatus.Open)
            .Select(r => r.Id).SingleAsync());

    async Task CloseAtDeadlineAsync(string matterId)
    {
        var round = await OpenRoundAsync(matterId);
        clock.Advance(TimeSpan.FromDays(7));
        await ExecutionKit.RunDeadlineAsync(App, RatingCloseHandler.KindName, round);
    }

    [Fact]
    public async Task Only_the_residents_of_the_matters_building_and_its_raiser_may_rate_it()
    {
        var id = await MatterBeingRatedAsync();

        var neighbour = await As("owner-xf-1-201");
        var open = Assert.Single((await neighbour.GetJsonAsync("/api/ratings/open")).AsArray())!;
        Assert.Equal(("1号楼门口路灯不亮", 1), (Text(open["matter"]!, "title"), open["round"]!.GetValue<int>()));
        Assert.Equal(["两盏路灯已更换"], open["work"]!.AsArray().Select(w => Text(w!, "text")));
        Assert.Equal(HttpStatusCode.Created,
            (await neighbour.PostAsJsonAsync($"/api/matters/{id}/ratings", new { choice = "satisfied" })).StatusCode);
        Assert.Empty((await neighbour.GetJsonAsync("/api/ratings/open")).AsArray());
        Assert.Equal(HttpStatusCode.Created, (await RateAsync("resident", id, "basicallySatisfied")).StatusCode);

        // same grid, other building
        await ProblemAssert.IsProblemAsync(await RateAsync("owner-xf-2-101", id, "satisfied"), HttpStatusCode.Forbidden, "notAffected");
        await ProblemAssert.IsProblemAsync(await RateAsync("gridworker", id, "satisfied"), HttpStatusCode.Forbidden, "notAffected");
        await ProblemAssert.IsProblemAsync(await RateAsync("owner-hp-1-101", id, "satisfied"), HttpStatusCode.NotFound, "notFound");
        Assert.Empty((await (await As("owner-xf-2-101")).GetJsonAsync("/api/ratings/open")).AsArray());

        var round = Assert.Single((await (await As("gridworker")).GetJsonAsync($"/api/matters/{id}/ratings")).AsArray())!;
        Assert.Equal(("open", 2), (Text(round, "status"), round["ratings"]!.GetValue<int>()));
        Assert.Null(round["satisfied"]); // the split shows when the round closes
    }

    [Fact]
    public async Task With_the_grid_as_its_scope_the_residents_of_every_building_of_the_grid_may_rate()
    {
        var id = await MatterBeingRatedAsync(rateScope: "grid");
        Assert.Equal(HttpStatusCode.Created, (await RateAsync("owner-xf-2-101", id, "satisfied")).StatusCode);
        await ProblemAssert.IsProblemAsync(await RateAsync("owner-xf-3-101", id, "satisfied"), HttpStatusCode.Forbidden, "notAffected"); // grid 2
    }

    [Fact]
    public async Task Each_resident_rates_once_per_round_and_two_ratings_sent_at_once_give_one_201_and_one_409()
    {
        var id = await MatterBeingRatedAsync();
        Assert.Equal(HttpStatusCode.Created, (await RateAsync("resident", id, "satisfied", "谢谢")).StatusCode);
        await ProblemAssert.IsProblemAsync(await RateAsync("resident", id, "dissatisfied"), HttpStatusCode.Conflict, "alreadyRated");

        var neighbour = await As("owner-xf-1-201");
        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            neighbour.PostAsJsonAsync($"/api/matters/{id}/ratings", new { choice = "dissatisfied" })));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        await ProblemAssert.IsProblemAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict, "alreadyRated");

        var bad = await RateAsync("owner-xf-1-202", id, "great", new string('好', 1001));
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(problem["errors"]!["choice"]);
        Assert.NotNull(problem["errors"]!["comment"]);

        var stored = await ExecutionKit.QueryAsync(App, db => db.Ratings.CountAsync());
        Assert.Equal(2, stored);
    }

    [Fact]
    public async Task A_rating_after_the_window_is_refused_even_before_the_round_has_been_closed()
    {
        var id = await MatterBeingRatedAsync();
        Assert.Equal(HttpStatusCode.Created, (await RateAsync("resident", id, "satisfied")).StatusCode);
        var round = await OpenRoundAsync(id);

        clock.Advance(TimeSpan.FromDays(7));
        await ProblemAssert.IsProblemAsync(await RateAsync("owner-xf-1-201", id, "dissatisfied"), HttpStatusCode.Conflict, "windowEnded");

        await ExecutionKit.RunDeadlineAsync(App, RatingCloseHandler.KindName, round);
        var closed = Assert.Single((await (await As("resident")).GetJsonAsync($"/api/matters/{id}/ratings")).AsArray())!;
        Assert.Equal(("closed", 1, 0, "satisfied"),
            (Text(closed, "status"), closed["satisfied"]!.GetValue<int>(), closed["dissatisfied"]!.GetValue<int>(), Text(closed, "outcome")));
        await ProblemAssert.IsProblemAsync(await RateAsync("owner-xf-1-201", id, "satisfied"), HttpStatusCode.Conflict, "noOpenRound");
    }

    [Fact]
    public async Task At_the_deadline_a_round_at_exactly_the_threshold_closes_satisfied_posts_its_figures_and_closes_the_matter()
    {
        var id = await MatterBeingRatedAsync();
        foreach (var (user, choice, comment) in new[]
        {
            ("resident", "satisfied", "谢谢物业"), ("owner-xf-1-201", "satisfied", null), ("owner-xf-1-202", "basicallySatisfied", "还可以"),
            ("owner-xf-1-301", "basicallySatisfied", null), ("owner-xf-1-302", "dissatisfied", "灯光太暗"),
        })
            Assert.Equal(HttpStatusCode.Created, (await RateAsync(user, id, choice, comment)).StatusCode);

        await CloseAtDeadlineAsync(id);

        var observer = await As("owner-xf-2-101", "en"); // sees the public matter; never rated it
        var round = Assert.Single((await observer.GetJsonAsync($"/api/matters/{id}/ratings")).AsArray())!;
        Assert.Equal(("closed", 2, 2, 1, 0.8m, "satisfied"), (Text(round, "status"), round["satisfied"]!.GetValue<int>(),
            round["basicallySatisfied"]!.GetValue<int>(), round["dissatisfied"]!.GetValue<int>(), round["rate"]!.GetValue<decimal>(),
            Text(round, "outcome")));
        var comments = round["comments"]!.AsArray();
        Assert.Equal(["灯光太暗", "谢谢物业", "还可以"], comments.Select(c => Text(c!, "comment")).Order(StringComparer.Ordinal));
        Assert.All(comments, c => Assert.Equal(["choice", "choiceName", "comment", "at"], c!.AsObject().Select(p => p.Key))); // no names

        var matter = await observer.GetJsonAsync($"/api/matters/{id}");
        Assert.Equal(("closed", "两盏路灯已更换"), (Text(matter, "step"), Text(matter, "resolution")));

        var notice = await ExecutionKit.QueryAsync(App, db => db.Notices.SingleAsync(n => n.MatterId == Guid.Parse(id)));
        // Up for 7 whole days, the day of posting the first: until the end of the 7th (Notice.EndOfDays).
        Assert.Equal((NoticeKind.RatingResult, DemoData.Ids.Xingfuli, 7, ChinaTime.EndOf(notice.LastDay)),
            (notice.Kind, notice.OrgUnitId, notice.PostingDays, notice.PostedUntil));
        Assert.Contains("满意 2 人，基本满意 2 人，不满意 1 人", notice.Body);
        Assert.Contains("满意率（满意与基本满意之和所占比例）80%", notice.Body);
        Assert.Contains("事项办结", notice.Body);
    }

    [Fact]
    public async Task Below_the_threshold_the_matter_goes_back_to_work_as_rework_and_a_second_round_follows()
    {
        var id = await MatterBeingRatedAsync();
        foreach (var (user, choice) in new[]
        {
            ("resident", "dissatisfied"), ("owner-xf-1-201", "satisfied"), ("owner-xf-1-202", "satisfied"),
            ("owner-xf-1-301", "basicallySatisfied"), ("owner-xf-1-302", "dissatisfied"),
        })
            Assert.Equal(HttpStatusCode.Created, (await RateAsync(user, id, choice)).StatusCode);
        await CloseAtDeadlineAsync(id);

        var resident = await As("resident");
        Assert.Equal("execute", await StepOfAsync(resident, id));
        var items = (await resident.GetJsonAsync($"/api/work-items?matterId={id}"))["items"]!.AsArray();
        var rework = Assert.Single(items, i => Text(i!, "status") == "open")!;
        Assert.Equal(("返工：1号楼门口路灯不亮", true), (Text(rework, "title"), rework["rework"]!.GetValue<bool>()));
        Assert.Single(items, i => Text(i!, "status") == "done");

        await CompleteWorkAsync(id, "整条线路已更换");
        Assert.Equal("rate", await StepOfAsync(resident, id));
        var rounds = (await resident.GetJsonAsync($"/api/matters/{id}/ratings")).AsArray();
        Assert.Equal([(1, "closed", "dissatisfied"), (2, "open", null)],
            rounds.Select(r => (r!["round"]!.GetValue<int>(), Text(r, "status"), r["outcome"]?.GetValue<string>())));
        Assert.Equal(0.6m, rounds[0]!["rate"]!.GetValue<decimal>());
        var open = Assert.Single((await resident.GetJsonAsync("/api/ratings/open")).AsArray())!;
        Assert.Equal((2, "整条线路已更换", true),
            (open["round"]!.GetValue<int>(), Text(open["work"]![0]!, "text"), open["work"]![0]!["rework"]!.GetValue<bool>()));

        Assert.Equal(HttpStatusCode.Created, (await RateAsync("resident", id, "satisfied")).StatusCode);
        await CloseAtDeadlineAsync(id);
        var matter = await (await As("resident")).GetJsonAsync($"/api/matters/{id}");
        Assert.Equal(("closed", "整条线路已更换"), (Text(matter, "step"), Text(matter, "resolution")));
        Assert.Equal(2,
            await ExecutionKit.QueryAsync(App, db => db.Notices.CountAsync(n => n.MatterId == Guid.Parse(id) && n.Kind == NoticeKind.RatingResult)));
    }

    [Fact]
    public async Task A_round_closes_as_soon_as_every_affected_resident_has_rated()
    {
        var id = await MatterBeingRatedAsync();
        foreach (var user in Building1Residents.SkipLast(1))
        {
            var response = await RateAsync(user, id, user == "owner-xf-1-601" ? "dissatisfied" : "satisfied");
            Assert.False((await response.JsonAsync())["roundClosed"]!.GetValue<bool>());
        }
        Assert.Equal("rate", await StepOfAsync(await As("resident"), id));

        var last = await (await RateAsync(Building1Residents[^1], id, "basicallySatisfied")).JsonAsync();
        Assert.True(last["roundClosed"]!.GetValue<bool>());

        var round = Assert.Single((await (await As("resident")).GetJsonAsync($"/api/matters/{id}/ratings")).AsArray())!;
        Assert.Equal(("closed", 10, 1, 1, "satisfied"), (Text(round, "status"), round["satisfied"]!.GetValue<int>(),
            round["basicallySatisfied"]!.GetValue<int>(), round["dissatisfied"]!.GetValue<int>(), Text(round, "outcome")));
        Assert.Equal(clock.GetUtcNow(), round["closedAt"]!.GetValue<DateTimeOffset>()); // no deadline needed
        Assert.Equal("closed", await StepOfAsync(await As("resident"), id));
        Assert.Equal(1, await ExecutionKit.QueryAsync(App, db => db.Notices.CountAsync(n => n.MatterId == Guid.Parse(id))));
    }

    [Fact]
    public async Task A_round_nobody_rates_ends_with_no_ratings_which_the_workflow_follows()
    {
        var id = await MatterBeingRatedAsync();
        await CloseAtDeadlineAsync(id);

        var round = Assert.Single((await (await As("resident")).GetJsonAsync($"/api/matters/{id}/ratings")).AsArray())!;
        Assert.Equal(("closed", "noRatings", 0), (Text(round, "status"), Text(round, "outcome"), round["ratings"]!.GetValue<int>()));
        Assert.Null(round["rate"]);
        Assert.Equal("closed", await StepOfAsync(await As("resident"), id));
        var notice = await ExecutionKit.QueryAsync(App, db => db.Notices.SingleAsync(n => n.MatterId == Guid.Parse(id)));
        Assert.Contains("本轮无人参与评价", notice.Body);
    }
}
