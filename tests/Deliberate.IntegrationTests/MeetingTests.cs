using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>Meetings over HTTP: the lifecycle, the rules of procedure, scoping, input checks, and the ConveneMeeting activity.</summary>
public sealed class MeetingTests : AppTest
{
    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();

    async Task<string> UserIdAsync(string userName) => Id(await (await As(userName)).GetJsonAsync("/api/auth/me"));

    static Task<JsonNode> CreateAsync(HttpClient client, string type = "fourParty", DateTimeOffset? startsAt = null, string? chair = "刘书记",
        string? recorder = "孙主任", string title = "幸福里社区四方联席会议") =>
        client.PostJsonAsync("/api/meetings", new
        {
            type,
            orgUnitId = Xingfuli,
            title,
            place = "社区红色议事厅",
            startsAt = startsAt ?? DateTimeOffset.UtcNow.AddMinutes(10),
            chairName = chair,
            recorderName = recorder,
        });

    static Task<JsonNode> AddParticipantAsync(HttpClient client, string meetingId, string party, string name, string role = "member",
        string? userId = null) =>
        client.PostJsonAsync($"/api/meetings/{meetingId}/participants", new { party, name, role, userId });

    static Task<JsonNode> AddItemAsync(HttpClient client, string meetingId, string title, string? matterId = null) =>
        client.PostJsonAsync($"/api/meetings/{meetingId}/agenda", new { title, matterId });

    /// <summary>A draft with a member and an item, ready to be convened; starts in ten minutes unless told.</summary>
    static async Task<string> ReadyDraftAsync(HttpClient client, DateTimeOffset? startsAt = null, string type = "fourParty")
    {
        var id = Id(await CreateAsync(client, type, startsAt));
        await AddParticipantAsync(client, id, "partyOrganisation", "刘书记");
        // A four-party meeting convenes only with each of the four parties invited: the others come as invited guests' parties.
        if (type == "fourParty")
            foreach (var (party, name) in new[] { ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"), ("propertyCompany", "吴经理") })
                await AddParticipantAsync(client, id, party, name);
        await AddItemAsync(client, id, "3号楼门口路灯不亮");
        return id;
    }

    static async Task<string> InSessionAsync(HttpClient client)
    {
        var id = await ReadyDraftAsync(client);
        await client.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await client.PostJsonAsync($"/api/meetings/{id}/open", new { });
        return id;
    }

    [Fact]
    public async Task The_secretary_runs_a_four_party_meeting_from_draft_to_approved_minutes_with_attendance_quorum_opinions_motions_and_resolutions()
    {
        var resident = await As("resident");
        var matterId = Id(await RaiseAsync(resident));
        var secretary = await As("secretary");
        var created = await CreateAsync(secretary);
        var id = Id(created);
        Assert.Equal("draft", Str(created["state"]));
        Assert.Equal("幸福里社区", Str(created["community"]!["name"]));
        Assert.True(created["canManage"]!.GetValue<bool>());

        var members = new Dictionary<string, string>();
        foreach (var (party, name) in new[] { ("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"),
                     ("propertyCompany", "吴经理"), ("residentRepresentatives", "陈晓燕") })
            members[party] = Id(await AddParticipantAsync(secretary, id, party, name));
        var street = await AddParticipantAsync(secretary, id, "streetOffice", "郑科长", role: "invitee");
        Assert.Equal("invitee", Str(street["role"]));
        Assert.Equal("unrecorded", Str(street["attendance"]));

        var lamp = await AddItemAsync(secretary, id, "3号楼门口路灯不亮", matterId);
        var charging = await AddItemAsync(secretary, id, "电动车集中充电");
        Assert.Equal(matterId, Str(lamp["matterId"]));
        Assert.False(lamp["announced"]!.GetValue<bool>()); // not until the notice

        var convened = await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        Assert.Equal("convened", Str(convened["state"]));
        Assert.All(convened["agenda"]!.AsArray(), item => Assert.True(item!["announced"]!.GetValue<bool>()));
        Assert.Equal("inSession", Str((await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { }))["state"]));

        var attendance = await (await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", new object[]
        {
            new { participantId = members["partyOrganisation"], attendance = "present" },
            new { participantId = members["residentsCommittee"], attendance = "present" },
            new { participantId = members["ownersCommittee"], attendance = "absent" },
            new { participantId = members["propertyCompany"], attendance = "present" },
            new { participantId = members["residentRepresentatives"], attendance = "onLeave" },
            new { participantId = Id(street), attendance = "inAttendance" },
        })).JsonAsync();
        Assert.Equal(5, attendance["expected"]!.GetValue<int>()); // 应到: the members, not the invitee
        Assert.Equal(3, attendance["present"]!.GetValue<int>());  // 实到
        var quorum = attendance["quorum"]!;
        Assert.Equal("majorityOfParties", Str(quorum["rule"]));
        Assert.Equal((3, 5, 3, true),
            (quorum["counted"]!.GetValue<int>(), quorum["of"]!.GetValue<int>(), quorum["required"]!.GetValue<int>(),
                quorum["met"]!.GetValue<bool>()));

        foreach (var (party, text) in new[] { ("partyOrganisation", "路灯关系老人夜间出行，应尽快解决"), ("residentsCommittee", "同意，居委会负责通知住户"),
                     ("ownersCommittee", "费用从公共收益列支，业委会监督"), ("propertyCompany", "线路老化，一周内更换") })
            await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{Id(lamp)}/opinions", new { party, text });
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{Id(charging)}/opinions",
            new { party = "propertyCompany", speaker = "吴经理", text = "可在东门设充电棚" });
        var motion = await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{Id(lamp)}/motions", new { text = "更换3号楼门口两盏路灯", proposedBy = "刘书记" });
        Assert.Null(motion["ballotId"]);
        var deadline = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)).ToString("yyyy-MM-dd");
        // A four-party resolution records the position of every party present (not the absent 业委会 or 居民代表) and the consensus.
        var positions = new[] { "partyOrganisation", "residentsCommittee",
            "propertyCompany" }.Select(party => new { party, position = "agree" }).ToArray();
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions",
            new { agendaItemId = Id(lamp), text = "物业一周内更换路灯，费用从公共收益列支", responsibleUnit = "物业公司", deadline, consensus = true, positions });
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions",
            new { text = "居委会下次会议前征集充电棚选址意见", responsibleUnit = "社区居委会", deadline, consensus = true, positions });

        var closed = await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        Assert.Equal("closed", Str(closed["state"]));
        Assert.NotNull(closed["closedAt"]);
        // Nobody on this meeting has an account to sign with: once the minutes exist, the organiser's approval confirms them.
        await secretary.PostJsonAsync($"/api/meetings/{id}/minutes", new { });
        Assert.Equal("minutesApproved", Str((await secretary.PostJsonAsync($"/api/meetings/{id}/approve-minutes", new { }))["state"]));

        var meeting = await secretary.GetJsonAsync($"/api/meetings/{id}");
        Assert.Equal(["partyOrganisation", "residentsCommittee", "ownersCommittee", "propertyCompany", "residentRepresentatives", "streetOffice"],
            meeting["parties"]!.AsArray().Select(p => Str(p!["party"])));
        var owners = meeting["parties"]!.AsArray().Single(p => Str(p!["party"]) == "ownersCommittee")!;
        Assert.Equal("业委会", Str(owners["partyName"]));
        Assert.Equal(("周主任", "absent", "缺席"),
            (Str(owners["participants"]![0]!["name"]), Str(owners["participants"]![0]!["attendance"]),
                Str(owners["participants"]![0]!["attendanceName"])));
        var items = meeting["agenda"]!.AsArray();
        Assert.Equal([1, 2], items.Select(i => i!["order"]!.GetValue<int>()));
        Assert.Equal(["partyOrganisation", "residentsCommittee", "ownersCommittee", "propertyCompany"],
            items[0]!["opinions"]!.AsArray().Select(o => Str(o!["party"])));
        Assert.Equal("线路老化，一周内更换", Str(items[0]!["opinions"]![3]!["text"]));
        Assert.Equal("吴经理", Str(items[1]!["opinions"]![0]!["speaker"]));
        Assert.Equal("更换3号楼门口两盏路灯", Str(items[0]!["motions"]![0]!["text"]));
        var resolutions = meeting["resolutions"]!.AsArray();
        Assert.Equal(2, resolutions.Count);
        Assert.Equal((Id(lamp), "物业公司", deadline),
            (Str(resolutions[0]!["agendaItemId"]), Str(resolutions[0]!["responsibleUnit"]), Str(resolutions[0]!["deadline"])));
        Assert.Null(resolutions[1]!["agendaItemId"]);
        Assert.Equal("刘书记", Str(meeting["chairName"]));
        Assert.Equal("孙主任", Str(meeting["recorderName"]));
    }

    [Fact]
    public async Task Convening_without_an_agenda_a_chair_and_a_recorder_or_members_is_refused_with_409_and_the_meeting_stays_a_draft()
    {
        var secretary = await As("secretary");
        var id = Id(await CreateAsync(secretary, chair: null, recorder: null));

        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/convene", new { }),
            HttpStatusCode.Conflict, "emptyAgenda");
        await AddItemAsync(secretary, id, "3号楼门口路灯不亮");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/convene", new { }),
            HttpStatusCode.Conflict, "noChair");
        var edit = await secretary.PutAsJsonAsync($"/api/meetings/{id}", new
        {
            title = "幸福里社区四方联席会议", place = "社区红色议事厅", startsAt = DateTimeOffset.UtcNow.AddMinutes(10), chairName = "刘书记", recorderName = "孙主任",
        });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var english = await As("secretary", "en");
        var noMembers = await ProblemAssert.IsProblemAsync(await english.PostAsJsonAsync($"/api/meetings/{id}/convene", new { }),
            HttpStatusCode.Conflict, "noMembers");
        Assert.Equal("Invite the members first.", Str(noMembers["detail"]));

        Assert.Equal("draft", Str((await secretary.GetJsonAsync($"/api/meetings/{id}"))["state"]));
        await AddParticipantAsync(secretary, id, "partyOrganisation", "刘书记");
        var parties = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/convene", new { }),
            HttpStatusCode.Conflict, "partiesMissing");
        Assert.Equal("四方联席会议须邀请四方各至少一人，尚未邀请：居委会、业委会、物业公司。", Str(parties["detail"]));
        foreach (var (party, name) in new[] { ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"), ("propertyCompany", "吴经理") })
            await AddParticipantAsync(secretary, id, party, name);
        Assert.Equal("convened", Str((await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { }))["state"]));
    }

    [Fact]
    public async Task Opening_too_early_closing_with_unrecorded_attendance_and_recording_outside_the_session_are_refused_with_409()
    {
        var secretary = await As("secretary");
        var later = await ReadyDraftAsync(secretary, DateTimeOffset.UtcNow.AddDays(2));
        await ProblemAssert.IsProblemAsync(await secretary.PutAsJsonAsync($"/api/meetings/{later}/attendance",
            new[] { new { participantId = Id((await secretary.GetJsonAsync($"/api/meetings/{later}"))["parties"]![0]!["participants"]![0]!),
            attendance = "present" } }),
            HttpStatusCode.Conflict, "badState"); // a draft has no attendance yet
        await secretary.PostJsonAsync($"/api/meetings/{later}/convene", new { });
        var item = Id((await secretary.GetJsonAsync($"/api/meetings/{later}"))["agenda"]![0]!);
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{later}/open", new { }),
            HttpStatusCode.Conflict, "tooEarly");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{later}/agenda/{item}/opinions",
            new { party = "propertyCompany", text = "同意" }),
            HttpStatusCode.Conflict, "badState");
        var stillConvened = await secretary.GetJsonAsync($"/api/meetings/{later}");
        Assert.Equal("convened", Str(stillConvened["state"]));
        Assert.Empty(stillConvened["agenda"]![0]!["opinions"]!.AsArray());

        var now = await InSessionAsync(secretary);
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{now}/close", new { }),
            HttpStatusCode.Conflict, "attendanceMissing");
        Assert.Equal("inSession", Str((await secretary.GetJsonAsync($"/api/meetings/{now}"))["state"]));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{now}/approve-minutes", new { }),
            HttpStatusCode.Conflict, "badState");
        await ProblemAssert.IsProblemAsync(await secretary.PutAsJsonAsync($"/api/meetings/{now}", new
        {
            title = "改名", place = "别处", startsAt = DateTimeOffset.UtcNow.AddDays(1), chairName = "刘书记", recorderName = "孙主任",
        }), HttpStatusCode.Conflict, "badState");
    }

    [Fact]
    public async Task Resolutions_are_taken_only_in_session_because_closing_hands_them_to_the_workflows()
    {
        var secretary = await As("secretary");
        var id = await InSessionAsync(secretary);
        // The party organisation's member came; the other three parties' did not (every member's attendance is on record).
        var members = (await secretary.GetJsonAsync($"/api/meetings/{id}"))["parties"]!.AsArray()
            .SelectMany(p => p!["participants"]!.AsArray()).Select(p => Id(p!)).ToList();
        await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance",
            members.Select((m, i) => new { participantId = m, attendance = i == 0 ? "present" : "absent" }).ToArray());
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });

        var deadline = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7)).ToString("yyyy-MM-dd");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions",
            new { text = "补充事项", responsibleUnit = "居委会", deadline }),
            HttpStatusCode.Conflict, "badState");
        Assert.Empty((await secretary.GetJsonAsync($"/api/meetings/{id}"))["resolutions"]!.AsArray());
    }

    [Fact]
    public async Task An_owners_assembly_needs_fifteen_days_notice_and_an_item_added_after_the_notice_is_not_announced_nor_votable()
    {
        var committee = await As("owners-committee");
        var id = Id(await CreateAsync(committee, "ownersAssembly", DateTimeOffset.UtcNow.AddDays(10), chair: "周主任", recorder: "孙主任", title: "业主大会"));
        await AddParticipantAsync(committee, id, "ownersCommittee", "周主任");
        await AddItemAsync(committee, id, "选聘新物业服务企业");

        var tooSoon = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync($"/api/meetings/{id}/convene", new { }),
            HttpStatusCode.Conflict, "noticeTooShort");
        Assert.Contains("15", Str(tooSoon["detail"]));
        Assert.Equal("draft", Str((await committee.GetJsonAsync($"/api/meetings/{id}"))["state"]));

        var edit = await committee.PutAsJsonAsync($"/api/meetings/{id}", new
        {
            title = "业主大会", place = "小区广场", startsAt = DateTimeOffset.UtcNow.AddDays(16), chairName = "周主任", recorderName = "孙主任",
        });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var convened = await committee.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        Assert.Equal(15, convened["noticeDays"]!.GetValue<int>());
        var late = await AddItemAsync(committee, id, "临时动议：增设电动车充电桩");
        Assert.False(late["announced"]!.GetValue<bool>());
        Assert.False(late["votable"]!.GetValue<bool>());

        var meeting = await committee.GetJsonAsync($"/api/meetings/{id}");
        Assert.Equal([(true, true), (false, false)],
            meeting["agenda"]!.AsArray().Select(i => (i!["announced"]!.GetValue<bool>(), i["votable"]!.GetValue<bool>())));
        Assert.Equal("civilCode278", Str(meeting["quorum"]!["rule"]));
        Assert.Null(meeting["quorum"]!["met"]);
    }

    [Fact]
    public async Task The_other_community_gets_404_and_a_resident_sees_a_convened_meeting_of_their_community_but_cannot_change_it()
    {
        var secretary = await As("secretary");
        var draft = Id(await CreateAsync(secretary, title: "草稿会议"));
        var convened = await ReadyDraftAsync(secretary);
        await secretary.PostJsonAsync($"/api/meetings/{convened}/convene", new { });

        foreach (var outsider in new[] { "hp-secretary", "owner-hp-1-101" })
        {
            var client = await As(outsider);
            foreach (var id in new[] { draft, convened })
            {
                await ProblemAssert.IsProblemAsync(await client.GetAsync($"/api/meetings/{id}"), HttpStatusCode.NotFound, "notFound");
                await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync($"/api/meetings/{id}/agenda", new { title = "插一个议题" }),
                    HttpStatusCode.NotFound, "notFound");
            }
            Assert.Equal(0, (await client.GetJsonAsync("/api/meetings"))["total"]!.GetValue<int>());
        }

        var resident = await As("resident");
        await ProblemAssert.IsProblemAsync(await resident.GetAsync($"/api/meetings/{draft}"), HttpStatusCode.NotFound, "notFound");
        var seen = await resident.GetJsonAsync($"/api/meetings/{convened}");
        Assert.False(seen["canManage"]!.GetValue<bool>());
        var residentSees = (await resident.GetJsonAsync("/api/meetings?pageSize=100"))["items"]!.AsArray().Select(m => Id(m!)).ToList();
        Assert.Contains(convened, residentSees);
        Assert.DoesNotContain(draft, residentSees);
        await ProblemAssert.IsProblemAsync(await resident.PostAsJsonAsync($"/api/meetings/{convened}/agenda", new { title = "插一个议题" }),
            HttpStatusCode.Forbidden, "notOrganiser");
        await ProblemAssert.IsProblemAsync(await resident.PostAsJsonAsync($"/api/meetings/{convened}/open", new { }),
            HttpStatusCode.Forbidden, "notOrganiser");
        await ProblemAssert.IsProblemAsync(await resident.PostAsJsonAsync("/api/meetings", new { type = "fourParty", orgUnitId = Xingfuli }),
            HttpStatusCode.Forbidden, "forbidden");
        Assert.Single((await secretary.GetJsonAsync($"/api/meetings/{convened}"))["agenda"]!.AsArray());
        Assert.Equal("convened", Str((await secretary.GetJsonAsync($"/api/meetings/{convened}"))["state"]));

        // Staff of the community see the draft too, but only organisers change it.
        var property = await As("property");
        Assert.Equal(HttpStatusCode.OK, (await property.GetAsync($"/api/meetings/{draft}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await property.PostAsJsonAsync($"/api/meetings/{draft}/agenda", new { title = "插一个议题" }),
            HttpStatusCode.Forbidden, "notOrganiser");
        var propertySees = (await property.GetJsonAsync("/api/meetings?pageSize=100"))["items"]!.AsArray().Select(m => Id(m!)).ToList();
        Assert.Contains(draft, propertySees);
        Assert.Contains(convened, propertySees);
    }

    [Fact]
    public async Task A_recorder_who_is_a_user_keeps_the_record_and_the_owners_committee_does_not_organise_a_four_party_meeting()
    {
        var secretary = await As("secretary");
        var propertyId = await UserIdAsync("property");
        var created = await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = Xingfuli, title = "四方联席会议", place = "议事厅", startsAt = DateTimeOffset.UtcNow.AddMinutes(10),
            chairName = "刘书记", recorderUserId = propertyId,
        });
        Assert.Equal("吴经理", Str(created["recorderName"])); // the account's name when none is given
        var property = await As("property");
        Assert.Equal(HttpStatusCode.Created,
            (await property.PostAsJsonAsync($"/api/meetings/{Id(created)}/agenda", new { title = "楼道照明" })).StatusCode);

        var committee = await As("owners-committee");
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync($"/api/meetings/{Id(created)}/agenda", new { title = "另一个议题" }),
            HttpStatusCode.Forbidden, "notOrganiser");
        var refused = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = Xingfuli, title = "四方联席会议", place = "议事厅", startsAt = DateTimeOffset.UtcNow.AddDays(1),
            chairName = "周主任", recorderName = "孙主任",
        }), HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(refused["errors"]!["orgUnitId"]);
    }

    [Fact]
    public async Task Bad_input_is_answered_400_with_field_errors_and_changes_nothing()
    {
        var secretary = await As("secretary");
        var before = (await secretary.GetJsonAsync("/api/meetings"))["total"]!.GetValue<int>();
        var empty = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/meetings", new { }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["orgUnitId", "place", "startsAt", "title", "type"], empty["errors"]!.AsObject().Select(e => e.Key).Order());
        var elsewhere = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Heping, title = "会", place = "厅", startsAt = DateTimeOffset.UtcNow.AddDays(-1),
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["orgUnitId", "startsAt"], elsewhere["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal(before, (await secretary.GetJsonAsync("/api/meetings"))["total"]!.GetValue<int>());

        var id = Id(await CreateAsync(secretary));
        var participant = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/participants",
            new { party = "mafia", role = "boss" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["name", "party", "role"], participant["errors"]!.AsObject().Select(e => e.Key).Order());
        var item = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/agenda",
            new { title = " ", matterId = Guid.NewGuid() }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["matterId", "title"], item["errors"]!.AsObject().Select(e => e.Key).Order());
        var hepingMatter = Id(await RaiseAsync(await As("owner-hp-1-101"), grid: HepingGrid1));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/agenda",
            new { title = "和平社区的事", matterId = hepingMatter }),
            HttpStatusCode.BadRequest, "validation");
        var attendance = await ProblemAssert.IsProblemAsync(await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance",
            new[] { new { participantId = Guid.NewGuid(), attendance = "asleep" } }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["[0].attendance", "[0].participantId"], attendance["errors"]!.AsObject().Select(e => e.Key).Order());
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)).ToString("yyyy-MM-dd");
        var resolution = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions",
            new { agendaItemId = Guid.NewGuid(), text = "", responsibleUnit = "", deadline = yesterday }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["agendaItemId", "deadline", "responsibleUnit", "text"], resolution["errors"]!.AsObject().Select(e => e.Key).Order());
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/resolutions",
            new { text = "x", responsibleUnit = "y", deadline = "next week" }),
            HttpStatusCode.BadRequest, "badJson");
        await ProblemAssert.IsProblemAsync(await secretary.GetAsync("/api/meetings?state=sleeping"), HttpStatusCode.BadRequest, "validation");

        var meeting = await secretary.GetJsonAsync($"/api/meetings/{id}");
        Assert.Empty(meeting["parties"]!.AsArray());
        Assert.Empty(meeting["agenda"]!.AsArray());
        Assert.Empty(meeting["resolutions"]!.AsArray());
        Assert.Equal("draft", Str(meeting["state"]));
    }

    [Fact]
    public async Task The_list_filters_by_state_type_and_time_and_is_newest_first()
    {
        var secretary = await As("secretary");
        var soon = await ReadyDraftAsync(secretary, DateTimeOffset.UtcNow.AddDays(1));
        await secretary.PostJsonAsync($"/api/meetings/{soon}/convene", new { });
        var later = Id(await CreateAsync(secretary, "residentsMeeting", DateTimeOffset.UtcNow.AddDays(5), title: "居民会议"));

        static List<string> Ids(JsonNode page) => page["items"]!.AsArray().Select(m => Id(m!)).ToList();
        // From now on: meetings already held (the demo data has one) are not in these pages.
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(2).ToString("O"));
        Assert.Equal([later, soon], Ids(await secretary.GetJsonAsync($"/api/meetings?from={from}")));
        Assert.Equal([soon], Ids(await secretary.GetJsonAsync($"/api/meetings?from={from}&state=convened")));
        Assert.Equal([later], Ids(await secretary.GetJsonAsync($"/api/meetings?from={from}&type=residentsMeeting")));
        Assert.Equal([soon], Ids(await secretary.GetJsonAsync($"/api/meetings?from={from}&to={to}")));
        Assert.DoesNotContain(later, Ids(await secretary.GetJsonAsync("/api/meetings?state=convened&pageSize=100")));
        var page = await secretary.GetJsonAsync($"/api/meetings?from={from}&pageSize=1&page=2");
        Assert.Equal(2, page["total"]!.GetValue<int>());
        Assert.Equal([soon], Ids(page));
    }

    [Fact]
    public async Task The_meeting_activities_are_described_for_the_designer_in_the_meetings_category()
    {
        var descriptors = (await (await As("designer")).GetJsonAsync("/api/activity-descriptors")).AsArray();
        var convene = descriptors.Single(d => Str(d!["type"]) == "ConveneMeeting")!;
        var consult = descriptors.Single(d => Str(d!["type"]) == "Consult")!;
        Assert.Equal(("Meetings", "议事"), (Str(convene["category"]!["name"]), Str(convene["category"]!["displayName"]!["zh-CN"])));
        Assert.Equal(("召集会议", "Convene meeting"), (Str(convene["displayName"]!["zh-CN"]), Str(convene["displayName"]!["en"])));
        Assert.Equal(("书面征求意见", "Written consultation"), (Str(consult["displayName"]!["zh-CN"]), Str(consult["displayName"]!["en"])));
        Assert.True(convene["waits"]!.GetValue<bool>());
        Assert.True(consult["waits"]!.GetValue<bool>());
        JsonNode Input(JsonNode d, string name) => d["inputs"]!.AsArray().Single(i => Str(i!["name"]) == name)!;
        Assert.Equal(["meetingType", "title", "place", "startsAt", "community", "agendaTitle", "reuseDraft", "outputVariable"],
            convene["inputs"]!.AsArray().Select(i => Str(i!["name"])));
        Assert.True(Input(convene, "reuseDraft")["defaultValue"]!.GetValue<bool>());
        Assert.Equal("checkbox", Str(Input(convene, "reuseDraft")["uiHint"]));
        Assert.Equal("variables.communityId", Str(Input(convene, "community")["defaultValue"]));
        Assert.Equal("select", Str(Input(convene, "meetingType")["uiHint"]));
        Assert.Equal("P3D", Str(Input(consult, "duration")["defaultValue"]));
        Assert.Equal("string-list", Str(Input(consult, "parties")["uiHint"]));
    }

    static JsonObject DeliberationWorkflow(bool reuseDraft = true) => new()
    {
        ["definitionId"] = "test-deliberation",
        ["name"] = "测试议事流程",
        ["variables"] = new JsonArray(
            new JsonObject { ["name"] = "matterId" }, new JsonObject { ["name"] = "communityId" },
            new JsonObject { ["name"] = "deliberation", ["type"] = "object" }),
        ["root"] = new JsonObject
        {
            ["type"] = "Flowchart",
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject
                {
                    ["id"] = "meet", ["type"] = "ConveneMeeting", ["meetingType"] = "fourParty", ["reuseDraft"] = reuseDraft,
                    ["outputVariable"] = "deliberation"
                },
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray(Connect("start", "Done", "meet"), Connect("meet", "Done", "end")),
        },
    };

    async Task<HttpClient> PublishAsync(JsonObject definition)
    {
        var designer = await As("designer");
        await designer.PostJsonAsync("/api/workflow-definitions", definition);
        await designer.PostJsonAsync($"/api/workflow-definitions/{definition["definitionId"]}/publish", new { });
        return designer;
    }

    /// <summary>Started by staff (an administrator): a designer's start is a test run, which touches no real meeting.</summary>
    async Task<JsonNode> StartAsync(string matterId) =>
        await (await As("admin"))
            .PostJsonAsync("/api/workflow-instances",
                new { definitionId = "test-deliberation", input = new { matterId, communityId = Xingfuli.ToString() } });

    [Fact]
    public async Task ConveneMeeting_collects_matters_on_the_next_draft_and_the_workflows_go_on_with_the_resolutions_once_the_meeting_closes()
    {
        var designer = await PublishAsync(DeliberationWorkflow());
        var resident = await As("resident");
        var lampMatter = Id(await RaiseAsync(resident, "3号楼门口路灯不亮"));
        var bikeMatter = Id(await RaiseAsync(resident, "楼道电动车充电隐患"));

        var first = await StartAsync(lampMatter);
        Assert.Equal("suspended", Str(first["status"]));
        var meetingId = Str(first["variables"]!["deliberation"]!["meetingId"]);
        var second = await StartAsync(bikeMatter);
        Assert.Equal(meetingId, Str(second["variables"]!["deliberation"]!["meetingId"])); // the same draft

        var secretary = await As("secretary");
        var draft = await secretary.GetJsonAsync($"/api/meetings/{meetingId}");
        Assert.Equal(("draft", "fourParty", "幸福里社区四方联席会议", "刘书记"),
            (Str(draft["state"]), Str(draft["type"]), Str(draft["title"]), Str(draft["chairName"])));
        Assert.Equal(await UserIdAsync("secretary"), Str(draft["chairUserId"]));
        Assert.Equal([("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"), ("propertyCompany", "吴经理")],
            draft["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray()).Select(p => (Str(p!["party"]), Str(p["name"]))));
        var items = draft["agenda"]!.AsArray();
        Assert.Equal([("3号楼门口路灯不亮", lampMatter), ("楼道电动车充电隐患", bikeMatter)], items.Select(i => (Str(i!["title"]), Str(i["matterId"]))));
        Assert.Equal(Str(first["variables"]!["deliberation"]!["agendaItemId"]), Id(items[0]!));
        // Three days from now at 15:00 Beijing time, by default.
        var startsAt = DateTimeOffset.Parse(Str(draft["startsAt"])).ToOffset(TimeSpan.FromHours(8));
        Assert.Equal((15, 0, DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(3)), (startsAt.Hour, startsAt.Minute, startsAt.Date));

        // The secretary names the recorder, brings the meeting forward to now, and holds it.
        Assert.Equal(HttpStatusCode.OK, (await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}", new
        {
            title = Str(draft["title"]), place = "社区红色议事厅", startsAt = DateTimeOffset.UtcNow.AddMinutes(5), chairName = "刘书记",
            chairUserId = Str(draft["chairUserId"]), recorderName = "孙主任",
        })).StatusCode);
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/open", new { });
        await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}/attendance",
            draft["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray())
                .Select(p => new { participantId = Id(p!), attendance = "present" }).ToArray());
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/agenda/{Id(items[0]!)}/opinions",
            new { party = "propertyCompany", text = "一周内更换" });
        var deadline = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7)).ToString("yyyy-MM-dd");
        var positions = draft["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray()).Where(p => Str(p!["role"]) == "member")
            .Select(p => Str(p!["party"])).Distinct().Select(party => new { party, position = "agree" }).ToArray();
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/resolutions",
            new { agendaItemId = Id(items[0]!), text = "更换路灯", responsibleUnit = "物业公司", deadline, consensus = true, positions });
        Assert.Equal("suspended", Str((await designer.GetJsonAsync($"/api/workflow-instances/{Id(first)}"))["status"]));
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/close", new { });

        foreach (var instance in new[] { first, second })
        {
            var done = await designer.GetJsonAsync($"/api/workflow-instances/{Id(instance)}");
            Assert.Equal("finished", Str(done["status"]));
            var result = done["variables"]!["deliberation"]!;
            Assert.Equal(meetingId, Str(result["meetingId"]));
            Assert.Equal(Str(instance["variables"]!["deliberation"]!["agendaItemId"]), Str(result["agendaItemId"]));
            var resolution = result["resolutions"]!.AsArray().Single()!;
            Assert.Equal(("更换路灯", "物业公司", deadline, lampMatter),
                (Str(resolution["text"]), Str(resolution["responsibleUnit"]), Str(resolution["deadline"]), Str(resolution["matterId"])));
            Assert.Equal("一周内更换", Str(result["agenda"]![0]!["opinions"]![0]!["text"]));
        }
    }

    [Fact]
    public async Task ConveneMeeting_without_reusing_drafts_makes_a_new_meeting_for_each_matter()
    {
        var designer = await PublishAsync(DeliberationWorkflow(reuseDraft: false));
        var resident = await As("resident");
        var first = await StartAsync(Id(await RaiseAsync(resident, "路灯")));
        var second = await StartAsync(Id(await RaiseAsync(resident, "充电")));
        Assert.NotEqual(Str(first["variables"]!["deliberation"]!["meetingId"]), Str(second["variables"]!["deliberation"]!["meetingId"]));
        var drafts = (await (await As("secretary")).GetJsonAsync("/api/meetings?state=draft&pageSize=100"))["items"]!.AsArray()
            .Select(m => Id(m!)).ToList();
        Assert.Contains(Str(first["variables"]!["deliberation"]!["meetingId"]), drafts);
        Assert.Contains(Str(second["variables"]!["deliberation"]!["meetingId"]), drafts);
    }
}
