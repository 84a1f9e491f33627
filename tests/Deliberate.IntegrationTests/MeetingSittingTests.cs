using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The outside tester's second pass on issue 17 (meetings): a meeting opened early showed its planned time and an end before its
/// start; a four-party meeting convened with one party; an invisible right-to-left mark kept in what a resident wrote.
/// </summary>
public sealed class MeetingSittingTests : AppTest
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static DateTimeOffset In(int minutes) => DateTimeOffset.UtcNow.AddMinutes(minutes);

    async Task<string> FourPartyDraftAsync(HttpClient secretary, IEnumerable<(string Party, string Name)> members, Guid? matterId = null)
    {
        var id = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = In(10), chairName = "刘书记", recorderName = "孙主任",
        }));
        foreach (var (party, name) in members)
            await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party, name });
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "路灯不亮", matterId });
        return id;
    }

    static readonly (string, string)[] FourParties =
        [("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"), ("propertyCompany", "吴经理")];

    [Fact]
    public async Task A_four_party_meeting_does_not_convene_without_an_invitee_from_each_party_and_the_refusal_names_the_missing_ones()
    {
        var secretary = await As("secretary");
        var id = await FourPartyDraftAsync(secretary, [("partyOrganisation", "刘书记"), ("residentRepresentatives", "王代表")]);

        var refused = await secretary.PostAsJsonAsync($"/api/meetings/{id}/convene", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.Equal("partiesMissing", problem["code"]!.GetValue<string>());
        Assert.Equal("四方联席会议须邀请四方各至少一人，尚未邀请：居委会、业委会、物业公司。", problem["detail"]!.GetValue<string>());

        foreach (var (party, name) in FourParties.Skip(1))
            await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party, name });
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
    }

    [Fact]
    public async Task A_meeting_opened_early_and_closed_before_its_planned_time_is_shown_by_when_it_sat_never_with_an_end_before_its_start()
    {
        var resident = await As("resident");
        var matter = await resident.PostJsonAsync("/api/matters", new
        {
            title = "路灯不亮", description = "晚上很黑", category = "facilities", gridId = XingfuliGrid1,
        });
        var secretary = await As("secretary");
        var id = await FourPartyDraftAsync(secretary, FourParties, Guid.Parse(Id(matter)));
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { }); // ten minutes before the time the notice gave
        var opened = await secretary.GetJsonAsync($"/api/meetings/{id}");
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", opened["parties"]!.AsArray()
            .SelectMany(p => p!["participants"]!.AsArray())
            .Select(p => new { participantId = Id(p!), attendance = "present" }).ToArray())).IsSuccessStatusCode);
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });

        var meeting = await secretary.GetJsonAsync($"/api/meetings/{id}");
        var startsAt = meeting["startsAt"]!.GetValue<DateTimeOffset>();
        var openedAt = meeting["openedAt"]!.GetValue<DateTimeOffset>();
        var closedAt = meeting["closedAt"]!.GetValue<DateTimeOffset>();
        Assert.True(openedAt < startsAt && closedAt < startsAt);
        Assert.True(meeting["endsAt"] is null || meeting["endsAt"]!.GetValue<DateTimeOffset>() >= startsAt,
            $"endsAt {meeting["endsAt"]} is before startsAt {startsAt}");

        // The raiser's meeting card is told when the meeting sat.
        var card = (await resident.GetJsonAsync($"/api/meetings/for-matter/{Id(matter)}")).AsArray().Single()!;
        Assert.Equal(openedAt, card["openedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(closedAt, card["closedAt"]!.GetValue<DateTimeOffset>());
    }
}
