using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Malformed and random bodies, parameters and headers sent to every endpoint of the OpenAPI document:
/// never a 500, every refusal a Problem Details, and a refused request changes nothing (the audit log,
/// which records every change, does not grow).
/// </summary>
public sealed class HostileInputTests : AppTest
{
    /// <summary>Sign-in endpoints count failed attempts (lockout): a refused sign-in changes that on purpose.</summary>
    static bool CountsFailures(ApiOperation operation) => operation.Template.StartsWith("/api/auth/");

    static readonly string[] Bodies =
    [
        "", "{", "}", "[]", "null", "0", "\"text\"", "{\"title\":", "{\"title\":123,\"gridId\":\"not-a-guid\"}",
        "{\"a\":" + new string('[', 300) + new string(']', 300) + "}",
        "{\"outcome\":{\"$ref\":\"x\"},\"values\":[1,2,3]}",
        "{\"title\":\"" + new string('长', 20000) + "\"}",
        "{\"page\":-1,\"closesAt\":\"yesterday\",\"deadline\":\"32/13/2026\",\"area\":-5e308}",
        "{\"choice\":\"agree\u0000\",\"rule\":\"<script>alert(1)</script>\",\"definitionId\":\"../../etc/passwd\"}",
        "{\"root\":{\"type\":\"Flowchart\",\"activities\":[{\"id\":null}],\"connections\":[{}]}}",
    ];

    static readonly string[] Queries =
        ["?page=-1&pageSize=100000", "?page=abc", "?step=%00&gridId=xyz&overdue=maybe", "?from=2026-13-45&to=notadate&level=planet",
            "?q=" + new string('%', 3)];

    /// <summary>Changes made by people (the system's own background work, such as delivering notifications, goes on meanwhile).</summary>
    async Task<long> AuditCountAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().AuditLog.LongCountAsync(e => e.ActorId != null);
    }

    static IEnumerable<HttpRequestMessage> HostileRequests(ApiOperation operation, string url, Random random)
    {
        var method = new HttpMethod(operation.Method);
        if (operation.HasBody || operation.Method is "POST" or "PUT")
        {
            foreach (var body in Bodies)
                yield return new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            var bytes = new byte[512];
            random.NextBytes(bytes);
            yield return new HttpRequestMessage(method,
                url)
            { Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } };
            yield return new HttpRequestMessage(method,
                url)
            { Content = new StringContent("title=x&gridId=y", Encoding.UTF8, "application/x-www-form-urlencoded") };
            var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "photos", "evil.jpg.exe" },
                { new StringContent("agree"), "choice" } };
            yield return new HttpRequestMessage(method, url) { Content = form };
        }
        foreach (var query in Queries) yield return new HttpRequestMessage(method, url + query);
        // Route parameters that are not what the route expects, and hostile headers.
        yield return new HttpRequestMessage(method, url.Replace("six-step-method", "%2e%2e%2f%2e%2e").Replace("/1", "/-99999999999"));
        var headers = new HttpRequestMessage(method, url);
        headers.Headers.TryAddWithoutValidation("Accept-Language", "xx-YY;q=abc, " + new string('z', 500));
        headers.Headers.TryAddWithoutValidation("X-Forwarded-For", "999.999.999.999");
        headers.Headers.TryAddWithoutValidation("Cookie", "deliberate.session=" + new string('A', 3000));
        yield return headers;
    }

    /// <summary>Dates at and beyond the ends of what .NET and the domain can hold, with and without offsets.</summary>
    static readonly string[] ExtremeDates =
    [
        "0001-01-01", "9999-12-31", "10000-01-01", "-1", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
        "1899-12-31T23:59:59+08:00", "2101-01-01T00:00:00Z", "0000-00-00", "2026-02-30",
    ];

    /// <summary>Values of the wrong shape for any field: a string where an object is expected, an array where a string is, nested nulls, numbers out
    /// of range.</summary>
    static readonly string[] WrongShapes =
        ["\"x\"", "[\"a\"]", "{\"a\":null}", "[null]", "[{\"a\":{\"b\":null}}]", "2147483648", "-9223372036854775809", "1e309", "-1", "true", "{}"];

    /// <summary>A field that holds a date, by its schema's format or its name.</summary>
    static bool IsDate(string name, JsonObject schema) =>
        schema["format"]?.GetValue<string>() is "date" or "date-time"
        || name is "from" or "to" or "since" or "until" || name.EndsWith("At", StringComparison.Ordinal)
            || name.EndsWith("Date", StringComparison.Ordinal)
        || name.Contains("deadline", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// For every operation the OpenAPI document lists: each property of its JSON body set, alone, to each wrong-shaped value
    /// and (for dates) each extreme date; each date query parameter set to each extreme date. Generated from the document, so
    /// an endpoint added tomorrow is covered tomorrow.
    /// </summary>
    static IEnumerable<(string Described, HttpRequestMessage Request)> ShapedRequests(ApiOperation operation, string url)
    {
        var method = new HttpMethod(operation.Method);
        foreach (var (name, schema) in operation.BodyProperties)
        {
            var values = WrongShapes.AsEnumerable();
            if (IsDate(name, schema)) values = values.Concat(ExtremeDates.Select(d => $"\"{d}\""));
            foreach (var value in values)
            {
                var body = $"{{\"{name}\":{value}}}";
                yield return (body, new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
            }
        }
        foreach (var (name, schema) in operation.QueryParameters.Where(p => IsDate(p.Key, p.Value)))
            foreach (var date in ExtremeDates)
                yield return ($"?{name}={date}", new HttpRequestMessage(method, $"{url}?{name}={Uri.EscapeDataString(date)}"));
    }

    [Fact]
    public async Task No_extreme_date_or_wrong_shaped_field_sent_to_any_endpoint_gets_a_500_or_changes_anything_when_refused()
    {
        var surface = await ApiSurface.LoadAsync(App);
        var admin = await As("admin");
        var failures = new List<string>();
        var sent = 0;
        foreach (var operation in surface.Operations.Where(o => o.Template != "/api/auth/logout"))
        {
            var url = surface.Fill(operation.Template);
            foreach (var (described, request) in ShapedRequests(operation, url))
            {
                var before = await AuditCountAsync();
                var response = await admin.SendAsync(request);
                sent++;
                var status = (int)response.StatusCode;
                var what = $"{operation.Method} {url} {described}";
                if (status >= 500) { failures.Add($"{what}: {status} {await response.Content.ReadAsStringAsync()}"); continue; }
                if (status >= 400)
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        failures.Add($"{what}: {status} without Problem Details");
                    if (!CountsFailures(operation) && await AuditCountAsync() != before)
                        failures.Add($"{what}: refused with {status} but changed data");
                }
            }
        }
        Assert.True(sent > 1000, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(60)));
    }

    [Fact]
    public async Task A_ballot_closing_in_the_year_9999_is_refused_naming_the_field()
    {
        var committee = await As("owners-committee");
        var response = await committee.PostAsJsonAsync("/api/ballots", new
        {
            title = "是否同意更换路灯", proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary", kind = "other-major-matter",
            orgUnitId = DemoData.Ids.Xingfuli,
            opensAt = DateTimeOffset.UtcNow.AddDays(16), closesAt = "9999-12-31T00:00:00+08:00",
        });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "dateOutOfRange");
        Assert.NotNull(problem["errors"]!["closesAt"]); // the field under errors, as the forms read it
    }

    [Theory]
    [InlineData("/api/measures.csv?from=0001-01-01")]
    [InlineData("/api/measures?from=0001-01-01")]
    [InlineData("/api/measures?to=9999-12-31")]
    [InlineData("/api/measures.csv?from=0001-01-01T00:00:00%2B14:00")]
    public async Task Measures_for_dates_at_the_ends_of_time_are_a_400_naming_the_parameter(string url)
    {
        var problem = await ProblemAssert.IsProblemAsync(await (await As("admin")).GetAsync(url), HttpStatusCode.BadRequest, "validation");
        Assert.True(problem["errors"]!["from"] is not null || problem["errors"]!["to"] is not null, problem.ToJsonString());
    }

    [Fact]
    public async Task An_Elsa_import_whose_metadata_is_not_an_object_is_not_a_500()
    {
        var elsa = """
            { "id": "x", "definitionId": "elsa-x", "name": "x", "root": { "type": "Elsa.Flowchart", "id": "f", "metadata": "x",
              "activities": [ { "id": "a", "type": "Elsa.WriteLine", "metadata": "x", "customProperties": "y",
                  "result": { "memoryReference": "z" } } ],
              "connections": [ { "source": { "activity": "a", "port": "Done" }, "target": "a" } ] } }
            """;
        var response = await (await As("designer"))
            .PostAsync("/api/workflow-definitions/import", new StringContent(elsa, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task No_hostile_request_to_any_endpoint_gets_a_500_or_changes_anything_when_refused()
    {
        var surface = await ApiSurface.LoadAsync(App);
        var random = new Random(20261123);
        var callers = new[] { ("admin", await As("admin")), ("resident", await As("resident")), ("anonymous", App.CreateClient()) };
        var failures = new List<string>();
        var sent = 0;
        foreach (var operation in surface.Operations.Where(o => o.Template != "/api/auth/logout"))
        {
            var url = surface.Fill(operation.Template);
            foreach (var (name, client) in callers)
                foreach (var request in HostileRequests(operation, url, random))
                {
                    var before = await AuditCountAsync();
                    var described =
                        $"{name} {request.Method} {request.RequestUri} "
                            + $"[{(request.Content is null ? "" : await request.Content.ReadAsStringAsync()).Length} bytes]";
                    var response = await client.SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    if (status >= 500) { failures.Add($"{described}: {status} {await response.Content.ReadAsStringAsync()}"); continue; }
                    if (status >= 400)
                    {
                        var type = response.Content.Headers.ContentType?.MediaType;
                        if (type != "application/problem+json") failures.Add($"{described}: {status} without Problem Details ({type})");
                        if (!CountsFailures(operation) && await AuditCountAsync() != before)
                            failures.Add($"{described}: refused with {status} but changed data");
                    }
                }
        }
        Assert.True(sent > 1000, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(60)));
    }
}
