using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Meetings;
using Deliberate.Server.ReviewCycles;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests;

/// <summary>Issue 18, bodies and terms (组织与成员): committees with terms, property companies, resident units, and what follows from them.</summary>
public sealed class BodiesAndTermsTests : AppTest
{
    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;
    static string Str(JsonNode? node) => node!.GetValue<string>();

    DateOnly Today => DateOnly.FromDateTime(App.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    async Task<Guid> IdOf(string userName) => Guid.Parse(Str((await (await As(userName)).GetJsonAsync("/api/auth/me"))["id"]));

    static object[] Committee(Guid? chairUser, string chairName = "周主任") =>
    [
        new { name = chairName, position = "chair", userId = chairUser },
        new { name = "钱副主任", position = "viceChair" },
        new { name = "委员甲", position = "member" }, new { name = "委员乙", position = "member" }, new { name = "委员丙", position = "member" },
    ];

    async Task<string> BodyAsync(HttpClient secretary, string kind, string name, object? extra = null) =>
        Str((await secretary.PostJsonAsync($"/api/communities/{Xingfuli}/bodies",
            new { kind, name, contact = "010-12345678", partyOrganisation = extra }))["id"]);

    [Fact]
    public async Task A_new_term_replaces_the_owners_committee_from_its_first_day_and_the_old_term_stays_as_history()
    {
        var secretary = await As("secretary");
        var body = await BodyAsync(secretary, "ownersCommittee", "幸福里小区业主委员会");
        var first = await secretary.PostJsonAsync($"/api/bodies/{body}/terms",
            new { startsOn = Today.AddYears(-3), endsOn = Today.AddYears(2), members = Committee(null, "老主任") });
        Assert.Equal("current", Str(first["termState"]));
        Assert.Equal("老主任", Str(first["currentTerm"]!["members"]![0]!["name"]));

        var renewed = await secretary.PostJsonAsync($"/api/bodies/{body}/terms",
            new { startsOn = Today, endsOn = Today.AddYears(5).AddDays(-1), members = Committee(await IdOf("owners-committee")) });
        Assert.Equal("周主任", Str(renewed["currentTerm"]!["members"]![0]!["name"]));
        var terms = renewed["terms"]!.AsArray();
        Assert.Equal(2, terms.Count);
        Assert.Equal(Today.ToString("yyyy-MM-dd"), Str(terms[1]!["replacedOn"]));
        Assert.False(terms[1]!["current"]!.GetValue<bool>());

        var listed = (await secretary.GetJsonAsync($"/api/communities/{Xingfuli}/bodies")).AsArray();
        Assert.Equal(2, Assert.Single(listed)!["terms"]!.AsArray().Count);
        // Terms only move forward, and a second owners' committee is not another record.
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/bodies/{body}/terms",
            new { startsOn = Today.AddDays(-1), endsOn = Today.AddYears(1), members = Committee(null) }), HttpStatusCode.Conflict, "termOutOfOrder");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/communities/{Xingfuli}/bodies",
            new { kind = "ownersCommittee", name = "第二个业委会" }), HttpStatusCode.Conflict, "bodyExists");
    }

    [Fact]
    public async Task A_committee_term_keeps_the_laws_shape_one_chair_five_to_eleven_members_an_odd_number_at_most_five_years()
    {
        var secretary = await As("secretary");
        var body = await BodyAsync(secretary, "ownersCommittee", "幸福里小区业主委员会");
        async Task Refused(object members, DateOnly endsOn, string code) =>
            await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/bodies/{body}/terms",
                new { startsOn = Today, endsOn, members }), HttpStatusCode.BadRequest, code);
        await Refused(Committee(null).Take(4).ToArray(), Today.AddYears(1), "committeeSize");
        await Refused(Committee(null).Append(new { name = "委员丁", position = "member" }).ToArray(), Today.AddYears(1), "committeeSize");
        await Refused(Committee(null).Skip(1).Append(new { name = "委员丁", position = "member" }).ToArray(), Today.AddYears(1), "oneChair");
        await Refused(Committee(null), Today.AddYears(5).AddDays(1), "termTooLong");
        await Refused(Committee(null), Today, "termDates");
        // A name twice is a paste error (tester, issue 18); a contract of decades is one too.
        await Refused(Committee(null).Take(4).Append(Committee(null)[2]).ToArray(), Today.AddYears(1), "memberTwice");
        var company = await BodyAsync(secretary, "propertyCompany", "安居物业服务有限公司");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/bodies/{company}/terms", new
        {
            startsOn = Today, endsOn = Today.AddYears(40), members = new object[] { new { name = "吴经理", position = "chair" } },
        }), HttpStatusCode.BadRequest, "termTooLong");
    }

    [Fact]
    public async Task Only_the_secretary_or_an_administrator_keeps_the_register_the_owners_committee_reads_it_and_a_resident_cannot_see_it()
    {
        var secretary = await As("secretary");
        var body = await BodyAsync(secretary, "ownersCommittee", "幸福里小区业主委员会");
        var committee = await As("owners-committee");
        Assert.Single((await committee.GetJsonAsync($"/api/communities/{Xingfuli}/bodies")).AsArray());
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync($"/api/bodies/{body}/terms",
            new { startsOn = Today, endsOn = Today.AddYears(5).AddDays(-1), members = Committee(null) }), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblemAsync(await (await As("resident")).GetAsync($"/api/communities/{Xingfuli}/bodies"), HttpStatusCode.NotFound,
            "notFound");
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).PostAsJsonAsync($"/api/bodies/{body}/retire", new { }),
            HttpStatusCode.NotFound, "notFound");
        var admin = await As("admin");
        Assert.NotNull((await admin.PostJsonAsync($"/api/bodies/{body}/retire", new { }))["retiredAt"]);
    }

    /// <summary>
    /// The residents' committee (its chair has an account), an owners' committee whose term ran out last month, a property company
    /// whose delegate is its manager, and a school as resident unit; returns the owners' committee's id.
    /// </summary>
    async Task<string> RegisterFourPartiesAsync(HttpClient secretary)
    {
        var residents = await BodyAsync(secretary, "residentsCommittee", "幸福里社区居民委员会");
        await secretary.PostJsonAsync($"/api/bodies/{residents}/terms", new
        {
            startsOn = Today.AddYears(-1), endsOn = Today.AddYears(4),
            members = new object[]
            {
                new { name = "孙主任", position = "chair", userId = await IdOf("residents-committee") },
                new { name = "居委甲", position = "member" }, new { name = "居委乙", position = "member" },
                new { name = "居委丙", position = "member" }, new { name = "居委丁", position = "member" },
            },
        });
        var owners = await BodyAsync(secretary, "ownersCommittee", "幸福里小区业主委员会");
        // The owners' committee's term ran out last month: it sends no one.
        await secretary.PostJsonAsync($"/api/bodies/{owners}/terms",
            new { startsOn = Today.AddYears(-5), endsOn = Today.AddMonths(-1), members = Committee(await IdOf("owners-committee")) });
        var company = await BodyAsync(secretary, "propertyCompany", "安居物业服务有限公司");
        await secretary.PostJsonAsync($"/api/bodies/{company}/terms", new
        {
            startsOn = Today.AddYears(-1), endsOn = Today.AddYears(2),
            members = new object[]
            {
                new { name = "总经理", position = "chair" },
                new { name = "吴经理", position = "member", userId = await IdOf("property"), @delegate = true },
            },
        });
        var school = await BodyAsync(secretary, "residentUnit", "幸福里小学", "幸福里小学党支部");
        await secretary.PostJsonAsync($"/api/bodies/{school}/terms",
            new { startsOn = Today.AddYears(-1), endsOn = Today.AddYears(1), members = new object[] { new { name = "马校长", position = "chair" } } });
        return owners;
    }

    /// <summary>Who the meeting invites, as (party, name, role), against what <see cref="RegisterFourPartiesAsync"/> registered.</summary>
    static void AssertRegisteredPartiesInvited(JsonNode meeting)
    {
        var invited = meeting["parties"]!.AsArray().SelectMany(g => g!["participants"]!.AsArray())
            .Select(p => (Str(p!["party"]), Str(p["name"]), Str(p["role"]))).ToList();
        Assert.Equal(
            [("partyOrganisation", "刘书记", "member"), ("residentsCommittee", "孙主任", "member"), ("propertyCompany", "吴经理", "member"),
                ("residentUnits", "马校长（幸福里小学）", "invitee")],
            invited);
        Assert.Equal("刘书记", Str(meeting["chairName"]));
    }

    [Fact]
    public async Task The_secretary_links_a_member_to_one_of_the_communitys_staff_accounts_picked_from_its_list_without_administering_accounts()
    {
        var secretary = await As("secretary");
        var staff = (await secretary.GetJsonAsync($"/api/communities/{Xingfuli}/staff")).AsArray();
        var names = staff.Select(u => Str(u!["userName"])).ToList();
        Assert.Contains("owners-committee", names);
        Assert.Contains("gridworker2", names); // a grid's staff are under the community
        Assert.DoesNotContain("hp-secretary", names); // another community's
        Assert.DoesNotContain("resident", names);
        var property = staff.Single(u => Str(u!["userName"]) == "property")!;

        var company = await BodyAsync(secretary, "propertyCompany", "安居物业服务有限公司");
        var term = await secretary.PostJsonAsync($"/api/bodies/{company}/terms", new
        {
            startsOn = Today, endsOn = Today.AddYears(1),
            members = new object[] { new { position = "chair", userId = Str(property["id"]) } },
        });
        var member = term["currentTerm"]!["members"]![0]!;
        Assert.Equal((Str(property["id"]), Str(property["displayName"])), (Str(member["userId"]), Str(member["name"])));

        // Only what the list offers (tester, issue 18): another community's staff or a resident is refused, naming the member.
        var hpProperty = (await (await As("hp-secretary")).GetJsonAsync($"/api/communities/{DemoData.Ids.Heping}/staff")).AsArray()
            .Single(u => Str(u!["userName"]) == "hp-property")!;
        var outsider = await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/bodies/{company}/terms", new
        {
            startsOn = Today.AddYears(1).AddDays(1), endsOn = Today.AddYears(2),
            members = new object[] { new { position = "chair", userId = Str(hpProperty["id"]) } },
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Contains("本社区", outsider["errors"]!["members[0].userId"]![0]!.GetValue<string>());

        await ProblemAssert.IsProblemAsync(await (await As("owners-committee")).GetAsync($"/api/communities/{Xingfuli}/staff"),
            HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblemAsync(await (await As("resident")).GetAsync($"/api/communities/{Xingfuli}/staff"),
            HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public async Task A_four_party_meeting_drafted_by_hand_invites_each_partys_chair_or_delegate_of_the_current_term_and_resident_units_attend()
    {
        var secretary = await As("secretary");
        var owners = await RegisterFourPartiesAsync(secretary);
        var bodies = (await secretary.GetJsonAsync($"/api/communities/{Xingfuli}/bodies")).AsArray();
        Assert.Equal("expired", Str(bodies.Single(b => Str(b!["id"]) == owners)!["termState"]));

        var meeting = await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = DateTimeOffset.UtcNow.AddDays(5), recorderName = "记录员",
        });
        AssertRegisteredPartiesInvited(meeting);
        // The expired committee is the missing party the notice asks for.
        await secretary.PostJsonAsync($"/api/meetings/{meeting["id"]}/agenda", new { title = "路灯不亮" });
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meeting["id"]}/convene", new { }),
            HttpStatusCode.Conflict, "partiesMissing");
    }

    [Fact]
    public async Task A_four_party_meeting_drafted_by_the_workflow_invites_the_same_current_term_chairs_and_delegates()
    {
        var secretary = await As("secretary");
        await RegisterFourPartiesAsync(secretary);
        var designer = await As("designer");
        await designer.PostJsonAsync("/api/workflow-definitions", new JsonObject
        {
            ["definitionId"] = "test-four-party", ["name"] = "测试四方联席",
            ["variables"] = new JsonArray(new JsonObject { ["name"] = "matterId" }, new JsonObject { ["name"] = "communityId" },
                new JsonObject { ["name"] = "deliberation", ["type"] = "object" }),
            ["root"] = new JsonObject
            {
                ["type"] = "Flowchart",
                ["activities"] = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start" },
                    new JsonObject
                    {
                        ["id"] = "meet", ["type"] = "ConveneMeeting", ["meetingType"] = "fourParty", ["outputVariable"] = "deliberation",
                    },
                    new JsonObject { ["id"] = "end", ["type"] = "End" }),
                ["connections"] = new JsonArray(WorkflowDefinitionTests.Connect("start", "Done", "meet"),
                    WorkflowDefinitionTests.Connect("meet", "Done", "end")),
            },
        });
        await designer.PostJsonAsync("/api/workflow-definitions/test-four-party/publish", new { });
        var matterId = Str((await RaiseAsync(await As("resident")))["id"]);
        var instance = await (await As("admin")).PostJsonAsync("/api/workflow-instances",
            new { definitionId = "test-four-party", input = new { matterId, communityId = Xingfuli.ToString() } });
        Assert.Equal("suspended", Str(instance["status"]));

        var meetingId = Str(instance["variables"]!["deliberation"]!["meetingId"]);
        AssertRegisteredPartiesInvited(await secretary.GetJsonAsync($"/api/meetings/{meetingId}"));
    }

    [Fact]
    public async Task A_four_party_meeting_drafted_by_a_review_cycle_invites_the_same_current_term_chairs_and_delegates()
    {
        var secretary = await As("secretary");
        await RegisterFourPartiesAsync(secretary);
        var cycle = await secretary.PostJsonAsync("/api/review-cycles", new
        {
            communityId = Xingfuli, name = "月度四方联席会议（测试）", meetingType = "fourParty", cron = "0 0 15 ? * TUE#1",
        });
        Meeting? drafted;
        await using (var scope = App.Services.CreateAsyncScope()) // what the cycle's Quartz trigger does when it fires
            drafted = await scope.ServiceProvider.GetRequiredService<ReviewCycleFiring>()
                .FireAsync(Guid.Parse(Str(cycle["id"])), DateTimeOffset.UtcNow.AddDays(3), CancellationToken.None);

        AssertRegisteredPartiesInvited(await secretary.GetJsonAsync($"/api/meetings/{Assert.IsType<Meeting>(drafted).Id}"));
    }

    [Fact]
    public async Task An_owners_committee_whose_term_ran_out_cannot_organise_a_ballot_and_the_residents_committee_organises_it_instead()
    {
        var secretary = await As("secretary");
        var owners = await BodyAsync(secretary, "ownersCommittee", "幸福里小区业主委员会");
        await secretary.PostJsonAsync($"/api/bodies/{owners}/terms",
            new { startsOn = Today.AddYears(-5), endsOn = Today.AddDays(-1), members = Committee(await IdOf("owners-committee")) });
        var now = App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        object Ballot() => OwnersBallots.Announced(new
        {
            title = "选举第二届业主委员会", description = "换届选举", rule = "civil-code-278-ordinary", kind = "other-major-matter",
            orgUnitId = Xingfuli, secret = true, closesAt = now.AddDays(7),
        }, now);

        await ProblemAssert.IsProblemAsync(await (await As("owners-committee")).PostAsJsonAsync("/api/ballots", Ballot()),
            HttpStatusCode.Conflict, "committeeTermExpired");
        var ballot = await secretary.PostJsonAsync("/api/ballots", Ballot());
        Assert.Equal("residentsCommitteeUnderStreetGuidance", Str(ballot["organiser"]!["body"]));

        // Once the new term is recorded, the committee organises again.
        await secretary.PostJsonAsync($"/api/bodies/{owners}/terms",
            new { startsOn = Today, endsOn = Today.AddYears(5).AddDays(-1), members = Committee(null, "新主任") });
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync("/api/ballots", Ballot()), HttpStatusCode.Forbidden,
            "ownersCommitteeOrganises");
    }
}
