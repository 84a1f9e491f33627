using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// A resident's matter driven through the six steps over HTTP, as the demo users: the grid worker's
/// triage, a four-party meeting, a lawful owners' vote, the posting period, work items, the residents'
/// rating and its loop back to execution. Time runs on a fake clock; what the scheduler would do at a
/// moment is done by <see cref="AppTest.RunDueAsync"/>.
/// </summary>
public sealed class SixStepMethodTests : AppTest
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;

    static readonly Guid Building3 = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 3); // in 第二网格

    /// <summary>Moves time on and does what fell due; clients must sign in afresh (tokens expire with the clock).</summary>
    async Task LaterAsync(TimeSpan span)
    {
        clock.Advance(span);
        await RunDueAsync(clock.GetUtcNow());
    }

    async Task<string> StepAsync(string matterId) => await StepOfAsync(await As("resident"), matterId);

    async Task<JsonNode> RaiseInBuilding3Async(string title) =>
        await (await As("resident")).PostJsonAsync("/api/matters", new
        {
            title,
            description = "3号楼老人上下楼困难，希望加装电梯",
            category = "elevator",
            gridId = XingfuliGrid2,
            buildingId = Building3,
        });

    /// <summary>The secretary runs the four-party meeting the workflow convened for the matter, ending with one resolution.</summary>
    async Task RunTheMeetingAsync(string matterId, object? motion = null)
    {
        var secretary = await As("secretary");
        var drafts = (await secretary.GetJsonAsync("/api/meetings?state=draft"))["items"]!.AsArray();
        JsonNode? meeting = null;
        foreach (var draft in drafts)
        {
            var full = await secretary.GetJsonAsync($"/api/meetings/{draft!["id"]}");
            if (full["agenda"]!.AsArray().Any(a => a!["matterId"]?.GetValue<string>() == matterId)) meeting = full;
        }
        Assert.NotNull(meeting);
        var id = meeting!["id"]!.GetValue<string>();
        Assert.Equal("fourParty", meeting["type"]!.GetValue<string>());
        Assert.Contains(meeting["parties"]!.AsArray(), p => p!["party"]!.GetValue<string>() == "propertyCompany");

        var startsAt = clock.GetUtcNow().AddHours(1);
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}", new
        {
            title = meeting["title"]!.GetValue<string>(), place = "红色议事厅", startsAt,
            chairName = "刘书记", recorderName = "孙主任",
        })).IsSuccessStatusCode);
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await LaterAsync(TimeSpan.FromHours(1));
        secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        var opened = await secretary.GetJsonAsync($"/api/meetings/{id}");
        var attendance = opened["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray())
            .Select(p =>
                new
                {
                    participantId = p!["id"]!.GetValue<string>(),
                    attendance = p["role"]!.GetValue<string>() == "member" ? "present" : "inAttendance"
                }).ToList();
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", attendance)).IsSuccessStatusCode);
        var item = opened["agenda"]!.AsArray().First(a => a!["matterId"]?.GetValue<string>() == matterId)!["id"]!.GetValue<string>();
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/opinions",
            new { party = "ownersCommittee", speaker = "周主任", text = "同意，按重大事项外的一般事项由3号楼业主表决" });
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/opinions",
            new { party = "propertyCompany", speaker = "吴经理", text = "配合施工" });
        if (motion is not null) await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/motions", motion);
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "物业公司协调加装电梯施工", responsibleUnit = "物业公司",
            // Long enough for an owners' vote: 15 days' notice, the voting period and the posting come first.
            deadline = DateOnly.FromDateTime(clock.GetUtcNow().AddDays(60).UtcDateTime),
            // A four-party resolution records every present party's position and the consensus.
            consensus = true,
            positions = opened["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray())
                .Where(p => p!["role"]!.GetValue<string>() == "member")
                .Select(p => p!["party"]!.GetValue<string>()).Distinct().Select(party => new { party, position = "agree" }).ToArray(),
        });
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
    }

    async Task CompleteWorkItemsAsync(string matterId, string user, string text)
    {
        var worker = await As(user);
        var items = (await worker.GetJsonAsync($"/api/work-items?matterId={matterId}"))["items"]!.AsArray()
            .Where(i => i!["status"]!.GetValue<string>() is not "done").ToList();
        Assert.NotEmpty(items);
        foreach (var workItem in items)
            await worker.PostJsonAsync($"/api/work-items/{workItem!["id"]}/complete", new { text });
    }

    async Task RateAsync(string matterId, string user, string choice) =>
        Assert.Equal(HttpStatusCode.Created, (await (await As(user)).PostAsJsonAsync($"/api/matters/{matterId}/ratings", new { choice })).StatusCode);

    [Fact]
    public async Task
        A_major_matter_goes_through_a_meeting_a_lawful_vote_the_posting_period_execution_and_back_again_when_residents_are_dissatisfied()
    {
        var matter = await RaiseInBuilding3Async("3号楼加装电梯");
        var id = matter["id"]!.GetValue<string>();
        Assert.Equal("hear", matter["step"]!.GetValue<string>());

        await CompleteAsync(await As("gridworker2"), id, "major", new { verified = true, note = "住户普遍支持，需社区议事" });
        Assert.Equal("deliberate", await StepAsync(id));

        await RunTheMeetingAsync(id);
        Assert.Equal("decide", await StepAsync(id));
        await CompleteAsync(await As("secretary"), id, "ownersOrdinary", new { kind = "other-major-matter", note = "按一般事项由3号楼业主表决" });

        // The ballot is announced 15 days before voting opens; then the owners of 3号楼 vote: 8 of its 12 heads, holding exactly 2/3 of its area, all
        // agree.
        await LaterAsync(OwnersBallots.Notice);
        var ballot = (await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={id}"))["items"]!.AsArray().Single()!;
        Assert.Equal("open", ballot["status"]!.GetValue<string>());
        var ballotId = ballot["id"]!.GetValue<string>();
        Assert.Equal(12, ballot["electorate"]!["heads"]!.GetValue<int>());
        foreach (var owner in new[] { "owner-xf-3-101", "owner-xf-3-102", "owner-xf-3-201", "owner-xf-1-101", "owner-xf-3-301", "owner-xf-3-302",
            "owner-xf-3-401", "owner-xf-3-402" })
            Assert.Equal(HttpStatusCode.OK,
                (await (await As(owner)).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" })).StatusCode);

        await LaterAsync(TimeSpan.FromDays(16)); // the ballot closes: passed; the decision is posted for 5 days
        var closed = await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{ballotId}");
        Assert.Equal("passed", closed["outcome"]!.GetValue<string>());
        Assert.True(closed["result"]!["quorumMet"]!.GetValue<bool>());
        Assert.Equal("decide", await StepAsync(id));
        var decisions = (await (await As("resident")).GetJsonAsync("/api/notices")).AsArray()
            .Where(n => n!["kind"]!.GetValue<string>() == "decision" && n["matterId"]?.GetValue<string>() == id).ToList();
        Assert.True(decisions.Count == 1, $"Expected the decision notice, found {decisions.Count}.\n{await DiagnosticsAsync()}");
        var decision = decisions[0]!;
        // The 议定事项公示 says what was decided: the resolution with its unit and deadline, and the owners' vote.
        var body = decision["body"]!.GetValue<string>();
        Assert.Contains("1. 物业公司协调加装电梯施工（责任单位：物业公司；完成时限：", body);
        Assert.Contains("业主表决结果：通过", body);
        Assert.DoesNotContain("\\n", body);

        await LaterAsync(TimeSpan.FromDays(6)); // the posting period is over: execution
        Assert.Equal("execute", await StepAsync(id));
        await CompleteWorkItemsAsync(id, "property", "电梯井道已完工，电梯投入使用");
        Assert.Equal("rate", await StepAsync(id));

        // The residents are not satisfied: back to execution, rework, then a second rating.
        await RateAsync(id, "resident", "dissatisfied");
        await RateAsync(id, "owner-xf-3-101", "dissatisfied");
        await RateAsync(id, "owner-xf-3-102", "satisfied");
        await LaterAsync(TimeSpan.FromDays(8));
        Assert.Equal("execute", await StepAsync(id));
        var rework = (await (await As("property")).GetJsonAsync($"/api/work-items?matterId={id}"))["items"]!.AsArray();
        Assert.Contains(rework, w => w!["title"]!.GetValue<string>().StartsWith("返工") && w["status"]!.GetValue<string>() != "done");

        await CompleteWorkItemsAsync(id, "property", "已整改电梯运行噪声");
        await RateAsync(id, "resident", "satisfied");
        await RateAsync(id, "owner-xf-3-101", "basicallySatisfied");
        await LaterAsync(TimeSpan.FromDays(8));

        var done = await (await As("resident")).GetJsonAsync($"/api/matters/{id}");
        Assert.Equal("closed", done["step"]!.GetValue<string>());
        Assert.Equal("major", done["triage"]!.GetValue<string>());
        Assert.Contains("已整改电梯运行噪声", done["resolution"]!.GetValue<string>());
        // Every step the matter took, in order; 网格听事 is told once, on the grid worker's triage (its step folded in).
        var steps = done["timeline"]!.AsArray().Where(e => e!["step"] is not null && e["kind"]!.GetValue<string>() != "raised")
            .Select(e => e!["step"]!.GetValue<string>()).ToList();
        Assert.Equal(["hear", "deliberate", "decide", "execute", "rate", "execute", "rate", "closed"], steps);
        var rounds = (await (await As("resident")).GetJsonAsync($"/api/matters/{id}/ratings")).AsArray();
        Assert.Equal(2, rounds.Count);
    }

    static readonly System.Text.Json.JsonSerializerOptions Readable =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3];

    [Fact]
    public async Task The_resident_follows_their_matter_from_raising_to_the_posted_result_and_their_rating_in_one_timeline()
    {
        var id = (await RaiseInBuilding3Async("3号楼加装电梯"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker2"), id, "major", new { verified = true, note = "内部备注：3-101 住户反对" });
        await RunTheMeetingAsync(id);
        await CompleteAsync(await As("secretary"), id, "ownersOrdinary", new { kind = "other-major-matter", note = "按一般事项由3号楼业主表决" });
        await LaterAsync(OwnersBallots.Notice);
        var ballotId = (await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={id}"))["items"]!.AsArray().Single()!["id"]!;
        foreach (var owner in new[] { "owner-xf-3-101", "owner-xf-3-102", "owner-xf-3-201", "owner-xf-1-101", "owner-xf-3-301", "owner-xf-3-302",
            "owner-xf-3-401", "owner-xf-3-402" })
            Assert.Equal(HttpStatusCode.OK,
                (await (await As(owner)).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" })).StatusCode);
        await LaterAsync(TimeSpan.FromDays(16));
        await LaterAsync(TimeSpan.FromDays(6));
        Assert.Equal("execute", await StepAsync(id));

        // The property company reports progress with a photo, then finishes.
        var property = await As("property");
        var item = (await property.GetJsonAsync($"/api/work-items?matterId={id}"))["items"]!.AsArray().Single()!["id"]!.GetValue<string>();
        var progressed = await property.PostJsonAsync($"/api/work-items/{item}/progress", new { text = "井道开挖中", percent = 50 });
        var update = progressed["updates"]!.AsArray().Single(u => u!["kind"]!.GetValue<string>() == "progress")!["id"]!.GetValue<string>();
        var upload = await property.PostAsync($"/api/work-items/{item}/updates/{update}/photos", ExecutionKit.Form(("井道.png", Png)));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        await CompleteWorkItemsAsync(id, "property", "电梯投入使用");
        await (await As("resident")).PostAsJsonAsync($"/api/matters/{id}/ratings", new { choice = "satisfied", comment = "谢谢大家" });
        await RateAsync(id, "owner-xf-3-101", "basicallySatisfied"); // a neighbour's rating is theirs
        await LaterAsync(TimeSpan.FromDays(8));

        var resident = await As("resident");
        var story = await resident.GetJsonAsync($"/api/matters/{id}");
        Assert.Equal("closed", story["step"]!.GetValue<string>());
        var timeline = story["timeline"]!.AsArray().Select(e => e!).ToList();
        int Count(string kind) => timeline.Count(e => e["kind"]!.GetValue<string>() == kind);
        string Kinds() => string.Join(", ", timeline.Select(e => $"{e["kind"]}:{e["title"]}"));
        Assert.True(Count("raised") == 1, Kinds());
        Assert.True(timeline.Count(e => e["title"]!.GetValue<string>() == "网格听事") == 1, Kinds());
        Assert.True(Count("resolution") == 1, Kinds());
        Assert.True(Count("vote") == 1, Kinds());
        Assert.True(Count("workProgress") == 1, Kinds());
        Assert.True(Count("workDone") == 1, Kinds());
        // What was posted about it (the ballot's announcement and result, 议定事项公示, the rating's result), each once.
        var notices = timeline.Where(e => e["kind"]!.GetValue<string>() == "notice").Select(e => e["title"]!.GetValue<string>()).ToList();
        Assert.True(notices.Count == notices.Distinct().Count(), Kinds());
        Assert.True(notices.Count(n => n.StartsWith("议定事项公示")) == 1, Kinds());
        Assert.True(Count("rating") == 1, Kinds());
        Assert.True(Count("closed") == 1, Kinds());
        Assert.Equal(0, Count("taskCreated")); // every task is done: told once, when done

        var resolution = timeline.Single(e => e["kind"]!.GetValue<string>() == "resolution");
        Assert.Contains("物业公司协调加装电梯施工", resolution["text"]!.GetValue<string>());
        Assert.NotNull(resolution["dueDate"]);
        var vote = timeline.Single(e => e["kind"]!.GetValue<string>() == "vote");
        Assert.Equal("passed", vote["outcome"]!.GetValue<string>());
        Assert.Contains("同意 8 人、", vote["text"]!.GetValue<string>());
        Assert.Contains("平方米", vote["text"]!.GetValue<string>());
        var photo = timeline.Single(e => e["kind"]!.GetValue<string>() == "workProgress")["photos"]!.AsArray().Single()!;
        Assert.Equal(HttpStatusCode.OK, (await resident.GetAsync(photo["url"]!.GetValue<string>())).StatusCode);
        var rating = timeline.Single(e => e["kind"]!.GetValue<string>() == "rating");
        Assert.Equal(("satisfied", "谢谢大家"), (rating["outcome"]!.GetValue<string>(), rating["text"]!.GetValue<string>()));
        Assert.Equal("电梯投入使用", timeline.Single(e => e["kind"]!.GetValue<string>() == "closed")["text"]!.GetValue<string>());

        // Nothing the resident may not read: the staff's notes, the owners who voted, a neighbour's rating.
        var json = story["timeline"]!.ToJsonString(Readable);
        Assert.DoesNotContain("内部备注", json);
        Assert.DoesNotContain(timeline, e => e["kind"]!.GetValue<string>() == "rating" && e["outcome"]!.GetValue<string>() != "satisfied");
        Assert.DoesNotContain("owner-xf", json);
        Assert.All(timeline, e => Assert.Null(e["values"]));

        // The closing report is offered, and opens for the resident who raised it.
        var report = story["closingReportUrl"]!.GetValue<string>();
        Assert.Equal($"/api/matters/{id}/closing-report.pdf", report);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await resident.GetPdfAsync(report))[..4]));

        // The grid worker still reads the notes written into the tasks.
        var staffStory = await (await As("gridworker2")).GetJsonAsync($"/api/matters/{id}");
        Assert.Contains("内部备注", staffStory["timeline"]!.ToJsonString(Readable));
    }

    [Fact]
    public async Task The_workflows_owners_ballot_is_announced_with_fifteen_days_notice_refuses_votes_until_it_opens_and_closes_after_its_duration()
    {
        var id = (await RaiseInBuilding3Async("3号楼屋面防水"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker2"), id, "major", new { verified = true, note = "需业主表决" });
        await RunTheMeetingAsync(id);
        var decidedAt = clock.GetUtcNow();
        await CompleteAsync(await As("secretary"), id, "ownersOrdinary", new { kind = "other-major-matter", note = "按一般事项由3号楼业主表决" });

        // As POST /api/ballots would have it: announced now, with its kind and organiser, opening when the notice has run.
        var ballot = (await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={id}"))["items"]!.AsArray().Single()!;
        var ballotId = ballot["id"]!.GetValue<string>();
        Assert.Equal("announced", ballot["status"]!.GetValue<string>());
        Assert.Equal("other-major-matter", ballot["kind"]!.GetValue<string>());
        Assert.Equal("ownersCommittee", ballot["organiser"]!["body"]!.GetValue<string>());
        var opensAt = ballot["opensAt"]!.GetValue<DateTimeOffset>();
        var closesAt = ballot["closesAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(OwnersBallots.OpeningAfterNotice(decidedAt), opensAt); // 00:00 China time, 16 days after the day of the decision
        Assert.Equal(opensAt + TimeSpan.FromDays(15), closesAt); // the workflow's Duration, P15D

        // The announcement is a public notice the residents see, with the full agenda, rule and voting period.
        var notice = (await (await As("resident")).GetJsonAsync("/api/notices")).AsArray()
            .Single(n => n!["kind"]!.GetValue<string>() == "ballotAnnouncement" && n["ballotId"]?.GetValue<string>() == ballotId)!;
        Assert.Contains("3号楼屋面防水", notice["body"]!.GetValue<string>());
        Assert.Contains("投票期间", notice["body"]!.GetValue<string>());

        // During the notice period nobody can vote.
        var early = await (await As("owner-xf-3-101")).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("ballotNotOpen", (await early.JsonAsync())["code"]!.GetValue<string>());
        await LaterAsync(opensAt - clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        Assert.Equal("announced", (await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{ballotId}"))["status"]!.GetValue<string>());

        // At opensAt the scheduled opening opens it; the owners vote; it closes after its duration and the workflow goes on.
        await LaterAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("open", (await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{ballotId}"))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK,
            (await (await As("owner-xf-3-101")).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" })).StatusCode);
        await LaterAsync(TimeSpan.FromDays(15) - TimeSpan.FromMinutes(1));
        Assert.Equal("open", (await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{ballotId}"))["status"]!.GetValue<string>());
        await LaterAsync(TimeSpan.FromMinutes(1));
        var closed = await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{ballotId}");
        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.Equal("noDecision", closed["outcome"]!.GetValue<string>()); // one of 12 heads took part
        Assert.Equal("closed", await StepAsync(id));
    }

    [Fact]
    public async Task The_workflows_owners_ballot_carries_the_meetings_motion_and_the_decision_notice_says_what_was_decided_with_the_figures()
    {
        var id = (await RaiseInBuilding3Async("3号楼门口路灯不亮"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker2"), id, "major", new { verified = true, note = "需社区议事" });
        await RunTheMeetingAsync(id, new { text = "使用公共收益约3200元更换路灯", proposedBy = "周主任", reason = "路灯不亮，老人夜间出行不便", cost = 3200m });
        await CompleteAsync(await As("secretary"), id, "ownersOrdinary", new { kind = "other-major-matter", note = "按一般事项由3号楼业主表决" });

        // The owners are asked the motion the meeting recorded, not the matter's title.
        var ballots = (await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={id}"))["items"]!.AsArray();
        Assert.True(ballots.Count == 1, $"Expected the workflow's ballot, found {ballots.Count}.\n{await DiagnosticsAsync()}");
        var ballotId = ballots[0]!["id"]!.GetValue<string>();
        var owner = await As("owner-xf-3-101");
        var proposal = (await owner.GetJsonAsync($"/api/ballots/{ballotId}"))["proposal"]!;
        Assert.Equal("使用公共收益约3200元更换路灯", proposal["text"]!.GetValue<string>());
        Assert.Equal("路灯不亮，老人夜间出行不便", proposal["reason"]!.GetValue<string>());
        Assert.Equal(3200m, proposal["cost"]!.GetValue<decimal>());
        Assert.Equal("周主任", proposal["proposedBy"]!.GetValue<string>());
        Assert.NotNull(proposal["motionId"]);

        // One tap away: the meeting's opinions and the motion, now sent to the owners.
        var record = await owner.GetJsonAsync($"/api/ballots/{ballotId}/deliberation");
        Assert.Contains(record["opinions"]!.AsArray(), o => o!["speaker"]?.GetValue<string>() == "周主任"
            && o["party"]!.GetValue<string>() == "ownersCommittee");
        var motion = record["motions"]!.AsArray().Single()!;
        Assert.Equal("使用公共收益约3200元更换路灯", motion["text"]!.GetValue<string>());
        Assert.Equal("sentToOwners", motion["fate"]!.GetValue<string>());
        Assert.Contains("物业公司协调加装电梯施工", record["resolutions"]!.AsArray().Select(r => r!.GetValue<string>()));
        // The meeting's record is seen by whoever may see the ballot, and by nobody else.
        var stranger = await As("owner-hp-1-101");
        await ProblemAssert.IsProblemAsync(await stranger.GetAsync($"/api/ballots/{ballotId}/deliberation"), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await stranger.GetAsync($"/api/ballots/{ballotId}"), HttpStatusCode.NotFound, "notFound");
        var resident = await As("resident");
        Assert.Equal((await resident.GetAsync($"/api/ballots/{ballotId}")).StatusCode,
            (await resident.GetAsync($"/api/ballots/{ballotId}/deliberation")).StatusCode);

        // Fixed once announced: the audit's entry for the ballot's creation records the proposal as announced.
        var audit = (await (await As("admin")).GetJsonAsync($"/api/audit?entityType=Ballot&entityId={ballotId}"))["items"]!.AsArray();
        var created = audit.Single(e => e!["action"]!.GetValue<string>() == "added")!;
        Assert.Contains("使用公共收益约3200元更换路灯", created["after"]!.GetValue<string>());
        Assert.DoesNotContain(audit, e => e!["action"]!.GetValue<string>() == "modified" && e["after"]!.GetValue<string>().Contains("Proposal"));

        await LaterAsync(OwnersBallots.Notice);
        foreach (var voter in new[] { "owner-xf-3-101", "owner-xf-3-102", "owner-xf-3-201", "owner-xf-1-101", "owner-xf-3-301", "owner-xf-3-302",
            "owner-xf-3-401", "owner-xf-3-402" })
            Assert.Equal(HttpStatusCode.OK,
                (await (await As(voter)).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "agree" })).StatusCode);
        await LaterAsync(TimeSpan.FromDays(16));

        var decisions = (await (await As("resident")).GetJsonAsync("/api/notices")).AsArray()
            .Where(n => n!["kind"]!.GetValue<string>() == "decision" && n["matterId"]?.GetValue<string>() == id).ToList();
        Assert.True(decisions.Count == 1, $"Expected the decision notice, found {decisions.Count}.\n{await DiagnosticsAsync()}");
        var body = decisions[0]!["body"]!.GetValue<string>();
        Assert.Contains("业主表决事项：使用公共收益约3200元更换路灯", body);
        Assert.Contains("业主表决结果：通过", body);
        Assert.Contains("应参与 12 人", body);
        Assert.Contains("同意 8 人", body);
        Assert.Matches(@"表决日期：\d{4}年\d{1,2}月\d{1,2}日", body);

        // The closed ballot offers its result notice (表决结果公告), which names the proposal voted on.
        owner = await As("owner-xf-3-101"); // signed in afresh: tokens expire with the clock
        var closed = await owner.GetJsonAsync($"/api/ballots/{ballotId}");
        var noticePdf = closed["noticePdf"]!.GetValue<string>();
        Assert.Equal($"/api/ballots/{ballotId}/notice.pdf", noticePdf);
        var notice = string.Concat(Pdf.Text(await owner.GetPdfAsync(noticePdf)).Where(c => !char.IsWhiteSpace(c)));
        Assert.Contains("表决议案：使用公共收益约3200元更换路灯", notice);
    }

    [Fact]
    public async Task A_major_matter_the_meeting_decides_itself_skips_the_owners_vote()
    {
        var id = (await RaiseInBuilding3Async("楼道照明改造"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker2"), id, "major", new { verified = true, note = "需社区协调" });
        await RunTheMeetingAsync(id);
        await CompleteAsync(await As("secretary"), id, "meeting", new { note = "联席会议已议定" });
        Assert.Empty((await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={id}"))["items"]!.AsArray());
        await LaterAsync(TimeSpan.FromDays(6));
        Assert.Equal("execute", await StepAsync(id));
    }

    [Fact]
    public async Task A_failed_vote_closes_the_matter_with_the_result()
    {
        var id = (await RaiseInBuilding3Async("外立面改色"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker2"), id, "major", new { verified = true, note = "需社区议事" });
        await RunTheMeetingAsync(id);
        await CompleteAsync(await As("secretary"), id, "ownersMajor", new { kind = "common-parts-use", note = "改变共有部分用途，重大事项" });
        var ballotId = (await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={id}"))["items"]!.AsArray()
            .Single()!["id"]!.GetValue<string>();
        await LaterAsync(OwnersBallots.Notice);
        Assert.Equal(HttpStatusCode.OK,
            (await (await As("owner-xf-3-101")).PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choice = "disagree" })).StatusCode);
        await LaterAsync(TimeSpan.FromDays(16));
        var closed = await (await As("resident")).GetJsonAsync($"/api/matters/{id}");
        Assert.Equal("closed", closed["step"]!.GetValue<string>());
        Assert.Contains("未形成决定", closed["resolution"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_minor_matter_is_solved_in_the_grid_as_a_work_item_and_rated()
    {
        var resident = await As("resident");
        var id = (await RaiseAsync(resident, "楼道堆放杂物"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker"), id, "minor", new { verified = true, note = "已联系住户" });
        Assert.Equal("execute", await StepAsync(id));
        await CompleteWorkItemsAsync(id, "gridworker", "杂物已清理");
        Assert.Equal("rate", await StepAsync(id));
        await RateAsync(id, "resident", "basicallySatisfied");
        await LaterAsync(TimeSpan.FromDays(8));

        var closed = await (await As("resident")).GetJsonAsync($"/api/matters/{id}");
        Assert.Equal("closed", closed["step"]!.GetValue<string>());
        Assert.Equal("minor", closed["triage"]!.GetValue<string>());
        Assert.Contains("杂物已清理", closed["resolution"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_private_matter_is_closed_by_the_grid_worker_with_guidance()
    {
        var resident = await As("resident");
        var id = (await RaiseAsync(resident, "家里水管漏水"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker"), id, "private", new { verified = true, note = "属于自家管道，已告知维修电话" });
        var closed = await resident.GetJsonAsync($"/api/matters/{id}");
        Assert.Equal("closed", closed["step"]!.GetValue<string>());
        Assert.Equal("private", closed["triage"]!.GetValue<string>());
        Assert.Contains("已告知维修电话", closed["resolution"]!.GetValue<string>());
        Assert.Empty((await resident.GetJsonAsync($"/api/tasks?matterId={id}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_matter_beyond_the_community_goes_to_the_street_which_blows_the_whistle_for_a_department()
    {
        var resident = await As("resident");
        var id = (await RaiseAsync(resident, "小区外道路塌陷"))["id"]!.GetValue<string>();
        await CompleteAsync(await As("gridworker"), id, "escalate", new { verified = true, note = "市政道路，超出社区职责" });
        var street = await As("street");
        var item = (await street.GetJsonAsync($"/api/work-items?matterId={id}"))["items"]!.AsArray().Single()!;
        Assert.Equal("street", item["level"]!.GetValue<string>());
        await street.PostJsonAsync($"/api/work-items/{item["id"]}/escalate", new { reason = "需住建部门报到" });
        await CompleteWorkItemsAsync(id, "department", "道路已修复");
        Assert.Equal("rate", await StepAsync(id));
        await RateAsync(id, "resident", "satisfied");
        await LaterAsync(TimeSpan.FromDays(8));
        Assert.Equal("closed", await StepAsync(id));
    }

    [Fact]
    public async Task A_completion_that_does_not_fit_the_task_is_refused_and_changes_nothing()
    {
        var resident = await As("resident");
        var id = (await RaiseAsync(resident))["id"]!.GetValue<string>();
        var gridWorker = await As("gridworker");
        var task = await OpenTaskAsync(gridWorker, id);

        var wrongOutcome = await gridWorker.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete",
            new { outcome = "whatever", values = new { verified = true, note = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongOutcome.StatusCode);
        Assert.NotNull((await wrongOutcome.JsonAsync())["errors"]!["outcome"]);

        var missingField = await gridWorker.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete",
            new { outcome = "major", values = new { verified = true } });
        Assert.Equal(HttpStatusCode.BadRequest, missingField.StatusCode);
        Assert.NotNull((await missingField.JsonAsync())["errors"]!["values.note"]);

        var wrongType = await gridWorker.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete",
            new { outcome = "major", values = new { verified = "yes", note = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);

        Assert.Equal("hear", await StepOfAsync(resident, id));
        Assert.Equal(task["id"]!.GetValue<string>(), (await OpenTaskAsync(gridWorker, id))["id"]!.GetValue<string>());
    }

    static string Str(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task The_residents_timeline_tells_the_meeting_held_when_it_sat_and_each_motion_with_its_proposer_and_fate()
    {
        var id = Str((await RaiseInBuilding3Async("3号楼路灯更换"))["id"]);
        await CompleteAsync(await As("gridworker2"), id, "major", new { verified = true, note = "需社区议事" });
        await RunTheMeetingAsync(id, new { text = "使用公共收益约3200元更换路灯", proposedBy = "周主任", cost = 3200 });
        await CompleteAsync(await As("secretary"), id, "ownersOrdinary", new { kind = "maintenance-fund-use", note = "由3号楼业主表决" });

        var meetingId = Str((await (await As("resident")).GetJsonAsync($"/api/meetings/for-matter/{id}")).AsArray().Single()!["meetingId"]);
        var meeting = await (await As("secretary")).GetJsonAsync($"/api/meetings/{meetingId}");
        var timeline = (await (await As("resident")).GetJsonAsync($"/api/matters/{id}"))["timeline"]!.AsArray();
        var held = timeline.Single(e => Str(e!["kind"]) == "meeting")!;
        Assert.Equal("召开会议", Str(held["title"]));
        Assert.Equal(Str(meeting["title"]), Str(held["meeting"]!["title"]));
        Assert.Equal(meeting["openedAt"]!.GetValue<DateTimeOffset>(), held["meeting"]!["openedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(meeting["closedAt"]!.GetValue<DateTimeOffset>(), held["meeting"]!["closedAt"]!.GetValue<DateTimeOffset>());
        var motion = held["meeting"]!["motions"]!.AsArray().Single()!;
        Assert.Equal("使用公共收益约3200元更换路灯", Str(motion["text"]));
        Assert.Equal("周主任", Str(motion["proposedBy"]));
        Assert.Equal("sentToOwners", Str(motion["fate"]));
        Assert.Equal("提交业主表决", Str(motion["fateName"]));
        // Told after the step's line (社区议事) and before the decision it led to.
        var kinds = timeline.Select(e => Str(e!["kind"])).ToList();
        Assert.True(kinds.IndexOf("meeting") > kinds.IndexOf("step"));

        // A neighbour reads the public matter's meeting and motion, without who proposed it.
        var seen = await (await As("owner-xf-2-101")).GetJsonAsync($"/api/matters/{id}");
        var theirs = seen["timeline"]!.AsArray().Single(e => Str(e!["kind"]) == "meeting")!["meeting"]!["motions"]!.AsArray().Single()!;
        Assert.Equal("使用公共收益约3200元更换路灯", Str(theirs["text"]));
        Assert.Null(theirs["proposedBy"]);
        Assert.DoesNotContain("周主任", seen.ToJsonString());
    }

    [Fact]
    public async Task The_secretary_states_the_owners_ballots_kind_and_a_major_kind_chosen_as_ordinary_is_voted_on_under_the_major_rule()
    {
        var id = Str((await RaiseInBuilding3Async("3号楼架空层改为活动室"))["id"]);
        await CompleteAsync(await As("gridworker2"), id, "major", new { verified = true, note = "需社区议事" });
        await RunTheMeetingAsync(id);

        // Without a kind the task is refused, naming the field.
        var secretary = await As("secretary");
        var task = await OpenTaskAsync(secretary, id);
        var field = task["form"]!.AsArray().Single(f => Str(f!["name"]) == "kind")!;
        Assert.Contains("改变共有部分的用途或者利用共有部分从事经营活动（第八项，重大事项）", field["optionLabels"]!.AsArray().Select(Str));
        var refused = await secretary.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete",
            new { outcome = "ownersOrdinary", values = new { note = "一般事项" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("事项类别", await refused.Content.ReadAsStringAsync());

        await CompleteAsync(secretary, id, "ownersOrdinary", new { kind = "common-parts-use", note = "按一般事项表决" });
        var ballot = (await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={id}"))["items"]!.AsArray().Single()!;
        var full = await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{ballot["id"]}");
        Assert.Equal("common-parts-use", Str(full["kind"]));
        Assert.Equal("civil-code-278-major", Str(full["rule"]));
    }
}
