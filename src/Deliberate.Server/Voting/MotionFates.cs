using Deliberate.Server.Data;
using Deliberate.Server.Meetings;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>
/// What became of a motion recorded at a meeting, read from the ballot it was put to: not put to a vote; being voted on;
/// adopted or rejected by the meeting's members (or no decision, without the quorum); sent to an owners' vote (with the
/// owners' result once it closes); withdrawn by its proposer before any vote. The minutes and the ballot's meeting record say it in these words.
/// </summary>
public enum MotionFate { NotPutToVote, Voting, Adopted, Rejected, NoDecision, SentToOwners, Withdrawn }

/// <summary>A motion's fate in words, zh-CN and en; <c>Outcome</c> is the owners' result when <see cref="MotionFate.SentToOwners"/> has
/// closed.</summary>
public sealed record MotionFateView(MotionFate Fate, string NameZh, string NameEn, TallyOutcome? Outcome);

public static class MotionFates
{
    /// <summary>The fates of the motions given, by motion id, in one query for their ballots.</summary>
    public static async Task<Dictionary<Guid, MotionFateView>> OfAsync(DeliberateDbContext db, IEnumerable<Motion> motions, CancellationToken ct)
    {
        var list = motions.ToList();
        var ballotIds = list.Where(m => m.BallotId is not null).Select(m => m.BallotId!.Value).Distinct().ToList();
        var ballots = await db.Ballots.AsNoTracking().Where(b => ballotIds.Contains(b.Id))
            .Select(b => new { b.Id, b.IsOwnersVote, b.Status, b.Outcome }).ToDictionaryAsync(b => b.Id, ct);
        return list.ToDictionary(m => m.Id, m => m.WithdrawnAt is not null ? Name(MotionFate.Withdrawn, null)
            : m.BallotId is { } id && ballots.TryGetValue(id, out var b) ? Of(b.IsOwnersVote, b.Status, b.Outcome)
            : Name(MotionFate.NotPutToVote, null));
    }

    static MotionFateView Of(bool owners, BallotStatus status, TallyOutcome? outcome)
    {
        if (owners) return Name(MotionFate.SentToOwners, status == BallotStatus.Closed ? outcome : null);
        if (status != BallotStatus.Closed) return Name(MotionFate.Voting, null);
        return Name(outcome switch
        {
            TallyOutcome.Passed => MotionFate.Adopted,
            TallyOutcome.Rejected => MotionFate.Rejected,
            _ => MotionFate.NoDecision,
        }, outcome);
    }

    static MotionFateView Name(MotionFate fate, TallyOutcome? outcome)
    {
        var (zh, en) = fate switch
        {
            MotionFate.Voting => ("表决中", "being voted on"),
            MotionFate.Adopted => ("表决通过", "adopted"),
            MotionFate.Rejected => ("表决未通过", "rejected"),
            MotionFate.NoDecision => ("未形成决定", "no decision"),
            MotionFate.SentToOwners when outcome is { } o =>
                ($"提交业主表决，结果：{BallotCounting.OutcomeName(o).Zh}", $"sent to an owners' vote: {BallotCounting.OutcomeName(o).En}"),
            MotionFate.SentToOwners => ("提交业主表决", "sent to an owners' vote"),
            MotionFate.Withdrawn => ("提议人撤回", "withdrawn by the proposer"),
            _ => ("未付表决", "not put to a vote"),
        };
        return new MotionFateView(fate, zh, en, outcome);
    }
}
