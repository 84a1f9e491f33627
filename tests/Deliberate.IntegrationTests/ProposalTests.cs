using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Owners vote on a proposal they can read (issue 17 §4): the ballot keeps the proposal's text, reason, cost and proposer as
/// announced, refuses an owners' ballot without one, and shows the same to the owner who votes.
/// </summary>
public sealed class ProposalTests : AppTest
{
    static object Body(string? proposal, decimal? cost = null, string? reason = null) => new
    {
        title = "3号楼门口路灯不亮", proposal, reason, cost, proposedBy = "周主任", rule = "civil-code-278-ordinary",
        kind = "other-major-matter", orgUnitId = DemoData.Ids.Xingfuli,
    };

    [Fact]
    public async Task An_owners_ballot_without_a_proposal_or_with_a_bad_cost_is_refused_naming_the_field()
    {
        var committee = await As("owners-committee");
        var now = DateTimeOffset.UtcNow;
        var withoutProposal = OwnersBallots.Announced(Body(null), now);
        withoutProposal.Remove("proposal");
        var missing = await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync("/api/ballots", withoutProposal),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(missing["errors"]!["proposal"]);
        var negative = await ProblemAssert.IsProblemAsync(
            await committee.PostAsJsonAsync("/api/ballots", OwnersBallots.Announced(Body("使用公共收益约3200元更换路灯", -1m), now)),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(negative["errors"]!["cost"]);
        var tooLong = await ProblemAssert.IsProblemAsync(
            await committee.PostAsJsonAsync("/api/ballots", OwnersBallots.Announced(Body(new string('灯', 2001)), now)),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(tooLong["errors"]!["proposal"]);
    }

    [Fact]
    public async Task The_owner_reads_the_proposal_as_announced_and_the_result_notice_once_closed()
    {
        var committee = await As("owners-committee");
        var open = await OwnersBallots.OpenAsync(App, committee, Body("使用公共收益约3200元更换路灯", 3200m, "路灯不亮，老人夜间出行不便"));
        var id = open["id"]!.GetValue<string>();
        var owner = await As("owner-xf-1-101");
        var seen = await owner.GetJsonAsync($"/api/ballots/{id}");
        Assert.Equal("使用公共收益约3200元更换路灯", seen["proposal"]!["text"]!.GetValue<string>());
        Assert.Equal("路灯不亮，老人夜间出行不便", seen["proposal"]!["reason"]!.GetValue<string>());
        Assert.Equal(3200m, seen["proposal"]!["cost"]!.GetValue<decimal>());
        Assert.Equal("周主任", seen["proposal"]!["proposedBy"]!.GetValue<string>());
        Assert.Null(seen["noticePdf"]);
    }
}
