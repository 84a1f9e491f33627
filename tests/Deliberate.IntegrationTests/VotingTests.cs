using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>Owners' votes over HTTP: heads, secrecy, receipts, proxies and paper, the stored result against the stateless tally.</summary>
public sealed class VotingTests : AppTest
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;

    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;

    async Task<JsonNode> OpenBallotAsync(bool secret = false, bool allowRevote = false, string rule = "civil-code-278-ordinary", Guid? scope = null)
    {
        var committee = await As("owners-committee");
        return await OwnersBallots.OpenAsync(App, committee, new
        {
            title = "是否同意使用公共收益更换3号楼门口路灯",
            rule,
            kind = rule == "civil-code-278-major" ? "rebuilding" : "other-major-matter",
            orgUnitId = scope ?? Xingfuli,
            secret,
            allowRevote,
            closesAt = clock.GetUtcNow().AddDays(7),
        });
    }

    /// <summary>Runs the ballot's deadline as the scheduler would, after moving the clock past it.</summary>
    async Task CloseAtDeadlineAsync(string ballotId)
    {
        clock.Advance(TimeSpan.FromDays(8));
        await using var scope = App.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == "ballot.close");
        await handler.HandleAsync(Guid.Parse(ballotId), CancellationToken.None);
    }

    static async Task<HttpResponseMessage> VoteAsync(HttpClient client, string ballotId, string choice, string? receipt = null) =>
        await client.PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice, receipt });

    [Fact]
    public async Task An_owner_of_two_units_is_one_head_whose_ballot_carries_the_area_of_both()
    {
        var ballot = await OpenBallotAsync();
        var id = ballot["id"]!.GetValue<string>();
        var wang = await As("owner-xf-1-101"); // 王建国 owns 1-101 and 3-202
        var me = await wang.GetJsonAsync($"/api/ballots/{id}/me");
        Assert.True(me["eligible"]!.GetValue<bool>());
        Assert.Equal(["1-101", "3-202"], me["units"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(89.50m + 120.45m, me["area"]!.GetValue<decimal>());

        var receipt = await (await VoteAsync(wang, id, "agree")).JsonAsync();
        Assert.Equal(209.95m, receipt["area"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.Conflict, (await VoteAsync(wang, id, "disagree")).StatusCode);
        Assert.Equal(1, (await wang.GetJsonAsync($"/api/ballots/{id}"))["participation"]!["heads"]!.GetValue<int>());
    }

    [Fact]
    public async Task Co_owners_are_one_head_and_the_developers_unsold_units_are_one_head_together()
    {
        var ballot = await OpenBallotAsync();
        var id = ballot["id"]!.GetValue<string>();
        var electorate = ballot["electorate"]!;
        Assert.Equal(48, electorate["units"]!.GetValue<int>());
        Assert.Equal(48 - 1 - 3, electorate["heads"]!.GetValue<int>()); // 王建国's two units, and the developer's four, count once

        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(await As("owner-xf-2-301-1"), id, "agree")).StatusCode);
        var second = await VoteAsync(await As("owner-xf-2-301-2"), id, "disagree");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("alreadyVoted", (await second.JsonAsync())["code"]!.GetValue<string>());

        var developer = await As("developer");
        var mine = await developer.GetJsonAsync($"/api/ballots/{id}/me");
        Assert.Equal(["4-501", "4-502", "4-601", "4-602"], mine["units"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(developer, id, "abstain")).StatusCode);
    }

    [Fact]
    public async Task Someone_outside_the_electorate_cannot_vote_and_another_community_cannot_even_see_the_ballot()
    {
        var id = (await OpenBallotAsync())["id"]!.GetValue<string>();
        var gridWorker = await As("gridworker"); // staff, not an owner
        Assert.Equal(HttpStatusCode.Forbidden, (await VoteAsync(gridWorker, id, "agree")).StatusCode);
        var otherCommunity = await As("owner-hp-1-101");
        Assert.Equal(HttpStatusCode.NotFound, (await otherCommunity.GetAsync($"/api/ballots/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await VoteAsync(otherCommunity, id, "agree")).StatusCode);
    }

    [Fact]
    public async Task A_bad_choice_or_a_vote_after_the_close_changes_nothing()
    {
        var id = (await OpenBallotAsync())["id"]!.GetValue<string>();
        var owner = await As("owner-xf-2-101");
        var bad = await VoteAsync(owner, id, "maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await bad.JsonAsync())["errors"]!["choice"]);
        await CloseAtDeadlineAsync(id);
        owner = await As("owner-xf-2-101"); // the old token expired with the clock
        var late = await VoteAsync(owner, id, "agree");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("ballotNotOpen", (await late.JsonAsync())["code"]!.GetValue<string>());
        Assert.Equal(0, (await owner.GetJsonAsync($"/api/ballots/{id}"))["participation"]!["heads"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_same_owner_voting_many_times_at_once_is_counted_once()
    {
        var id = (await OpenBallotAsync())["id"]!.GetValue<string>();
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => As("owner-xf-2-101")));
        var responses = await Task.WhenAll(clients.Select((c, i) => VoteAsync(c, id, i % 2 == 0 ? "agree" : "disagree")));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, (await clients[0].GetJsonAsync($"/api/ballots/{id}"))["participation"]!["heads"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_stored_result_of_an_open_ballot_equals_what_the_stateless_tally_computes_from_its_published_data()
    {
        var random = new Random(278);
        for (var round = 0; round < 3; round++)
        {
            var id = (await OpenBallotAsync(rule: round == 1 ? "civil-code-278-major" : "civil-code-278-ordinary"))["id"]!.GetValue<string>();
            var owners = new[] { "owner-xf-1-101", "owner-xf-2-101", "owner-xf-2-102", "owner-xf-2-301-1", "developer", "resident",
                "owner-xf-1-201", "owner-xf-1-202", "owner-xf-3-101", "owner-xf-3-102", "owner-xf-4-101", "owner-xf-4-102" };
            foreach (var user in owners.Where(_ => random.NextDouble() < 0.8))
                Assert.Equal(HttpStatusCode.OK,
                    (await VoteAsync(await As(user), id, new[] { "agree", "agree", "disagree", "abstain" }[random.Next(4)])).StatusCode);
            await CloseAtDeadlineAsync(id);

            var committee = await As("owners-committee");
            var stored = (await committee.GetJsonAsync($"/api/ballots/{id}"))["result"]!;
            var audit = await committee.GetJsonAsync($"/api/ballots/{id}/audit");
            var recomputed = await App.CreateClient().PostJsonAsync("/api/tally", audit);
            Assert.Equal(recomputed.ToJsonString(), stored.ToJsonString());
        }
    }

    [Fact]
    public async Task A_secret_ballot_gives_receipts_and_no_endpoint_links_a_choice_to_its_voter()
    {
        var ballot = await OpenBallotAsync(secret: true);
        var id = ballot["id"]!.GetValue<string>();
        var alice = await As("owner-xf-2-101");
        var bob = await As("owner-xf-2-102");
        var aliceReceipt = (await (await VoteAsync(alice, id, "agree")).JsonAsync())["receipt"]!.GetValue<string>();
        await VoteAsync(bob, id, "disagree");

        var anonymous = App.CreateClient();
        Assert.True((await anonymous.GetJsonAsync($"/api/ballots/{id}/receipts/{aliceReceipt}"))["counted"]!.GetValue<bool>());
        Assert.False((await anonymous.GetJsonAsync($"/api/ballots/{id}/receipts/AAAA-BBBB-CCCC-DDDD"))["counted"]!.GetValue<bool>());

        // Everything anyone — the admin included — can read about the ballot, while open and once closed.
        async Task AssertNoLinkAsync()
        {
            var readers = new[] { await As("admin"), await As("owners-committee"), await As("owner-xf-2-101"), await As("owner-xf-2-102") };
            foreach (var reader in readers)
                foreach (var url in new[] { $"/api/ballots/{id}", $"/api/ballots/{id}/participation", $"/api/ballots/{id}/me", "/api/ballots",
                    "/api/notices?all=true" })
                {
                    var text = await (await reader.GetAsync(url)).Content.ReadAsStringAsync();
                    foreach (var node in FlattenObjects(JsonNode.Parse(text)))
                    {
                        var names = node.ToJsonString();
                        var hasChoice = node.Any(p =>
                            p.Value is JsonValue v && v.TryGetValue(out string? s) && s is "agree" or "disagree" or "abstain")
                            || node.Any(p => p.Key is "choice" or "openChoice" && p.Value is not null);
                        var hasVoter = names.Contains("2-101") || names.Contains("2-102");
                        Assert.False(hasChoice && hasVoter, $"{url} links a voter to a choice: {names}");
                    }
                }
            var audit = await readers[1].GetAsync($"/api/ballots/{id}/audit");
            Assert.Equal(HttpStatusCode.Conflict, audit.StatusCode);
        }
        await AssertNoLinkAsync();
        await CloseAtDeadlineAsync(id);
        await AssertNoLinkAsync();

        var result = (await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{id}"))["result"]!;
        Assert.Equal(1, result["agree"]!["headcount"]!.GetValue<int>());
        Assert.Equal(1, result["disagree"]!["headcount"]!.GetValue<int>());
        Assert.Equal(2, result["participating"]!["headcount"]!.GetValue<int>());
    }

    static IEnumerable<JsonObject> FlattenObjects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var child in obj.Select(p => p.Value).SelectMany(FlattenObjects)) yield return child;
                break;
            case JsonArray array:
                foreach (var child in array.SelectMany(FlattenObjects)) yield return child;
                break;
        }
    }

    [Fact]
    public async Task A_secret_vote_can_be_changed_only_with_its_receipt_code_when_the_ballot_allows_it()
    {
        var id = (await OpenBallotAsync(secret: true, allowRevote: true))["id"]!.GetValue<string>();
        var owner = await As("owner-xf-2-101");
        var receipt = (await (await VoteAsync(owner, id, "agree")).JsonAsync())["receipt"]!.GetValue<string>();
        Assert.Equal("receiptNeeded", (await (await VoteAsync(owner, id, "disagree")).JsonAsync())["code"]!.GetValue<string>());
        Assert.Equal("badReceipt", (await (await VoteAsync(owner, id, "disagree", "ZZZZ-ZZZZ-ZZZZ-ZZZZ")).JsonAsync())["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(owner, id, "disagree", receipt)).StatusCode);
        await CloseAtDeadlineAsync(id);
        var result = (await (await As("owner-xf-2-101")).GetJsonAsync($"/api/ballots/{id}"))["result"]!;
        Assert.Equal(0, result["agree"]!["headcount"]!.GetValue<int>());
        Assert.Equal(1, result["disagree"]!["headcount"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_owners_committee_enters_proxy_and_paper_ballots_with_the_documents_attached()
    {
        var id = (await OpenBallotAsync())["id"]!.GetValue<string>();
        var committee = await As("owners-committee");
        var resident = await As("resident");
        var owners = (await committee.GetJsonAsync($"/api/ballots/{id}/audit"))["electorate"]!.AsArray();
        string OwnerOf(string unit) => owners.Single(u => u!["unit"]!.GetValue<string>() == unit)!["owners"]![0]!.GetValue<string>();

        static MultipartFormDataContent Form(string ownerId, string choice, string field, string? proxy = null)
        {
            var form = new MultipartFormDataContent { { new StringContent(ownerId), "ownerId" }, { new StringContent(choice), "choice" } };
            if (proxy is not null) form.Add(new StringContent(proxy), "proxyName");
            var pdf = new ByteArrayContent("%PDF-1.4\n% authorisation\n"u8.ToArray());
            pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(pdf, field, "委托书.pdf");
            return form;
        }

        var proxy = await committee.PostAsync($"/api/ballots/{id}/proxy-votes", Form(OwnerOf("2-101"), "agree", "authorisation", "李四（受托人）"));
        Assert.Equal(HttpStatusCode.OK, proxy.StatusCode);
        var paper = await committee.PostAsync($"/api/ballots/{id}/paper-votes", Form(OwnerOf("2-102"), "disagree", "sheet"));
        Assert.Equal(HttpStatusCode.OK, paper.StatusCode);
        var notByResident = await resident.PostAsync($"/api/ballots/{id}/paper-votes", Form(OwnerOf("2-201"), "agree", "sheet"));
        Assert.Equal(HttpStatusCode.Forbidden, notByResident.StatusCode);
        var noDocument = new MultipartFormDataContent { { new StringContent(OwnerOf("2-202")), "ownerId" },
            { new StringContent("agree"), "choice" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await committee.PostAsync($"/api/ballots/{id}/paper-votes", noDocument)).StatusCode);

        var participation = (await committee.GetJsonAsync($"/api/ballots/{id}/participation")).AsArray();
        Assert.Contains(participation, p => p!["channel"]!.GetValue<string>() == "proxy" && p["proxyName"]!.GetValue<string>() == "李四（受托人）");
        // While the ballot is open nobody sees a named ballot's choices, the committee that typed them in included (issue 15 §8).
        Assert.Contains(participation, p => p!["channel"]!.GetValue<string>() == "paper" && p["choice"] is null);
        // The owner voted by proxy cannot vote again online.
        var owner = await As("owner-xf-2-101");
        Assert.Equal(HttpStatusCode.Conflict, (await VoteAsync(owner, id, "agree")).StatusCode);
    }

    [Fact]
    public async Task Closing_posts_the_result_notice_in_the_community()
    {
        var id = (await OpenBallotAsync())["id"]!.GetValue<string>();
        await VoteAsync(await As("owner-xf-2-101"), id, "agree");
        await CloseAtDeadlineAsync(id);
        var resident = await As("resident");
        var notices = (await resident.GetJsonAsync("/api/notices")).AsArray();
        var notice = Assert.Single(notices, n => n!["ballotId"]?.GetValue<string>() == id)!;
        Assert.Equal("ballotResult", notice["kind"]!.GetValue<string>());
        Assert.Contains("未形成决定", notice["body"]!.GetValue<string>()); // one vote of 44 heads: no quorum
    }

    [Fact]
    public async Task The_stateless_tally_needs_no_sign_in_and_names_each_fault()
    {
        var client = App.CreateClient();
        var ok = await client.PostJsonAsync("/api/tally", new
        {
            proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary",
            electorate = new object[] { new { unit = "1-101", owners = new[] { "张三" }, area = 89.5 },
            new { unit = "1-102", owners = Array.Empty<string>(), area = 90.1, developerUnsold = true } },
            ballots = new[] { new { unit = "1-101", choice = "agree" } },
        });
        Assert.Equal("noDecision", ok["outcome"]!.GetValue<string>());
        var bad = await client.PostAsJsonAsync("/api/tally", new
        {
            proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary",
            electorate = new[] { new { unit = "1-101", owners = new[] { "张三" }, area = -1 } },
            ballots = new[] { new { unit = "9-999", choice = "agree" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var faults = (await bad.JsonAsync())["faults"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()).ToList();
        Assert.Contains("invalidArea", faults);
        Assert.Contains("unknownUnit", faults);
    }
}
