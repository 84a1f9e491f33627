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

    /// <summary>Who organises an owners' ballot, and the person named for the body.</summary>
    /// <param name="Body">The owners' committee where the community has one; else the residents' committee under the street's guidance.</param>
    /// <param name="Name">The committee member who opened the ballot; else the chair of the committee's current term where the community
    /// registered one (组织与成员); else the committee alone: never a person who is not of it.</param>
    /// <param name="ByCommitteeMember">Whether the person opening it sits on the owners' committee at the ballot's scope or above.</param>
    /// <param name="CommitteeTermExpired">The community registered its owners' committee but no term of it runs today (任期届满未换届):
    /// the committee cannot organise, and the residents' committee does under the street's guidance, as where none exists.</param>
    public sealed record Organiser(OrganiserBody Body, string? Name, bool ByCommitteeMember, bool CommitteeTermExpired = false);

    /// <summary>
    /// The one rule for who organises an owners' ballot on <paramref name="scope"/> of <paramref name="community"/>, opened by
    /// <paramref name="openedBy"/> (Guid.Empty for the system) on <paramref name="now"/>: POST /api/ballots refuses a non-member where the
    /// community has a committee (ownersCommitteeOrganises) and a member of a committee whose term ran out (committeeTermExpired); the
    /// workflow's Vote activity names the organiser all the same and tells the committee's members.
    /// </summary>
    public static async Task<Organiser> OwnersOrganiserAsync(DeliberateDbContext db, OrgUnit community, OrgUnit scope, Guid openedBy,
        string openedByName, DateTimeOffset now, CancellationToken ct)
    {
        var above = scope.AncestorIdsAndSelf().ToList();
        var member = openedBy != Guid.Empty
            && await db.UserRoles.AnyAsync(r => r.UserId == openedBy && r.Role == Role.OwnersCommittee && above.Contains(r.OrgUnitId), ct);
        var registered = await db.Bodies.AsNoTracking().Include(b => b.Terms).ThenInclude(t => t.Members).AsSplitQuery()
            .FirstOrDefaultAsync(b => b.CommunityId == community.Id && b.Kind == Bodies.BodyKind.OwnersCommittee && b.RetiredAt == null, ct);
        if (registered is not null)
        {
            // The register is the record of who was elected: its current term decides, whoever holds the role.
            var term = registered.TermOn(ChinaTime.Today(now));
            if (term is null)
            {
                var wasMember = member || (openedBy != Guid.Empty && registered.Terms.Any(t => t.Members.Any(m => m.UserId == openedBy)));
                return new Organiser(OrganiserBody.ResidentsCommitteeUnderStreetGuidance, openedBy == Guid.Empty ? null : openedByName, wasMember,
                    CommitteeTermExpired: true);
            }
            if (member || (openedBy != Guid.Empty && term.Members.Any(m => m.UserId == openedBy)))
                return new Organiser(OrganiserBody.OwnersCommittee, openedByName, true);
            return new Organiser(OrganiserBody.OwnersCommittee, term.Members.FirstOrDefault(m => m.Position == Bodies.MemberPosition.Chair)?.Name,
                false);
        }
        if (member) return new Organiser(OrganiserBody.OwnersCommittee, openedByName, true);
        // Without a committee the residents' committee organises: the secretary or its member who opened it is named, as before.
        return await HasOwnersCommitteeAsync(db, community, ct)
            ? new Organiser(OrganiserBody.OwnersCommittee, null, false)
            : new Organiser(OrganiserBody.ResidentsCommitteeUnderStreetGuidance, openedBy == Guid.Empty ? null : openedByName, false);
    }

    public static (string Zh, string En) BodyName(OrganiserBody body) => body switch
    {
        OrganiserBody.OwnersCommittee => ("业主委员会", "the owners' committee"),
        _ => ("社区居民委员会（在街道办事处指导下）", "the residents' committee under the street office's guidance"),
    };

    /// <summary>"业主委员会（周主任）" — the body and person who organised the ballot, for notices and PDFs.</summary>
    public static string OrganiserZh(Ballot ballot) =>
        ballot.OrganiserBody is { } body ? $"{BodyName(body).Zh}{(ballot.OrganiserName is { Length: > 0 } n ? $"（{n}）" : "")}" : "";
}
