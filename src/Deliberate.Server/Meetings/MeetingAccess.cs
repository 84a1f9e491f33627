using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Meetings;

/// <summary>
/// Who sees and who runs meetings (consultations: <see cref="Consultations.ConsultationAccess"/>). Staff of the community (or above) see its
/// meetings;
/// participants see the meetings they are on; residents see their community's meetings once the notice is
/// out. The party secretary, the residents' committee and street officers organise them, the owners'
/// committee its own meetings and the owners' assembly, and a chair or recorder who is a user runs theirs.
/// </summary>
public static class MeetingAccess
{
    /// <summary>The roles that may organise some meeting (admin always may).</summary>
    public static readonly Role[] OrganiserRoles = [Role.PartySecretary, Role.ResidentsCommittee, Role.OwnersCommittee, Role.StreetOfficer];

    /// <summary>May create and run a meeting of this type in the community with this path.</summary>
    public static bool MayOrganise(Caller caller, MeetingType type, string communityPath) =>
        caller.AdministersAt(communityPath)
        || caller.Holds(Role.PartySecretary, communityPath)
        || caller.Holds(Role.ResidentsCommittee, communityPath)
        || caller.Holds(Role.StreetOfficer, communityPath)
        || (type is MeetingType.OwnersCommittee or MeetingType.OwnersAssembly && caller.Holds(Role.OwnersCommittee, communityPath));

    /// <summary>May start consultations in the community: anyone who may organise some meeting there.</summary>
    public static bool MayConsult(Caller caller, string communityPath) =>
        caller.AdministersAt(communityPath) || OrganiserRoles.Any(r => caller.Holds(r, communityPath));

    /// <summary>May change the meeting: an organiser, or its chair or recorder when they are users.</summary>
    public static bool MayRun(Caller caller, Meeting meeting, string communityPath) =>
        MayOrganise(caller, meeting.Type, communityPath) || meeting.ChairUserId == caller.Id || meeting.RecorderUserId == caller.Id;

    /// <summary>Needs the meeting's participants loaded.</summary>
    public static bool CanSee(Caller caller, Meeting meeting, string communityPath) =>
        caller.IsStaffAt(communityPath)
        || meeting.ChairUserId == caller.Id || meeting.RecorderUserId == caller.Id
        || meeting.Participants.Any(p => p.UserId == caller.Id)
        || (meeting.State != MeetingState.Draft && LivesIn(caller, communityPath));

    public static async Task<IQueryable<Meeting>> VisibleAsync(DeliberateDbContext db, Caller caller, CancellationToken ct)
    {
        var staffCommunities = await db.OrgUnits.Under(caller.StaffPaths, OrgLevel.Community).Select(o => o.Id).ToListAsync(ct);
        var homeCommunities = await db.OrgUnits.Under(caller.ResidentCommunityPaths, OrgLevel.Community).Select(o => o.Id).ToListAsync(ct);
        var me = caller.Id;
        return db.Meetings.Where(m => staffCommunities.Contains(m.OrgUnitId)
            || (m.State != MeetingState.Draft && homeCommunities.Contains(m.OrgUnitId))
            || m.ChairUserId == me || m.RecorderUserId == me
            || m.Participants.Any(p => p.UserId == me));
    }

    /// <summary>A resident whose home (their community or building) is in this community.</summary>
    public static bool LivesIn(Caller caller, string communityPath) =>
        caller.ResidentCommunityPaths.Any(p => communityPath.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The users who hold a role over the community (at it or above it), for a party.</summary>
    public static async Task<List<(Guid Id, string Name)>> HoldersAsync(DeliberateDbContext db, Role role, OrgUnit community, CancellationToken ct)
    {
        var above = community.AncestorIdsAndSelf().ToList();
        var users = await (from r in db.UserRoles
                           join u in db.Users on r.UserId equals u.Id
                           where r.Role == role && above.Contains(r.OrgUnitId)
                           select new { u.Id, u.UserName, u.DisplayName }).Distinct().ToListAsync(ct);
        return users.OrderBy(u => u.UserName, StringComparer.Ordinal).Select(u => (u.Id, u.DisplayName)).ToList();
    }

    /// <summary>Every resident whose home is at or under the scope: who a consultation with a residents scope asks.</summary>
    public static Task<List<Guid>> ResidentsUnderAsync(DeliberateDbContext db, string scopePath, CancellationToken ct) =>
        (from r in db.UserRoles
         join o in db.OrgUnits on r.OrgUnitId equals o.Id
         where r.Role == Role.Resident && o.Path.StartsWith(scopePath)
         select r.UserId).Distinct().ToListAsync(ct);
}
