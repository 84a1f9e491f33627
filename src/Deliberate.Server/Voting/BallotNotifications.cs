using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>Tells the voters of a ballot that it opened and, later, how it ended.</summary>
public static class BallotNotifications
{
    /// <summary>
    /// Call when the ballot opens, before saving: at its making (a member vote, or a ballot opening at once) — the voters' snapshot
    /// is then in the context, not yet saved — or when the opening job opens an announced ballot (the snapshot is saved by then).
    /// </summary>
    public static async Task OpenedAsync(DeliberateDbContext db, Ballot ballot, DateTimeOffset now, CancellationToken ct)
    {
        var owners = db.ChangeTracker.Entries<BallotOwner>().Select(e => e.Entity).Where(o => o.BallotId == ballot.Id)
            .Select(o => o.OwnerId).ToList();
        var members = db.ChangeTracker.Entries<BallotMember>().Select(e => e.Entity).Where(m => m.BallotId == ballot.Id && m.UserId != null)
            .Select(m => m.UserId!.Value).ToList();
        if (owners.Count == 0 && members.Count == 0)
        {
            owners = await db.BallotOwners.AsNoTracking().Where(o => o.BallotId == ballot.Id).Select(o => o.OwnerId).ToListAsync(ct);
            members = await db.BallotMembers.AsNoTracking().Where(m => m.BallotId == ballot.Id && m.UserId != null)
                .Select(m => m.UserId!.Value).ToListAsync(ct);
        }
        var voters = (await db.Users.Where(u => u.OwnerId != null && owners.Contains(u.OwnerId.Value)).Select(u => u.Id).ToListAsync(ct))
            .Concat(members);
        var closes = ChinaTime.MinutesUntil(ballot.ClosesAt);
        Notify.Send(db, voters, NotificationKind.VoteOpened, $"请参加表决：{ballot.Title}", $"Please vote: {ballot.Title}",
            $"表决已开始，截止时间 {closes}（北京时间）。", $"The ballot is open until {closes} (Beijing time).", Notify.Links.Ballot(ballot.Id), now);
        await GroupNotify.PostAsync(db, ballot.OrgUnitId, GroupAudience.Community, NotificationKind.VoteOpened, $"表决开始：{ballot.Title}",
            $"表决已开始，截止时间 {closes}（北京时间）。", Notify.Links.Ballot(ballot.Id).Staff, now, ct);
    }

    /// <summary>
    /// Tells the owners' committee (its members at the community or above) of an owners' ballot a workflow's vote step announced in its
    /// name — often completed by the secretary, who is not of it — with a link to the ballot in the console.
    /// </summary>
    public static async Task AnnouncedForCommitteeAsync(DeliberateDbContext db, Ballot ballot, Guid communityId, DateTimeOffset now,
        CancellationToken ct)
    {
        var members = await Notify.RoleHoldersOverAsync(db, Identity.Role.OwnersCommittee, communityId, ct);
        var (opens, closes) = (ChinaTime.Minutes(ballot.OpensAt), ChinaTime.MinutesUntil(ballot.ClosesAt));
        Notify.Send(db, members, NotificationKind.BallotAnnounced, $"以业主委员会名义公告的表决：{ballot.Title}",
            $"Ballot announced in the owners' committee's name: {ballot.Title}",
            $"业主表决“{ballot.Title}”已由议事流程公告，组织者为业主委员会；投票时间 {opens} 至 {closes}（北京时间）。请核对公告并组织表决。",
            $"The owners' ballot “{ballot.Title}” was announced by the deliberation workflow with the owners' committee as organiser; voting runs "
                + $"from {opens} to {closes} (Beijing time). Please check the announcement and organise the vote.",
            Notify.Links.Ballot(ballot.Id), now);
    }

    /// <summary>Call when the ballot closes (its voters are saved by then).</summary>
    public static async Task ClosedAsync(DeliberateDbContext db, Ballot ballot, TallyOutcome outcome, DateTimeOffset now, CancellationToken ct)
    {
        var owners = db.BallotOwners.Where(o => o.BallotId == ballot.Id).Select(o => o.OwnerId);
        var voters = await db.Users.Where(u => u.OwnerId != null && owners.Contains(u.OwnerId.Value)).Select(u => u.Id)
            .Concat(db.BallotMembers.Where(m => m.BallotId == ballot.Id && m.UserId != null).Select(m => m.UserId!.Value))
            .ToListAsync(ct);
        voters.Add(ballot.CreatedById);
        var (zh, en) = BallotCounting.OutcomeName(outcome, members: !ballot.IsOwnersVote);
        Notify.Send(db, voters, NotificationKind.VoteClosed, $"表决结果：{ballot.Title}", $"Ballot result: {ballot.Title}",
            $"表决已结束，结果：{zh}。", $"The ballot has closed: {en}.", Notify.Links.Ballot(ballot.Id), now);
    }
}
