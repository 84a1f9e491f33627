using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Meetings;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Consultations;

/// <summary>
/// Who sees a written consultation and who answers for whom. Staff of the community (or above) and the invited
/// users see it, and so do the residents of its residents scope. Who may start one: <see cref="MeetingAccess.MayConsult"/>.
/// </summary>
public static class ConsultationAccess
{
    /// <summary>Needs the consultation's invitees loaded.</summary>
    public static bool CanSee(Caller caller, Consultation consultation, string communityPath, string? scopePath) =>
        caller.IsStaffAt(communityPath)
        || consultation.Invitees.Any(i => i.UserId == caller.Id)
        || (scopePath is not null && LivesUnder(caller, scopePath));

    /// <summary>A resident whose home is at or under the node with this path (a consultation's residents scope).</summary>
    public static bool LivesUnder(Caller caller, string scopePath) =>
        caller.Grants.Any(g => g.Role == Role.Resident && g.Path.StartsWith(scopePath, StringComparison.Ordinal));

    /// <summary>May answer for this invitee: the invited user, or for a party entry without one, a holder of the party's role there.</summary>
    public static bool MayAnswerFor(Caller caller, ConsultationInvitee invitee, string communityPath) =>
        invitee.UserId is { } userId
            ? userId == caller.Id
            : Parties.RoleFor(invitee.Party) is { } role && caller.Holds(role, communityPath);

    /// <summary>
    /// Whom the caller answers for: the entry named, else their own entry, else themselves as a resident of the
    /// scope. Needs the invitees loaded; <paramref name="named"/> is the entry the request named, already found on the list.
    /// </summary>
    public static (ConsultationInvitee? For, ProblemHttpResult? Refused) WhomAnswers(Caller caller, Consultation consultation,
        ConsultationInvitee? named, string communityPath, string? scopePath)
    {
        if (named is not null)
            return MayAnswerFor(caller, named, communityPath)
                ? (named, null)
                : (null, Problems.Forbidden("notInvitee", "您不能代表这一受邀方答复。", "You cannot answer for this invitee."));
        var own = consultation.Invitees.Where(i => i.UserId == caller.Id).ToList();
        var residentHere = scopePath is not null && LivesUnder(caller, scopePath);
        if (residentHere) return (null, null);
        if (own.Count == 1) return (own[0], null);
        return (null, own.Count > 1 || consultation.Invitees.Any(i => MayAnswerFor(caller, i, communityPath))
            ? Problems.BadRequest("inviteeRequired", "请指定您代表哪一受邀方答复（inviteeId）。", "Say which invitee you answer for (inviteeId).")
            : Problems.Forbidden("notInvited", "本次征求意见没有邀请您。", "You are not invited to answer this consultation."));
    }

    public static async Task<IQueryable<Consultation>> VisibleAsync(DeliberateDbContext db, Caller caller, CancellationToken ct)
    {
        var staffCommunities = await db.OrgUnits.Under(caller.StaffPaths, OrgLevel.Community).Select(o => o.Id).ToListAsync(ct);
        // The nodes a resident's home is at or under: any of them may be a consultation's residents scope.
        var homes = caller.Grants.Where(g => g.Role == Role.Resident).Select(g => g.Path).ToList();
        var homeScopes = homes.SelectMany(h => h.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(id => Guid.ParseExact(id, "N"))).Distinct()
            .ToList();
        var me = caller.Id;
        return db.Consultations.Where(c => staffCommunities.Contains(c.OrgUnitId)
            || c.Invitees.Any(i => i.UserId == me)
            || (c.ResidentsScopeId != null && homeScopes.Contains(c.ResidentsScopeId.Value)));
    }
}
