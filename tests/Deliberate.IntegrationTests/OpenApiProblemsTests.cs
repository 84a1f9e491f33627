using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The API's description lists, for every operation, the problems it answers — status, Problem Details schema and
/// the stable codes — so that a client generated from it (the web app's types) knows them.
/// </summary>
public sealed class OpenApiProblemsTests : AppTest
{
    /// <summary>Operations that take nothing from the request and need no sign-in: nothing in them can be refused.</summary>
    static readonly string[] NothingToRefuse = ["GET /api/auth/options", "GET /api/tally/rules", "POST /api/auth/logout"];

    async Task<JsonObject> DescriptionAsync() => (await App.CreateClient().GetJsonAsync("/openapi/v1.json")).AsObject();

    static IEnumerable<(string Key, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        where path.Key.StartsWith("/api/", StringComparison.Ordinal)
        from operation in path.Value!.AsObject()
        select ($"{operation.Key.ToUpperInvariant()} {path.Key}", operation.Value!.AsObject());

    static string[] Codes(JsonObject operation, string status) =>
        operation["responses"]?[status]?["x-problem-codes"]?.AsArray().Select(c => c!.GetValue<string>()).ToArray() ?? [];

    [Fact]
    public async Task Every_operation_lists_a_client_error_as_problem_details_with_its_codes()
    {
        var document = await DescriptionAsync();
        var missing = new List<string>();
        var operations = Operations(document).ToList();
        Assert.True(operations.Count > 100, $"Only {operations.Count} operations under /api.");
        foreach (var (key, operation) in operations)
        {
            var problems = operation["responses"]!.AsObject()
                .Where(r => r.Key.StartsWith('4') && r.Value?["content"]?["application/problem+json"]?["schema"]?["$ref"] is not null)
                .ToList();
            if (NothingToRefuse.Contains(key)) continue;
            if (problems.Count == 0 || problems.Any(p => Codes(operation, p.Key).Length == 0)) missing.Add(key);
        }
        Assert.True(missing.Count == 0, "Operations without a listed 4xx problem and its codes: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_problem_response_refers_to_a_problem_details_schema_the_document_defines()
    {
        var document = await DescriptionAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var (key, operation) in Operations(document))
            foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
            {
                var reference = response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
                Assert.True(reference is not null, $"{key} {status} has no Problem Details schema.");
                Assert.Contains(reference!.Split('/')[^1], new[] { "ProblemDetails", "HttpValidationProblemDetails" });
                Assert.True(schemas.ContainsKey(reference.Split('/')[^1]), $"{key} {status} refers to {reference}, which is not defined.");
            }
    }

    [Fact]
    public async Task Both_problem_schemas_describe_the_code_and_trace_id_every_answer_carries()
    {
        var schemas = (await DescriptionAsync())["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            var schema = schemas[name]!;
            Assert.Equal("string", schema["properties"]!["code"]!["type"]!.GetValue<string>());
            Assert.NotNull(schema["properties"]!["traceId"]);
            Assert.Contains("code", schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        }
    }

    [Theory]
    [InlineData("POST /api/ballots/{id}/votes", "409", "ballotNotOpen")]
    [InlineData("POST /api/ballots/{id}/votes", "409", "alreadyVoted")]
    [InlineData("POST /api/ballots/{id}/votes", "403", "notInElectorate")]
    [InlineData("POST /api/ballots/{id}/votes", "404", "notFound")]
    [InlineData("POST /api/meetings/{id}/convene", "409", "emptyAgenda")]
    [InlineData("POST /api/meetings/{id}/convene", "403", "notOrganiser")]
    [InlineData("POST /api/tasks/{id}/complete", "409", "taskNotOpen")]
    [InlineData("POST /api/tasks/{id}/complete", "400", "validation")]
    [InlineData("POST /api/users/{id}/deactivate", "409", "cannotDeactivateSelf")]
    [InlineData("POST /api/users/{id}/deactivate", "403", "forbidden")]
    [InlineData("POST /api/tally", "400", "unknownRule")]
    [InlineData("POST /api/auth/token", "401", "badCredentials")]
    [InlineData("POST /api/auth/token", "429", "rateLimited")]
    [InlineData("GET /api/matters/{id}", "401", "unauthenticated")]
    [InlineData("GET /api/matters/{id}", "400", "badParameter")]
    [InlineData("POST /api/matters", "400", "badJson")]
    public async Task A_known_problem_of_an_operation_is_listed_with_its_status_and_code(string operationKey, string status, string code)
    {
        var document = await DescriptionAsync();
        var operation = Operations(document).Single(o => o.Key == operationKey).Operation;
        Assert.Contains(code, Codes(operation, status));
        Assert.Contains($"`{code}`", operation["responses"]![status]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_operation_open_to_everyone_does_not_list_the_sign_in_problem()
    {
        var document = await DescriptionAsync();
        var receipt = Operations(document).Single(o => o.Key == "GET /api/ballots/{id}/receipts/{code}").Operation;
        Assert.Null(receipt["responses"]!["401"]);
        Assert.Contains("rateLimited", Codes(receipt, "429"));
    }
}
