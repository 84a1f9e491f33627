using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The body decides the rule (issue 15 §5): a meeting's votes count by the rule of the body that meets and no other; a
/// four-party joint meeting takes no vote and records each party's position and the consensus. With them, the texts of
/// §6 and §7 that meetings print: the adjourned meeting's notification and the posting period of a result notice.
/// </summary>
public sealed class MeetingBodyRuleTests : AppTest
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();
    static DateTimeOffset In(int minutes) => DateTimeOffset.UtcNow.AddMinutes(minutes);
    static string Deadline => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)).ToString("yyyy-MM-dd");

    async Task<string> UserIdAsync(string userName) => Id(await (await As(userName)).GetJsonAsync("/api/auth/me"));

    /// <summary>
    /// An owners' committee meeting of five members in session: 周主任 (owners-committee), two owners with accounts present,
    /// two members without accounts absent — 3 of 5 present, the quorum met.
    /// </summary>
    async Task<(string Id, string Item)> OwnersCommitteeInSessionAsync(HttpClient organiser, int present = 3)
    {
        var id = Id(await organiser.PostJsonAsync("/api/meetings", new
        {
            type = "ownersCommittee", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里业委会第12次会议", place = "业委会办公室",
            startsAt = In(10), chairName = "周主任", recorderName = "业委会秘书",
        }));
        var members = new List<(string Id, bool Present)>();
        foreach (var user in new[] { "owners-committee", "owner-xf-3-101", "owner-xf-3-102" })
            members.Add((Id(await organiser.PostJsonAsync($"/api/meetings/{id}/participants",
                new { party = "ownersCommittee", userId = await UserIdAsync(user) })),
                members.Count < present));
        foreach (var name in new[] { "钱委员", "赵委员" })
            members.Add((Id(await organiser.PostJsonAsync($"/api/meetings/{id}/participants", new { party = "ownersCommittee", name })), false));
        var item = Id(await organiser.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "续聘物业公司" }));
        await organiser.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await organiser.PostJsonAsync($"/api/meetings/{id}/open", new { });
        Assert.True((await organiser.PutAsJsonAsync($"/api/meetings/{id}/attendance",
            members.Select(m => new { participantId = m.Id, attendance = m.Present ? "present" : "absent" }).ToArray())).IsSuccessStatusCode);
        return (id, item);
    }

    /// <summary>A four-party meeting in session with the five parties present, the resident representative with an account.</summary>
    async Task<(string Id, string Item)> FourPartyInSessionAsync(HttpClient secretary)
    {
        var id = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = In(10), chairName = "刘书记", recorderName = "孙主任",
        }));
        var members = new List<string>();
        foreach (var (party, name) in new[] { ("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"),
            ("propertyCompany", "吴经理") })
            members.Add(Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party, name })));
        members.Add(Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants",
            new { party = "residentRepresentatives", userId = await UserIdAsync("resident") })));
        var item = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "小区东门停车收费" }));
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance",
            members.Select(m => new { participantId = m, attendance = "present" }).ToArray())).IsSuccessStatusCode);
        return (id, item);
    }

    [Fact]
    public async Task A_member_ballot_in_an_owners_committee_meeting_under_any_other_rule_is_refused_naming_the_committees_rule()
    {
        var organiser = await As("owners-committee");
        var (id, item) = await OwnersCommitteeInSessionAsync(organiser);
        foreach (var rule in new[] { "residents-meeting", "representatives-meeting", "civil-code-278-ordinary" })
        {
            var problem = await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/api/ballots", new
            {
                title = "续聘物业公司", rule, meetingId = id, agendaItemId = item, orgUnitId = DemoData.Ids.Xingfuli, closesAt = In(60),
            }), HttpStatusCode.BadRequest, "validation");
            Assert.Contains("owners-committee", problem["errors"]!["rule"]!.ToJsonString());
        }
        var custom = await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/api/ballots", new
        {
            title = "续聘物业公司", rule = "custom", threshold = new { fraction = "1/2", inclusive = false, @base = "present" },
            meetingId = id, agendaItemId = item, closesAt = In(60),
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Contains("owners-committee", custom["errors"]!["rule"]!.ToJsonString());
        // Even the committee's own rule with a threshold of its own is another rule.
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/api/ballots", new
        {
            title = "续聘物业公司", rule = "owners-committee", threshold = new { fraction = "1/2", inclusive = false, @base = "present" },
            meetingId = id, agendaItemId = item, closesAt = In(60),
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Empty((await organiser.GetJsonAsync($"/api/ballots?meetingId={id}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task
        Three_of_five_members_present_and_two_agreeing_fail_under_the_rule_the_ballot_takes_from_the_meeting_and_the_minutes_say_only_rejected()
    {
        var organiser = await As("owners-committee");
        var (id, item) = await OwnersCommitteeInSessionAsync(organiser);

        // The rule is left out: the meeting's body gives it.
        var ballot = await organiser.PostJsonAsync("/api/ballots", new { title = "续聘物业公司", meetingId = id, agendaItemId = item, closesAt = In(60) });
        Assert.Equal("owners-committee", Str(ballot["rule"]));
        var ballotId = Id(ballot);
        Assert.Equal(HttpStatusCode.OK,
            (await (await As("owners-committee")).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await (await As("owner-xf-3-101")).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await (await As("owner-xf-3-102")).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "abstain" })).StatusCode);
        var secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/ballots/{ballotId}/close", new { });
        Assert.Equal("rejected", Str((await secretary.GetJsonAsync($"/api/ballots/{ballotId}"))["outcome"])); // 2 of ALL 5 is not more than half

        // No second count of the same votes under another rule can be opened in this meeting.
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/api/ballots", new
        {
            title = "续聘物业公司（按出席人数计）", rule = "residents-meeting", meetingId = id, agendaItemId = item, closesAt = In(60),
        }), HttpStatusCode.BadRequest, "validation");

        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        var text = Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf"));
        Assert.Contains("未通过", text);
        Assert.DoesNotMatch(new Regex("(?<!未)通过"), text);
        Assert.Single(Regex.Matches(text, "表决结果："));
    }

    [Fact]
    public async Task An_owners_committee_meeting_with_two_of_five_present_takes_no_vote_even_under_its_own_rule()
    {
        var organiser = await As("owners-committee");
        var (id, item) = await OwnersCommitteeInSessionAsync(organiser, present: 2);
        var problem = await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/api/ballots", new
        {
            title = "续聘物业公司", meetingId = id, agendaItemId = item, closesAt = In(60),
        }), HttpStatusCode.Conflict, "quorumNotMet");
        Assert.Contains("实到 2 人", Str(problem["detail"]));
    }

    [Fact]
    public async Task A_four_party_meeting_takes_no_member_vote_whatever_the_rule()
    {
        var secretary = await As("secretary");
        var (id, item) = await FourPartyInSessionAsync(secretary);
        foreach (var rule in new[] { "residents-meeting", "owners-committee", null })
        {
            var problem = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/ballots", new
            {
                title = "东门停车收费标准", rule, meetingId = id, agendaItemId = item, closesAt = In(60),
            }), HttpStatusCode.Conflict, "consultativeMeeting");
            Assert.Contains("协商", Str(problem["detail"]));
        }
        Assert.Empty((await secretary.GetJsonAsync($"/api/ballots?meetingId={id}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_four_party_resolution_records_each_partys_position_and_the_consensus_and_the_minutes_print_them_as_consultation()
    {
        var secretary = await As("secretary");
        var (id, item) = await FourPartyInSessionAsync(secretary);

        // Every present party gives a position; the given ones override "agree" for the rest.
        static object[] All(params (string Party, string Position, string? Remark)[] given) =>
            new[] { "partyOrganisation", "residentsCommittee", "ownersCommittee", "propertyCompany", "residentRepresentatives" }
                .Select(party => given.FirstOrDefault(g => g.Party == party) is { Party: not null } g
                    ? new { party, position = g.Position, remark = g.Remark } : new { party, position = "agree", remark = (string?)null })
                .ToArray<object>();

        // Consensus with a party against or reserving is a contradiction; no consensus must say what remains; parties must be the meeting's.
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "东门临时停车每小时收费2元", responsibleUnit = "物业公司", deadline = Deadline, consensus = true,
            positions = All(("propertyCompany", "disagree", null)),
        }), HttpStatusCode.Conflict, "consensusContradicted");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "东门临时停车每小时收费2元", responsibleUnit = "物业公司", deadline = Deadline, consensus = true,
            positions = All(("ownersCommittee", "reserve", "收费收入须纳入公共收益")),
        }), HttpStatusCode.Conflict, "consensusContradicted");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "东门临时停车每小时收费2元", responsibleUnit = "物业公司", deadline = Deadline, consensus = false,
            positions = All(("propertyCompany", "disagree", null)),
        }), HttpStatusCode.Conflict, "outstandingMissing");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "东门临时停车每小时收费2元", responsibleUnit = "物业公司", deadline = Deadline, consensus = true,
            positions = new[] { new { party = "streetOffice", position = "agree" }, new { party = "propertyCompany", position = "maybe" } },
        }), HttpStatusCode.BadRequest, "validation");

        var agreed = await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "东门临时停车首小时免费", responsibleUnit = "物业公司", deadline = Deadline, consensus = true,
            positions = All(("ownersCommittee", "agree", "收费收入须纳入公共收益")),
        });
        Assert.True(agreed["consensus"]!.GetValue<bool>());
        Assert.Equal(5, agreed["positions"]!.AsArray().Count);
        Assert.All(agreed["positions"]!.AsArray(), p => Assert.Equal("agree", Str(p!["position"])));
        var open = await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "东门临时停车超时收费标准另行协商", responsibleUnit = "社区居委会", deadline = Deadline, consensus = false,
            outstanding = "物业公司主张每小时3元，居民代表主张每小时1元",
            positions = All(("propertyCompany", "disagree", "低于成本"), ("residentRepresentatives", "disagree", null),
            ("ownersCommittee", "reserve", "收费收入须纳入公共收益")),
        });
        Assert.False(open["consensus"]!.GetValue<bool>());

        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        var text = Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf"));
        Assert.Contains("经协商，形成以下共识", text);
        Assert.DoesNotContain("议定以下事项", text);
        foreach (var expected in new[] { "各方立场", "保留意见（收费收入须纳入公共收益）", "不同意（低于成本）", "达成共识", "未达成共识", "物业公司主张每小时3元" })
            Assert.Contains(expected, text);
        Assert.Contains("consultation", Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf?lang=en")));
    }

    [Fact]
    public async Task An_owners_committee_resolution_records_no_positions_as_its_decisions_are_voted()
    {
        var organiser = await As("owners-committee");
        var (id, item) = await OwnersCommitteeInSessionAsync(organiser);
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "续聘物业公司", responsibleUnit = "业委会", deadline = Deadline, consensus = true,
            positions = new[] { new { party = "ownersCommittee", position = "agree" } },
        }), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Adjourning_a_meeting_tells_the_invited_participants_with_accounts_the_new_time_with_a_link_to_the_meeting()
    {
        var secretary = await As("secretary");
        var id = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = In(10), chairName = "刘书记", recorderName = "孙主任",
        }));
        var members = new List<string>
        {
            Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party = "partyOrganisation", name = "刘书记" })),
            Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants",
            new { party = "residentRepresentatives", userId = await UserIdAsync("resident") })),
            Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants",
            new { party = "propertyCompany", userId = await UserIdAsync("property") })),
            Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party = "residentsCommittee", name = "孙主任" })),
            Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party = "ownersCommittee", name = "周主任" })),
        };
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "3号楼门口路灯不亮" });
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance",
            members.Select((m, i) => new { participantId = m, attendance = i == 0 ? "present" : "absent" }).ToArray());

        var newTime = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(11), TimeSpan.Zero); // 19:00 in China
        await secretary.PostJsonAsync($"/api/meetings/{id}/adjourn", new { startsAt = newTime });

        var expected = newTime.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm");
        foreach (var user in new[] { "resident", "property" })
        {
            var notes = (await (await As(user)).GetJsonAsync("/api/notifications?unread=true")).AsArray();
            var note = Assert.Single(notes, n => Str(n!["kind"]) == "meetingAdjourned");
            // Staff open the meeting; a resident (who has no meeting page) the public notices.
            Assert.Equal(user == "property" ? $"/console/meetings/{id}" : "/m/notices", Str(note!["link"]));
            Assert.Contains(expected, Str(note["body"]));
            Assert.Contains("未达到法定人数", Str(note["body"]));
        }
        Assert.DoesNotContain((await (await As("owners-committee")).GetJsonAsync("/api/notifications?unread=true")).AsArray(),
            n => Str(n!["kind"]) == "meetingAdjourned");
    }

    [Fact]
    public async Task A_seven_day_posting_prints_seven_days_whose_last_day_is_six_days_after_the_first_on_the_notice_and_its_pdf()
    {
        var organiser = await As("owners-committee");
        var (id, item) = await OwnersCommitteeInSessionAsync(organiser);
        var ballotId = Id(await organiser.PostJsonAsync("/api/ballots",
            new { title = "续聘物业公司", meetingId = id, agendaItemId = item, closesAt = In(60) }));
        foreach (var user in new[] { "owners-committee", "owner-xf-3-101", "owner-xf-3-102" })
            await (await As(user)).PostJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" });
        var secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/ballots/{ballotId}/close", new { });

        var notice = (await (await As("resident")).GetJsonAsync("/api/notices")).AsArray()
            .Single(n => n!["ballotId"]?.GetValue<string>() == ballotId)!;
        var first = DateOnly.Parse(Str(notice["firstDay"]));
        var last = DateOnly.Parse(Str(notice["lastDay"]));
        Assert.Equal((7, first.AddDays(6)), (notice["postingDays"]!.GetValue<int>(), last));
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)), first);

        var text = Pdf.Text(await secretary.GetPdfAsync($"/api/ballots/{ballotId}/notice.pdf"));
        Assert.Contains($"自{first.Year}年{first.Month}月{first.Day}日至{last.Year}年{last.Month}月{last.Day}日，共7日", text);
    }

    [Fact]
    public async Task A_workflow_vote_in_a_meeting_without_its_quorum_faults_the_instance_and_opens_no_ballot()
    {
        var (meetingId, _) = await OwnersCommitteeInSessionAsync(await As("owners-committee"), present: 2); // 2 of 5: not more than half
        var instance = await VoteWorkflows.StartAsync(await As("designer"), await As("admin"), "member-vote-no-quorum",
            new JsonObject { ["rule"] = "owners-committee", ["meeting"] = "variables.meetingId" }, new { meetingId });

        Assert.Equal("faulted", instance["status"]!.GetValue<string>());
        Assert.Contains("quorum", instance["incidents"]!.AsArray().Single()!["message"]!.GetValue<string>());
        Assert.Empty((await (await As("admin")).GetJsonAsync($"/api/ballots?meetingId={meetingId}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_workflow_vote_in_a_meeting_under_another_body_s_rule_faults_the_instance_naming_the_body_s_rule()
    {
        var (meetingId, _) = await OwnersCommitteeInSessionAsync(await As("owners-committee"));
        var instance = await VoteWorkflows.StartAsync(await As("designer"), await As("admin"), "member-vote-wrong-rule",
            new JsonObject { ["rule"] = "residents-meeting", ["meeting"] = "variables.meetingId" }, new { meetingId });

        Assert.Equal("faulted", instance["status"]!.GetValue<string>());
        Assert.Contains("only by owners-committee", instance["incidents"]!.AsArray().Single()!["message"]!.GetValue<string>());
        Assert.Empty((await (await As("admin")).GetJsonAsync($"/api/ballots?meetingId={meetingId}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_workflow_vote_in_a_meeting_with_its_quorum_under_the_body_s_rule_opens_at_once()
    {
        var (meetingId, _) = await OwnersCommitteeInSessionAsync(await As("owners-committee"));
        var instance = await VoteWorkflows.StartAsync(await As("designer"), await As("admin"), "member-vote-ok",
            new JsonObject { ["rule"] = "owners-committee", ["meeting"] = "variables.meetingId" }, new { meetingId });

        Assert.Equal("suspended", instance["status"]!.GetValue<string>());
        var ballot = (await (await As("admin")).GetJsonAsync($"/api/ballots?meetingId={meetingId}"))["items"]!.AsArray().Single()!;
        Assert.Equal("open", ballot["status"]!.GetValue<string>());
    }
}
