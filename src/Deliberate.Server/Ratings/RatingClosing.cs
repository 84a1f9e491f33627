using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Notices;
using Deliberate.Server.Organisation;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Ratings;

/// <summary>
/// Who rates a round and how a round ends. The affected residents are the users with the resident role at a node
/// within the round's scope (the matter's building, or its grid), and the matter's raiser. A round closes at its
/// deadline or as soon as every affected resident has rated; closing posts the figures as a notice in the matter's
/// community for 7 days and wakes the workflow waiting for the round.
/// </summary>
public static class RatingClosing
{
    public static readonly TimeSpan NoticeDuration = TimeSpan.FromDays(7);

    public static async Task<HashSet<Guid>> AffectedResidentsAsync(DeliberateDbContext db, RatingRound round, Matter matter, CancellationToken ct)
    {
        var scopePath = await db.OrgUnits.Where(o => o.Id == round.ScopeId).Select(o => o.Path).FirstAsync(ct);
        var residents = await (from r in db.UserRoles
                               join o in db.OrgUnits on r.OrgUnitId equals o.Id
                               where r.Role == Role.Resident && o.Path.StartsWith(scopePath)
                               select r.UserId).Distinct().ToListAsync(ct);
        return [.. residents, matter.RaisedById];
    }

    public static bool IsAffected(Caller caller, string scopePath, Matter matter) =>
        matter.RaisedById == caller.Id
        || caller.Grants.Any(g => g.Role == Role.Resident && g.Path.StartsWith(scopePath, StringComparison.Ordinal));

    /// <summary>Whether every affected resident has rated (the new, unsaved rating counted too).</summary>
    public static async Task<bool> AllRatedAsync(DeliberateDbContext db, RatingRound round, Matter matter, Guid? alsoRated, CancellationToken ct)
    {
        var affected = await AffectedResidentsAsync(db, round, matter, ct);
        var rated = (await db.Ratings.Where(r => r.RoundId == round.Id).Select(r => r.UserId).ToListAsync(ct)).ToHashSet();
        if (alsoRated is { } id) rated.Add(id);
        return affected.IsSubsetOf(rated);
    }

    /// <summary>
    /// Closes the round with these ratings, posts the result and resumes the workflow waiting for it; saves all of it
    /// in one transaction. A round closed by someone else meanwhile fails the save (its status is a concurrency token).
    /// </summary>
    public static async Task CloseAsync(DeliberateDbContext db, WorkflowEngine engine, RatingRound round, Matter matter,
        IReadOnlyCollection<RatingChoice> ratings, DateTimeOffset now, CancellationToken ct)
    {
        var outcome = round.Close(ratings, now);
        var communityId = await db.OrgUnits.Where(o => o.Id == matter.GridId).Select(o => o.ParentId).FirstAsync(ct)
            ?? throw new InvalidOperationException($"Grid {matter.GridId} has no community.");
        var title = $"群众评事结果：{matter.Title}";
        db.Notices.Add(new Notice(Guid.CreateVersion7(now), communityId, NoticeKind.RatingResult, title.Length > 200 ? title[..199] + "…" : title,
            NoticeBody(round, matter), now, Notice.EndOfDays(now, NoticeDuration.Days), matter.Id, null, null, null));
        await DomainEvents.PublishAsync(engine, db, DomainEvents.RatingClosed, round.Id, Payload(round), Actor.System, ct);
    }

    /// <summary>The figures, as the event carries them: {outcome, satisfied, basicallySatisfied, dissatisfied, rate} and the round.</summary>
    public static JsonObject Payload(RatingRound round) => new()
    {
        ["outcome"] = round.Outcome!.Value.Code(),
        ["satisfied"] = round.Satisfied,
        ["basicallySatisfied"] = round.BasicallySatisfied,
        ["dissatisfied"] = round.Dissatisfied,
        ["rate"] = round.Rate is { } rate ? JsonValue.Create(Math.Round(rate, 4)) : null,
        ["threshold"] = round.Threshold,
        ["roundId"] = round.Id.ToString(),
        ["round"] = round.Round,
    };

    /// <summary>The posted text (结果公示), in Chinese: it is read on the community's notice board.</summary>
    public static string NoticeBody(RatingRound round, Matter matter)
    {
        var total = round.Satisfied + round.BasicallySatisfied + round.Dissatisfied;
        var result = round.Outcome switch
        {
            RatingOutcome.Satisfied => "达到满意门槛，事项办结。",
            RatingOutcome.Dissatisfied => "未达到满意门槛，事项退回重新办理。",
            _ => "本轮无人参与评价。",
        };
        var rate = round.Rate is { } r ? Percent(r) : "—";
        return $"事项“{matter.Title}”第 {round.Round} 轮群众评事已结束。\n"
            + $"满意 {round.Satisfied} 人，基本满意 {round.BasicallySatisfied} 人，不满意 {round.Dissatisfied} 人，共 {total} 人参与评价；"
            + $"满意率（满意与基本满意之和所占比例）{rate}，满意门槛 {Percent(round.Threshold)}。\n"
            + $"评价结果：{result}";
    }

    static string Percent(decimal fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
