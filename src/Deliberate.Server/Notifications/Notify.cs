using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notifications;

/// <summary>
/// Where a notification leads, for each kind of recipient: staff act in the console (/console/...), residents and owners on
/// their phone pages (/m/...). Every path here is a route of the web app (NotificationLinkTests checks them against it).
/// </summary>
public sealed record NotificationLink(string Staff, string Resident)
{
    public string For(bool staff) => staff ? Staff : Resident;
}

/// <summary>
/// Adds notifications to the context of the change that causes them, so that they are saved with it in one
/// transaction or not at all; the delivery service takes them to the other channels afterwards.
/// </summary>
public static class Notify
{
    /// <summary>The roles that work in the console; anyone else (a resident, an owner) gets the phone page of a link.</summary>
    static readonly Role[] ConsoleRoles =
    [
        Role.Admin, Role.PartySecretary, Role.GridWorker, Role.ResidentsCommittee, Role.OwnersCommittee, Role.PropertyCompany,
        Role.StreetOfficer, Role.DepartmentOfficer,
    ];

    public static void Send(DeliberateDbContext db, IEnumerable<Guid> recipients, NotificationKind kind, string titleZh, string titleEn,
        string bodyZh, string bodyEn, NotificationLink? link, DateTimeOffset now)
    {
        // the list may come lazily from the tracker being added to
        var to = recipients.Where(r => r != Guid.Empty).Distinct().ToList();
        if (to.Count == 0) return;
        var staff = link is null ? []
            : db.UserRoles.AsNoTracking().Where(r => to.Contains(r.UserId) && ConsoleRoles.Contains(r.Role)).Select(r => r.UserId).Distinct()
                .ToHashSet();
        foreach (var recipient in to)
            db.Notifications.Add(new Notification(Guid.CreateVersion7(now), recipient, kind, titleZh, titleEn, bodyZh, bodyEn,
                link?.For(staff.Contains(recipient)), now));
    }

    /// <summary>The users who hold <paramref name="role"/> at the node or above it: whoever may take work given to that role there.</summary>
    public static async Task<List<Guid>> RoleHoldersOverAsync(DeliberateDbContext db, Role role, Guid orgUnitId, CancellationToken ct)
    {
        var node = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orgUnitId, ct);
        if (node is null) return [];
        var above = node.AncestorIdsAndSelf().ToList();
        return await db.UserRoles.Where(r => r.Role == role && above.Contains(r.OrgUnitId)).Select(r => r.UserId).Distinct().ToListAsync(ct);
    }

    /// <summary>Links into the browser app: the console page where staff act, the phone page where a resident does.</summary>
    public static class Links
    {
        /// <summary>A task opens its form (a resident's task, e.g. a confirmation, on the phone).</summary>
        public static NotificationLink Task(Guid id) => new($"/console/tasks/{id}", $"/m/tasks/{id}");
        /// <summary>Work items are staff work; a resident who hears of one follows its matter.</summary>
        public static NotificationLink WorkItem(Guid id, Guid? matterId = null) =>
            new($"/console/work-items/{id}", matterId is { } m ? $"/m/matters/{m}" : "/m/matters");
        /// <summary>Owners vote on the phone page; staff (a body's members) in the console.</summary>
        public static NotificationLink Ballot(Guid id) => new($"/console/ballots/{id}", $"/m/ballots/{id}");
        /// <summary>Residents have no meeting page: the public notices say when and where.</summary>
        public static NotificationLink Meeting(Guid id) => new($"/console/meetings/{id}", "/m/notices");
        /// <summary>
        /// Staff sign on the console's meeting page (it opens on the minutes once closed); a resident representative who must sign
        /// has a phone page of their own (issue 17 §1: the public notices offered nothing to sign).
        /// </summary>
        public static NotificationLink Minutes(Guid meetingId) => new($"/console/meetings/{meetingId}", $"/m/meetings/{meetingId}/minutes");
        public static NotificationLink Matter(Guid id) => new($"/console/matters/{id}", $"/m/matters/{id}");
        public static NotificationLink Rating(Guid matterId) => new($"/console/matters/{matterId}", $"/m/rate/{matterId}");
    }
}
