using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Deliberate.Server.Ratings;
using Deliberate.Server.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Measures;

/// <summary>Which nodes, and which period [From, To).</summary>
public sealed record MeasureQuery(OrgLevel Level, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// The measures, computed with a few queries grouped by grid and then added up per node (never a query per matter).
/// A node's matters are those raised in the grids under it. The definitions:
/// <list type="bullet">
/// <item><b>Matters raised (提事数)</b>: matters whose RaisedAt lies in [from, to).</item>
/// <item><b>响应率 response rate</b>: a matter's first task is its inbox task created first (the hearing task of the six steps).
/// Denominator: first tasks with a due time in [from, to), not cancelled, whose result is known — completed, or due by now
/// (an open task that is not yet due can still be answered in time and is not counted). Numerator: those completed on or
/// before their due time. Matters whose first task has no due time are not counted.</item>
/// <item><b>办结率 closure rate</b>: matters raised in the period that were closed before <c>to</c> ÷ matters raised.</item>
/// <item><b>按期办结率 on-time closure rate</b>: of those closed matters, the ones where no inbox task was completed after its
/// due time and no work item ran overdue (an overdue mark in its history, or done after its deadline) ÷ closed matters.</item>
/// <item><b>满意率 satisfaction rate</b>: ratings (群众评事) given in [from, to) on the node's matters: (满意 + 基本满意) ÷ all ratings.</item>
/// <item><b>Counts by category and by step</b>: matters raised in the period, by category and by their current step.</item>
/// </list>
/// </summary>
public static class MatterMeasures
{
    public static async Task<MeasuresView> ComputeAsync(DeliberateDbContext db, Caller caller, MeasureQuery query,
        DateTimeOffset now, CancellationToken ct)
    {
        var (start, end) = (query.From, query.To); // "from" is a keyword in query expressions

        // The nodes of the level in the caller's scope, and the grids under each. (Levels are stored as text: compare for equality only.)
        var roots = caller.StaffPaths; // an administrator's own nodes among them
        var units = (await db.OrgUnits.AsNoTracking().Where(o => o.Level != OrgLevel.Building).Under(roots).ToListAsync(ct)).ToDictionary(u => u.Id);
        var nodes = units.Values.Where(u => u.Level == query.Level).OrderBy(u => u.Path, StringComparer.Ordinal).ToList();
        var nodeIds = nodes.Select(n => n.Id).ToHashSet();
        var nodeOfGrid = units.Values.Where(u => u.Level == OrgLevel.Grid)
            .Select(g => (Grid: g.Id, Node: g.AncestorIdsAndSelf().ElementAtOrDefault((int)query.Level)))
            .Where(x => nodeIds.Contains(x.Node))
            .ToDictionary(x => x.Grid, x => x.Node);
        var grids = nodeOfGrid.Keys.ToList();

        var raised = db.Matters.Where(m => grids.Contains(m.GridId) && m.RaisedAt >= start && m.RaisedAt < end);

        var counts = await raised
            .GroupBy(m => new { m.GridId, m.Category, m.Step, Closed = m.ClosedAt != null && m.ClosedAt < end })
            .Select(g => new { g.Key.GridId, g.Key.Category, g.Key.Step, g.Key.Closed, Count = g.Count() })
            .ToListAsync(ct);

        var onTime = await raised
            .Where(m => m.ClosedAt != null && m.ClosedAt < end
                && !db.InboxTasks.Any(t => t.MatterId == m.Id && t.CompletedAt != null && t.DueAt != null && t.CompletedAt > t.DueAt)
                && !db.WorkItems.Any(w => w.MatterId == m.Id
                    && ((w.DoneAt != null && w.DoneAt > w.Deadline)
                        || db.WorkItemUpdates.Any(u => u.WorkItemId == w.Id && u.Kind == WorkItemUpdateKind.Overdue))))
            .GroupBy(m => m.GridId)
            .Select(g => new { GridId = g.Key, Count = g.Count() })
            .ToListAsync(ct);

        var responses = await (from t in db.InboxTasks
                               join m in db.Matters on t.MatterId equals (Guid?)m.Id
                               where grids.Contains(m.GridId) && t.DueAt != null && t.DueAt >= start && t.DueAt < end
                                     && t.Status != InboxTaskStatus.Cancelled
                                     && (t.Status == InboxTaskStatus.Completed || t.DueAt <= now)
                                     && !db.InboxTasks.Any(o => o.MatterId == t.MatterId && o.CreatedAt < t.CreatedAt)
                               group t by m.GridId into g
                               select new
                               {
                                   GridId = g.Key,
                                   Due = g.Count(),
                                   InTime = g.Count(t => t.Status == InboxTaskStatus.Completed && t.CompletedAt <= t.DueAt),
                               }).ToListAsync(ct);

        var ratings = await (from r in db.Ratings
                             join round in db.RatingRounds on r.RoundId equals round.Id
                             join m in db.Matters on round.MatterId equals m.Id
                             where grids.Contains(m.GridId) && r.At >= start && r.At < end
                             group r by m.GridId into g
                             select new
                             {
                                 GridId = g.Key,
                                 All = g.Count(),
                                 Good = g.Count(r => r.Choice != RatingChoice.Dissatisfied),
                             }).ToListAsync(ct);

        var rows = nodes.Select(node =>
        {
            bool Mine(Guid grid) => nodeOfGrid[grid] == node.Id;
            var own = counts.Where(c => Mine(c.GridId)).ToList();
            var raisedCount = own.Sum(c => c.Count);
            var closed = own.Where(c => c.Closed).Sum(c => c.Count);
            var response = responses.Where(r => Mine(r.GridId)).ToList();
            var rated = ratings.Where(r => Mine(r.GridId)).ToList();
            return new MeasureRow(new PlaceView(node.Id, node.Name), raisedCount,
                MeasureRate.Of(response.Sum(r => r.InTime), response.Sum(r => r.Due)),
                MeasureRate.Of(closed, raisedCount),
                MeasureRate.Of(onTime.Where(o => Mine(o.GridId)).Sum(o => o.Count), closed),
                MeasureRate.Of(rated.Sum(r => r.Good), rated.Sum(r => r.All)),
                CategoryCounts(own.GroupBy(c => c.Category).Select(g => (g.Key, g.Sum(c => c.Count)))),
                StepCounts(own.GroupBy(c => c.Step).Select(g => (g.Key, g.Sum(c => c.Count)))));
        }).ToList();
        return new MeasuresView(query.Level.ToString().ToLowerInvariant(), start, end, rows);
    }

    /// <summary>Every known category (zeros too, so that rows line up), then any others found.</summary>
    public static IReadOnlyList<MeasureCount> CategoryCounts(IEnumerable<(string Code, int Count)> found)
    {
        var byCode = found.ToDictionary(f => f.Code, f => f.Count);
        var known = MatterCategories.All.Select(c => new MeasureCount(c.Code, Text.L(c.Zh, c.En), byCode.GetValueOrDefault(c.Code)));
        var others = byCode.Where(f => !MatterCategories.IsKnown(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new MeasureCount(f.Key, f.Key, f.Value));
        return known.Concat(others).ToList();
    }

    public static IReadOnlyList<MeasureCount> StepCounts(IEnumerable<(MatterStep Step, int Count)> found)
    {
        var byStep = found.ToDictionary(f => f.Step, f => f.Count);
        return Enum.GetValues<MatterStep>()
            .Select(s => new MeasureCount(MattersApi.StepCode(s), MattersApi.StepName(s), byStep.GetValueOrDefault(s))).ToList();
    }
}
