using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notifications;

/// <summary>
/// Adds notifications to the context of the change that causes them, so that they are saved with it in one
/// transaction or not at all; the delivery service takes them to the other channels afterwards.
/// </summary>
public static class Notify
{
    public static void Send(DeliberateDbContext db, IEnumerable<Guid> recipients, NotificationKind kind, string titleZh, string titleEn,
        string bodyZh, string bodyEn, string? link, DateTimeOffset now)
    {
        // the list may come lazily from the tracker being added to
        foreach (var recipient in recipients.Where(r => r != Guid.Empty).Distinct().ToList())
            db.Notifications.Add(new Notification(Guid.CreateVersion7(now), recipient, kind, titleZh, titleEn, bodyZh, bodyEn, link, now));
    }

    /// <summary>The users who hold <paramref name="role"/> at the node or above it: whoever may take work given to that role there.</summary>
    public static async Task<List<Guid>> RoleHoldersOverAsync(DeliberateDbContext db, Role role, Guid orgUnitId, CancellationToken ct)
    {
        var node = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orgUnitId, ct);
        if (node is null) return [];
        var above = node.AncestorIdsAndSelf().ToList();
        return await db.UserRoles.Where(r => r.Role == role && above.Contains(r.OrgUnitId)).Select(r => r.UserId).Distinct().ToListAsync(ct);
    }

    /// <summary>Links into the browser app.</summary>
    public static class Links
    {
        public static string Task(Guid id) => $"/console/tasks/{id}";
        public static string WorkItem(Guid id) => $"/console/work-items/{id}";
        public static string Ballot(Guid id) => $"/console/ballots/{id}";
        public static string Meeting(Guid id) => $"/console/meetings/{id}";
        public static string Minutes(Guid meetingId) => $"/console/meetings/{meetingId}/minutes";
    }
}
