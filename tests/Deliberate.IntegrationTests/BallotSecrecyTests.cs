using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Issue 15 §8: a secret ballot's choices are sealed in one box per ballot until the close, so the database alone links
/// no voter to a choice and holds no area beside one; at the close they are published by receipt hash for owners to
/// check and anyone to re-tally. A named ballot's choices and running totals are hidden while it is open; after the
/// close the estate's owners may inspect the choices and others see the totals.
/// </summary>
public sealed class BallotSecrecyTests : AppTest
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;

    /// <summary>Twenty owners of 幸福里 with one unit each (buildings 1 and 2, none of the special owners).</summary>
    static readonly string[] Owners =
    [
        "owner-xf-1-201", "owner-xf-1-202", "owner-xf-1-301", "owner-xf-1-302", "owner-xf-1-401", "owner-xf-1-402",
            "owner-xf-1-501", "owner-xf-1-502",
        "owner-xf-1-601", "owner-xf-1-602", "owner-xf-2-101", "owner-xf-2-102", "owner-xf-2-201", "owner-xf-2-202",
        "owner-xf-2-302", "owner-xf-2-401",
        "owner-xf-2-402", "owner-xf-2-501", "owner-xf-2-502", "owner-xf-2-601",
    ];

    static readonly string[] ChoiceWords = ["agree", "disagree", "abstain"];

    async Task<string> OpenBallotAsync(bool secret, bool allowRevote = false, Guid? scope = null)
    {
        var ballot = await OwnersBallots.OpenAsync(App, await As("owners-committee"), new
        {
            title = "是否同意使用公共收益更换小区路灯",
            proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary",
            kind = "other-major-matter",
            orgUnitId = scope ?? DemoData.Ids.Xingfuli,
            secret,
            allowRevote,
            closesAt = clock.GetUtcNow().AddDays(7),
        });
        return ballot["id"]!.GetValue<string>();
    }

    async Task CloseAsync(string ballotId)
    {
        clock.Advance(TimeSpan.FromDays(8));
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == "ballot.close")
            .HandleAsync(Guid.Parse(ballotId), CancellationToken.None);
    }

    static Task<HttpResponseMessage> VoteAsync(HttpClient client, string ballotId, string choice, string? receipt = null) =>
        client.PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice, receipt });

    static string Hash(string receipt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(receipt.Replace("-", "").Trim().ToUpperInvariant())));

    /// <summary>The raw rows of a table for one ballot, straight from the connection; the physical row order first (SQLite rowid, PostgreSQL
    /// ctid).</summary>
    async Task<List<Dictionary<string, object?>>> RawRowsAsync(string table, string ballotId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var sqlite = db.Database.IsSqlite();
        command.CommandText = sqlite
            ? $"SELECT rowid AS \"physical\", * FROM \"{table}\" WHERE \"BallotId\" = @id ORDER BY rowid"
            : $"SELECT ctid::text AS \"physical\", * FROM \"{table}\" WHERE \"BallotId\" = @id ORDER BY ctid";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = sqlite ? (object)Guid.Parse(ballotId).ToString().ToUpperInvariant() : Guid.Parse(ballotId);
        command.Parameters.Add(parameter);
        var rows = new List<Dictionary<string, object?>>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        return rows;
    }

    [Fact]
    public async Task The_database_of_an_open_secret_ballot_holds_its_choices_only_sealed_with_no_row_order_time_or_area_beside_them()
    {
        var id = await OpenBallotAsync(secret: true);
        var receipts = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(3));
            var answer = await VoteAsync(await As(Owners[i]), id, ChoiceWords[i % 3]);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            receipts.Add((await answer.JsonAsync())["receipt"]!.GetValue<string>());
        }
        var participations = await RawRowsAsync("BallotParticipations", id);
        Assert.Equal(10, participations.Count);
        Assert.All(participations, p => Assert.Null(p["OpenChoice"]));

        // No per-vote choice rows at all while open: nothing to line up with the participations by rowid, id or time.
        Assert.Empty(await RawRowsAsync("BallotChoices", id));
        var box = Assert.Single(await RawRowsAsync("BallotBoxes", id));
        Assert.Equal(["BallotId", "Sealed", "Version", "physical"], box.Keys.Order(StringComparer.Ordinal));
        var sealedBytes = (byte[])box["Sealed"]!;
        // Byte for byte (a culture-aware string search would skip the zero bytes of a decimal).
        bool Holds(byte[] needle) => sealedBytes.AsSpan().IndexOf(needle) >= 0;
        foreach (var word in ChoiceWords) Assert.False(Holds(Encoding.UTF8.GetBytes(word)), word);
        foreach (var receipt in receipts) Assert.DoesNotContain(Hash(receipt)[..16], Convert.ToHexStringLower((byte[])box["Sealed"]!));
        // The units' areas are nowhere near the box: neither as text nor as decimals' bytes.
        var areas = (await RawRowsAsync("BallotUnits", id))
            .Select(u => Convert.ToDecimal(u["Area"], System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.NotEmpty(areas);
        foreach (var area in areas)
        {
            Assert.False(Holds(Encoding.UTF8.GetBytes(area.ToString(System.Globalization.CultureInfo.InvariantCulture))), $"{area}");
            Assert.False(Holds(decimal.GetBits(area).SelectMany(BitConverter.GetBytes).ToArray()), $"{area} as a decimal");
        }
        // The audit log records the participations, never the box.
        Assert.DoesNotContain("BallotBox", await (await As("admin")).GetStringAsync("/api/audit?entityType=BallotBox"));

        await CloseAsync(id);
        Assert.Empty(await RawRowsAsync("BallotBoxes", id));
        var published = await RawRowsAsync("BallotChoices", id);
        Assert.Equal(10, published.Count);
        // Published all at once in the order of the receipt hashes: the physical order is that of the hashes, not of the votes.
        var hashes = published.Select(p => (string)p["ReceiptHash"]!).ToList();
        Assert.Equal(hashes.Order(StringComparer.Ordinal), hashes);
        Assert.Equal(receipts.Select(Hash).Order(StringComparer.Ordinal), hashes);
        Assert.Equal(["BallotId", "Choice", "ReceiptHash", "physical"], published[0].Keys.Order(StringComparer.Ordinal)); // no area, no time
    }

    [Fact]
    public async Task While_a_named_ballot_is_open_nobody_but_the_voter_sees_their_choice_and_nobody_sees_running_totals()
    {
        var id = await OpenBallotAsync(secret: false);
        var voter = await As("owner-xf-2-101");
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(voter, id, "disagree")).StatusCode);
        Assert.Equal("disagree", (await voter.GetJsonAsync($"/api/ballots/{id}/me"))["choice"]!.GetValue<string>());

        foreach (var reader in new[] { "owner-xf-2-102", "owners-committee", "secretary", "admin" })
        {
            var client = await As(reader);
            var participation = (await client.GetJsonAsync($"/api/ballots/{id}/participation")).AsArray();
            var row = Assert.Single(participation)!; // who voted: the turnout is no secret
            Assert.Null(row["choice"]);
            var ballot = await client.GetJsonAsync($"/api/ballots/{id}");
            Assert.Null(ballot["liveCounts"]);
            Assert.Null(ballot["result"]);
            Assert.Equal(1, ballot["participation"]!["heads"]!.GetValue<int>());
            var audit = await client.GetAsync($"/api/ballots/{id}/audit");
            if (audit.StatusCode == HttpStatusCode.OK) Assert.Empty((await audit.JsonAsync())["ballots"]!.AsArray());
            Assert.DoesNotContain("disagree", await (await client.GetAsync($"/api/ballots/{id}")).Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task After_a_named_ballot_closes_the_estates_owners_inspect_its_choices_and_other_residents_see_only_the_totals()
    {
        var building2 = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 2);
        var id = await OpenBallotAsync(secret: false, scope: building2);
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(await As("owner-xf-2-101"), id, "agree")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(await As("owner-xf-2-102"), id, "disagree")).StatusCode);
        await CloseAsync(id);

        // An owner in building 2 (who did not vote) inspects the ballots, each head's choice.
        var owner = await As("owner-xf-2-201");
        var rows = (await owner.GetJsonAsync($"/api/ballots/{id}/participation")).AsArray();
        Assert.Equal(["agree", "disagree"], rows.Select(r => r!["choice"]!.GetValue<string>()).Order());
        Assert.Equal(2, (await owner.GetJsonAsync($"/api/ballots/{id}/audit"))["ballots"]!.AsArray().Count);

        // A resident of 幸福里 who owns nothing in building 2: the totals, not who chose what.
        var other = await As("owner-xf-3-101");
        var ballot = await other.GetJsonAsync($"/api/ballots/{id}");
        Assert.Equal(1, ballot["result"]!["agree"]!["headcount"]!.GetValue<int>());
        Assert.All((await other.GetJsonAsync($"/api/ballots/{id}/participation")).AsArray(), r => Assert.Null(r!["choice"]));
        var audit = await other.GetAsync($"/api/ballots/{id}/audit");
        Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
        Assert.Equal("choicesForOwners", (await audit.JsonAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_receipt_checked_after_the_close_shows_the_choice_it_was_counted_as_and_before_it_only_that_it_was_counted()
    {
        var id = await OpenBallotAsync(secret: true, allowRevote: true);
        var owner = await As("owner-xf-2-101");
        var receipt = (await (await VoteAsync(owner, id, "agree")).JsonAsync())["receipt"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await VoteAsync(owner, id, "disagree", receipt)).StatusCode);
        var anonymous = App.CreateClient();
        var before = await anonymous.GetJsonAsync($"/api/ballots/{id}/receipts/{receipt}");
        Assert.True(before["counted"]!.GetValue<bool>());
        Assert.Null(before["choice"]);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.GetAsync($"/api/ballots/{id}/choices")).StatusCode);

        await CloseAsync(id);
        var after = await anonymous.GetJsonAsync($"/api/ballots/{id}/receipts/{receipt}");
        Assert.True(after["counted"]!.GetValue<bool>());
        Assert.Equal("disagree", after["choice"]!.GetValue<string>());
        // The revote left one entry, the last choice; the replaced one is gone.
        var published = await (await As("owner-xf-3-101")).GetJsonAsync($"/api/ballots/{id}/choices");
        var entry = Assert.Single(published["receipts"]!.AsArray())!;
        Assert.Equal((Hash(receipt), "disagree"), (entry["receiptHash"]!.GetValue<string>(), entry["choice"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Twenty_owners_voting_at_once_on_a_secret_ballot_are_all_counted_and_anyone_re_tallies_the_heads_from_the_published_receipts()
    {
        var id = await OpenBallotAsync(secret: true);
        var clients = await Task.WhenAll(Owners.Select(o => As(o)));
        var answers = await Task.WhenAll(clients.Select((c, i) => VoteAsync(c, id, ChoiceWords[i % 3])));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var receipts = (await Task.WhenAll(answers.Select(a => a.JsonAsync()))).Select(r => r["receipt"]!.GetValue<string>()).ToList();
        Assert.Equal(20, (await clients[0].GetJsonAsync($"/api/ballots/{id}"))["participation"]!["heads"]!.GetValue<int>());
        await CloseAsync(id);

        var published = await (await As("resident")).GetJsonAsync($"/api/ballots/{id}/choices");
        var entries = published["receipts"]!.AsArray();
        Assert.Equal(receipts.Select(Hash).Order(StringComparer.Ordinal), entries.Select(e => e!["receiptHash"]!.GetValue<string>()));
        // signed in again: the clock moved past the old session
        var result = (await (await As(Owners[0])).GetJsonAsync($"/api/ballots/{id}"))["result"]!;
        Assert.Equal(20, result["participating"]!["headcount"]!.GetValue<int>());
        foreach (var word in ChoiceWords)
        {
            var heads = entries.Count(e => e!["choice"]!.GetValue<string>() == word);
            Assert.Equal(Owners.Where((_, i) => ChoiceWords[i % 3] == word).Count(), heads);
            Assert.Equal(result[word]!["headcount"]!.GetValue<int>(), heads);
            Assert.Equal(result[word]!["area"]!.GetValue<decimal>(), published["totals"]![word]!["area"]!.GetValue<decimal>());
        }
        var anonymous = App.CreateClient();
        foreach (var receipt in receipts.Take(3))
            Assert.True((await anonymous.GetJsonAsync($"/api/ballots/{id}/receipts/{receipt}"))["counted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_stored_result_of_a_secret_ballot_equals_the_stateless_tally_of_the_same_votes_on_a_named_ballot()
    {
        var secret = await OpenBallotAsync(secret: true);
        var named = await OpenBallotAsync(secret: false);
        for (var i = 0; i < 12; i++)
        {
            var client = await As(Owners[i]);
            var choice = ChoiceWords[(i * 7) % 3];
            Assert.Equal(HttpStatusCode.OK, (await VoteAsync(client, secret, choice)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await VoteAsync(client, named, choice)).StatusCode);
        }
        await CloseAsync(secret);
        await CloseAsync(named);
        var committee = await As("owners-committee");
        var audit = await committee.GetJsonAsync($"/api/ballots/{named}/audit");
        var recomputed = await App.CreateClient().PostJsonAsync("/api/tally", audit);
        Assert.Equal(recomputed.ToJsonString(), (await committee.GetJsonAsync($"/api/ballots/{secret}"))["result"]!.ToJsonString());
    }
}
