using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// No quorum, no decision (issue 15 §6): a meeting without its quorum may discuss, but records no resolution and takes
/// no vote; it can be adjourned to a new time; its minutes say the quorum was not met and who came.
/// </summary>
public sealed class MeetingQuorumRuleTests : AppTest
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();

    static readonly (string Party, string Name)[] FiveParties =
    [
        ("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"),
        ("propertyCompany", "吴经理"), ("residentRepresentatives", "陈晓燕"),
    ];

    /// <summary>A four-party meeting of five parties in session, with the given parties' members present and the others absent.</summary>
    static async Task<(string Id, string Item, Dictionary<string, string> Members)> InSessionAsync(HttpClient secretary,
        params string[] presentParties)
    {
        var id = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = DateTimeOffset.UtcNow.AddMinutes(10), chairName = "刘书记", recorderName = "孙主任",
        }));
        var members = new Dictionary<string, string>();
        foreach (var (party, name) in FiveParties)
            members[party] = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party, name }));
        var item = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "3号楼门口路灯不亮" }));
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        await RecordAsync(secretary, id, members, presentParties);
        return (id, item, members);
    }

    static async Task RecordAsync(HttpClient secretary, string id, Dictionary<string, string> members, string[] presentParties) =>
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", members.Select(m => new
        {
            participantId = m.Value, attendance = presentParties.Contains(m.Key) ? "present" : "absent",
        }).ToArray())).IsSuccessStatusCode);

    static string Deadline => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)).ToString("yyyy-MM-dd");

    [Fact]
    public async Task A_four_party_meeting_with_one_of_five_parties_present_discusses_but_refuses_a_resolution_and_a_member_vote_and_records_nothing()
    {
        var secretary = await As("secretary");
        var (id, item, _) = await InSessionAsync(secretary, "partyOrganisation");
        var quorum = (await secretary.GetJsonAsync($"/api/meetings/{id}"))["quorum"]!;
        Assert.Equal((false, 1, 5, 3),
            (quorum["met"]!.GetValue<bool>(), quorum["counted"]!.GetValue<int>(), quorum["of"]!.GetValue<int>(),
                quorum["required"]!.GetValue<int>()));

        // Discussing is allowed.
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/opinions", new { party = "partyOrganisation", text = "路灯关系老人夜间出行，应尽快解决" });
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/motions", new { text = "物业一周内更换路灯", proposedBy = "刘书记" });

        var resolution = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions",
            new { agendaItemId = item, text = "物业一周内更换路灯", responsibleUnit = "物业公司", deadline = Deadline }), HttpStatusCode.Conflict, "quorumNotMet");
        var detail = Str(resolution["detail"]);
        Assert.Contains("刘书记（社区党组织）", detail); // who is present
        Assert.Contains("至少 3 方", detail);            // what the quorum needs
        Assert.Contains("实到 1 方", detail);

        // A four-party meeting takes no member vote at all (issue 15 §5; see MeetingBodyRuleTests), quorum or not.
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/ballots", new
        {
            title = "更换3号楼门口两盏路灯", rule = "residents-meeting", meetingId = id, agendaItemId = item, closesAt = DateTimeOffset.UtcNow.AddHours(1),
        }), HttpStatusCode.Conflict, "consultativeMeeting");

        var english = await As("secretary", "en");
        var en = Str((await ProblemAssert.IsProblemAsync(await english.PostAsJsonAsync($"/api/meetings/{id}/resolutions",
            new { text = "物业一周内更换路灯", responsibleUnit = "物业公司", deadline = Deadline }), HttpStatusCode.Conflict, "quorumNotMet"))["detail"]);
        Assert.Contains("at least 3 of 5 parties", en);
        Assert.Contains("刘书记 (Party organisation)", en);

        var meeting = await secretary.GetJsonAsync($"/api/meetings/{id}");
        Assert.Empty(meeting["resolutions"]!.AsArray());
        Assert.Single(meeting["agenda"]![0]!["opinions"]!.AsArray());
        Assert.Empty((await secretary.GetJsonAsync($"/api/ballots?meetingId={id}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task An_inquorate_meeting_adjourned_to_a_new_time_is_convened_again_and_with_its_quorum_records_a_resolution()
    {
        var secretary = await As("secretary");
        var (id, item, members) = await InSessionAsync(secretary, "partyOrganisation");
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/opinions", new { party = "partyOrganisation", text = "路灯关系老人夜间出行，应尽快解决" });

        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/adjourn", new { }),
            HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/adjourn",
            new { startsAt = DateTimeOffset.UtcNow.AddMinutes(-1) }),
            HttpStatusCode.BadRequest, "validation");

        var newTime = DateTimeOffset.UtcNow.AddMinutes(20);
        var adjourned = await secretary.PostJsonAsync($"/api/meetings/{id}/adjourn", new { startsAt = newTime });
        Assert.Equal("convened", Str(adjourned["state"]));
        Assert.Equal(newTime.ToUnixTimeSeconds(), adjourned["startsAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.All(adjourned["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray()),
            p => Assert.Equal("unrecorded", Str(p!["attendance"])));
        Assert.Single(adjourned["agenda"]![0]!["opinions"]!.AsArray()); // what was discussed stays on record
        Assert.Empty(adjourned["resolutions"]!.AsArray());

        // The next session, with three of the five parties present, decides.
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        await RecordAsync(secretary, id, members, ["partyOrganisation", "ownersCommittee", "propertyCompany"]);
        Assert.True((await secretary.GetJsonAsync($"/api/meetings/{id}"))["quorum"]!["met"]!.GetValue<bool>());
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "物业一周内更换路灯", responsibleUnit = "物业公司", deadline = Deadline, consensus = true,
            positions = new[] { "partyOrganisation", "ownersCommittee",
            "propertyCompany" }.Select(party => new { party, position = "agree" }).ToArray(),
        });

        // Once it has decided, it closes; it does not adjourn.
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/adjourn",
            new { startsAt = DateTimeOffset.UtcNow.AddDays(1) }),
            HttpStatusCode.Conflict, "decisionsTaken");
        var closed = await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        Assert.Equal("closed", Str(closed["state"]));
        Assert.Single(closed["resolutions"]!.AsArray());
    }

    [Fact]
    public async Task The_minutes_of_an_inquorate_meeting_say_the_quorum_was_not_met_and_list_who_came_and_no_resolution()
    {
        var secretary = await As("secretary");
        var (id, item, _) = await InSessionAsync(secretary, "partyOrganisation");
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/opinions", new { party = "partyOrganisation", text = "路灯关系老人夜间出行，应尽快解决" });
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });

        var text = Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf"));
        Assert.Contains("未达到法定人数", text);
        Assert.Contains("只进行了讨论", text);
        Assert.Contains("刘书记", text);
        Assert.DoesNotContain("经会议研究", text);
        foreach (var absent in new[] { "孙主任", "周主任", "吴经理", "陈晓燕" }) Assert.Contains(absent, text); // listed, under 缺席

        var english = Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf?lang=en"));
        Assert.Contains("quorum was not met", english);
        Assert.DoesNotContain("resolved as follows", english);
    }
}
