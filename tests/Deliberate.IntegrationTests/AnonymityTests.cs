using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Who raised an anonymous matter is known only to its raiser and the government staff over its grid (grid worker,
/// community staff, street). The property company — often what the complaint is about — the owners' committee, a
/// department, designers and other residents see "匿名", in the API, the workflow views and the documents.
/// </summary>
public sealed class AnonymityTests : AppTest
{
    const string RaiserName = "陈晓燕";
    const string Phone = "13800138000";

    async Task<(string MatterId, string InstanceId, string RaiserId)> RaiseAnonymouslyAsync()
    {
        var resident = await As("resident");
        var raised = await resident.PostJsonAsync("/api/matters", new
        {
            title = "物业收费不透明", description = "物业公司多收了电梯费，不敢实名反映", category = "property",
            gridId = XingfuliGrid1, anonymous = true, contactPhone = Phone,
        });
        var id = raised["id"]!.GetValue<string>();
        // Heard as a minor matter: public in the community from now on, so that other residents see it too.
        await CompleteAsync(await As("gridworker"), id, "minor", new { verified = true, note = "已核实" });
        var me = (await resident.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();
        return (id, raised["workflowInstanceId"]!.GetValue<string>(), me);
    }

    static void AssertHidden(string text, string raiserId)
    {
        Assert.DoesNotContain(RaiserName, text);
        Assert.DoesNotContain(Phone, text);
        Assert.DoesNotContain(raiserId, text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("property")]
    [InlineData("owners-committee")]
    [InlineData("department")]
    [InlineData("owner-xf-2-101")]
    public async Task Those_outside_the_government_staff_over_the_grid_see_an_anonymous_matter_raised_by_匿名(string userName)
    {
        var (matterId, _, raiserId) = await RaiseAnonymouslyAsync();
        var response = await (await As(userName)).GetAsync($"/api/matters/{matterId}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var matter = JsonNode.Parse(text)!;
        Assert.Equal("匿名", matter["raisedBy"]!["name"]!.GetValue<string>());
        Assert.Null(matter["raisedBy"]!["id"]);
        Assert.Null(matter["contactPhone"]);
        Assert.Equal("匿名",
            matter["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "raised")!["actor"]!["name"]!.GetValue<string>());
        AssertHidden(text, raiserId);
    }

    [Fact]
    public async Task In_English_the_raiser_of_an_anonymous_matter_is_Anonymous()
    {
        var (matterId, _, _) = await RaiseAnonymouslyAsync();
        var matter = await (await As("property", "en")).GetJsonAsync($"/api/matters/{matterId}");
        Assert.Equal("Anonymous", matter["raisedBy"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gridworker")]
    [InlineData("secretary")]
    [InlineData("residents-committee")]
    [InlineData("street")]
    public async Task The_government_staff_over_the_grid_see_who_raised_an_anonymous_matter_and_how_to_reach_them(string userName)
    {
        var (matterId, _, raiserId) = await RaiseAnonymouslyAsync();
        var matter = await (await As(userName)).GetJsonAsync($"/api/matters/{matterId}");
        Assert.Equal((RaiserName, raiserId, Phone),
            (matter["raisedBy"]!["name"]!.GetValue<string>(), matter["raisedBy"]!["id"]!.GetValue<string>(),
            matter["contactPhone"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_designer_sees_匿名_in_the_instance_variables_and_journal_of_an_anonymous_matter()
    {
        var (_, instanceId, raiserId) = await RaiseAnonymouslyAsync();
        var designer = await As("designer");

        var instanceText = await (await designer.GetAsync($"/api/workflow-instances/{instanceId}")).Content.ReadAsStringAsync();
        var instance = JsonNode.Parse(instanceText)!;
        Assert.Null(instance["variables"]!["raisedBy"]); // the raiser's id never entered the instance
        Assert.Equal("匿名", instance["startedBy"]!["name"]!.GetValue<string>());
        AssertHidden(instanceText, raiserId);

        var journalText = await (await designer.GetAsync($"/api/workflow-instances/{instanceId}/journal")).Content.ReadAsStringAsync();
        var started = JsonNode.Parse(journalText)!["items"]!.AsArray().Single(j => j!["event"]!.GetValue<string>() == "WorkflowStarted")!;
        Assert.Equal("匿名", started["actorName"]!.GetValue<string>());
        Assert.Null(started["actorId"]);
        AssertHidden(journalText, raiserId);
        // The grid worker who heard it is no secret.
        Assert.Contains("赵网格", journalText);
    }

    [Fact]
    public async Task A_designer_whose_workflow_copies_and_disguises_raisedBy_learns_nothing_of_an_anonymous_raiser()
    {
        // The designer republishes the matters' workflow so that it hides the raiser's id in a nested, reversed copy.
        var designer = await As("designer");
        await ExecutionKit.PublishAsync(designer,
            ExecutionKit.Definition("six-step-method",
                ["matterId", "title", "category", "gridId", "buildingId", "communityId", "streetId", "raisedBy", "leak"],
            [
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject
                {
                    ["id"] = "copy", ["type"] = "SetVariable", ["variable"] = "leak",
                    ["value"] = "({ who: raisedBy, rev: String(raisedBy).split('').reverse().join('') })",
                },
                new JsonObject { ["id"] = "end", ["type"] = "End" },
            ],
            [WorkflowDefinitionTests.Connect("start", "Done", "copy"), WorkflowDefinitionTests.Connect("copy", "Done", "end")]));
        var resident = await As("resident");
        var raised = await resident.PostJsonAsync("/api/matters", new
        {
            title = "物业多收电梯费", description = "不敢实名", category = "property", gridId = XingfuliGrid1, anonymous = true, contactPhone = Phone,
        });
        var me = (await resident.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();

        var text = await (await designer.GetAsync($"/api/workflow-instances/{raised["workflowInstanceId"]!.GetValue<string>()}"))
            .Content.ReadAsStringAsync();
        Assert.Contains("leak", text);
        AssertHidden(text, me);
        Assert.DoesNotContain(new string(me.Reverse().ToArray()), text);
    }

    [Fact]
    public async Task The_property_companys_work_items_and_tasks_do_not_name_the_raiser_of_an_anonymous_matter()
    {
        var (matterId, _, raiserId) = await RaiseAnonymouslyAsync();
        var property = await As("property");
        AssertHidden(await (await property.GetAsync($"/api/work-items?matterId={matterId}")).Content.ReadAsStringAsync(), raiserId);
        AssertHidden(await (await property.GetAsync("/api/tasks")).Content.ReadAsStringAsync(), raiserId);
    }
}
