using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>
/// A meeting that moves (issue 17, item 3): edited after the notice, rescheduled with a new notice to everyone invited,
/// cancelled with its agenda and its waiting workflows moved; the refusals; what the resident sees; two secretaries at once.
/// </summary>
public sealed class MeetingMovesTests : AppTest
{
    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();
    static int Revision(JsonNode meeting) => meeting["revision"]!.GetValue<int>();

    static async Task<JsonNode> PutJsonAsync(HttpClient client, string url, object body)
    {
        var response = await client.PutAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    static JsonObject DeliberationWorkflow() => new()
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
                new JsonObject { ["id"] = "meet", ["type"] = "ConveneMeeting", ["meetingType"] = "fourParty", ["outputVariable"] = "deliberation" },
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray(Connect("start", "Done", "meet"), Connect("meet", "Done", "end")),
        },
    };

    /// <summary>A matter raised by the resident, its workflow waiting on the draft the workflow made (no place, no recorder).</summary>
    async Task<(string MatterId, string InstanceId, string MeetingId)> WaitingMatterAsync(string title = "3号楼门口路灯不亮")
    {
        var designer = await As("designer");
        if ((await designer.GetAsync("/api/workflow-definitions/test-deliberation")).StatusCode == HttpStatusCode.NotFound)
        {
            await designer.PostJsonAsync("/api/workflow-definitions", DeliberationWorkflow());
            await designer.PostJsonAsync("/api/workflow-definitions/test-deliberation/publish", new { });
        }
        var matterId = Id(await RaiseAsync(await As("resident"), title));
        var instance = await (await As("admin")).PostJsonAsync("/api/workflow-instances",
            new { definitionId = "test-deliberation", input = new { matterId, communityId = Xingfuli.ToString() } });
        Assert.Equal("suspended", Str(instance["status"]));
        return (matterId, Id(instance), Str(instance["variables"]!["deliberation"]!["meetingId"]));
    }

    static async Task<JsonNode> CompleteAndConveneAsync(HttpClient secretary, string meetingId)
    {
        var draft = await secretary.GetJsonAsync($"/api/meetings/{meetingId}");
        await PutJsonAsync(secretary, $"/api/meetings/{meetingId}", new
        {
            title = Str(draft["title"]), place = "社区红色议事厅", startsAt = DateTimeOffset.Parse(Str(draft["startsAt"])),
            chairName = Str(draft["chairName"]), chairUserId = Str(draft["chairUserId"]), recorderName = "孙主任", revision = Revision(draft),
        });
        return await secretary.PostJsonAsync($"/api/meetings/{meetingId}/convene", new { });
    }

    static async Task HoldAndCloseAsync(HttpClient secretary, string meetingId)
    {
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/open", new { });
        var meeting = await secretary.GetJsonAsync($"/api/meetings/{meetingId}");
        await PutJsonAsync(secretary, $"/api/meetings/{meetingId}/attendance",
            meeting["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray())
                .Select(p => new { participantId = Id(p!), attendance = "present" }).ToArray());
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/close", new { });
    }

    async Task<string> InstanceStatusAsync(string instanceId) =>
        Str((await (await As("admin")).GetJsonAsync($"/api/workflow-instances/{instanceId}"))["status"]);

    [Fact]
    public async Task Convening_a_workflow_draft_names_exactly_what_is_missing_in_chinese_and_english()
    {
        var (_, _, meetingId) = await WaitingMatterAsync();
        var zh = await ProblemAssert.IsProblemAsync(await (await As("secretary")).PostAsJsonAsync($"/api/meetings/{meetingId}/convene", new { }),
            HttpStatusCode.Conflict, "noChair");
        // The workflow's draft has its chair (the party secretary) but no recorder and no place.
        Assert.Equal("发通知前请先确定记录人、地点。", Str(zh["detail"]));
        var english = await As("secretary", "en");
        var en = await ProblemAssert.IsProblemAsync(await english.PostAsJsonAsync($"/api/meetings/{meetingId}/convene", new { }),
            HttpStatusCode.Conflict, "noChair");
        Assert.Equal("Before the notice goes out, name the recorder and the place.", Str(en["detail"]));
    }

    [Fact]
    public async Task A_noticed_meeting_can_be_edited_its_new_place_is_announced_to_the_invited_and_every_change_is_audited()
    {
        var (_, _, meetingId) = await WaitingMatterAsync();
        var secretary = await As("secretary");
        var convened = await CompleteAndConveneAsync(secretary, meetingId);
        Assert.Equal("convened", Str(convened["state"]));

        var edited = await PutJsonAsync(secretary, $"/api/meetings/{meetingId}", new
        {
            title = Str(convened["title"]), place = "社区二楼会议室", startsAt = DateTimeOffset.Parse(Str(convened["startsAt"])),
            chairName = "刘书记", chairUserId = Str(convened["chairUserId"]), recorderName = "孙主任", revision = Revision(convened),
        });
        Assert.Equal("社区二楼会议室", Str(edited["place"]));
        Assert.Equal(["convened", "placeChanged"], edited["notices"]!.AsArray().Select(n => Str(n!["kind"])));
        var property = (await (await As("property")).GetJsonAsync("/api/notifications")).AsArray();
        Assert.Contains(property, n => Str(n!["title"]).StartsWith("会议地点变更") && Str(n!["link"]) == $"/console/meetings/{meetingId}");

        var audit = (await (await As("admin")).GetJsonAsync($"/api/audit?entityType=Meeting&entityId={meetingId}"))["items"]!.AsArray();
        Assert.Contains(audit, e => Str(e!["action"]) == "modified" && Str(e!["after"]).Contains("社区二楼会议室")
            && Str(e!["actorName"]) == "secretary");
        Assert.Contains(audit, e => Str(e!["action"]) == "modified" && Str(e!["after"]).Contains("孙主任"));
    }

    [Fact]
    public async Task Rescheduling_sends_a_new_notice_to_everyone_invited_and_the_waiting_workflow_keeps_waiting_then_goes_on_when_it_closes()
    {
        var (matterId, instanceId, meetingId) = await WaitingMatterAsync();
        var secretary = await As("secretary");
        var convened = await CompleteAndConveneAsync(secretary, meetingId);
        var opening = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/open", new { }),
            HttpStatusCode.Conflict, "tooEarly");
        Assert.Contains("最早", Str(opening["detail"]));
        Assert.Contains("改期", Str(opening["detail"]));

        var soon = DateTimeOffset.UtcNow.AddMinutes(10);
        var moved = await secretary.PostJsonAsync($"/api/meetings/{meetingId}/reschedule",
            new { startsAt = soon, reason = "物业经理下周出差，提前召开", revision = Revision(convened) });
        Assert.Equal("convened", Str(moved["state"]));
        Assert.Equal(soon.ToUnixTimeSeconds(), DateTimeOffset.Parse(Str(moved["startsAt"])).ToUnixTimeSeconds());
        var notice = moved["notices"]!.AsArray().Last()!;
        Assert.Equal(("rescheduled", "改期通知", "物业经理下周出差，提前召开"), (Str(notice["kind"]), Str(notice["kindName"]), Str(notice["reason"])));

        // Each invited party with an account hears of it, with a link to the meeting; the secretary who moved it does not.
        foreach (var user in new[] { "residents-committee", "owners-committee", "property" })
        {
            var mine = (await (await As(user)).GetJsonAsync("/api/notifications")).AsArray();
            var n = Assert.Single(mine, n => Str(n!["title"]) == $"会议改期：{Str(moved["title"])}")!;
            Assert.Contains("物业经理下周出差", Str(n["body"]));
            Assert.Equal($"/console/meetings/{meetingId}", Str(n["link"]));
        }
        Assert.DoesNotContain((await secretary.GetJsonAsync("/api/notifications")).AsArray(), n => Str(n!["title"]).StartsWith("会议改期"));

        Assert.Equal("suspended", await InstanceStatusAsync(instanceId));
        await HoldAndCloseAsync(secretary, meetingId);
        Assert.Equal("finished", await InstanceStatusAsync(instanceId));
        var result = (await (await As("admin")).GetJsonAsync($"/api/workflow-instances/{instanceId}"))["variables"]!["deliberation"]!;
        Assert.Equal(meetingId, Str(result["meetingId"]));
        _ = matterId;
    }

    [Fact]
    public async Task Cancelling_moves_the_agenda_onto_the_next_scheduled_meeting_and_the_waiting_workflow_goes_on_when_that_one_closes()
    {
        var (matterId, instanceId, meetingId) = await WaitingMatterAsync();
        var secretary = await As("secretary");
        var convened = await CompleteAndConveneAsync(secretary, meetingId);
        // The community's next four-party meeting, set for a week on.
        var next = await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = Xingfuli, title = "十二月四方联席会议", place = "社区红色议事厅", startsAt = DateTimeOffset.UtcNow.AddDays(7),
            chairName = "刘书记", recorderName = "孙主任",
        });
        foreach (var (party, name) in new[] { ("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"),
            ("propertyCompany", "吴经理") })
            await secretary.PostJsonAsync($"/api/meetings/{Id(next)}/participants", new { party, name });

        var cancelled = await secretary.PostJsonAsync($"/api/meetings/{meetingId}/cancel",
            new { reason = "与街道会议冲突", revision = Revision(convened) });
        Assert.Equal(("cancelled", "已取消", "与街道会议冲突"), (Str(cancelled["state"]), Str(cancelled["stateName"]), Str(cancelled["cancelReason"])));
        var onNext = await secretary.GetJsonAsync($"/api/meetings/{Id(next)}");
        var item = Assert.Single(onNext["agenda"]!.AsArray(), a => a!["matterId"]?.GetValue<string>() == matterId)!;
        Assert.Equal("3号楼门口路灯不亮", Str(item["title"]));
        // The invited hear of the cancellation.
        Assert.Contains((await (await As("property")).GetJsonAsync("/api/notifications")).AsArray(),
            n => Str(n!["title"]).StartsWith("会议取消") && Str(n!["body"]).Contains("与街道会议冲突"));

        // The workflow now waits for the next meeting: still suspended, and closing the cancelled one is impossible.
        Assert.Equal("suspended", await InstanceStatusAsync(instanceId));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/open", new { }),
            HttpStatusCode.Conflict, "badState");
        await secretary.PostJsonAsync($"/api/meetings/{Id(next)}/reschedule",
            new { startsAt = DateTimeOffset.UtcNow.AddMinutes(5), reason = "提前", revision = Revision(onNext) });
        await secretary.PostJsonAsync($"/api/meetings/{Id(next)}/convene", new { });
        await HoldAndCloseAsync(secretary, Id(next));
        Assert.Equal("finished", await InstanceStatusAsync(instanceId));
        var result = (await (await As("admin")).GetJsonAsync($"/api/workflow-instances/{instanceId}"))["variables"]!["deliberation"]!;
        Assert.Equal((Id(next), Id(item)), (Str(result["meetingId"]), Str(result["agendaItemId"])));
    }

    [Fact]
    public async Task Cancelling_with_no_meeting_ahead_puts_the_items_on_a_new_draft_the_secretary_is_told_to_schedule_and_nothing_stays_stuck()
    {
        var (matterId, instanceId, meetingId) = await WaitingMatterAsync();
        var committee = await As("residents-committee"); // another organiser cancels; the secretary is told
        var draft = await committee.GetJsonAsync($"/api/meetings/{meetingId}");
        await committee.PostJsonAsync($"/api/meetings/{meetingId}/cancel", new { reason = "书记外出学习", revision = Revision(draft) });

        var told = Assert.Single((await (await As("secretary")).GetJsonAsync("/api/notifications")).AsArray(),
            n => Str(n!["title"]).StartsWith("待安排会议"))!;
        var newId = Str(told["link"]).Split('/').Last();
        Assert.NotEqual(meetingId, newId);
        var secretary = await As("secretary");
        var fresh = await secretary.GetJsonAsync($"/api/meetings/{newId}");
        Assert.Equal("draft", Str(fresh["state"]));
        Assert.Equal(matterId, Str(fresh["agenda"]![0]!["matterId"]));
        Assert.Equal(4, fresh["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray()).Count());

        Assert.Equal("suspended", await InstanceStatusAsync(instanceId));
        await PutJsonAsync(secretary, $"/api/meetings/{newId}", new
        {
            title = Str(fresh["title"]), place = "社区红色议事厅", startsAt = DateTimeOffset.UtcNow.AddMinutes(5), chairName = "刘书记",
            chairUserId = Str(fresh["chairUserId"]), recorderName = "孙主任", revision = Revision(fresh),
        });
        await secretary.PostJsonAsync($"/api/meetings/{newId}/convene", new { });
        await HoldAndCloseAsync(secretary, newId);
        Assert.Equal("finished", await InstanceStatusAsync(instanceId));
    }

    [Fact]
    public async Task Moving_into_the_past_or_years_ahead_editing_a_closed_meeting_cancelling_in_session_or_moving_a_noticed_time_by_edit_is_refused()
    {
        var (_, _, meetingId) = await WaitingMatterAsync();
        var secretary = await As("secretary");
        var convened = await CompleteAndConveneAsync(secretary, meetingId);
        var revision = Revision(convened);
        async Task<JsonNode> Reschedule(DateTimeOffset at, string code) =>
            await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/reschedule",
                new { startsAt = at, reason = "改期", revision }), HttpStatusCode.Conflict, code);

        Assert.Contains("已过", Str((await Reschedule(DateTimeOffset.UtcNow.AddHours(-1), "startsInPast"))["detail"]));
        Assert.Contains("超过一年", Str((await Reschedule(DateTimeOffset.UtcNow.AddYears(30), "tooFarAhead"))["detail"]));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/reschedule",
            new { startsAt = DateTimeOffset.UtcNow.AddDays(1), reason = " ", revision }), HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/cancel", new { reason = "", revision }),
            HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}", new
        {
            title = Str(convened["title"]), place = "社区红色议事厅", startsAt = DateTimeOffset.UtcNow.AddDays(2), chairName = "刘书记",
            recorderName = "孙主任", revision,
        }), HttpStatusCode.Conflict, "useReschedule");
        // A resident of the community sees the meeting but may not move it.
        await ProblemAssert.IsProblemAsync(await (await As("resident")).PostAsJsonAsync($"/api/meetings/{meetingId}/cancel",
            new { reason = "不想开", revision }), HttpStatusCode.Forbidden, "notOrganiser");
        Assert.Equal(revision, Revision(await secretary.GetJsonAsync($"/api/meetings/{meetingId}"))); // nothing changed

        var now = await secretary.PostJsonAsync($"/api/meetings/{meetingId}/reschedule",
            new { startsAt = DateTimeOffset.UtcNow.AddMinutes(5), reason = "提前", revision });
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/open", new { });
        var inSession = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/cancel",
            new { reason = "临时有事", revision = Revision(now) }), HttpStatusCode.Conflict, "meetingInSession");
        Assert.Contains("休会改期", Str(inSession["detail"]));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/reschedule",
            new { startsAt = DateTimeOffset.UtcNow.AddDays(1), reason = "临时有事", revision = Revision(now) }), HttpStatusCode.Conflict,
            "meetingInSession");
        var meeting = await secretary.GetJsonAsync($"/api/meetings/{meetingId}");
        await PutJsonAsync(secretary, $"/api/meetings/{meetingId}/attendance",
            meeting["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray())
                .Select(p => new { participantId = Id(p!), attendance = "present" }).ToArray());
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/close", new { });
        await ProblemAssert.IsProblemAsync(await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}", new
        {
            title = "改名", place = "社区红色议事厅", startsAt = DateTimeOffset.UtcNow.AddDays(2), chairName = "刘书记", recorderName = "孙主任",
        }), HttpStatusCode.Conflict, "badState");
    }

    [Fact]
    public async Task Two_secretaries_changing_the_same_meeting_at_once_the_second_is_refused_with_409_conflict_and_nothing_is_lost()
    {
        var (_, _, meetingId) = await WaitingMatterAsync();
        var secretary = await As("secretary");
        var committee = await As("residents-committee");
        var read = await secretary.GetJsonAsync($"/api/meetings/{meetingId}");
        var first = await committee.PostJsonAsync($"/api/meetings/{meetingId}/reschedule",
            new { startsAt = DateTimeOffset.UtcNow.AddDays(5), reason = "主任改期", revision = Revision(read) });
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/cancel",
            new { reason = "书记取消", revision = Revision(read) }), HttpStatusCode.Conflict, "conflict");
        await ProblemAssert.IsProblemAsync(await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}", new
        {
            title = "书记改名", place = "社区红色议事厅", startsAt = DateTimeOffset.UtcNow.AddDays(2), chairName = "刘书记", recorderName = "孙主任",
            revision = Revision(read),
        }), HttpStatusCode.Conflict, "conflict");
        var now = await secretary.GetJsonAsync($"/api/meetings/{meetingId}");
        Assert.Equal(("draft", Revision(first), Str(read["title"])), (Str(now["state"]), Revision(now), Str(now["title"])));
    }

    [Fact]
    public async Task The_resident_sees_when_and_where_their_matter_is_discussed_rescheduled_and_cancelled_shown_as_such()
    {
        var (matterId, _, meetingId) = await WaitingMatterAsync();
        var resident = await As("resident");
        var secretary = await As("secretary");
        var convened = await CompleteAndConveneAsync(secretary, meetingId);
        var at = DateTimeOffset.UtcNow.AddDays(2);
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/reschedule", new { startsAt = at, reason = "改到周末", revision = Revision(convened) });

        var shown = Assert.Single((await resident.GetJsonAsync($"/api/meetings/for-matter/{matterId}")).AsArray())!;
        Assert.Equal((meetingId, "社区红色议事厅", "convened", true),
            (Str(shown["meetingId"]), Str(shown["place"]), Str(shown["state"]), shown["rescheduled"]!.GetValue<bool>()));
        Assert.Equal(at.ToUnixTimeSeconds(), DateTimeOffset.Parse(Str(shown["startsAt"])).ToUnixTimeSeconds());
        Assert.Equal("幸福里社区四方联席会议", Str(shown["title"]));

        var moved = await secretary.GetJsonAsync($"/api/meetings/{meetingId}");
        await secretary.PostJsonAsync($"/api/meetings/{meetingId}/cancel", new { reason = "改为月商", revision = Revision(moved) });
        var after = (await resident.GetJsonAsync($"/api/meetings/for-matter/{matterId}")).AsArray();
        Assert.Equal(["draft", "cancelled"], after.Select(m => Str(m!["state"]))); // the live one first
        Assert.Equal("改为月商", Str(after[1]!["cancelReason"]));

        // Someone who may not see the matter gets 404.
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).GetAsync($"/api/meetings/for-matter/{matterId}"),
            HttpStatusCode.NotFound, "notFound");
    }
}
