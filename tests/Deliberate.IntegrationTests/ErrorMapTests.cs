using System.Net.Http.Headers;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Answers of the one exception map (Api/ErrorHandling.cs) that no other test pins down: binding failures told from the
/// endpoint's parameters, and rules that throw from the entity or the tally rather than answering inline.
/// </summary>
public sealed class ErrorMapTests : AppTest
{
    [Theory]
    [InlineData(null, "参数 matterId 的值“not-a-guid”格式不对。")]
    [InlineData("en-US", "Parameter matterId has a value 'not-a-guid' that cannot be read.")]
    public async Task An_unreadable_query_value_is_a_bad_parameter_problem_naming_the_parameter_and_its_value(string? language, string detail)
    {
        var worker = await As("gridworker", language);
        var problem = await ProblemAssert.IsProblemAsync(await worker.GetAsync("/api/tasks?page=2&matterId=not-a-guid"),
            HttpStatusCode.BadRequest, "badParameter");
        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/ballots")]
    [InlineData("/api/meetings")]
    [InlineData("/api/matters")]
    [InlineData("/api/tasks")]
    [InlineData("/api/consultations")]
    [InlineData("/api/work-items")]
    [InlineData("/api/audit")]
    [InlineData("/api/workflow-instances")]
    public async Task A_page_so_far_out_that_its_offset_would_overflow_is_refused_and_never_answered_with_page_one(string list)
    {
        // (107374184 - 1) × 20 overflows a 32-bit offset into a negative number: PostgreSQL answered 500, SQLite page one.
        var admin = await As("admin");
        var problem = await ProblemAssert.IsProblemAsync(await admin.GetAsync($"{list}?page=107374184&pageSize=20"),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(problem["errors"]!["page"]);
    }

    [Fact]
    public async Task The_parameter_named_is_the_one_that_failed_when_others_read_well()
    {
        var resident = await As("resident", "en-US");
        var problem = await ProblemAssert.IsProblemAsync(await resident.GetAsync("/api/matters?page=1&pageSize=many"),
            HttpStatusCode.BadRequest, "badParameter");
        Assert.Equal("Parameter pageSize has a value 'many' that cannot be read.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unreadable_form_field_is_a_bad_parameter_problem_naming_the_field_and_its_value()
    {
        var admin = await As("admin", "en-US");
        var form = new MultipartFormDataContent { { new StringContent("owner-three"), "ownerId" }, { new StringContent("agree"), "choice" } };
        var problem = await ProblemAssert.IsProblemAsync(await admin.PostAsync($"/api/ballots/{Guid.NewGuid()}/proxy-votes", form),
            HttpStatusCode.BadRequest, "badParameter");
        Assert.Equal("Parameter ownerId has a value 'owner-three' that cannot be read.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_guid_in_the_address_is_a_not_found_problem()
    {
        var resident = await As("resident");
        await ProblemAssert.IsProblemAsync(await resident.GetAsync("/api/matters/not-a-guid"), HttpStatusCode.NotFound, "notFound");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("en-US", false)]
    public async Task A_tally_that_cannot_be_counted_answers_the_first_faults_code_and_every_fault_in_the_callers_language(string? language,
        bool chinese)
    {
        var client = App.CreateClient();
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        var response = await client.PostAsJsonAsync("/api/tally", new
        {
            proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary",
            electorate = new[] { new { unit = "1-101", owners = new[] { "张三" }, area = -1 } },
            ballots = new[] { new { unit = "9-999", choice = "agree" } },
        });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "invalidArea");
        Assert.Equal(chinese, ProblemAssert.HasChinese(problem["detail"]!.GetValue<string>()));
        var faults = problem["faults"]!.AsArray();
        Assert.Equal(["invalidArea", "unknownUnit"], faults.Select(f => f!["code"]!.GetValue<string>()));
        Assert.Equal("9-999", faults[1]!["item"]!.GetValue<string>());
        Assert.All(faults, f => Assert.Equal(chinese, ProblemAssert.HasChinese(f!["message"]!.GetValue<string>())));
    }

    [Fact]
    public async Task An_administrator_cannot_deactivate_their_own_account()
    {
        var admin = await As("admin", "en-US");
        var me = await admin.GetJsonAsync("/api/auth/me");
        var problem = await ProblemAssert.IsProblemAsync(await admin.PostAsync($"/api/users/{me["id"]}/deactivate", null),
            HttpStatusCode.Conflict, "cannotDeactivateSelf");
        Assert.Equal("You cannot deactivate your own account.", problem["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/auth/me")).StatusCode);
    }
}
