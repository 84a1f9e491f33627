using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// A notice, ballot, meeting, consultation or review cycle of one community may not name another community's matter
/// or user: the request is refused with 400 naming the field, and nothing of it is made.
/// </summary>
public sealed class CrossCommunityReferenceTests : AppTest
{
    static readonly string Xingfuli = DemoData.Ids.Xingfuli.ToString();

    async Task<string> UserIdAsync(string userName) => (await (await As(userName)).GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();

    async Task<string> HepingMatterAsync() => (await RaiseAsync(await As("hp-gridworker"), "和平社区路面破损", HepingGrid1))["id"]!.GetValue<string>();

    static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        var problem = JsonNode.Parse(body)!;
        Assert.True(problem["errors"]?[field] is not null, $"expected an error on {field}: {body}");
    }

    static DateTimeOffset Later => DateTimeOffset.UtcNow.AddDays(3);

    [Fact]
    public async Task A_notice_naming_another_communitys_matter_is_refused()
    {
        var matterId = await HepingMatterAsync();
        var secretary = await As("secretary");
        await AssertRefusedAsync(await secretary.PostAsJsonAsync("/api/notices",
            new { orgUnitId = Xingfuli, kind = "other", title = "公示", body = "正文", days = 5, matterId }), "matterId");
        Assert.Empty((await (await As("hp-secretary")).GetJsonAsync("/api/notices?all=true")).AsArray());

        var own = (await RaiseAsync(await As("resident")))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Created, (await secretary.PostAsJsonAsync("/api/notices",
            new { orgUnitId = Xingfuli, kind = "other", title = "公示", body = "正文", days = 5, matterId = own })).StatusCode);
    }

    [Fact]
    public async Task A_ballot_naming_another_communitys_matter_is_refused()
    {
        var matterId = await HepingMatterAsync();
        await AssertRefusedAsync(await (await As("owners-committee")).PostAsJsonAsync("/api/ballots", OwnersBallots.Announced(new
        {
            title = "是否同意修路", proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary", kind = "other-major-matter",
            orgUnitId = Xingfuli, closesAt = Later, matterId,
        }, DateTimeOffset.UtcNow)), "matterId");
    }

    [Theory]
    [InlineData("chairUserId")]
    [InlineData("recorderUserId")]
    public async Task A_meeting_with_another_communitys_user_as_chair_or_recorder_is_refused(string field)
    {
        var outsider = await UserIdAsync("hp-secretary");
        var body = new Dictionary<string, object?>
        {
            ["type"] = "fourParty", ["orgUnitId"] = Xingfuli, ["title"] = "四方联席会议", ["place"] = "议事厅", ["startsAt"] = Later, [field] = outsider,
        };
        await AssertRefusedAsync(await (await As("secretary")).PostAsJsonAsync("/api/meetings", body), field);
    }

    [Fact]
    public async Task Another_communitys_user_cannot_be_made_a_participant_and_so_cannot_read_the_meeting()
    {
        var secretary = await As("secretary");
        var meeting = await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = Xingfuli, title = "四方联席会议", place = "议事厅", startsAt = Later,
        });
        var id = meeting["id"]!.GetValue<string>();
        await AssertRefusedAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/participants",
            new { party = "propertyCompany", userId = await UserIdAsync("hp-property") }), "userId");
        await AssertRefusedAsync(await secretary.PutAsJsonAsync($"/api/meetings/{id}", new
        {
            title = "四方联席会议", place = "议事厅", startsAt = Later, chairUserId = await UserIdAsync("hp-secretary"),
        }), "chairUserId");
        Assert.Equal(HttpStatusCode.NotFound, (await (await As("hp-property")).GetAsync($"/api/meetings/{id}")).StatusCode);

        // Street staff are over the community: they may take part.
        Assert.Equal(HttpStatusCode.Created, (await secretary.PostAsJsonAsync($"/api/meetings/{id}/participants",
            new { party = "streetOffice", userId = await UserIdAsync("street") })).StatusCode);
    }

    [Fact]
    public async Task A_consultation_inviting_another_communitys_user_is_refused()
    {
        await AssertRefusedAsync(await (await As("secretary")).PostAsJsonAsync("/api/consultations", new
        {
            orgUnitId = Xingfuli, title = "征求意见", question = "是否同意？", closesAt = Later,
            invitees = new[] { new { party = "propertyCompany", userId = await UserIdAsync("hp-property") } },
        }), "invitees[0].userId");
    }

    [Fact]
    public async Task A_review_cycle_convened_by_another_communitys_user_is_refused()
    {
        await AssertRefusedAsync(await (await As("secretary")).PostAsJsonAsync("/api/review-cycles", new
        {
            communityId = Xingfuli, name = "月度例会", meetingType = "fourParty", cron = "0 0 15 ? * TUE#1",
            convenerUserId = await UserIdAsync("hp-secretary"),
        }), "convenerUserId");
    }
}
