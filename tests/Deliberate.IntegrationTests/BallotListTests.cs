using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The ballot list comes in pages counted in the database, like the inbox; and whether a ballot is an owners' vote is stored
/// on it, with ballots stored before given the answer the code used to work out from their rule and meeting.
/// </summary>
public sealed class BallotListTests : AppTest
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected override TimeProvider? Clock => clock;

    static string Str(JsonNode? node) => node!.GetValue<string>();

    async Task<string> AnnounceAsync(HttpClient committee, string title)
    {
        var opensAt = clock.GetUtcNow().AddDays(16);
        var response = await committee.PostAsJsonAsync("/api/ballots", new
        {
            title, proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary", kind = "other-major-matter", orgUnitId = DemoData.Ids.Xingfuli,
            opensAt, closesAt = opensAt.AddDays(7),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Str((await response.JsonAsync())["id"]);
    }

    /// <summary>Every page of the list at this size, and the total each page reported.</summary>
    static async Task<(List<JsonNode> Items, List<int> Totals)> AllPagesAsync(HttpClient client, int pageSize)
    {
        var items = new List<JsonNode>();
        var totals = new List<int>();
        for (var page = 1; page < 100; page++)
        {
            var answer = await client.GetJsonAsync($"/api/ballots?page={page}&pageSize={pageSize}");
            Assert.Equal(page, answer["page"]!.GetValue<int>());
            Assert.Equal(pageSize, answer["pageSize"]!.GetValue<int>());
            totals.Add(answer["total"]!.GetValue<int>());
            var batch = answer["items"]!.AsArray();
            Assert.True(batch.Count <= pageSize);
            if (batch.Count == 0) break;
            items.AddRange(batch.Select(b => b!));
        }
        return (items, totals);
    }

    [Fact]
    public async Task The_ballot_list_comes_in_pages_with_its_total_and_a_resident_of_another_community_sees_none_of_its_ballots()
    {
        var committee = await As("owners-committee");
        var neighbour = await As("owner-hp-1-101");
        var neighbourBefore = (await neighbour.GetJsonAsync("/api/ballots"))["total"]!.GetValue<int>();
        var before = (await committee.GetJsonAsync("/api/ballots"))["total"]!.GetValue<int>();
        var created = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            created.Add(await AnnounceAsync(committee, $"第{i}号表决事项"));
            clock.Advance(TimeSpan.FromMinutes(1)); // newest first: each one made after the last
        }

        var (items, totals) = await AllPagesAsync(committee, pageSize: 2);
        Assert.True(items.Count > 2); // more than one page
        Assert.All(totals, t => Assert.Equal(before + 5, t));
        Assert.Equal(before + 5, items.Count);
        Assert.Equal(items.Count, items.Select(b => Str(b["id"])).Distinct().Count()); // no ballot on two pages
        Assert.Equal(Enumerable.Reverse(created), items.Take(5).Select(b => Str(b["id"])));

        // An owner of the same community sees them; an owner of another community sees neither them nor a different total.
        var owner = (await (await As("owner-xf-3-101")).GetJsonAsync("/api/ballots?pageSize=100"))["items"]!.AsArray()
            .Select(b => Str(b!["id"])).ToList();
        Assert.All(created, id => Assert.Contains(id, owner));
        var (theirs, theirTotals) = await AllPagesAsync(neighbour, pageSize: 2);
        Assert.All(theirTotals, t => Assert.Equal(neighbourBefore, t));
        Assert.DoesNotContain(theirs, b => created.Contains(Str(b["id"])));
    }

    [Fact]
    public async Task A_page_out_of_range_is_refused_as_the_inbox_refuses_it()
    {
        var committee = await As("owners-committee");
        Assert.NotNull((await ProblemAssert.IsProblemAsync(await committee.GetAsync("/api/ballots?page=0"), HttpStatusCode.BadRequest,
            "validation"))["errors"]!["page"]);
        Assert.NotNull((await ProblemAssert.IsProblemAsync(await committee.GetAsync("/api/ballots?pageSize=101"), HttpStatusCode.BadRequest,
            "validation"))["errors"]!["pageSize"]);
    }

    [Fact]
    public async Task An_unknown_status_is_refused_naming_the_statuses_and_a_faulted_one_can_be_asked_for()
    {
        var committee = await As("owners-committee", "en-US");
        var problem = await ProblemAssert.IsProblemAsync(await committee.GetAsync("/api/ballots?status=bogus"),
            HttpStatusCode.BadRequest, "validation");
        Assert.Contains("faulted", problem["errors"]!["status"]![0]!.GetValue<string>());
        var faulted = await committee.GetJsonAsync("/api/ballots?status=faulted");
        Assert.All(faulted["items"]!.AsArray(), b => Assert.Equal("faulted", Str(b!["status"])));
    }

    public static TheoryData<string, bool> RulesAndMeetings => new()
    {
        { TallyRules.CivilCode278Ordinary, false }, { TallyRules.CivilCode278Ordinary, true },
        { TallyRules.CivilCode278Major, false }, { TallyRules.CivilCode278Major, true },
        { TallyRules.Custom, false }, { TallyRules.Custom, true },
        { "owners-committee", true }, { "residents-meeting", true }, { "representatives-meeting", true },
    };

    /// <summary>
    /// A ballot row as the database held it before the column: the migration gives it what
    /// <see cref="BallotCounting.IsOwnersRule"/> (the old per-call-site answer) says of its rule and meeting.
    /// </summary>
    [Theory]
    [MemberData(nameof(RulesAndMeetings))]
    public async Task A_ballot_stored_before_IsOwnersVote_gets_the_answer_the_code_worked_out_from_its_rule_and_meeting(string rule, bool inMeeting)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var ballotId = await db.Ballots.Select(b => b.Id).FirstAsync();
        Guid? meetingId = inMeeting ? await db.Meetings.Select(m => m.Id).FirstAsync() : null;
        var migrations = db.Database.GetMigrations().ToList();
        var added = migrations.FindIndex(m => m.EndsWith("_BallotIsOwnersVote", StringComparison.Ordinal));
        Assert.True(added > 0, "the migration that adds Ballot.IsOwnersVote");
        var migrator = db.GetService<IMigrator>();

        await migrator.MigrateAsync(migrations[added - 1]); // the column is gone
        await db.Database.ExecuteSqlAsync($"UPDATE \"Ballots\" SET \"Rule\" = {rule}, \"MeetingId\" = {meetingId} WHERE \"Id\" = {ballotId}");
        await migrator.MigrateAsync(); // and back, computed for the stored rows

        var stored = await db.Ballots.AsNoTracking().Where(b => b.Id == ballotId)
            .Select(b => new { b.Rule, b.MeetingId, b.IsOwnersVote }).SingleAsync();
        Assert.Equal((rule, meetingId), (stored.Rule, stored.MeetingId));
        Assert.Equal(BallotCounting.IsOwnersRule(rule, meetingId), stored.IsOwnersVote);
    }
}
