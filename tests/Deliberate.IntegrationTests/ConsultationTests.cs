using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Deliberate.IntegrationTests.WorkflowDefinitionTests;

namespace Deliberate.IntegrationTests;

/// <summary>Written consultation over HTTP: who answers for whom, once each, within the window; closing early and at the deadline; the Consult
/// activity.</summary>
public sealed class ConsultationTests : AppTest
{
    // Whole seconds, so that times read back from PostgreSQL (microseconds) compare equal.
    readonly FakeTimeProvider clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    protected override TimeProvider? Clock => clock;

    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;
    static readonly Guid Building1 = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 1);

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();

    async Task<string> UserIdAsync(string userName) => Id(await (await As(userName)).GetJsonAsync("/api/auth/me"));

    /// <summary>The property company's manager by name, and the owners' committee as a party that anyone holding its role answers for.</summary>
    async Task<JsonNode> StartAsync(Guid? residentsScope = null, object[]? invitees = null)
    {
        var secretary = await As("secretary");
        return await secretary.PostJsonAsync("/api/consultations", new
        {
            orgUnitId = Xingfuli,
            title = "关于3号楼加装电梯的书面征求意见",
            question = "拟在3号楼加装电梯，费用按楼层分摊，是否同意？",
            closesAt = clock.GetUtcNow().AddDays(3),
            invitees = invitees ?? [new { party = "propertyCompany", userId = await UserIdAsync("property") }, new { party = "ownersCommittee" }],
            residentsScopeId = residentsScope,
        });
    }

    static string InviteeOf(JsonNode consultation, string party) => Id(consultation["invitees"]!.AsArray().Single(i => Str(i!["party"]) == party)!);

    static Task<HttpResponseMessage> AnswerAsync(HttpClient client, string consultationId, string position,
        string? inviteeId = null, string? text = null) =>
        client.PostAsJsonAsync($"/api/consultations/{consultationId}/responses", new { inviteeId, position, text });

    /// <summary>Runs the consultation's deadline as the scheduler would (Quartz keeps the real clock, the app the fake one).</summary>
    async Task RunDeadlineAsync(string consultationId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == "consultation.close");
        await handler.HandleAsync(Guid.Parse(consultationId), CancellationToken.None);
    }

    [Fact]
    public async Task Each_party_answers_once_a_second_answer_is_refused_with_409_and_everyone_who_may_see_it_sees_who_answered_what()
    {
        var consultation = await StartAsync();
        var id = Id(consultation);
        Assert.Equal(("open", 2, 0),
            (Str(consultation["status"]), consultation["expected"]!.GetValue<int>(), consultation["answered"]!.GetValue<int>()));
        Assert.Equal("吴经理", Str(consultation["invitees"]!.AsArray().Single(i => Str(i!["party"]) == "propertyCompany")!["name"]));

        var property = await As("property");
        var mine = await property.GetJsonAsync($"/api/consultations/{id}");
        Assert.Equal([InviteeOf(consultation, "propertyCompany")], mine["canAnswerFor"]!.AsArray().Select(x => Str(x)));
        Assert.Equal(HttpStatusCode.Created, (await AnswerAsync(property, id, "agree", text: "可以配合施工")).StatusCode);
        await ProblemAssert.IsProblemAsync(await AnswerAsync(property, id, "disagree"), HttpStatusCode.Conflict, "alreadyAnswered");

        // The owners' committee entry names no user: whoever holds the role in the community answers for it; others may not.
        var secretary = await As("secretary");
        await ProblemAssert.IsProblemAsync(await AnswerAsync(secretary, id, "agree", InviteeOf(consultation, "ownersCommittee")),
            HttpStatusCode.Forbidden, "notInvitee");
        await ProblemAssert.IsProblemAsync(await AnswerAsync(property, id, "agree", InviteeOf(consultation, "ownersCommittee")),
            HttpStatusCode.Forbidden, "notInvitee");
        clock.Advance(TimeSpan.FromMinutes(5));
        var committee = await As("owners-committee");
        var answered = await (await AnswerAsync(committee, id, "comment", InviteeOf(consultation, "ownersCommittee"), "须先征得本楼三分之二业主同意")).JsonAsync();

        Assert.Equal(("closed", 2), (Str(answered["status"]), answered["answered"]!.GetValue<int>())); // everyone asked has answered
        var seen = await secretary.GetJsonAsync($"/api/consultations/{id}");
        Assert.Equal([("propertyCompany", "吴经理", "agree", "吴经理"), ("ownersCommittee", "业委会", "comment", "周主任")],
            seen["responses"]!.AsArray().Select(r => (Str(r!["party"]), Str(r["name"]), Str(r["position"]), Str(r["answeredBy"]!["name"]))));
        Assert.Equal((1, 0, 0, 1), (seen["counts"]!["agree"]!.GetValue<int>(), seen["counts"]!["disagree"]!.GetValue<int>(),
            seen["counts"]!["abstain"]!.GetValue<int>(), seen["counts"]!["comment"]!.GetValue<int>()));

        foreach (var outsider in new[] { "hp-secretary", "resident", "gridworker" })
            await ProblemAssert.IsProblemAsync(await (await As(outsider)).GetAsync($"/api/consultations/{id}"), HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public async Task Two_answers_for_the_same_invitee_at_the_same_moment_give_one_answer_and_a_409()
    {
        var consultation = await StartAsync(invitees: [new { party = "propertyCompany", userId = await UserIdAsync("property") },
            new { party = "ownersCommittee" }]);
        var id = Id(consultation);
        var invitee = InviteeOf(consultation, "ownersCommittee");
        var first = await As("owners-committee");
        var second = await As("owners-committee");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(i => AnswerAsync(i % 2 == 0 ? first : second, id, i < 2 ? "agree" : "disagree", invitee)));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict],
            responses.Select(r => r.StatusCode).Order());
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, "alreadyAnswered");
        var seen = await first.GetJsonAsync($"/api/consultations/{id}");
        Assert.Single(seen["responses"]!.AsArray());
        Assert.Equal("open", Str(seen["status"])); // the property company has not answered yet
    }

    [Fact]
    public async Task A_consultation_of_a_buildings_residents_closes_when_the_last_resident_answers()
    {
        var consultation = await StartAsync(Building1, [new { party = "propertyCompany", userId = await UserIdAsync("property") }]);
        var id = Id(consultation);
        var residents = new[] { "owner-xf-1-101", "resident" }
            .Concat(Enumerable.Range(2, 5).SelectMany(floor => new[] { $"owner-xf-1-{floor}01", $"owner-xf-1-{floor}02" })).ToList();
        Assert.Equal(1 + residents.Count, consultation["expected"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.Created, (await AnswerAsync(await As("property"), id, "agree")).StatusCode);
        // A resident of another building of the community is not asked.
        await ProblemAssert.IsProblemAsync(await AnswerAsync(await As("owner-xf-2-101"), id, "agree"), HttpStatusCode.NotFound, "notFound");
        for (var i = 0; i < residents.Count; i++)
        {
            var client = await As(residents[i]);
            Assert.True(i > 0 || (await client.GetJsonAsync($"/api/consultations/{id}"))["canAnswerAsResident"]!.GetValue<bool>());
            var answer = await (await AnswerAsync(client, id, i % 3 == 0 ? "disagree" : "agree")).JsonAsync();
            Assert.Equal(i == residents.Count - 1 ? "closed" : "open", Str(answer["status"]));
        }
        var closed = await (await As("secretary")).GetJsonAsync($"/api/consultations/{id}");
        Assert.Equal(residents.Count + 1, closed["answered"]!.GetValue<int>());
        Assert.Equal(4, closed["counts"]!["disagree"]!.GetValue<int>());
        Assert.NotNull(closed["closedAt"]);
    }

    [Fact]
    public async Task A_consultation_closes_at_its_deadline_with_the_answers_given_and_then_takes_no_more()
    {
        var consultation = await StartAsync();
        var id = Id(consultation);
        Assert.Equal(HttpStatusCode.Created, (await AnswerAsync(await As("property"), id, "agree")).StatusCode);

        clock.Advance(TimeSpan.FromDays(1));
        await RunDeadlineAsync(id); // early: nothing happens
        Assert.Equal("open", Str((await (await As("secretary")).GetJsonAsync($"/api/consultations/{id}"))["status"]));

        clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await RunDeadlineAsync(id);
        var secretary = await As("secretary");
        var closed = await secretary.GetJsonAsync($"/api/consultations/{id}");
        Assert.Equal(("closed", 1), (Str(closed["status"]), closed["answered"]!.GetValue<int>()));
        Assert.Equal(clock.GetUtcNow(), DateTimeOffset.Parse(Str(closed["closedAt"])));

        await ProblemAssert.IsProblemAsync(await AnswerAsync(await As("owners-committee"), id, "agree", InviteeOf(consultation, "ownersCommittee")),
            HttpStatusCode.Conflict, "consultationClosed");
        await RunDeadlineAsync(id); // twice is once
        Assert.Equal(closed["closedAt"]!.ToJsonString(), (await secretary.GetJsonAsync($"/api/consultations/{id}"))["closedAt"]!.ToJsonString());
    }

    [Fact]
    public async Task Bad_input_is_answered_400_with_field_errors_and_creates_nothing()
    {
        var secretary = await As("secretary");
        var before = (await secretary.GetJsonAsync("/api/consultations"))["total"]!.GetValue<int>();
        var bad = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/consultations", new
        {
            orgUnitId = Xingfuli,
            title = "",
            question = "是否同意？",
            closesAt = clock.GetUtcNow().AddMinutes(-1),
            invitees = new object[] { new { party = "mafia" }, new { party = "residentUnits" },
            new { party = "propertyCompany", userId = Guid.NewGuid() } },
            residentsScopeId = DemoData.Ids.HepingGrid1,
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["closesAt", "invitees[0].party", "invitees[1].userId", "invitees[2].userId", "residentsScopeId", "title"],
            bad["errors"]!.AsObject().Select(e => e.Key).Order());
        var nobody = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/consultations", new
        {
            orgUnitId = Xingfuli, title = "t", question = "q", closesAt = clock.GetUtcNow().AddDays(1),
        }), HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(nobody["errors"]!["invitees"]);
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).PostAsJsonAsync("/api/consultations", new
        {
            orgUnitId = Xingfuli, title = "t", question = "q", closesAt = clock.GetUtcNow().AddDays(1),
            invitees = new[] { new { party = "propertyCompany" } },
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(before, (await secretary.GetJsonAsync("/api/consultations"))["total"]!.GetValue<int>());

        var id = Id(await StartAsync());
        var answer = await ProblemAssert.IsProblemAsync(await AnswerAsync(await As("property"), id, "maybe"),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(answer["errors"]!["position"]);
        var comment = await ProblemAssert.IsProblemAsync(await AnswerAsync(await As("property"), id, "comment"),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(comment["errors"]!["text"]);
        Assert.Equal(0, (await secretary.GetJsonAsync($"/api/consultations/{id}"))["answered"]!.GetValue<int>());
    }

    static JsonObject ConsultWorkflow() => new()
    {
        ["definitionId"] = "test-consult",
        ["name"] = "测试书面征求意见",
        ["variables"] = new JsonArray(new JsonObject { ["name"] = "communityId" }, new JsonObject { ["name"] = "opinions", ["type"] = "object" }),
        ["root"] = new JsonObject
        {
            ["type"] = "Flowchart",
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject
                {
                    ["id"] = "ask", ["type"] = "Consult", ["title"] = "加装电梯征求意见", ["question"] = "是否同意加装电梯？",
                    ["parties"] = new JsonArray("propertyCompany", "ownersCommittee"), ["duration"] = "P3D", ["outputVariable"] = "opinions",
                },
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray(Connect("start", "Done", "ask"), Connect("ask", "Done", "end")),
        },
    };

    [Fact]
    public async Task Consult_waits_until_every_party_has_answered_and_goes_on_with_the_summary()
    {
        var designer = await As("designer");
        await designer.PostJsonAsync("/api/workflow-definitions", ConsultWorkflow());
        await designer.PostJsonAsync("/api/workflow-definitions/test-consult/publish", new { });
        // Started by staff (an administrator): a designer's start is a test run and would touch no real consultation.
        var instance = await (await As("admin"))
            .PostJsonAsync("/api/workflow-instances", new { definitionId = "test-consult", input = new { communityId = Xingfuli.ToString() } });
        Assert.Equal("suspended", Str(instance["status"]));
        var id = Str(instance["variables"]!["opinions"]!["consultationId"]);

        var secretary = await As("secretary");
        var consultation = await secretary.GetJsonAsync($"/api/consultations/{id}");
        Assert.Equal(clock.GetUtcNow().AddDays(3), DateTimeOffset.Parse(Str(consultation["closesAt"])));
        // One person holds each role in 幸福里, so each party is asked through that person.
        Assert.Equal([("ownersCommittee", "周主任"), ("propertyCompany", "吴经理")],
            consultation["invitees"]!.AsArray().Select(i => (Str(i!["party"]), Str(i["name"]))).OrderBy(x => x.Item1));

        Assert.Equal(HttpStatusCode.Created, (await AnswerAsync(await As("property"), id, "agree")).StatusCode);
        Assert.Equal("suspended", Str((await designer.GetJsonAsync($"/api/workflow-instances/{Id(instance)}"))["status"]));
        Assert.Equal(HttpStatusCode.Created, (await AnswerAsync(await As("owners-committee"), id, "disagree", text: "费用分摊方案不公平")).StatusCode);

        var done = await designer.GetJsonAsync($"/api/workflow-instances/{Id(instance)}");
        Assert.Equal("finished", Str(done["status"]));
        var summary = done["variables"]!["opinions"]!;
        Assert.Equal(("allAnswered", 1, 1),
            (Str(summary["closedBy"]), summary["counts"]!["agree"]!.GetValue<int>(), summary["counts"]!["disagree"]!.GetValue<int>()));
        Assert.Equal("费用分摊方案不公平", Str(summary["responses"]!.AsArray().Single(r => Str(r!["party"]) == "ownersCommittee")!["text"]));
    }

    [Fact]
    public async Task Consult_goes_on_at_the_deadline_when_not_everyone_has_answered()
    {
        var designer = await As("designer");
        await designer.PostJsonAsync("/api/workflow-definitions", ConsultWorkflow());
        await designer.PostJsonAsync("/api/workflow-definitions/test-consult/publish", new { });
        // Started by staff (an administrator): a designer's start is a test run and would touch no real consultation.
        var instance = await (await As("admin"))
            .PostJsonAsync("/api/workflow-instances", new { definitionId = "test-consult", input = new { communityId = Xingfuli.ToString() } });
        var id = Str(instance["variables"]!["opinions"]!["consultationId"]);
        Assert.Equal(HttpStatusCode.Created, (await AnswerAsync(await As("property"), id, "agree")).StatusCode);

        clock.Advance(TimeSpan.FromDays(3));
        await RunDeadlineAsync(id);
        var done = await (await As("designer")).GetJsonAsync($"/api/workflow-instances/{Id(instance)}");
        Assert.Equal("finished", Str(done["status"]));
        Assert.Equal(("deadline", 2, 1),
            (Str(done["variables"]!["opinions"]!["closedBy"]), done["variables"]!["opinions"]!["expected"]!.GetValue<int>(),
            done["variables"]!["opinions"]!["answered"]!.GetValue<int>()));
    }
}
