using System.Text;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>Errors as RFC 9457 Problem Details in zh-CN or en, and the documents the server publishes about itself.</summary>
public sealed class ProblemDetailsTests : AppTest
{
    static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(null, "请求有误", "请求体不是完整的 JSON。")]
    [InlineData("en-US", "Bad request", "The request body is not complete JSON.")]
    public async Task A_body_that_is_not_json_is_answered_with_a_bad_json_problem_in_the_callers_language(string? language,
        string title, string detail)
    {
        var resident = await As("resident", language);
        var problem = await ProblemAssert.IsProblemAsync(await resident.PostAsync("/api/matters", Json("this is not json")),
            HttpStatusCode.BadRequest, "badJson");
        Assert.Equal(title, problem["title"]!.GetValue<string>());
        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "请求有误", true)]
    [InlineData("en-US", "Bad request", false)]
    public async Task A_body_cut_off_in_the_middle_is_answered_with_a_bad_json_problem_in_the_callers_language(string? language,
        string title, bool chinese)
    {
        var resident = await As("resident", language);
        var response = await resident.PostAsync("/api/matters", Json("{\"title\": \"路灯不亮\", \"description\": "));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "badJson");
        Assert.Equal(title, problem["title"]!.GetValue<string>());
        Assert.Equal(chinese, ProblemAssert.HasChinese(problem["detail"]!.GetValue<string>()));
        Assert.Equal(0, (await resident.GetJsonAsync("/api/matters"))["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("en-US")]
    public async Task A_value_of_the_wrong_type_is_answered_with_a_bad_json_problem_naming_its_field_under_errors(string? language)
    {
        var resident = await As("resident", language);
        var response = await resident.PostAsync("/api/matters",
            Json($"{{\"title\": 5, \"description\": \"晚上很黑\", \"category\": \"facilities\", \"gridId\": \"{XingfuliGrid1}\"}}"));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "badJson");
        Assert.NotNull(problem["errors"]!["title"]);
        Assert.DoesNotContain("$", problem["detail"]!.GetValue<string>());
        Assert.Equal(language is null, ProblemAssert.HasChinese(problem["detail"]!.GetValue<string>()));
        Assert.Equal(0, (await resident.GetJsonAsync("/api/matters"))["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("missing body", "missingBody")]
    [InlineData("unreadable query value", "badParameter")]
    public async Task A_request_the_framework_cannot_bind_is_explained_in_chinese_by_default_without_framework_text(string situation, string code)
    {
        var resident = await As("resident");
        var response = situation == "missing body"
            ? await resident.PostAsync("/api/matters", Json("null"))
            : await resident.GetAsync("/api/matters?page=abc");
        var detail = (await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, code))["detail"]!.GetValue<string>();
        Assert.True(ProblemAssert.HasChinese(detail), detail);
        // No English sentence from ASP.NET Core ("Implicit body inferred…", "Failed to bind parameter…") in a zh-CN answer.
        Assert.DoesNotMatch("[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", detail);
    }

    [Fact]
    public async Task Validation_errors_are_listed_per_field_in_chinese_by_default()
    {
        var resident = await As("resident");
        var problem = await ProblemAssert.IsProblemAsync(await resident.PostAsJsonAsync("/api/matters", new { title = "", category = "weather" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("请求有误", problem["title"]!.GetValue<string>());
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["category", "description", "gridId", "title"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("请填写标题。", errors["title"]![0]!.GetValue<string>());
        Assert.Equal("请填写描述。", errors["description"]![0]!.GetValue<string>());
        Assert.Equal("请选择所在网格。", errors["gridId"]![0]!.GetValue<string>());
        Assert.True(ProblemAssert.HasChinese(errors["category"]![0]!.GetValue<string>()));
    }

    [Fact]
    public async Task Validation_errors_are_listed_per_field_in_english_when_asked()
    {
        var resident = await As("resident", "en-US");
        var problem = await ProblemAssert.IsProblemAsync(await resident.PostAsJsonAsync("/api/matters",
            new { title = new string('长', 101), description = "x", category = "facilities", gridId = XingfuliGrid1, contactPhone = "call me" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("Bad request", problem["title"]!.GetValue<string>());
        Assert.Equal("Please check the fields below.", problem["detail"]!.GetValue<string>());
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["contactPhone", "title"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("Title must be at most 100 characters.", errors["title"]![0]!.GetValue<string>());
        Assert.Equal("The contact phone may hold only digits, spaces, + and -.", errors["contactPhone"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "未找到")]
    [InlineData("en-US", "Not found")]
    public async Task An_unknown_address_is_a_not_found_problem(string? language, string title)
    {
        var client = App.CreateClient();
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound, "notFound");
        Assert.Equal(title, problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_matter_that_does_not_exist_is_a_not_found_problem()
    {
        var resident = await As("resident");
        await ProblemAssert.IsProblemAsync(await resident.GetAsync($"/api/matters/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "notFound");
    }

    [Theory]
    [InlineData("/api/matters")]
    [InlineData("/api/tasks")]
    [InlineData("/api/auth/me")]
    [InlineData("/api/org")]
    public async Task A_request_without_a_token_is_an_unauthenticated_problem(string url)
    {
        var problem = await ProblemAssert.IsProblemAsync(await App.CreateClient().GetAsync(url), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("需要登录", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_matters_and_tasks_endpoints()
    {
        var response = await App.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await response.JsonAsync();
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(document["info"]!["title"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(document["info"]!["version"]!.GetValue<string>()));
        var paths = document["paths"]!.AsObject();
        JsonObject PathItem(string path) =>
            (paths[path] ?? paths[path + "/"])?.AsObject()
                ?? throw new Xunit.Sdk.XunitException($"The document lacks {path}: {string.Join(", ", paths.Select(p => p.Key))}");
        var matters = PathItem("/api/matters");
        Assert.NotNull(matters["get"]);
        Assert.NotNull(matters["post"]);
        Assert.NotNull(PathItem("/api/tasks/{id}/complete")["post"]);
        Assert.NotNull(PathItem("/api/matters/{id}/photos")["post"]);
    }

    [Fact]
    public async Task The_health_endpoint_reports_healthy()
    {
        var response = await App.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var health = await response.JsonAsync();
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        Assert.Equal("healthy", health["checks"]!["database"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_browsable_api_reference_is_an_html_page()
    {
        var response = await App.CreateClient().GetAsync("/api-reference");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("malformed JSON", HttpStatusCode.BadRequest, "badJson")]
    [InlineData("missing body", HttpStatusCode.BadRequest, "missingBody")]
    [InlineData("field errors", HttpStatusCode.BadRequest, "validation")]
    [InlineData("no token", HttpStatusCode.Unauthorized, "unauthenticated")]
    [InlineData("wrong password", HttpStatusCode.Unauthorized, "badCredentials")]
    [InlineData("role not held", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("cookie write without csrf header", HttpStatusCode.Forbidden, "csrf")]
    [InlineData("unknown address", HttpStatusCode.NotFound, "notFound")]
    [InlineData("invisible matter", HttpStatusCode.NotFound, "notFound")]
    [InlineData("wrong method", HttpStatusCode.MethodNotAllowed, "methodNotAllowed")]
    [InlineData("task completed twice", HttpStatusCode.Conflict, "taskNotOpen")]
    [InlineData("not json", HttpStatusCode.UnsupportedMediaType, "unsupportedMediaType")]
    public async Task Every_error_is_a_problem_with_type_title_status_detail_code_and_trace_id(string situation, HttpStatusCode status, string code)
    {
        var response = await ProvokeAsync(situation);
        await ProblemAssert.IsProblemAsync(response, status, code);
    }

    async Task<HttpResponseMessage> ProvokeAsync(string situation)
    {
        switch (situation)
        {
            case "malformed JSON":
                return await (await As("resident")).PostAsync("/api/matters", Json("{"));
            case "missing body":
                return await (await As("resident")).PostAsync("/api/matters", Json(""));
            case "field errors":
                return await (await As("resident")).PostAsJsonAsync("/api/matters", new { });
            case "no token":
                return await App.CreateClient().PostAsJsonAsync("/api/matters", new { });
            case "wrong password":
                return await App.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "resident", password = "nope" });
            case "role not held":
                return await (await As("resident")).GetAsync("/api/workflow-definitions");
            case "cookie write without csrf header":
                var browser = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
                (await browser.PostAsJsonAsync("/api/auth/login", new { username = "resident", password = DeliberateApp.Password }))
                    .EnsureSuccessStatusCode();
                return await browser.PostAsJsonAsync("/api/matters", new { });
            case "unknown address":
                return await (await As("resident")).GetAsync("/api/nothing/here");
            case "invisible matter":
                var id = (await RaiseAsync(await As("owner-xf-2-101")))["id"]!.GetValue<string>();
                return await (await As("resident")).GetAsync($"/api/matters/{id}");
            case "wrong method":
                return await App.CreateClient().GetAsync("/api/auth/token");
            case "task completed twice":
                var matter = (await RaiseAsync(await As("resident")))["id"]!.GetValue<string>();
                var gridWorker = await As("gridworker");
                var task = await OpenTaskAsync(gridWorker, matter);
                var values = new { outcome = "private", values = new { verified = true, note = "自家事务" } };
                (await gridWorker.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete", values)).EnsureSuccessStatusCode();
                return await gridWorker.PostAsJsonAsync($"/api/tasks/{task["id"]}/complete", values);
            case "not json":
                return await (await As("resident")).PostAsync("/api/matters", new StringContent("title=路灯", Encoding.UTF8, "text/plain"));
            default:
                throw new ArgumentOutOfRangeException(nameof(situation), situation, null);
        }
    }
}

/// <summary>Checks that a response is a complete Problem Details document.</summary>
static class ProblemAssert
{
    public static async Task<JsonNode> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"Expected application/problem+json, got {response.Content.Headers.ContentType}: {text}");
        var problem = JsonNode.Parse(text) ?? throw new Xunit.Sdk.XunitException("The problem body is empty.");
        foreach (var member in new[] { "type", "title", "detail", "code", "traceId" })
            Assert.True(problem[member] is JsonValue value && !string.IsNullOrWhiteSpace(value.GetValue<string>()),
                $"The problem lacks '{member}': {text}");
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.EndsWith("/" + code, problem["type"]!.GetValue<string>());
        return problem;
    }

    public static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');
}
