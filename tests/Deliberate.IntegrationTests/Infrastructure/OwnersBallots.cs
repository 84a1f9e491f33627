using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>
/// Owners' ballots as the law has them: announced at least 15 days before voting opens, then opened by their scheduled
/// deadline. Tests that need one open to vote call <see cref="OpenAsync"/>: it posts the request (any body — only
/// <c>opensAt</c> and <c>closesAt</c> are set here), moves the announcement back in time as if it had been posted 15 days
/// ago, and fires the opening deadline as the scheduler would.
/// </summary>
public static class OwnersBallots
{
    /// <summary>
    /// Waiting this long always outlasts the law's notice: 15 whole days after the day of announcement (民法典 Art. 201),
    /// so at most 16 days from the moment of announcement.
    /// </summary>
    public static readonly TimeSpan Notice = TimeSpan.FromDays(RulesOfProcedure.LawNoticeDays + 1);

    /// <summary>The earliest a ballot announced at <paramref name="now"/> may open, as the server computes it.</summary>
    public static DateTimeOffset OpeningAfterNotice(DateTimeOffset now) => BallotTiming.EarliestOpening(now, RulesOfProcedure.LawNoticeDays);

    /// <summary>
    /// The request body with <c>opensAt</c> just past the notice period from <paramref name="now"/> and <c>closesAt</c> as far after it as
    /// the body's own <c>closesAt</c> was after now (7 days if it had none).
    /// </summary>
    public static JsonObject Announced(object body, DateTimeOffset now)
    {
        var json = (body as JsonObject)?.DeepClone().AsObject() ?? JsonSerializer.SerializeToNode(body, Http.Options)!.AsObject();
        var period = json["closesAt"] is JsonValue closes && DateTimeOffset.TryParse(closes.ToString(), out var at) ? at - now : TimeSpan.FromDays(7);
        var opensAt = OpeningAfterNotice(now);
        // What the owners vote on is required (issue 17 §4); tests about other things give a plain one.
        json["proposal"] ??= "使用公共收益约3200元更换路灯";
        json["opensAt"] = opensAt;
        json["closesAt"] = opensAt + period;
        return json;
    }

    /// <summary>Creates an owners' ballot announced 15 days ago that is open now; returns the ballot as the caller sees it.</summary>
    public static async Task<JsonNode> OpenAsync(DeliberateApp app, HttpClient client, object body)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var created = await client.PostJsonAsync("/api/ballots", Announced(body, now));
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        Assert.Equal("announced", created["status"]!.GetValue<string>());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The notice period has run: the ballot was announced the notice period ago and opens now.
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var ballot = await db.Ballots.AsNoTracking().SingleAsync(b => b.Id == id);
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
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == BallotCounting.OpeningKind)
                .HandleAsync(id, CancellationToken.None);
        var open = await client.GetJsonAsync($"/api/ballots/{id}");
        Assert.Equal("open", open["status"]!.GetValue<string>());
        return open;
    }
}
