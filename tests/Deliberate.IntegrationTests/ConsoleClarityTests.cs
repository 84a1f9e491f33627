using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// What the console needs to show people rather than codes and to ask before what cannot be undone:
/// a task's outcomes say what choosing them sets going, and an instance names the matter it serves.
/// </summary>
public sealed class ConsoleClarityTests : AppTest
{
    [Fact]
    public async Task The_grid_workers_triage_outcomes_say_what_each_one_sets_going_in_the_callers_language()
    {
        var id = (await RaiseAsync(await As("resident")))["id"]!.GetValue<string>();
        var task = await OpenTaskAsync(await As("gridworker"), id);
        var major = task["outcomes"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "major")!;
        Assert.Contains("社区议事", major["confirm"]!.GetValue<string>());
        Assert.Contains("议题", major["confirm"]!.GetValue<string>());
        Assert.All(task["outcomes"]!.AsArray(), o => Assert.False(string.IsNullOrWhiteSpace(o!["confirm"]?.GetValue<string>())));

        var inEnglish = await OpenTaskAsync(await As("gridworker", "en"), id);
        var majorEn = inEnglish["outcomes"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "major")!;
        Assert.Contains("agenda item", majorEn["confirm"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_instance_list_and_an_instance_name_the_matter_they_serve()
    {
        var matter = await RaiseAsync(await As("resident"), "5号楼门禁坏了");
        var matterId = matter["id"]!.GetValue<string>();
        var designer = await As("designer");
        var listed = (await designer.GetJsonAsync("/api/workflow-instances?definitionId=six-step-method&pageSize=200"))["items"]!.AsArray()
            .Single(i => i!["serves"]?["id"]?.GetValue<string>() == matterId)!;
        Assert.Equal("matter", listed["serves"]!["kind"]!.GetValue<string>());
        Assert.Equal("5号楼门禁坏了", listed["serves"]!["title"]!.GetValue<string>());

        var one = await designer.GetJsonAsync($"/api/workflow-instances/{listed["id"]}");
        Assert.Equal("5号楼门禁坏了", one["serves"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_ballot_without_a_rule_is_refused_in_Chinese_with_the_rules_names_not_their_codes()
    {
        var committee = await As("owners-committee");
        var refused = await committee.PostAsJsonAsync("/api/ballots", new { title = "更换路灯" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (await refused.JsonAsync())["errors"]!["rule"]![0]!.GetValue<string>();
        Assert.StartsWith("请选择表决规则", message);
        Assert.DoesNotMatch("[A-Za-z]", message);
    }
}
