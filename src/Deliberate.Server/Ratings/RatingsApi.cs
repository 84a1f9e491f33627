using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Ratings;

public sealed record RateMatterRequest(string? Choice, string? Comment);

public sealed record MyRatingView(Guid RoundId, int Round, RatingChoice Choice, string? Comment, DateTimeOffset At, bool RoundClosed);

public sealed record RatingCommentView(RatingChoice Choice, string ChoiceName, string Comment, DateTimeOffset At);

/// <summary>
/// One round's figures. While a round is open only the number of ratings so far is shown: the split and the comments
/// appear when it closes, so that no one rates after seeing how the others did.
/// </summary>
public sealed record RatingRoundView(Guid Id, int Round, string Status, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, DateTimeOffset? ClosedAt,
    decimal Threshold, int Ratings, int? Satisfied, int? BasicallySatisfied, int? Dissatisfied, decimal? Rate,
    RatingOutcome? Outcome, string? OutcomeName,
    IReadOnlyList<RatingCommentView> Comments);

public sealed record DoneWorkView(string Title, string ResponsibleUnit, string? Text, DateTimeOffset? DoneAt, bool Rework);

public sealed record OpenRatingView(Guid RoundId, int Round, WorkItemMatterView Matter, DateTimeOffset OpensAt, DateTimeOffset ClosesAt,
    string? Resolution, IReadOnlyList<DoneWorkView> Work);

/// <summary>群众评事: residents rate what was done, one rating each per round, within the round's window.</summary>
public static class RatingsApi
{
    public static void MapRatingsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/ratings/open", Open).WithTags("Ratings").RequireAuthorization()
            .WithSummary("Open rating rounds the caller may still rate, with the matter and what was done.");
        app.MapPost("/api/matters/{id:guid}/ratings", Rate).WithTags("Ratings").RequireAuthorization()
            .WithSummary("Rate the matter in its open round: satisfied, basicallySatisfied or dissatisfied, with an optional comment.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotAffected, ProblemCodes.NotFound, ProblemCodes.AlreadyRated, ProblemCodes.Conflict,
                ProblemCodes.NoOpenRound, ProblemCodes.NotYetOpen, ProblemCodes.RoundClosed, ProblemCodes.WindowEnded);
        app.MapGet("/api/matters/{id:guid}/ratings", Rounds).WithTags("Ratings").RequireAuthorization()
            .WithSummary("Every rating round of the matter: figures and comments, without names.")
            .Problems(ProblemCodes.NotFound);
    }

    static async Task<Ok<List<OpenRatingView>>> Open(Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var me = caller.Id;
        // A resident's node and the nodes above it: a round whose scope is one of them is theirs to rate.
        var mine = caller.Grants.Where(g => g.Role == Role.Resident)
            .SelectMany(g => g.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(id => Guid.ParseExact(id, "N"))).Distinct().ToList();
        var rows = await (from r in db.RatingRounds
                          join m in db.Matters on r.MatterId equals m.Id
                          where r.Status == RatingStatus.Open && r.OpensAt <= now && r.ClosesAt > now
                                && (mine.Contains(r.ScopeId) || m.RaisedById == me)
                                && !db.Ratings.Any(x => x.RoundId == r.Id && x.UserId == me)
                          orderby r.ClosesAt
                          select new { Round = r, m.Title, m.Resolution }).AsNoTracking().Take(200).ToListAsync(ct);

        var matterIds = rows.Select(r => (Guid?)r.Round.MatterId).Distinct().ToList();
        var done = await (from u in db.WorkItemUpdates
                          join w in db.WorkItems on u.WorkItemId equals w.Id
                          where u.Kind == WorkItemUpdateKind.Done && matterIds.Contains(w.MatterId)
                          select new { MatterId = w.MatterId!.Value, w.BatchId, w.Title, w.ResponsibleUnit, u.Text, w.DoneAt, w.Rework, w.CreatedAt })
            .AsNoTracking().ToListAsync(ct);
        var views = rows.Select(r =>
        {
            // What the residents are asked about: the latest round of work on the matter.
            var work = done.Where(d => d.MatterId == r.Round.MatterId).ToList();
            var latest = work.OrderBy(d => d.CreatedAt).LastOrDefault()?.BatchId;
            var shown = work.Where(d => d.BatchId == latest).OrderBy(d => d.CreatedAt)
                .Select(d => new DoneWorkView(d.Title, d.ResponsibleUnit, d.Text, d.DoneAt, d.Rework)).ToList();
            return new OpenRatingView(r.Round.Id, r.Round.Round, new WorkItemMatterView(r.Round.MatterId, r.Title), r.Round.OpensAt, r.Round.ClosesAt,
                r.Resolution, shown);
        }).ToList();
        return TypedResults.Ok(views);
    }

    static async Task<Results<Created<MyRatingView>, ValidationProblem, ProblemHttpResult>> Rate(Guid id, RateMatterRequest request, Caller caller,
        DeliberateDbContext db, WorkflowEngine engine, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var choice = ParseChoice(request.Choice);
        if (choice is null) errors.Add("choice", "请选择：满意（satisfied）、基本满意（basicallySatisfied）或不满意（dissatisfied）。",
            "Choose satisfied, basicallySatisfied or dissatisfied.");
        errors.MaxLength("comment", request.Comment?.Trim(), RatingRound.MaxCommentLength, "意见", "Comment");
        if (errors.Any) return errors.ToProblem();

        var matter = await db.Matters.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (matter is null) return Problems.NotFound("事项", "matter");
        var grid = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
        var round = await db.RatingRounds.Where(r => r.MatterId == id && r.Status == RatingStatus.Open).OrderByDescending(r => r.Round)
            .FirstOrDefaultAsync(ct);
        var scopePath = round is null ? null : await db.OrgUnits.Where(o => o.Id == round.ScopeId).Select(o => o.Path).FirstAsync(ct);
        var affected = scopePath is not null && RatingClosing.IsAffected(caller, scopePath, matter);
        if (!affected && !MatterAccess.CanSee(caller, matter, grid)) return Problems.NotFound("事项", "matter");
        if (round is null)
            return Problems.Conflict("noOpenRound", "该事项目前没有进行中的群众评事。", "The matter has no rating round open now.");
        if (!affected)
            return Problems.Forbidden("notAffected", "只有受该事项影响的居民（所在楼栋或网格的居民）和提事人可以评价。",
                "Only the residents the matter affects (of its building or grid) and the person who raised it can rate it.");
        if (await db.Ratings.AnyAsync(r => r.RoundId == round.Id && r.UserId == caller.Id, ct)) return AlreadyRated();

        var now = clock.GetUtcNow();
        var rating = round.Accept(caller.Id, choice!.Value, request.Comment?.Trim(), now); // 409 outside the window
        db.Ratings.Add(rating);
        var closed = false;
        try
        {
            if (await RatingClosing.AllRatedAsync(db, round, matter, caller.Id, ct))
            {
                var choices = await db.Ratings.Where(r => r.RoundId == round.Id).Select(r => r.Choice).ToListAsync(ct);
                choices.Add(rating.Choice);
                await RatingClosing.CloseAsync(db, engine, round, matter, choices, now, ct); // saves the rating with the result
                closed = true;
            }
            else
            {
                await db.SaveChangesAsync(ct);
            }
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            // The unique index (round, user): the same resident's other request got there first.
            if (await db.Ratings.AsNoTracking().AnyAsync(r => r.RoundId == round.Id && r.UserId == caller.Id && r.Id != rating.Id, ct))
                return AlreadyRated();
            throw;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("roundClosed", "本轮评价刚刚结束，您的评价未能计入。", "This round has just closed; your rating was not counted.");
        }
        if (!closed) closed = await CloseIfAllRatedAsync(db, engine, round.Id, clock, ct);
        return TypedResults.Created($"/api/matters/{id}/ratings",
            new MyRatingView(round.Id, round.Round, rating.Choice, rating.Comment, rating.At, closed));
    }

    /// <summary>
    /// Two last residents rating at the same moment each see the other missing; after committing, the round is
    /// looked at again, so that whoever commits last closes it. Losing that race to another closing is fine.
    /// </summary>
    static async Task<bool> CloseIfAllRatedAsync(DeliberateDbContext db, WorkflowEngine engine, Guid roundId,
        TimeProvider clock, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var round = await db.RatingRounds.FirstAsync(r => r.Id == roundId, ct);
        if (round.Status == RatingStatus.Closed) return true;
        var matter = await db.Matters.AsNoTracking().FirstAsync(m => m.Id == round.MatterId, ct);
        if (!await RatingClosing.AllRatedAsync(db, round, matter, null, ct)) return false;
        var choices = await db.Ratings.Where(r => r.RoundId == round.Id).Select(r => r.Choice).ToListAsync(ct);
        try
        {
            await RatingClosing.CloseAsync(db, engine, round, matter, choices, clock.GetUtcNow(), ct);
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException or WorkflowConflictException)
        {
            // Closed by the other one.
        }
        return true;
    }

    static async Task<Results<Ok<List<RatingRoundView>>, ProblemHttpResult>> Rounds(Guid id, Caller caller,
        DeliberateDbContext db, CancellationToken ct)
    {
        var matter = await db.Matters.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (matter is null) return Problems.NotFound("事项", "matter");
        var grid = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
        var rounds = await db.RatingRounds.AsNoTracking().Where(r => r.MatterId == id).OrderBy(r => r.Round).ToListAsync(ct);
        var scopeIds = rounds.Select(r => r.ScopeId).Distinct().ToList();
        var scopePaths = await db.OrgUnits.AsNoTracking().Where(o => scopeIds.Contains(o.Id)).Select(o => o.Path).ToListAsync(ct);
        if (!MatterAccess.CanSee(caller, matter, grid) && !scopePaths.Any(p => RatingClosing.IsAffected(caller, p, matter)))
            return Problems.NotFound("事项", "matter");

        var roundIds = rounds.Select(r => r.Id).ToList();
        var counts = await db.Ratings.AsNoTracking().Where(r => roundIds.Contains(r.RoundId)).GroupBy(r => r.RoundId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var closedIds = rounds.Where(r => r.Status == RatingStatus.Closed).Select(r => r.Id).ToList();
        var comments = (await db.Ratings.AsNoTracking().Where(r => closedIds.Contains(r.RoundId) && r.Comment != null)
                .Select(r => new { r.RoundId, r.Choice, r.Comment, r.At }).ToListAsync(ct))
            .OrderBy(r => r.At).ToLookup(r => r.RoundId, r => new RatingCommentView(r.Choice, ChoiceName(r.Choice), r.Comment!, r.At));

        return TypedResults.Ok(rounds.Select(r =>
        {
            var closed = r.Status == RatingStatus.Closed;
            return new RatingRoundView(r.Id, r.Round, closed ? "closed" : "open", r.OpensAt, r.ClosesAt, r.ClosedAt, r.Threshold,
                counts.GetValueOrDefault(r.Id), closed ? r.Satisfied : null, closed ? r.BasicallySatisfied : null, closed ? r.Dissatisfied : null,
                closed && r.Rate is { } rate ? Math.Round(rate, 4) : null,
                r.Outcome, r.Outcome is { } n ? OutcomeName(n) : null,
                comments[r.Id].ToList());
        }).ToList());
    }

    static ProblemHttpResult AlreadyRated() =>
        Problems.Conflict("alreadyRated", "您已经评价过本轮，每人每轮只能评价一次。", "You have already rated this round; each resident rates once per round.");

    static RatingChoice? ParseChoice(string? code) => code switch
    {
        "satisfied" => RatingChoice.Satisfied,
        "basicallySatisfied" => RatingChoice.BasicallySatisfied,
        "dissatisfied" => RatingChoice.Dissatisfied,
        _ => null,
    };

    internal static string ChoiceName(RatingChoice choice) => choice switch
    {
        RatingChoice.Satisfied => Text.L("满意", "Satisfied"),
        RatingChoice.BasicallySatisfied => Text.L("基本满意", "Basically satisfied"),
        _ => Text.L("不满意", "Dissatisfied"),
    };

    static string OutcomeName(RatingOutcome outcome) => outcome switch
    {
        RatingOutcome.Satisfied => Text.L("满意，事项办结", "Satisfied: the matter closes"),
        RatingOutcome.Dissatisfied => Text.L("不满意，退回办理", "Dissatisfied: back to work"),
        _ => Text.L("无人评价", "No ratings"),
    };
}
