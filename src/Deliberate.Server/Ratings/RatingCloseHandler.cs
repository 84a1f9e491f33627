using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Ratings;

/// <summary>"rating.close": a round's window ends; it closes with the ratings it has. A round already closed (everyone rated) is left
/// alone.</summary>
public sealed class RatingCloseHandler(DeliberateDbContext db, WorkflowEngine engine, TimeProvider clock) : IDeadlineHandler
{
    public const string KindName = "rating.close";

    public string Kind => KindName;

    public async Task HandleAsync(Guid id, CancellationToken ct)
    {
        var round = await db.RatingRounds.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || round.Status == RatingStatus.Closed) return;
        var now = clock.GetUtcNow();
        if (now < round.ClosesAt) return;
        var matter = await db.Matters.AsNoTracking().FirstAsync(m => m.Id == round.MatterId, ct);
        var ratings = await db.Ratings.Where(r => r.RoundId == round.Id).Select(r => r.Choice).ToListAsync(ct);
        await RatingClosing.CloseAsync(db, engine, round, matter, ratings, now, ct);
    }

    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct) =>
        (await db.RatingRounds.AsNoTracking().Where(r => r.Status == RatingStatus.Open && (until == null || r.ClosesAt <= until))
            .Select(r => new { r.Id, r.ClosesAt }).ToListAsync(ct))
        .Select(r => (r.Id, r.ClosesAt)).ToList();
}
