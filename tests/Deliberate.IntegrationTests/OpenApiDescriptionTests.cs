using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The web app's types are generated from a checked-in copy of the server's description
/// (src/web/src/shared/openapi.json): when the server's answers change, the copy must follow, or the app is
/// type-checked against an API that no longer exists.
/// </summary>
public sealed class OpenApiDescriptionTests : AppTest
{
    [Fact]
    public async Task The_web_apps_copy_of_the_API_description_is_the_one_the_server_serves()
    {
        var served = await App.CreateClient().GetJsonAsync("/openapi/v1.json");
        var copyPath = Path.Combine(RepoRoot(), "src", "web", "src", "shared", "openapi.json");
        var copy = JsonNode.Parse(await File.ReadAllTextAsync(copyPath))!;

        // "servers" names the address the server was reached at, which differs between runs; the copy leaves it out.
        served.AsObject().Remove("servers");
        var drift = FirstDifference(served, copy, "$");
        Assert.True(drift is null,
            $"src/web/src/shared/openapi.json differs from the server's /openapi/v1.json at {drift}: " +
            "run scripts/refresh-openapi.sh to refresh it, then `npm run build` in src/web to check the app against it.");
    }

    /// <summary>
    /// The description names a schema after its type's short name, so two view types of the same name in different
    /// folders (Meetings' and Notices' NoticeView did) become one schema, and the web app is typed against the wrong one.
    /// </summary>
    [Fact]
    public void No_two_types_the_api_describes_share_a_short_name()
    {
        var shared = typeof(Program).Assembly.GetTypes()
            .Where(t => t.IsPublic && (t.Name.EndsWith("View") || t.Name.EndsWith("Request") || t.Name.EndsWith("Summary")))
            .GroupBy(t => t.Name)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(", ", g.Select(t => t.FullName)))
            .ToList();
        Assert.True(shared.Count == 0, "Types that would share one schema: " + string.Join("; ", shared));
    }

    /// <summary>The JSON path of the first place where the two documents differ, or null when they are equal.</summary>
    static string? FirstDifference(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                {
                    if (!x.ContainsKey(key) || !y.ContainsKey(key)) return $"{path}.{key}";
                    if (FirstDifference(x[key], y[key], $"{path}.{key}") is { } inner) return inner;
                }
                return null;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
                {
                    if (i >= x.Count || i >= y.Count) return $"{path}[{i}]";
                    if (FirstDifference(x[i], y[i], $"{path}[{i}]") is { } inner) return inner;
                }
                return null;
            default:
                return JsonNode.DeepEquals(a, b) ? null : path;
        }
    }

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Deliberate.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Deliberate.sln not found above the test binaries.");
    }
}
