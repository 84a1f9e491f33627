using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>One operation of the OpenAPI document: "POST /api/meetings/{id}/close".</summary>
public sealed record ApiOperation(string Method, string Template, string? BodyType)
{
    /// <summary>The JSON body's properties as the document describes them (name → schema, references resolved); empty without a JSON body.</summary>
    public IReadOnlyDictionary<string, JsonObject> BodyProperties { get; init; } = new Dictionary<string, JsonObject>();
    /// <summary>The query parameters (name → schema).</summary>
    public IReadOnlyDictionary<string, JsonObject> QueryParameters { get; init; } = new Dictionary<string, JsonObject>();

    public bool HasBody => BodyType is not null;
    public bool IsMultipart => BodyType == "multipart/form-data";

    /// <summary>A request to <paramref name="url"/> with an empty body of the kind the operation takes.</summary>
    public HttpRequestMessage EmptyRequest(string url) => new(new HttpMethod(Method), url)
    {
        Content = IsMultipart ? new MultipartFormDataContent() : HasBody ? JsonContent.Create(new { }) : null,
    };

    public string Key => $"{Method} {Template}";
    public override string ToString() => Key;
}

/// <summary>
/// Every operation the server documents at /openapi/v1.json, and real ids of the demo data to fill
/// their path parameters — so that tests over "every endpoint" reach the handlers' own checks instead of
/// stopping at a 404 for an unknown id, and so that a new endpoint is covered the moment it exists.
/// </summary>
public sealed partial class ApiSurface
{
    public required IReadOnlyList<ApiOperation> Operations { get; init; }
    readonly Dictionary<string, string> values = [];

    public static async Task<ApiSurface> LoadAsync(DeliberateApp app)
    {
        var document = await app.CreateClient().GetJsonAsync("/openapi/v1.json");
        var operations = new List<ApiOperation>();
        var schemas = document["components"]?["schemas"] as JsonObject;
        JsonObject Resolve(JsonNode? schema) =>
            schema?["$ref"]?.GetValue<string>() is { } reference ? (JsonObject)schemas![reference.Split('/')[^1]]! : schema as JsonObject ?? [];
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                var content = operation!["requestBody"]?["content"]?.AsObject();
                var properties = Resolve(content?["application/json"]?["schema"])["properties"] as JsonObject ?? [];
                var query = (operation["parameters"] as JsonArray ?? []).Where(p => p?["in"]?.GetValue<string>() == "query")
                    .ToDictionary(p => p!["name"]!.GetValue<string>(), p => Resolve(p!["schema"]));
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, content?.Select(c => c.Key).FirstOrDefault())
                {
                    BodyProperties = properties.ToDictionary(p => p.Key, p => Resolve(p.Value)),
                    QueryParameters = query,
                });
            }
        var surface = new ApiSurface { Operations = operations };
        await surface.CollectIdsAsync(app);
        return surface;
    }

    /// <summary>Real objects of 幸福里社区: a raised matter with its task, instance and work item, the demo meeting and ballot.</summary>
    async Task CollectIdsAsync(DeliberateApp app)
    {
        var resident = await app.SignInAsync("resident");
        var gridWorker = await app.SignInAsync("gridworker");
        var admin = await app.SignInAsync("admin");
        var matter = await resident.PostJsonAsync("/api/matters", new
        {
            title = "边界测试事项", description = "用于遍历接口", category = "facilities", gridId = Deliberate.Server.Data.DemoData.Ids.XingfuliGrid1,
        });
        var matterId = matter["id"]!.GetValue<string>();
        var task = (await gridWorker.GetJsonAsync($"/api/tasks?matterId={matterId}"))["items"]!.AsArray()[0]!;
        var meeting = (await admin.GetJsonAsync("/api/meetings"))["items"]!.AsArray()[0]!;
        var meetingDetail = await admin.GetJsonAsync($"/api/meetings/{meeting["id"]}");
        var ballot = (await admin.GetJsonAsync("/api/ballots"))["items"]!.AsArray() is { Count: > 0 } ballots ? ballots[0]! : null;

        values["/api/matters/{id}"] = matterId;
        values["/api/tasks/{id}"] = task["id"]!.GetValue<string>();
        values["/api/workflow-instances/{id}"] = matter["workflowInstanceId"]!.GetValue<string>();
        values["/api/meetings/{id}"] = meeting["id"]!.GetValue<string>();
        values["{participantId}"] = meetingDetail["parties"]!.AsArray()[0]!["participants"]!.AsArray()[0]!["id"]!.GetValue<string>();
        values["{itemId}"] = meetingDetail["agenda"]!.AsArray()[0]!["id"]!.GetValue<string>();
        if (ballot is not null) values["/api/ballots/{id}"] = ballot["id"]!.GetValue<string>();
        var cycles = (await admin.GetJsonAsync("/api/review-cycles")).AsArray();
        if (cycles.Count > 0) values["/api/review-cycles/{id}"] = cycles[0]!["id"]!.GetValue<string>();
        var notices = (await gridWorker.GetJsonAsync("/api/notifications")).AsArray();
        if (notices.Count > 0) values["/api/notifications/{id}"] = notices[0]!["id"]!.GetValue<string>();
        values["/api/communities/{id}"] = Deliberate.Server.Data.DemoData.Ids.Xingfuli.ToString();
        values["{definitionId}"] = "six-step-method";
        values["{version}"] = "1";
        values["{code}"] = "AAAA-BBBB-CCCC-DDDD";
    }

    /// <summary>The template with each parameter replaced by a real id where one is known, else a fresh GUID.</summary>
    public string Fill(string template)
    {
        var result = template;
        foreach (Match match in Parameter().Matches(template))
        {
            var name = match.Value;
            var prefix = template[..match.Index] + name;
            var value = values.FirstOrDefault(v => v.Key == prefix || v.Key == name).Value ?? Guid.NewGuid().ToString();
            result = result.Replace(name, value);
        }
        return result;
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
