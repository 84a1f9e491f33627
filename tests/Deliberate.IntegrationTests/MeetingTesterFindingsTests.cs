using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>What an outside tester found in issue 15's meetings (§5, §6): a quorum lost after a vote opened, four-party positions
/// of absent parties, the home page's ballots, the member vote's audit message.</summary>
public sealed class MeetingTesterFindingsTests : AppTest
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();
    static DateTimeOffset In(int minutes) => DateTimeOffset.UtcNow.AddMinutes(minutes);
    static string Deadline => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)).ToString("yyyy-MM-dd");
    async Task<string> UserIdAsync(string userName) => Id(await (await As(userName)).GetJsonAsync("/api/auth/me"));

    /// <summary>Owners' committee of five, the three with accounts present; returns the meeting, item and members' ids.</summary>
    async Task<(string Id, string Item, List<string> Members)> OwnersCommitteeInSessionAsync(HttpClient organiser, bool adjournFirst = false)
    {
        var id = Id(await organiser.PostJsonAsync("/api/meetings", new
        {
            type = "ownersCommittee", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里业委会第13次会议", place = "业委会办公室",
            startsAt = In(10), chairName = "周主任", recorderName = "业委会秘书",
        }));
        var members = new List<string>();
        foreach (var user in new[] { "owners-committee", "owner-xf-3-101", "owner-xf-3-102" })
            members.Add(Id(await organiser.PostJsonAsync($"/api/meetings/{id}/participants",
                new { party = "ownersCommittee", userId = await UserIdAsync(user) })));
        foreach (var name in new[] { "钱委员", "赵委员" })
            members.Add(Id(await organiser.PostJsonAsync($"/api/meetings/{id}/participants", new { party = "ownersCommittee", name })));
        var item = Id(await organiser.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "续聘物业公司" }));
        await organiser.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await organiser.PostJsonAsync($"/api/meetings/{id}/open", new { });
        if (adjournFirst)
        {
            await AttendAsync(organiser, id, members, 1);
            await organiser.PostJsonAsync($"/api/meetings/{id}/adjourn", new { startsAt = In(20) });
            await organiser.PostJsonAsync($"/api/meetings/{id}/open", new { });
        }
        await AttendAsync(organiser, id, members, 3);
        return (id, item, members);
    }

    static async Task AttendAsync(HttpClient organiser, string id, List<string> members, int present) =>
        Assert.True((await organiser.PutAsJsonAsync($"/api/meetings/{id}/attendance",
            members.Select((m, i) => new { participantId = m, attendance = i < present ? "present" : "absent" }).ToArray())).IsSuccessStatusCode);

    [Fact]
    public async Task A_member_vote_whose_meeting_lost_its_quorum_before_the_close_is_no_decision_and_the_minutes_say_when_the_quorum_was_lost()
    {
        var organiser = await As("owners-committee");
        var (id, item, members) = await OwnersCommitteeInSessionAsync(organiser, adjournFirst: true);
        var ballotId = Id(await organiser.PostJsonAsync("/api/ballots",
            new { title = "续聘物业公司", meetingId = id, agendaItemId = item, closesAt = In(60) }));
        foreach (var user in new[] { "owners-committee", "owner-xf-3-101", "owner-xf-3-102" })
            Assert.Equal(HttpStatusCode.OK,
                (await (await As(user)).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" })).StatusCode);
        await AttendAsync(organiser, id, members, 1); // two leave: 1 of 5 present
        Assert.False((await organiser.GetJsonAsync($"/api/meetings/{id}"))["quorum"]!["met"]!.GetValue<bool>());

        var secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/ballots/{ballotId}/close", new { });
        Assert.Equal("noDecision", Str((await secretary.GetJsonAsync($"/api/ballots/{ballotId}"))["outcome"]));

        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        var text = Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf"));
        Assert.DoesNotContain("只进行了讨论", text);       // a vote was taken: the "only discussed" paragraph would contradict it
        Assert.DoesNotContain("法定人数未达到法定人数", text); // the garbled header line
        Assert.Contains("出席成员人数未达法定比例", text);
        Assert.Contains("表决开始后出席成员减少", text);
        Assert.Contains("休会改期", text);                 // the adjourned first session, with who came
        Assert.Contains("当时出席", text);
    }

    async Task<(string Id, string Item)> FourPartyWithPropertyAbsentAsync(HttpClient secretary)
    {
        var id = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = In(10), chairName = "刘书记", recorderName = "孙主任",
        }));
        var members = new Dictionary<string, string>();
        foreach (var (party, name) in new[] { ("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"),
            ("propertyCompany", "吴经理") })
            members[party] = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party, name }));
        var item = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "东门停车" }));
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", members.Select(m => new
        {
            participantId = m.Value, attendance = m.Key == "propertyCompany" ? "absent" : "present",
        }).ToArray())).IsSuccessStatusCode);
        return (id, item);
    }

    [Fact]
    public async Task A_four_party_resolution_takes_positions_only_from_parties_present_needs_them_all_and_consensus_only_when_all_agree()
    {
        var secretary = await As("secretary");
        var (id, item) = await FourPartyWithPropertyAbsentAsync(secretary);
        var present = new[] { "partyOrganisation", "residentsCommittee", "ownersCommittee" };
        object Resolution(bool? consensus, params (string Party, string Position)[] positions) => new
        {
            agendaItemId = item, text = "东门临时停车首小时免费", responsibleUnit = "社区居委会", deadline = Deadline, consensus,
            positions = positions.Select(p => new { party = p.Party, position = p.Position }).ToArray(),
        };

        var absent = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions",
            Resolution(true, [.. present.Select(p => (p, "agree")), ("propertyCompany", "agree")])), HttpStatusCode.BadRequest, "validation");
        Assert.Contains("未出席",
            absent.ToJsonString(new System.Text.Json.JsonSerializerOptions
            {
                Encoder =
                System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping
            }));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions", Resolution(null)),
            HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions",
            Resolution(true, ("partyOrganisation", "agree"))), HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions",
            Resolution(true, ("partyOrganisation", "agree"), ("residentsCommittee", "agree"), ("ownersCommittee", "reserve"))),
            HttpStatusCode.Conflict, "consensusContradicted");

        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", Resolution(true, [.. present.Select(p => (p, "agree"))]));
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        var text = Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf"));
        Assert.DoesNotContain("物业公司：同意", text);
        Assert.Contains("吴经理", text); // listed under 缺席
    }

    [Fact]
    public async Task The_home_pages_open_ballots_for_an_owner_leave_out_an_owners_committee_member_vote_and_its_audit_speaks_of_members()
    {
        var organiser = await As("owners-committee");
        var (id, item, _) = await OwnersCommitteeInSessionAsync(organiser);
        var ballotId = Id(await organiser.PostJsonAsync("/api/ballots",
            new { title = "续聘物业公司", meetingId = id, agendaItemId = item, closesAt = In(60) }));

        var owner = await As("owner-xf-1-101");
        Assert.DoesNotContain((await owner.GetJsonAsync("/api/ballots?status=open&mine=true"))["items"]!.AsArray(), b => Str(b!["id"]) == ballotId);
        Assert.Contains((await (await As("owner-xf-3-101")).GetJsonAsync("/api/ballots?status=open&mine=true"))["items"]!.AsArray(),
            b => Str(b!["id"]) == ballotId);

        await (await As("secretary")).PostJsonAsync($"/api/ballots/{ballotId}/close", new { });
        var problem = await ProblemAssert.IsProblemAsync(await owner.GetAsync($"/api/ballots/{ballotId}/audit"),
            HttpStatusCode.Forbidden, "choicesForMembers");
        Assert.DoesNotContain("业主查阅", Str(problem["detail"]));
    }
}
