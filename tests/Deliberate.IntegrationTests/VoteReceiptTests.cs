using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Receipts check that a vote was counted and nothing more; a vote is changed through the signed-in voter's own head;
/// a proxy or paper ballot's receipt reaches the owner, not the member who typed it in; the record says what counts now.
/// </summary>
public sealed class VoteReceiptTests : AppTest
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;

    async Task<string> OpenBallotAsync(bool secret, bool allowRevote)
    {
        var committee = await As("owners-committee");
        var ballot = await OwnersBallots.OpenAsync(App, committee, new
        {
            title = "是否同意使用公共收益更换3号楼门口路灯",
            proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary",
            kind = "other-major-matter",
            orgUnitId = DemoData.Ids.Xingfuli,
            secret,
            allowRevote,
            closesAt = clock.GetUtcNow().AddDays(7),
        });
        return ballot["id"]!.GetValue<string>();
    }

    /// <summary>The owner of a unit of 幸福里, read from a named ballot's published electorate.</summary>
    async Task<string> OwnerOfAsync(string unit)
    {
        var named = await OpenBallotAsync(secret: false, allowRevote: false);
        var electorate = (await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{named}/audit"))["electorate"]!.AsArray();
        return electorate.Single(u => u!["unit"]!.GetValue<string>() == unit)!["owners"]![0]!.GetValue<string>();
    }

    async Task<JsonNode> ResultAfterCloseAsync(string ballotId)
    {
        clock.Advance(TimeSpan.FromDays(8));
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == "ballot.close");
            await handler.HandleAsync(Guid.Parse(ballotId), CancellationToken.None);
        }
        return (await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{ballotId}"))["result"]!;
    }

    static Task<HttpResponseMessage> VoteAsync(HttpClient client, string ballotId, string choice, string? receipt = null) =>
        client.PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice, receipt });

    static MultipartFormDataContent Form(string ownerId, string choice, string field, string? proxy = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(ownerId), "ownerId" }, { new StringContent(choice), "choice" } };
        if (proxy is not null) form.Add(new StringContent(proxy), "proxyName");
        var pdf = new ByteArrayContent("%PDF-1.4\n% scan\n"u8.ToArray());
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, field, "scan.pdf");
        return form;
    }

    static JsonNode RowOf(JsonArray participation, string unit) =>
        participation.Single(p => p!["units"]!.AsArray().Any(u => u!.GetValue<string>() == unit))!;

    [Fact]
    public async Task An_owner_presenting_another_owners_receipt_is_refused_and_changes_nothing()
    {
        var id = await OpenBallotAsync(secret: true, allowRevote: true);
        var owner3101 = await As("owner-xf-3-101");
        var owner3102 = await As("owner-xf-3-102");
        var receipt3101 = (await (await VoteAsync(owner3101, id, "disagree")).JsonAsync())["receipt"]!.GetValue<string>();
        var receipt3102 = (await (await VoteAsync(owner3102, id, "disagree")).JsonAsync())["receipt"]!.GetValue<string>();
        Assert.NotEqual(receipt3101, receipt3102);

        // The attack of issue 15: 3-101 "changes its vote" with 3-102's receipt.
        var attack = await VoteAsync(owner3101, id, "agree", receipt3102);
        Assert.Equal(HttpStatusCode.Forbidden, attack.StatusCode);
        var problem = await attack.JsonAsync();
        Assert.Equal("badReceipt", problem["code"]!.GetValue<string>());
        Assert.Equal("application/problem+json", attack.Content.Headers.ContentType?.MediaType);
        // Nor does a receipt found elsewhere let anyone who has not voted yet in.
        Assert.Equal(HttpStatusCode.Forbidden, (await VoteAsync(await As("owner-xf-3-201"), id, "agree", receipt3102)).StatusCode);

        // 3-101 may still change its own vote, with its own receipt.
        var own = await VoteAsync(owner3101, id, "abstain", receipt3101);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(receipt3101, (await own.JsonAsync())["receipt"]!.GetValue<string>());

        var anonymous = App.CreateClient();
        Assert.True((await anonymous.GetJsonAsync($"/api/ballots/{id}/receipts/{receipt3102}"))["counted"]!.GetValue<bool>());
        var result = await ResultAfterCloseAsync(id);
        Assert.Equal(0, result["agree"]!["headcount"]!.GetValue<int>());
        Assert.Equal(1, result["disagree"]!["headcount"]!.GetValue<int>()); // 3-102's, untouched
        Assert.Equal(1, result["abstain"]!["headcount"]!.GetValue<int>());
        Assert.Equal(2, result["participating"]!["headcount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_paper_ballot_answers_the_committee_with_a_slip_not_the_receipt_and_the_owner_sees_the_receipt_signed_in()
    {
        var owner3102Id = await OwnerOfAsync("3-102");
        var id = await OpenBallotAsync(secret: true, allowRevote: false);
        var committee = await As("owners-committee");

        var entered = await committee.PostAsync($"/api/ballots/{id}/paper-votes", Form(owner3102Id, "agree", "sheet"));
        Assert.Equal(HttpStatusCode.OK, entered.StatusCode);
        var answer = (JsonObject)(await entered.JsonAsync());
        Assert.False(answer.ContainsKey("receipt"), $"the committee was handed the owner's receipt: {answer.ToJsonString()}");
        var slip = answer["slip"]!.GetValue<string>();

        var owner = await As("owner-xf-3-102");
        var mine = await owner.GetJsonAsync($"/api/ballots/{id}/me");
        Assert.Equal("paper", mine["channel"]!.GetValue<string>());
        var receipt = mine["receipt"]!.GetValue<string>();
        Assert.Matches("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", receipt);
        Assert.True((await App.CreateClient().GetJsonAsync($"/api/ballots/{id}/receipts/{receipt}"))["counted"]!.GetValue<bool>());
        // Another owner learns no receipt of 3-102's head.
        Assert.Null((await (await As("owner-xf-3-101")).GetJsonAsync($"/api/ballots/{id}/me"))["receipt"]);

        // The slip the committee prints for the owner carries it; nobody else may print it.
        var text = Pdf.Text(await committee.GetPdfAsync(slip));
        Assert.Contains(receipt, text);
        Assert.Contains("3-102", text);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.GetAsync(slip)).StatusCode);
    }

    [Fact]
    public async Task An_online_revote_over_a_proxy_vote_shows_the_online_vote_and_keeps_the_proxy_vote_in_the_committees_history()
    {
        var owner3101Id = await OwnerOfAsync("3-101");
        var id = await OpenBallotAsync(secret: false, allowRevote: true);
        var committee = await As("owners-committee");
        var proxy = await committee.PostAsync($"/api/ballots/{id}/proxy-votes", Form(owner3101Id, "disagree", "authorisation", "李四"));
        Assert.Equal(HttpStatusCode.OK, proxy.StatusCode);
        Assert.False(((JsonObject)await proxy.JsonAsync()).ContainsKey("receipt"));

        clock.Advance(TimeSpan.FromMinutes(1));
        var owner = await As("owner-xf-3-101");
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(owner, id, "agree")).StatusCode);

        var row = RowOf((await committee.GetJsonAsync($"/api/ballots/{id}/participation")).AsArray(), "3-101");
        Assert.Equal("online", row["channel"]!.GetValue<string>());
        Assert.Null(row["proxyName"]);
        Assert.Null(row["choice"]); // nobody but the voter sees a choice while the ballot is open (issue 15 §8)
        var history = Assert.Single(row["history"]!.AsArray())!;
        Assert.Equal("proxy", history["channel"]!.GetValue<string>());
        Assert.Equal("李四", history["proxyName"]!.GetValue<string>());
        Assert.Null(history["choice"]);
        Assert.True(history["replacedAt"]!.GetValue<DateTimeOffset>() > history["castAt"]!.GetValue<DateTimeOffset>());

        var mine = await owner.GetJsonAsync($"/api/ballots/{id}/me");
        Assert.Equal("online", mine["channel"]!.GetValue<string>());
        Assert.Equal("agree", mine["choice"]!.GetValue<string>());
        // Residents see what counts, not the history.
        Assert.Null(RowOf((await (await As("owner-xf-3-102")).GetJsonAsync($"/api/ballots/{id}/participation")).AsArray(), "3-101")["history"]);

        var result = await ResultAfterCloseAsync(id);
        Assert.Equal(1, result["agree"]!["headcount"]!.GetValue<int>());
        Assert.Equal(0, result["disagree"]!["headcount"]!.GetValue<int>());
        // After the close the committee sees what counted and what it replaced.
        var closed = RowOf((await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{id}/participation")).AsArray(), "3-101");
        Assert.Equal("agree", closed["choice"]!.GetValue<string>());
        Assert.Equal("disagree", closed["history"]![0]!["choice"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_a_secret_ballot_a_revote_over_a_proxy_vote_keeps_a_history_without_any_choice()
    {
        var owner3101Id = await OwnerOfAsync("3-101");
        var id = await OpenBallotAsync(secret: true, allowRevote: true);
        var committee = await As("owners-committee");
        Assert.Equal(HttpStatusCode.OK,
            (await committee.PostAsync($"/api/ballots/{id}/proxy-votes", Form(owner3101Id, "agree", "authorisation", "李四"))).StatusCode);

        var owner = await As("owner-xf-3-101");
        var receipt = (await owner.GetJsonAsync($"/api/ballots/{id}/me"))["receipt"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(owner, id, "disagree", receipt)).StatusCode);

        var participation = await committee.GetJsonAsync($"/api/ballots/{id}/participation");
        var row = RowOf(participation.AsArray(), "3-101");
        Assert.Equal("online", row["channel"]!.GetValue<string>());
        Assert.Null(row["proxyName"]);
        var history = Assert.Single(row["history"]!.AsArray())!;
        Assert.Equal("proxy", history["channel"]!.GetValue<string>());
        Assert.Equal("李四", history["proxyName"]!.GetValue<string>());
        var text = participation.ToJsonString();
        Assert.DoesNotContain("\"agree\"", text);
        Assert.DoesNotContain("\"disagree\"", text);

        var result = await ResultAfterCloseAsync(id);
        Assert.Equal(0, result["agree"]!["headcount"]!.GetValue<int>());
        Assert.Equal(1, result["disagree"]!["headcount"]!.GetValue<int>());
        Assert.Equal(1, result["participating"]!["headcount"]!.GetValue<int>());
    }
}
