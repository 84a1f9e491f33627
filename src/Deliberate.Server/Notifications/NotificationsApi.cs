using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notifications;

public sealed record NotificationView(Guid Id, NotificationKind Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt, bool Read);
public sealed record CountView(int Count);

/// <summary>The caller's own notifications, in the request's language; nobody sees another's.</summary>
public static class NotificationsApi
{
    public static void MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();
        group.MapGet("/", List).WithSummary("The caller's notifications, newest first (?unread=true for the unread ones only; at most 200).");
        group.MapGet("/unread-count", UnreadCount).WithSummary("How many of the caller's notifications are unread.");
        group.MapPost("/{id:guid}/read", Read).WithSummary("Mark one of the caller's notifications read.")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/read-all", ReadAll).WithSummary("Mark all the caller's notifications read; returns how many were unread.");
    }

    static async Task<Ok<List<NotificationView>>> List(Caller caller, DeliberateDbContext db, CancellationToken ct, bool unread = false)
    {
        var query = db.Notifications.AsNoTracking().Where(n => n.RecipientId == caller.Id);
        if (unread) query = query.Where(n => n.ReadAt == null);
        var list = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(200).ToListAsync(ct);
        return TypedResults.Ok(list.Select(View).ToList());
    }

    static async Task<Ok<CountView>> UnreadCount(Caller caller, DeliberateDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new CountView(await db.Notifications.CountAsync(n => n.RecipientId == caller.Id && n.ReadAt == null, ct)));

    static async Task<Results<Ok<NotificationView>, ProblemHttpResult>> Read(Guid id, Caller caller, DeliberateDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && n.RecipientId == caller.Id, ct);
        if (notification is null) return Problems.NotFound("通知", "notification");
        notification.MarkRead(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(notification));
    }

    static async Task<Ok<CountView>> ReadAll(Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUniversalTime();
        // One UPDATE, not touching the delivery columns a dispatcher may be writing.
        var marked = await db.Notifications.Where(n => n.RecipientId == caller.Id && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, (DateTimeOffset?)now), ct);
        return TypedResults.Ok(new CountView(marked));
    }

    static NotificationView View(Notification n) => new(n.Id, n.Kind,
        Text.L(n.TitleZh, n.TitleEn), Text.L(n.BodyZh, n.BodyEn), n.Link, n.CreatedAt, n.ReadAt is not null);
}
