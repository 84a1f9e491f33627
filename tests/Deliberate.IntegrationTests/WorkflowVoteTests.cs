using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The workflow's Vote activity follows the same law as POST /api/ballots for an owners' ballot: the kind decides the least
/// rule, and the ballot is announced before it opens (the six-step tests follow one through its notice period).
/// </summary>
public sealed class WorkflowVoteTests : AppTest
{
    static JsonObject Owners(string rule, string? kind)
    {
        var inputs = new JsonObject { ["rule"] = rule };
        if (kind is not null) inputs["kind"] = kind;
        return inputs;
    }

    [Fact]
    public async Task An_owners_vote_of_a_major_kind_under_the_ordinary_rule_faults_the_instance_naming_the_kind_and_opens_no_ballot()
    {
        var instance = await VoteWorkflows.StartAsync(await As("designer"), await As("admin"), "vote-too-low",
            Owners("civil-code-278-ordinary", "maintenance-fund-raising"), new { communityId = DemoData.Ids.Xingfuli });

        Assert.Equal("faulted", instance["status"]!.GetValue<string>());
        var incident = instance["incidents"]!.AsArray().Single()!;
        Assert.Equal("vote", incident["activityId"]!.GetValue<string>());
        Assert.Contains("Raising the maintenance fund", incident["message"]!.GetValue<string>());
        Assert.Contains("civil-code-278-major", incident["message"]!.GetValue<string>());
        Assert.DoesNotContain((await (await As("admin")).GetJsonAsync("/api/ballots"))["items"]!.AsArray(),
            b => b!["title"]!.GetValue<string>() == "是否同意");
    }

    [Fact]
    public async Task An_owners_vote_without_a_kind_faults_the_instance_asking_for_one()
    {
        var instance = await VoteWorkflows.StartAsync(await As("designer"), await As("admin"), "vote-no-kind",
            Owners("civil-code-278-major", null), new { communityId = DemoData.Ids.Xingfuli });

        Assert.Equal("faulted", instance["status"]!.GetValue<string>());
        Assert.Contains("An owners' ballot must state its kind", instance["incidents"]!.AsArray().Single()!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_kind_that_is_not_in_the_law_s_list_is_refused_when_the_definition_is_saved()
    {
        var designer = await As("designer");
        var definition = new JsonObject
        {
            ["definitionId"] = "vote-bad-kind", ["name"] = "vote-bad-kind",
            ["root"] = new JsonObject
            {
                ["type"] = "Flowchart",
                ["activities"] = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start" },
                    new JsonObject
                    {
                        ["id"] = "vote", ["type"] = "Vote", ["title"] = "是否同意", ["rule"] = "civil-code-278-major",
                        ["kind"] = "selling-the-estate"
                    }),
                ["connections"] = new JsonArray(new JsonObject
                {
                    ["source"] = new JsonObject { ["activity"] = "start", ["port"] = "Done" },
                    ["target"] = new JsonObject { ["activity"] = "vote", ["port"] = "In" },
                }),
            },
        };
        var saved = await designer.PostAsJsonAsync("/api/workflow-definitions", definition);
        Assert.Equal(HttpStatusCode.BadRequest, saved.StatusCode);
        var problem = await saved.JsonAsync();
        Assert.Equal("badOption", problem["errors"]!.AsArray().Single()!["code"]!.GetValue<string>());
        Assert.Contains("selling-the-estate", problem["errors"]!.AsArray().Single()!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_owners_vote_of_a_major_kind_under_the_major_rule_is_announced_with_its_kind_and_waits()
    {
        var instance = await VoteWorkflows.StartAsync(await As("designer"), await As("admin"), "vote-announced",
            Owners("civil-code-278-major", "rebuilding"), new { communityId = DemoData.Ids.Xingfuli });

        Assert.Equal("suspended", instance["status"]!.GetValue<string>());
        var ballot = (await (await As("admin")).GetJsonAsync("/api/ballots?status=announced"))["items"]!.AsArray()
            .Single(b => b!["title"]!.GetValue<string>() == "是否同意")!;
        Assert.Equal("rebuilding", ballot["kind"]!.GetValue<string>());
        Assert.Equal(OwnersBallots.OpeningAfterNotice(ballot["announcedAt"]!.GetValue<DateTimeOffset>()),
            ballot["opensAt"]!.GetValue<DateTimeOffset>());
    }
}
