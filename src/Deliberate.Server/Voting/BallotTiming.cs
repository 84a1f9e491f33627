using System.Globalization;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>
/// When an owners' ballot may open and close, and who organises it: announced with its agenda, rule and dates at least
/// <see cref="RulesOfProcedure.MinimumNoticeDays"/> days before voting opens (never backdated), open at least Voting:MinimumVotingDays;
/// organised by the owners' committee, or where the community has none by the residents' committee under the street's guidance.
/// </summary>
public static class BallotTiming
{
    public const int DefaultMinimumVotingDays = 3;

    public static int MinimumVotingDays(IConfiguration config) =>
        Math.Max(1, config.GetValue("Voting:MinimumVotingDays", DefaultMinimumVotingDays));

    /// <summary>
    /// The notice an owners' ballot of this community needs and the earliest it may open if announced now — the same for
    /// POST /api/ballots and the workflow's Vote activity (which opens at exactly that moment).
    /// </summary>
    public static async Task<(int Days, DateTimeOffset Earliest)> NoticeAsync(DeliberateDbContext db, Guid communityId,
        DateTimeOffset now, CancellationToken ct)
    {
        var days = await RulesOfProcedure.MinimumNoticeDays(db, communityId, ct);
        return (days, EarliestOpening(now, days));
    }

    /// <summary>
    /// 民法典 Art. 201: a period in days starts the day after the announcement, and "15 days' notice" has run only when
    /// those whole days are over — so voting opens at the earliest at 00:00 China time on the 16th day after the day of
    /// announcement (announced 6 December: opens 22 December).
    /// </summary>
    public static DateTimeOffset EarliestOpening(DateTimeOffset announcedAt, int noticeDays) =>
        ChinaTime.StartOf(ChinaTime.Today(announcedAt).AddDays(noticeDays + 1));

    /// <summary>Why an owners' ballot open from <paramref name="opensAt"/> to <paramref name="closesAt"/> is too short (Voting:MinimumVotingDays), or
    /// null.</summary>
    public static (string Zh, string En)? VotingPeriodFault(IConfiguration config, DateTimeOffset opensAt, DateTimeOffset closesAt)
    {
        var minimumDays = MinimumVotingDays(config);
        return closesAt - opensAt < TimeSpan.FromDays(minimumDays)
            ? ($"业主表决的投票期不得少于{minimumDays}日。", $"An owners' ballot stays open for at least {minimumDays} days.")
            : null;
    }

    /// <summary>Does some user hold the owners' committee role in this community (or one of its grids or buildings)?</summary>
    public static Task<bool> HasOwnersCommitteeAsync(DeliberateDbContext db, OrgUnit community, CancellationToken ct) =>
        db.UserRoles.AnyAsync(r =>
            r.Role == Role.OwnersCommittee && db.OrgUnits.Any(o => o.Id == r.OrgUnitId && o.Path.StartsWith(community.Path)), ct);

    public static (string Zh, string En) BodyName(OrganiserBody body) => body switch
    {
        OrganiserBody.OwnersCommittee => ("业主委员会", "the owners' committee"),
        _ => ("社区居民委员会（在街道办事处指导下）", "the residents' committee under the street office's guidance"),
    };

    /// <summary>"业主委员会（周主任）" — the body and person who organised the ballot, for notices and PDFs.</summary>
    public static string OrganiserZh(Ballot ballot) =>
        ballot.OrganiserBody is { } body ? $"{BodyName(body).Zh}{(ballot.OrganiserName is { Length: > 0 } n ? $"（{n}）" : "")}" : "";
}
