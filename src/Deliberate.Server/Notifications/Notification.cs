using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notifications;

/// <summary>
/// What a notification is about. Agenda: a matter was put on a meeting its conveners must prepare; Consultation: a party's opinion is
/// asked; RatingOpened: the residents are asked to rate the work done on a matter; MeetingRescheduled/MeetingCancelled: a new notice.
/// </summary>
public enum NotificationKind
{
    Assignment, Reminder, Escalation, VoteOpened, VoteClosed, MinutesReady, ReviewCycle, MeetingAdjourned, Agenda, Consultation, RatingOpened,
    MeetingRescheduled, MeetingCancelled, BallotAnnounced,
}

/// <summary>
/// A message to one user (在站内通知), in zh-CN and English, linking to what it is about. It is also the outbox of the
/// other channels (mail, webhook): it stays due until every enabled channel has taken it, retried with back-off, so
/// a channel that is down loses nothing.
/// </summary>
public sealed class Notification
{
    Notification() { }

    public Notification(Guid id, Guid recipientId, NotificationKind kind, string titleZh, string titleEn, string bodyZh, string bodyEn, string? link,
        DateTimeOffset now)
    {
        Id = id;
        RecipientId = recipientId;
        Kind = kind;
        TitleZh = Clip(titleZh, MaxTitle);
        TitleEn = Clip(titleEn, MaxTitle);
        BodyZh = Clip(bodyZh, MaxBody);
        BodyEn = Clip(bodyEn, MaxBody);
        Link = link;
        CreatedAt = now.ToUniversalTime();
        NextDeliveryAt = CreatedAt;
    }

    public const int MaxTitle = 200, MaxBody = 2000;

    public Guid Id { get; private set; }
    public Guid RecipientId { get; private set; }
    public NotificationKind Kind { get; private set; }
    public string TitleZh { get; private set; } = "";
    public string TitleEn { get; private set; } = "";
    public string BodyZh { get; private set; } = "";
    public string BodyEn { get; private set; } = "";
    /// <summary>Where the browser app shows the object, e.g. /console/meetings/{id}.</summary>
    public string? Link { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }
    /// <summary>When the channels should next try it; null once every enabled channel has delivered it.</summary>
    public DateTimeOffset? NextDeliveryAt { get; private set; }
    public int DeliveryRounds { get; private set; }
    /// <summary>Bumped by every delivery claim, so that two nodes never send the same notification at once.</summary>
    public int Revision { get; private set; }

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now.ToUniversalTime();

    /// <summary>Takes the notification for one delivery round, until <paramref name="leaseUntil"/> (if this node dies, another retries
    /// then).</summary>
    public void Claim(DateTimeOffset leaseUntil)
    {
        Revision++;
        NextDeliveryAt = leaseUntil.ToUniversalTime();
    }

    public void Delivered()
    {
        Revision++;
        NextDeliveryAt = null;
    }

    /// <summary>Some channel failed: try again after the back-off of this round (doubling, up to the cap).</summary>
    public void RetryAfter(DateTimeOffset now, TimeSpan firstBackOff, TimeSpan maxBackOff)
    {
        Revision++;
        DeliveryRounds++;
        var delay = TimeSpan.FromTicks((long)Math.Min(maxBackOff.Ticks, firstBackOff.Ticks * Math.Pow(2, DeliveryRounds - 1)));
        NextDeliveryAt = (now + delay).ToUniversalTime();
    }

    static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>One attempt to deliver a notification on a channel, kept whether it worked or not.</summary>
public sealed class NotificationDelivery
{
    NotificationDelivery() { }

    public NotificationDelivery(Guid id, Guid notificationId, string channel, int attempt, DateTimeOffset at, bool success, string? error)
    {
        Id = id;
        NotificationId = notificationId;
        Channel = channel;
        Attempt = attempt;
        At = at.ToUniversalTime();
        Success = success;
        Error = error is { Length: > 1000 } ? error[..1000] : error;
    }

    public Guid Id { get; private set; }
    public Guid NotificationId { get; private set; }
    /// <summary>"smtp" or "webhook".</summary>
    public string Channel { get; private set; } = "";
    /// <summary>1 for the first attempt on this channel.</summary>
    public int Attempt { get; private set; }
    public DateTimeOffset At { get; private set; }
    public bool Success { get; private set; }
    public string? Error { get; private set; }
}

static class NotificationsModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Notification>(e =>
        {
            e.ToTable("Notifications");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.TitleZh).HasMaxLength(Notification.MaxTitle);
            e.Property(x => x.TitleEn).HasMaxLength(Notification.MaxTitle);
            e.Property(x => x.BodyZh).HasMaxLength(Notification.MaxBody);
            e.Property(x => x.BodyEn).HasMaxLength(Notification.MaxBody);
            e.Property(x => x.Link).HasMaxLength(300);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.RecipientId, x.ReadAt, x.CreatedAt });
            e.HasIndex(x => x.NextDeliveryAt);
            e.HasOne<Identity.User>().WithMany().HasForeignKey(x => x.RecipientId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<NotificationDelivery>(e =>
        {
            e.ToTable("NotificationDeliveries");
            e.Property(x => x.Channel).HasMaxLength(20);
            e.Property(x => x.Error).HasMaxLength(1000);
            e.HasIndex(x => new { x.NotificationId, x.Channel });
            e.HasOne<Notification>().WithMany().HasForeignKey(x => x.NotificationId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
