using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Issue 17: the owners' ballot the six-step workflow opens is organised by the community's owners' committee, whoever completed
/// the decide step — as POST /api/ballots has it — and the committee, in whose name it is announced, is told.
/// </summary>
public sealed class WorkflowBallotOrganiserTests : AppTest
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;

    static readonly Guid Building3 = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 3); // in 第二网格

    /// <summary>The walk of SixStepMethodTests up to the decide step: raised, triaged as major, a four-party meeting held and closed.</summary>
    async Task<string> MatterAtTheDecideStepAsync(string title)
    {
        var matter = await (await As("resident")).PostJsonAsync("/api/matters", new
        {
            title, description = "3号楼屋面漏水，顶层住户家中渗水", category = "property", gridId = XingfuliGrid2, buildingId = Building3,
        });
        var matterId = matter["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker2"), matterId, "major", new { verified = true, note = "需业主表决" });

        var secretary = await As("secretary");
        JsonNode? meeting = null;
        foreach (var draft in (await secretary.GetJsonAsync("/api/meetings?state=draft"))["items"]!.AsArray())
        {
            var full = await secretary.GetJsonAsync($"/api/meetings/{draft!["id"]}");
            if (full["agenda"]!.AsArray().Any(a => a!["matterId"]?.GetValue<string>() == matterId)) meeting = full;
        }
        Assert.NotNull(meeting);
        var id = meeting!["id"]!.GetValue<string>();
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}", new
        {
            title = meeting["title"]!.GetValue<string>(), place = "红色议事厅", startsAt = clock.GetUtcNow().AddHours(1),
            chairName = "刘书记", recorderName = "孙主任",
        })).IsSuccessStatusCode);
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        clock.Advance(TimeSpan.FromHours(1));
        await RunDueAsync(clock.GetUtcNow());
        secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        var opened = await secretary.GetJsonAsync($"/api/meetings/{id}");
        var members = opened["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray()).ToList();
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", members.Select(p => new
        {
            participantId = p!["id"]!.GetValue<string>(),
            attendance = p["role"]!.GetValue<string>() == "member" ? "present" : "inAttendance",
        }))).IsSuccessStatusCode);
        var item = opened["agenda"]!.AsArray().First(a => a!["matterId"]?.GetValue<string>() == matterId)!["id"]!.GetValue<string>();
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "由3号楼业主表决屋面防水维修", responsibleUnit = "物业公司",
            deadline = DateOnly.FromDateTime(clock.GetUtcNow().AddDays(60).UtcDateTime), consensus = true,
            positions = members.Where(p => p!["role"]!.GetValue<string>() == "member").Select(p => p!["party"]!.GetValue<string>()).Distinct()
                .Select(party => new { party, position = "agree" }).ToArray(),
        });
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        Assert.Equal("decide", await StepOfAsync(await As("resident"), matterId));
        return matterId;
    }

    [Fact]
    public async Task The_secretarys_choice_of_an_owners_vote_opens_a_ballot_organised_by_the_owners_committee_which_is_told_with_a_console_link()
    {
        var matterId = await MatterAtTheDecideStepAsync("3号楼屋面防水维修");
        // The secretary (刘书记), who is not of the owners' committee and could not open this ballot through POST /api/ballots, decides.
        await CompleteAsync(await As("secretary"), matterId, "ownersOrdinary", new { kind = "other-major-matter", note = "按一般事项由3号楼业主表决" });

        var committee = await As("owners-committee");
        var ballotId = (await committee.GetJsonAsync($"/api/ballots?matterId={matterId}"))["items"]!.AsArray().Single()!["id"]!
            .GetValue<string>();
        var organiser = (await committee.GetJsonAsync($"/api/ballots/{ballotId}"))["organiser"]!;
        Assert.Equal("ownersCommittee", organiser["body"]!.GetValue<string>());
        Assert.Equal("业主委员会", organiser["bodyName"]!.GetValue<string>());
        Assert.Null(organiser["name"]); // the committee records no chair; never the secretary who completed the step

        // The public announcement names the committee alone.
        var notice = (await (await As("resident")).GetJsonAsync("/api/notices")).AsArray()
            .Single(n => n!["kind"]!.GetValue<string>() == "ballotAnnouncement" && n["ballotId"]?.GetValue<string>() == ballotId)!;
        var body = notice["body"]!.GetValue<string>();
        Assert.Contains("组织者：业主委员会", body);
        Assert.DoesNotContain("刘书记", body);

        // Every member of the committee hears of the ballot announced in its name, with a link to it in the console.
        var told = Assert.Single((await committee.GetJsonAsync("/api/notifications")).AsArray(),
            n => n!["kind"]!.GetValue<string>() == "ballotAnnounced")!;
        Assert.Equal($"/console/ballots/{ballotId}", told["link"]!.GetValue<string>());
        Assert.Contains("3号楼屋面防水维修", told["title"]!.GetValue<string>());
        Assert.Contains("业主委员会", told["body"]!.GetValue<string>());
        // The secretary, not of the committee, is not told as if they were.
        Assert.DoesNotContain((await (await As("secretary")).GetJsonAsync("/api/notifications")).AsArray(),
            n => n!["kind"]!.GetValue<string>() == "ballotAnnounced");
    }
}
