using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Meetings;

/// <summary>
/// Where a cancelled meeting's agenda goes, and the workflows that waited for it. Each item goes onto the community's next
/// scheduled meeting of the same type (drafted or noticed, not yet started); without one, onto a new draft meeting that the
/// organisers are told to schedule. A workflow waiting for the cancelled meeting then waits for the meeting its item went
/// to (its bookmark is pointed there, with the new agenda item), so no matter stays waiting on a meeting that will not sit.
/// </summary>
public static class MeetingCancellation
{
    /// <summary>Moves the agenda of <paramref name="cancelled"/>; returns the meeting it went to (null: it had no agenda).</summary>
    public static async Task<Meeting?> MoveAgendaAsync(DeliberateDbContext db, Meeting cancelled, OrgUnit community, Guid callerId,
        DateTimeOffset now, CancellationToken ct)
    {
        if (cancelled.Agenda.Count == 0) return null;
        var utcNow = now.ToUniversalTime();
        var target = await db.Meetings.Include(m => m.Agenda).Include(m => m.Participants)
            .Where(m => m.Id != cancelled.Id && m.OrgUnitId == cancelled.OrgUnitId && m.Type == cancelled.Type
                && (m.State == MeetingState.Draft || m.State == MeetingState.Convened) && m.StartsAt > utcNow)
            .OrderBy(m => m.StartsAt).ThenBy(m => m.CreatedAt).FirstOrDefaultAsync(ct);
        var created = target is null;
        if (target is null)
        {
            // Back to the organisers: a draft with the same people, at the usual time, for them to confirm or move.
            target = new Meeting(Guid.CreateVersion7(now), cancelled.OrgUnitId, cancelled.Type, cancelled.Form, cancelled.Title, cancelled.Place,
                ConveneMeeting.DefaultStart(now), callerId, now);
            target.Edit(cancelled.Title, cancelled.Place, target.StartsAt, cancelled.ChairName, cancelled.ChairUserId, cancelled.RecorderName,
                cancelled.RecorderUserId);
            foreach (var p in cancelled.Participants)
                target.AddParticipant(Guid.CreateVersion7(now), p.Party, p.Name, p.Role, p.UserId);
            db.Meetings.Add(target);
        }

        var moved = new Dictionary<Guid, Guid>(); // cancelled item → its item on the target
        foreach (var item in cancelled.Agenda.OrderBy(a => a.Order))
        {
            var existing = item.MatterId is null ? null : target.Agenda.FirstOrDefault(a => a.MatterId == item.MatterId);
            if (existing is null)
            {
                existing = target.AddAgendaItem(Guid.CreateVersion7(now), item.Title, item.Description, item.MatterId);
                if (!created) db.AgendaItems.Add(existing); // explicitly: a child with its key set, found by navigation, would read as an update
            }
            moved[item.Id] = existing.Id;
        }

        var name = WaitForEvent.BookmarkPrefix + DomainEvents.MeetingClosed;
        var correlation = cancelled.Id.ToString();
        var bookmarks = await db.Bookmarks.Where(b => b.Name == name && b.Correlation == correlation).ToListAsync(ct);
        foreach (var bookmark in bookmarks)
        {
            var payload = bookmark.PayloadJson is null ? new JsonObject() : JsonNode.Parse(bookmark.PayloadJson) as JsonObject ?? [];
            payload["meetingId"] = target.Id.ToString();
            if (Guid.TryParse(payload["agendaItemId"]?.ToString(), out var itemId) && moved.TryGetValue(itemId, out var newItem))
                payload["agendaItemId"] = newItem.ToString();
            bookmark.Redirect(target.Id.ToString(), payload);
        }

        var organisers = await Notifications.Notify.RoleHoldersOverAsync(db, Role.PartySecretary, community.Id, ct);
        organisers.AddRange(await Notifications.Notify.RoleHoldersOverAsync(db, Role.ResidentsCommittee, community.Id, ct));
        if (target.ChairUserId is { } chair) organisers.Add(chair);
        var count = moved.Count;
        Notifications.Notify.Send(db, organisers.Where(u => u != callerId), Notifications.NotificationKind.MeetingCancelled,
            created ? $"待安排会议：{target.Title}" : $"议题已转入：{target.Title}",
            created ? $"Meeting to schedule: {target.Title}" : $"Items moved to: {target.Title}",
            created
                ? $"“{cancelled.Title}”已取消，其 {count} 个议题已转入新的会议草稿，请确定时间、地点后发出通知。"
                : $"“{cancelled.Title}”已取消，其 {count} 个议题已转入 {ChinaTime.Minutes(target.StartsAt)} 的“{target.Title}”。",
            created
                ? $"“{cancelled.Title}” was cancelled; its {count} agenda item(s) are on a new draft meeting: "
                  + "set its time and place and send the notice."
                : $"“{cancelled.Title}” was cancelled; its {count} agenda item(s) moved to “{target.Title}” at {ChinaTime.Minutes(target.StartsAt)}.",
            Notifications.Notify.Links.Meeting(target.Id), now);
        return target;
    }
}
