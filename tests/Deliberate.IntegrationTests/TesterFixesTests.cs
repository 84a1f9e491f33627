using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// What the outside tester found on the merged build (issue 17, fixes part 1): a neighbour reading a public matter learns
/// no names or user ids; the secretary finds the draft a 大事 landed on in 待办; the resident is not shown a draft's
/// invented time and hears when the meeting for their matter is noticed, moved or cancelled.
/// </summary>
public sealed class TesterFixesTests : AppTest
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();

    static async Task<JsonNode> PutJsonAsync(HttpClient client, string url, object body)
    {
        var response = await client.PutAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>The resident (陈晓燕) raises a matter; the grid worker hears it as 大事, which puts it on a draft four-party meeting.</summary>
    async Task<(string MatterId, string MeetingId)> MajorMatterAsync()
    {
        var matterId = Id(await RaiseAsync(await As("resident"), "小区路灯坏了一排"));
        await CompleteAsync(await As("gridworker"), matterId, "major", new { verified = true, note = "已到现场核实，需四方商议" });
        var meetings = (await (await As("admin")).GetJsonAsync($"/api/meetings/for-matter/{matterId}")).AsArray();
        return (matterId, Str(Assert.Single(meetings)!["meetingId"]));
    }

    static async Task<string> UserIdAsync(HttpClient client) => Id(await client.GetJsonAsync("/api/auth/me"));

    [Fact]
    public async Task A_neighbour_reading_a_public_matter_sees_a_resident_and_the_staff_role_but_no_name_and_no_user_id()
    {
        var (matterId, _) = await MajorMatterAsync();
        var residentId = await UserIdAsync(await As("resident"));
        var gridWorker = await As("gridworker");
        var gridWorkerId = await UserIdAsync(gridWorker);

        var response = await (await As("owner-xf-2-101")).GetAsync($"/api/matters/{matterId}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = JsonNode.Parse(text)!;
        Assert.True(seen["isPublic"]!.GetValue<bool>());
        Assert.Equal("居民", Str(seen["raisedBy"]!["name"]));
        Assert.Null(seen["raisedBy"]!["id"]);
        Assert.Null(seen["contactPhone"]);
        var timeline = seen["timeline"]!.AsArray();
        Assert.Equal("居民", Str(timeline.Single(e => Str(e!["kind"]) == "raised")!["actor"]!["name"]));
        Assert.Contains(timeline, e => e!["actor"]?["name"]?.GetValue<string>() == "网格员");
        Assert.All(timeline, e => Assert.Null(e!["actor"]?["id"]));
        Assert.DoesNotContain("陈晓燕", text);
        Assert.DoesNotContain(residentId, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(gridWorkerId, text, StringComparison.OrdinalIgnoreCase);

        var inEnglish = await (await As("owner-xf-2-101", "en")).GetJsonAsync($"/api/matters/{matterId}");
        Assert.Equal("A resident", Str(inEnglish["raisedBy"]!["name"]));

        // The raiser and the staff keep reading names.
        foreach (var insider in new[] { "resident", "gridworker", "secretary" })
        {
            var full = await (await As(insider)).GetJsonAsync($"/api/matters/{matterId}");
            Assert.Equal(("陈晓燕", residentId), (Str(full["raisedBy"]!["name"]), Str(full["raisedBy"]!["id"])));
            Assert.DoesNotContain(full["timeline"]!.AsArray(), e => e!["actor"]?["name"]?.GetValue<string>() == "网格员");
        }
    }

    [Fact]
    public async Task After_a_major_matter_lands_on_a_draft_meeting_the_secretary_finds_the_draft_to_prepare()
    {
        var (_, meetingId) = await MajorMatterAsync();
        var secretary = await As("secretary");
        var drafts = (await secretary.GetJsonAsync("/api/meetings?state=draft&pageSize=100"))["items"]!.AsArray();
        var draft = Assert.Single(drafts, m => Id(m!) == meetingId)!;
        Assert.Equal(1, draft["agendaItems"]!.GetValue<int>());
        var told = (await secretary.GetJsonAsync("/api/notifications")).AsArray();
        Assert.Contains(told, n => Str(n!["link"]) == $"/console/meetings/{meetingId}");
    }

    [Fact]
    public async Task A_draft_meeting_shows_the_resident_no_time_until_its_notice_goes_out()
    {
        var (matterId, meetingId) = await MajorMatterAsync();
        var resident = await As("resident");
        var shown = Assert.Single((await resident.GetJsonAsync($"/api/meetings/for-matter/{matterId}")).AsArray())!;
        Assert.Equal("draft", Str(shown["state"]));
        Assert.Null(shown["startsAt"]);
        Assert.Equal("", Str(shown["place"]));

        await ConveneAsync(await As("secretary"), meetingId);
        shown = Assert.Single((await resident.GetJsonAsync($"/api/meetings/for-matter/{matterId}")).AsArray())!;
        Assert.NotNull(shown["startsAt"]);
        Assert.Equal("社区红色议事厅", Str(shown["place"]));
    }

    static async Task<JsonNode> ConveneAsync(HttpClient secretary, string meetingId)
    {
        var draft = await secretary.GetJsonAsync($"/api/meetings/{meetingId}");
        await PutJsonAsync(secretary, $"/api/meetings/{meetingId}", new
        {
            title = Str(draft["title"]), place = "社区红色议事厅", startsAt = DateTimeOffset.Parse(Str(draft["startsAt"])),
            chairName = Str(draft["chairName"]), chairUserId = Str(draft["chairUserId"]), recorderName = "孙主任",
            revision = draft["revision"]!.GetValue<int>(),
        });
        return await secretary.PostJsonAsync($"/api/meetings/{meetingId}/convene", new { });
    }

    static async Task<JsonArray> AboutMyMatterAsync(HttpClient resident, string matterId) =>
        new((await resident.GetJsonAsync("/api/notifications")).AsArray()
            .Where(n => Str(n!["link"]) == $"/m/matters/{matterId}").Select(n => n!.DeepClone()).ToArray());

    [Fact]
    public async Task The_raiser_is_told_with_a_link_to_their_matter_when_its_meeting_is_noticed_rescheduled_and_cancelled()
    {
        var (matterId, meetingId) = await MajorMatterAsync();
        var resident = await As("resident");
        var secretary = await As("secretary");
        Assert.Empty(await AboutMyMatterAsync(resident, matterId));

        var convened = await ConveneAsync(secretary, meetingId);
        var noticed = Assert.Single(await AboutMyMatterAsync(resident, matterId))!;
        Assert.Equal("议事安排：小区路灯坏了一排", Str(noticed["title"]));
        Assert.Contains("社区红色议事厅", Str(noticed["body"]));

        var at = DateTimeOffset.UtcNow.AddDays(5);
        var moved = await secretary.PostJsonAsync($"/api/meetings/{meetingId}/reschedule",
            new { startsAt = at, reason = "书记外出开会", revision = convened["revision"]!.GetValue<int>() });
        var told = await AboutMyMatterAsync(resident, matterId);
        Assert.Equal(2, told.Count);
        Assert.Contains(told, n => Str(n!["body"]).Contains("改期") && Str(n!["body"]).Contains("书记外出开会"));

        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/cancel",
            new { reason = "改为月度例会一并商议", revision = moved["revision"]!.GetValue<int>() });
        told = await AboutMyMatterAsync(resident, matterId);
        Assert.Equal(3, told.Count);
        // The agenda went onto a new draft: its server-chosen time is not promised to the resident.
        Assert.Contains(told, n => Str(n!["body"]).Contains("改为月度例会一并商议") && Str(n!["body"]).Contains("时间待定"));

        var inEnglish = (await (await As("resident", "en")).GetJsonAsync("/api/notifications")).AsArray();
        Assert.Contains(inEnglish, n => Str(n!["title"]) == "Meeting for your matter: 小区路灯坏了一排");
    }
}
