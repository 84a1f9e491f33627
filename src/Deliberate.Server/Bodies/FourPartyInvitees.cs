using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Meetings;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Bodies;

/// <summary>
/// The one rule for whom a community's four-party meeting invites by default. The party organisation is its secretary (who chairs).
/// Each of the residents' committee, the owners' committee and the property company is the delegate (else the chair) of its current
/// term where the body is registered (组织与成员) — a body whose term ran out sends no one, and the meeting's notice then asks for that
/// party; where the kind is not registered at all, the holders of the party's role at the community, as before the register existed.
/// Resident units' delegates attend (列席) without counting in 应到.
/// </summary>
public static class FourPartyInvitees
{
    public sealed record Invitee(string Party, string Name, Guid? UserId, ParticipantRole Role, bool Chair);

    static readonly (string Party, BodyKind Kind)[] Registered =
    [
        ("residentsCommittee", BodyKind.ResidentsCommittee), ("ownersCommittee", BodyKind.OwnersCommittee),
        ("propertyCompany", BodyKind.PropertyCompany),
    ];

    public static async Task<List<Invitee>> ForAsync(DeliberateDbContext db, OrgUnit community, DateOnly today, CancellationToken ct)
    {
        var bodies = await db.Bodies.AsNoTracking().Include(b => b.Terms).ThenInclude(t => t.Members).AsSplitQuery()
            .Where(b => b.CommunityId == community.Id && b.RetiredAt == null).ToListAsync(ct);
        var invitees = new List<Invitee>();
        var secretaries = await HoldersAsync(db, Role.PartySecretary, community, ct);
        invitees.AddRange(secretaries.Select((u, i) => new Invitee("partyOrganisation", u.Name, u.Id, ParticipantRole.Member, i == 0)));
        foreach (var (party, kind) in Registered)
        {
            var ofKind = bodies.Where(b => b.Kind == kind).OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
            if (ofKind.Count == 0)
                invitees.AddRange((await HoldersAsync(db, Parties.RoleFor(party)!.Value, community, ct))
                    .Select(u => new Invitee(party, u.Name, u.Id, ParticipantRole.Member, false)));
            else
                invitees.AddRange(ofKind.SelectMany(b => b.TermOn(today)?.Delegates() ?? [])
                    .Select(m => new Invitee(party, m.Name, m.UserId, ParticipantRole.Member, false)));
        }
        invitees.AddRange(bodies.Where(b => b.Kind == BodyKind.ResidentUnit).OrderBy(b => b.Name, StringComparer.Ordinal)
            .SelectMany(b => (b.TermOn(today)?.Delegates() ?? []).Select(m => new Invitee("residentUnits", $"{m.Name}（{b.Name}）", m.UserId,
                ParticipantRole.Invitee, false))));
        // Each account once: a person who sits for two parties is invited for the first.
        return invitees.Where((i, index) => i.UserId is null || invitees.FindIndex(o => o.UserId == i.UserId) == index).ToList();
    }

    /// <summary>Whether the community has registered any body: a four-party meeting created by hand then starts with the defaults.</summary>
    public static Task<bool> AnyRegisteredAsync(DeliberateDbContext db, Guid communityId, CancellationToken ct) =>
        db.Bodies.AnyAsync(b => b.CommunityId == communityId && b.RetiredAt == null, ct);

    /// <summary>Invites the defaults to <paramref name="meeting"/> (skipping anyone already on it); returns the chair, the party secretary.</summary>
    public static async Task<(string? Name, Guid? UserId)> InviteAsync(DeliberateDbContext db, Meeting meeting, OrgUnit community, DateOnly today,
        Func<Guid> newId, CancellationToken ct)
    {
        (string? Name, Guid? UserId) chair = (null, null);
        foreach (var invitee in await ForAsync(db, community, today, ct))
        {
            if (invitee.UserId is not null && meeting.Participants.Any(p => p.UserId == invitee.UserId)) continue;
            meeting.AddParticipant(newId(), invitee.Party, invitee.Name, invitee.Role, invitee.UserId);
            if (invitee.Chair) chair = (invitee.Name, invitee.UserId);
        }
        return chair;
    }

    static async Task<List<(Guid Id, string Name)>> HoldersAsync(DeliberateDbContext db, Role role, OrgUnit community, CancellationToken ct)
    {
        var users = await (from r in db.UserRoles
                           join u in db.Users on r.UserId equals u.Id
                           where r.Role == role && r.OrgUnitId == community.Id
                           select new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
        return users.OrderBy(u => u.UserName, StringComparer.Ordinal).Select(u => (u.Id, u.DisplayName)).ToList();
    }
}
