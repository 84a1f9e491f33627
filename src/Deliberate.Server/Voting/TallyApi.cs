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
            .WithSummary("Count a vote from its electorate (or members) and ballots under a rule; no sign-in needed.")
            .Problems(ProblemCodes.TallyFaults);
        app.MapGet("/api/tally/rules", () => TypedResults.Ok(TallyRules.BuiltInRules)).WithTags("Ballots").AllowAnonymous()
            .WithSummary("The built-in rules with their quorum and pass thresholds.");
    }

    /// <summary>A request that cannot be tallied throws <see cref="TallyException"/>: 400 with every fault (ProblemExceptionHandler).</summary>
    static Ok<TallyResult> Count(TallyRequest request) => TypedResults.Ok(Tally.Count(request));
}
