using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Issue 15 §4 and §7: the matter's kind decides the least rule (民法典 Art. 278); rules of procedure come from the owners'
/// own adopting ballot; deemed consent comes from them only, and its figures are shown apart from the real turnout.
/// </summary>
public sealed class ProposalKindTests : AppTest
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;

    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;

    /// <summary>An owners' ballot announced with the notice the law asks, voting for 7 days.</summary>
    System.Text.Json.Nodes.JsonObject Ballot(string? kind, string rule, object? threshold = null, string title = "是否同意筹集维修资金", Guid? scope = null,
        string? description = null) =>
        OwnersBallots.Announced(new
        {
            title, description, rule, kind, threshold, orgUnitId = scope ?? Xingfuli,
            closesAt = clock.GetUtcNow().AddDays(7)
        },
            clock.GetUtcNow());

    /// <summary>The rules' text the owners vote on: a rules-of-procedure ballot's description.</summary>
    const string RulesText = "第一条 本规则依据《民法典》制定……";

    [Fact]
    public async Task Raising_the_maintenance_fund_under_the_ordinary_rule_is_refused_naming_the_kind()
    {
        var committee = await As("owners-committee");
        var problem = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots",
            Ballot("maintenance-fund-raising", "civil-code-278-ordinary")),
            HttpStatusCode.BadRequest, "ruleTooLowForKind");
        Assert.Contains("筹集建筑物及其附属设施的维修资金", problem["detail"]!.GetValue<string>());
        var english = new HttpRequestMessage(HttpMethod.Post,
            "/api/ballots")
        { Content = JsonContent.Create(Ballot("rebuilding", "civil-code-278-ordinary")) };
        english.Headers.AcceptLanguage.ParseAdd("en");
        var en = await ProblemAssert.IsProblemAsync(await committee.SendAsync(english), HttpStatusCode.BadRequest, "ruleTooLowForKind");
        Assert.Contains("Altering or rebuilding", en["detail"]!.GetValue<string>());
        await using var scope = App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Ballots.AnyAsync(b => b.Title == "是否同意筹集维修资金"));
    }

    [Theory]
    [InlineData("2/3", true, "2/3", true)]  // threshold below 3/4
    [InlineData("3/4", true, "1/2", true)]  // quorum below 2/3
    [InlineData("3/4", true, null, null)]    // no quorum at all
    public async Task A_custom_rule_below_the_major_rule_is_refused_for_a_change_of_use_of_common_parts(string fraction, bool inclusive,
        string? quorum, bool? quorumInclusive)
    {
        var committee = await As("owners-committee");
        var threshold = new
        {
            fraction, @base = "participating", inclusive,
            quorum = quorum is null ? null : new { fraction = quorum, inclusive = quorumInclusive }
        };
        var problem = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots",
            Ballot("common-parts-use", "custom", threshold)),
            HttpStatusCode.BadRequest, "ruleTooLowForKind");
        Assert.Contains("改变共有部分的用途或者利用共有部分从事经营活动", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_custom_rule_at_least_as_strict_as_the_major_rule_is_accepted_for_a_major_kind()
    {
        var committee = await As("owners-committee");
        var threshold = new { fraction = "4/5", @base = "participating", inclusive = true, quorum = new { fraction = "2/3", inclusive = true } };
        var ballot = await committee.PostJsonAsync("/api/ballots", Ballot("common-parts-use", "custom", threshold));
        Assert.Equal("common-parts-use", ballot["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "kindRequired")]
    [InlineData("fund", "unknownKind")]
    public async Task An_owners_ballot_without_a_known_kind_is_refused_listing_the_kinds(string? kind, string code)
    {
        var problem = await ProblemAssert.IsProblemAsync(
            await (await As("owners-committee")).PostAsJsonAsync("/api/ballots", Ballot(kind, "civil-code-278-ordinary")),
                HttpStatusCode.BadRequest, code);
        Assert.Equal(9, problem["kinds"]!.AsArray().Count);
        Assert.Contains("maintenance-fund-raising", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_ordinary_kind_may_be_put_under_the_major_rule_and_the_kind_is_shown_on_the_ballot()
    {
        var ballot = await (await As("owners-committee"))
            .PostJsonAsync("/api/ballots", Ballot("property-service", "civil-code-278-major", title: "是否同意续聘物业"));
        Assert.Equal("property-service", ballot["kind"]!.GetValue<string>());
        Assert.Contains("选聘和解聘物业服务企业或者其他管理人", ballot["kindName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_custom_rule_below_the_ordinary_rule_is_refused_for_an_ordinary_kind()
    {
        // "at least half" ties pass
        var threshold = new { fraction = "1/2", @base = "participating", inclusive = true, quorum = new { fraction = "2/3", inclusive = true } };
        await ProblemAssert.IsProblemAsync(await (await As("owners-committee"))
            .PostAsJsonAsync("/api/ballots", Ballot("management-statute", "custom", threshold)),
            HttpStatusCode.BadRequest, "ruleTooLowForKind");
    }

    [Fact]
    public async Task The_party_secretary_can_no_longer_switch_on_deemed_consent()
    {
        var secretary = await As("secretary");
        var response = await secretary.PutAsJsonAsync($"/api/communities/{Xingfuli}/settings", new { deemedConsent = true });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "deemedConsentByRulesOfProcedure");
        Assert.Contains("议事规则", problem["detail"]!.GetValue<string>());
        Assert.False((await secretary.GetJsonAsync($"/api/communities/{Xingfuli}/settings"))["deemedConsent"]!.GetValue<bool>());
        var ballot = await (await As("owners-committee")).PostJsonAsync("/api/ballots", Ballot("rebuilding", "civil-code-278-major"));
        Assert.False(ballot["deemedConsent"]!.GetValue<bool>());
    }

    /// <summary>Opens a rules-of-procedure ballot and, standing in for the owners' vote, closes it as passed.</summary>
    async Task<string> PassedRulesBallotAsync(string user = "owners-committee", Guid? scope = null)
    {
        var id = (await (await As(user))
            .PostJsonAsync("/api/ballots",
                Ballot("rules-of-procedure", "civil-code-278-ordinary", title: "制定业主大会议事规则", scope: scope,
                    description: RulesText)))["id"]!.GetValue<string>();
        await using var s = App.Services.CreateAsyncScope();
        var db = s.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var ballot = await db.Ballots.SingleAsync(b => b.Id == Guid.Parse(id));
        ballot.Close(clock.GetUtcNow(), TallyOutcome.Passed, "{}");
        await db.SaveChangesAsync();
        return id;
    }

    object Rules(string ballotId, bool deemed = false, bool? towardParticipation = null, bool? towardThreshold = null, int noticeDays = 15) => new
    {
        text = RulesText, ballotId, noticeDays, deemedConsent = deemed,
        deemedCountsTowardParticipation = towardParticipation, deemedCountsTowardThreshold = towardThreshold,
        majorRuleKinds = new[] { "property-service" },
    };

    [Fact]
    public async Task Rules_of_procedure_are_recorded_only_from_a_passed_rules_ballot_of_the_same_community()
    {
        var committee = await As("owners-committee");
        var url = $"/api/communities/{Xingfuli}/rules-of-procedure";
        await ProblemAssert.IsProblemAsync(await committee.GetAsync(url), HttpStatusCode.NotFound, "notFound");

        // Another community's passed rules ballot, an open rules ballot, a passed ballot of another kind: all refused.
        var heping = await PassedRulesBallotAsync("hp-secretary", DemoData.Ids.Heping);
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync(url, Rules(heping)), HttpStatusCode.BadRequest, "notAdoptingBallot");
        var open = (await committee.PostJsonAsync("/api/ballots",
            Ballot("rules-of-procedure", "civil-code-278-ordinary", title: "修改议事规则")))["id"]!.GetValue<string>();
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync(url, Rules(open)), HttpStatusCode.BadRequest, "notAdoptingBallot");
        var otherKind = (await committee.PostJsonAsync("/api/ballots",
            Ballot("management-statute", "civil-code-278-ordinary", title: "管理规约")))["id"]!.GetValue<string>();
        await using (var s = App.Services.CreateAsyncScope())
        {
            var db = s.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            (await db.Ballots.SingleAsync(b => b.Id == Guid.Parse(otherKind))).Close(clock.GetUtcNow(), TallyOutcome.Passed, "{}");
            await db.SaveChangesAsync();
        }
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync(url, Rules(otherKind)), HttpStatusCode.BadRequest, "notAdoptingBallot");
        // Fewer than the law's 15 days' notice; the property company may not record the owners' rules.
        var passed = await PassedRulesBallotAsync();
        Assert.NotNull((await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync(url, Rules(passed, noticeDays: 10)),
            HttpStatusCode.BadRequest, "validation"))["errors"]!["noticeDays"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await As("property")).PostAsJsonAsync(url, Rules(passed))).StatusCode);

        var recorded = await committee.PostJsonAsync(url, Rules(passed, noticeDays: 20));
        Assert.Equal(passed, recorded["ballotId"]!.GetValue<string>());
        Assert.Equal(20, (await (await As("resident")).GetJsonAsync(url))["noticeDays"]!.GetValue<int>());
        await using (var s = App.Services.CreateAsyncScope())
            Assert.Equal(20, await RulesOfProcedure.MinimumNoticeDays(s.ServiceProvider.GetRequiredService<DeliberateDbContext>(), Xingfuli));

        // The rules raised hiring the property service to the major rule: the ordinary rule is now refused for it.
        // Their 20 days' notice is required from now on, and they raised hiring the property service to the major rule.
        var fifteenDays = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots",
            Ballot("property-service", "civil-code-278-major", title: "续聘物业")),
            HttpStatusCode.BadRequest, "validation");
        Assert.Contains("20", fifteenDays["errors"]!["opensAt"]![0]!.GetValue<string>());
        var twentyDays = Ballot("property-service", "civil-code-278-ordinary", title: "续聘物业");
        twentyDays["opensAt"] = BallotTiming.EarliestOpening(clock.GetUtcNow(), 20);
        twentyDays["closesAt"] = BallotTiming.EarliestOpening(clock.GetUtcNow(), 20).AddDays(7);
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots", twentyDays),
            HttpStatusCode.BadRequest, "ruleTooLowForKind");
    }

    [Theory]
    [InlineData(true, false, "计入参与表决的三分之二，但不计入通过比例")]
    [InlineData(false, true, "不计入参与表决的三分之二（按实际投票计算），但计入通过比例")]
    public async Task With_deemed_consent_the_result_and_notice_show_the_real_turnout_and_the_deemed_apart_and_say_where_they_counted(
        bool towardParticipation, bool towardThreshold, string statement)
    {
        var committee = await As("owners-committee");
        await committee.PostJsonAsync($"/api/communities/{Xingfuli}/rules-of-procedure",
            Rules(await PassedRulesBallotAsync(), deemed: true, towardParticipation, towardThreshold, noticeDays: 15));
        var id = (await OwnersBallots.OpenAsync(App, committee,
            Ballot("rebuilding", "civil-code-278-major", title: "是否同意改建小区东门")))["id"]!.GetValue<string>();
        foreach (var owner in new[] { "owner-xf-2-101", "owner-xf-2-102" })
            Assert.Equal(HttpStatusCode.OK,
                (await (await As(owner)).PostAsJsonAsync($"/api/ballots/{id}/votes", new { choice = "agree" })).StatusCode);

        clock.Advance(TimeSpan.FromDays(8));
        await using (var s = App.Services.CreateAsyncScope())
            await s.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == "ballot.close")
                .HandleAsync(Guid.Parse(id), CancellationToken.None);
        // A named ballot's input (with its choices) is open to the estate's owners and the committee after the close.
        var input = await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{id}/audit"); // signed in again: 8 days on

        var view = await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{id}");
        var result = view["result"]!;
        var counting = result["deemedCounting"]!;
        Assert.Equal(2, counting["voted"]!["headcount"]!.GetValue<int>());
        Assert.Equal(towardParticipation, counting["towardParticipation"]!.GetValue<bool>());
        Assert.Equal(towardThreshold, counting["towardThreshold"]!.GetValue<bool>());
        var heads = result["totals"]!["headcount"]!.GetValue<int>();
        Assert.Equal(heads - 2, result["deemed"]!["headcount"]!.GetValue<int>());
        // Counted toward participation only: the quorum sees every head, the threshold only the two voters (both agree: passed).
        // Counted toward the threshold only: two of the heads took part, far below 2/3: no decision.
        Assert.Equal(towardParticipation ? heads : 2, result["participating"]!["headcount"]!.GetValue<int>());
        Assert.Equal(towardParticipation ? "passed" : "noDecision", view["outcome"]!.GetValue<string>());
        // The stored result is what POST /api/tally computes from the ballot's published input (which carries the two options).
        var tally = await App.CreateClient().PostJsonAsync("/api/tally", input);
        Assert.Equal(tally.ToJsonString(), result.ToJsonString());

        var notice = Assert.Single((await (await As("resident")).GetJsonAsync("/api/notices")).AsArray(),
            n => n!["ballotId"]?.GetValue<string>() == id && n["kind"]?.GetValue<string>() != "ballotAnnouncement")!;
        var body = notice["body"]!.GetValue<string>();
        Assert.Contains("实际投票：2 人", body);
        Assert.Contains("未投票视为同意多数意见（同意）", body);
        Assert.Contains(statement, body);
        Assert.Contains("事项类别：改建、重建建筑物及其附属设施", body);
        Assert.DoesNotContain("100%", body);
        // The posted PDF names the kind and says the same in words (text extraction may break lines anywhere).
        var pdf = string.Concat(Pdf.Text(await (await As("owners-committee")).GetPdfAsync($"/api/ballots/{id}/notice.pdf"))
            .Where(c => !char.IsWhiteSpace(c)));
        Assert.Contains("改建、重建建筑物及其附属设施", pdf);
        Assert.Contains("实际投票2人", pdf);
    }

    /// <summary>
    /// The issue's case: 9 owners, 3 voted holding 23 % of the area (230 of 1000 m²), a major matter (≥ 3/4).
    /// Voted: agree 2 heads / 150 m² (A 80 + B 70), disagree 1 head / 80 m² (C). Agree leads on both measures, so the
    /// 6 silent heads (770 m²) are deemed to agree.
    /// <list type="bullet">
    /// <item>both count: taking part 9/9 heads, 1000/1000 m² ≥ 2/3; agree 8/9 heads (88.9 %), 920/1000 m² (92 %) ≥ 3/4: passed.</item>
    /// <item>participation only: quorum 9/9 met; threshold on the voters: agree 2/3 heads (66.7 %) &lt; 3/4: rejected.</item>
    /// <item>threshold only: taking part 3/9 heads (33.3 %) &lt; 2/3: no decision (agree would be 8/9 of 9).</item>
    /// <item>neither: taking part 3/9 &lt; 2/3: no decision.</item>
    /// </list>
    /// In every case the real turnout is 3 heads, 230 m², 33.33 % and 23 %; the deemed are 6 heads, 770 m².
    /// </summary>
    [Theory]
    [InlineData(true, true, "passed", 9, 1000, 8, 920)]
    [InlineData(true, false, "rejected", 9, 1000, 2, 150)]
    [InlineData(false, true, "noDecision", 3, 230, 8, 920)]
    [InlineData(false, false, "noDecision", 3, 230, 2, 150)]
    public async Task The_issues_nine_owners_case_counts_deemed_votes_where_the_rules_say_and_shows_the_real_turnout(
        bool towardParticipation, bool towardThreshold, string outcome, int participatingHeads, decimal participatingArea,
            int agreeHeads, decimal agreeArea)
    {
        decimal[] areas = [80, 70, 80, 130, 130, 130, 130, 125, 125];
        var result = await App.CreateClient().PostJsonAsync("/api/tally", new
        {
            proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-major",
            deemedConsent = true,
            deemedCountsTowardParticipation = towardParticipation,
            deemedCountsTowardThreshold = towardThreshold,
            electorate = areas.Select((area, i) => new { unit = $"1-10{i + 1}", owners = new[] { $"o{i + 1}" }, area }).ToArray(),
            ballots = new[] { new { unit = "1-101", choice = "agree" }, new { unit = "1-102", choice = "agree" },
            new { unit = "1-103", choice = "disagree" } },
        });
        Assert.Equal(outcome, result["outcome"]!.GetValue<string>());
        var counting = result["deemedCounting"]!;
        Assert.Equal(3, counting["voted"]!["headcount"]!.GetValue<int>());
        Assert.Equal(230m, counting["voted"]!["area"]!.GetValue<decimal>());
        Assert.Equal(23m, counting["votedPercent"]!["area"]!.GetValue<decimal>());
        Assert.Equal(33.33m, counting["votedPercent"]!["headcount"]!.GetValue<decimal>());
        Assert.Equal(6, result["deemed"]!["headcount"]!.GetValue<int>());
        Assert.Equal(770m, result["deemed"]!["area"]!.GetValue<decimal>());
        Assert.Equal(participatingHeads, result["participating"]!["headcount"]!.GetValue<int>());
        Assert.Equal(participatingArea, result["participating"]!["area"]!.GetValue<decimal>());
        Assert.Equal(agreeHeads, result["agree"]!["headcount"]!.GetValue<int>());
        Assert.Equal(agreeArea, result["agree"]!["area"]!.GetValue<decimal>());
    }
}
