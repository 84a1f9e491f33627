using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.Bench;

/// <summary>
/// Owners' ballots for the HTTP benches, as the law has them: created through the API with an Art. 278 kind and announced
/// with the notice period (voting opens at the earliest at 00:00 China time on the 16th day after today, and stays open
/// 7 days). A bench cannot wait 15 days, so <see cref="NoticeHasRunAsync"/> moves the announced ballots back in its own
/// database as if the notice had run (as tests/Deliberate.IntegrationTests/Infrastructure/OwnersBallots.cs does); the
/// server then opens them itself: a restarted node's deadline reconciler gives every announced ballot whose opensAt has
/// passed its opening trigger, which fires at once.
/// </summary>
internal static class AnnouncedBallots
{
    /// <summary>民法典 Art. 278 ¶1 (九): an ordinary matter, decided by the ordinary rule.</summary>
    public const string Kind = ProposalKinds.OtherMajor;

    /// <summary>The earliest lawful opening for a ballot announced now, and a closing 7 days later.</summary>
    public static (DateTimeOffset OpensAt, DateTimeOffset ClosesAt) Timing(DateTimeOffset now)
    {
        var opensAt = BallotTiming.EarliestOpening(now, RulesOfProcedure.LawNoticeDays);
        return (opensAt, opensAt.AddDays(7));
    }

    /// <summary>
    /// The notice has run: each announced ballot was announced the notice period ago and opens now (its creation, opening,
    /// closing and its announcement notice move back by the same span), in the bench's own database.
    /// </summary>
    public static async Task NoticeHasRunAsync(string provider, string connection, IEnumerable<Guid> ballots)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Deliberate"] = connection,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDeliberateDatabase(config);
        await using var serviceProvider = services.BuildServiceProvider();
        await using var scope = serviceProvider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var now = DateTimeOffset.UtcNow;
        foreach (var id in ballots)
        {
            var ballot = await db.Ballots.AsNoTracking().SingleAsync(b => b.Id == id);
            if (ballot.Status != BallotStatus.Announced) throw new InvalidOperationException($"Ballot {id} is {ballot.Status}, not announced.");
            var shift = ballot.OpensAt - now;
            await db.Ballots.Where(b => b.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.CreatedAt, ballot.CreatedAt - shift)
                .SetProperty(b => b.OpensAt, now)
                .SetProperty(b => b.ClosesAt, ballot.ClosesAt - shift));
            foreach (var notice in await db.Notices.AsNoTracking().Where(n => n.BallotId == id).ToListAsync())
                await db.Notices.Where(n => n.Id == notice.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(n => n.PostedAt, notice.PostedAt - shift)
                    .SetProperty(n => n.PostedUntil, notice.PostedUntil - shift));
        }
    }

    /// <summary>Waits until the server has opened each ballot (GET /api/ballots/{id} says "open"), at most 2 minutes.</summary>
    public static async Task WaitUntilOpenAsync(HttpClient http, string baseUrl, string token, IEnumerable<Guid> ballots)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        foreach (var id in ballots)
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/api/ballots/{id}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>();
                if (status == "open") break;
                if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"Ballot {id} is still {status}: the server did not open it.");
                await Task.Delay(250);
            }
    }
}
