using System.Net.Http.Headers;
using System.Text;
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
        ["?page=-1&pageSize=100000", "?page=abc", "?step=%00&gridId=xyz&overdue=maybe", "?from=2026-13-45&to=notadate&level=planet", "?q=" + new string('%', 3)];

    async Task<long> AuditCountAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().AuditLog.LongCountAsync();
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
            yield return new HttpRequestMessage(method, url) { Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } };
            yield return new HttpRequestMessage(method, url) { Content = new StringContent("title=x&gridId=y", Encoding.UTF8, "application/x-www-form-urlencoded") };
            var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "photos", "evil.jpg.exe" }, { new StringContent("agree"), "choice" } };
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
                    var described = $"{name} {request.Method} {request.RequestUri} [{(request.Content is null ? "" : await request.Content.ReadAsStringAsync()).Length} bytes]";
                    var response = await client.SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    if (status >= 500) { failures.Add($"{described}: {status} {await response.Content.ReadAsStringAsync()}"); continue; }
                    if (status >= 400)
                    {
                        var type = response.Content.Headers.ContentType?.MediaType;
                        if (type != "application/problem+json") failures.Add($"{described}: {status} without Problem Details ({type})");
                        if (!CountsFailures(operation) && await AuditCountAsync() != before) failures.Add($"{described}: refused with {status} but changed data");
                    }
                }
        }
        Assert.True(sent > 1000, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(60)));
    }
}
