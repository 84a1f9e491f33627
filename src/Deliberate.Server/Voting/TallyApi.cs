using Deliberate.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deliberate.Server.Voting;

/// <summary>
/// The stateless tally: anyone can check a result, no sign-in needed (rate-limited). The stored result
/// of every closed ballot is this same function applied to the ballot's data.
/// </summary>
public static class TallyApi
{
    public const string PublicRateLimit = "public";

    public static void MapTallyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/tally", Count).WithTags("Ballots").AllowAnonymous().RequireRateLimiting(PublicRateLimit)
            .WithSummary("Count a vote from its electorate (or members) and ballots under a rule; no sign-in needed.");
        app.MapGet("/api/tally/rules", () => TypedResults.Ok(TallyRules.BuiltInRules)).WithTags("Ballots").AllowAnonymous()
            .WithSummary("The built-in rules with their quorum and pass thresholds.");
    }

    static Results<Ok<TallyResult>, ProblemHttpResult> Count(TallyRequest request)
    {
        try
        {
            return TypedResults.Ok(Tally.Count(request));
        }
        catch (TallyException e)
        {
            var first = e.Faults[0];
            return Problems.BadRequest(first.Code,
                string.Join("；", e.Faults.Take(10).Select(f => f.MessageZh)) + (e.Faults.Count > 10 ? $"（另有 {e.Faults.Count - 10} 处）" : ""),
                string.Join("; ", e.Faults.Take(10).Select(f => f.MessageEn)) + (e.Faults.Count > 10 ? $" (and {e.Faults.Count - 10} more)" : ""),
                new Dictionary<string, object?>
                {
                    ["faults"] = e.Faults.Select(f => new { f.Code, f.Item, message = Problems.L(f.MessageZh, f.MessageEn) }).ToList(),
                });
        }
    }
}
