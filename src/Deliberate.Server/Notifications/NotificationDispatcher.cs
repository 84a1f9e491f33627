using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notifications;

public sealed class DeliveryOptions
{
    /// <summary>How often the outbox is looked at.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>The wait after the first failed round; it doubles each round, up to <see cref="MaxBackOff"/>.</summary>
    public TimeSpan FirstBackOff { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxBackOff { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How long a node holds a notification it is sending before another may try it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public int BatchSize { get; set; } = 50;
}

/// <summary>
/// The outbox: sends every due notification on every enabled channel that has not taken it yet, records each
/// attempt, and leaves a failed one due again after a back-off. Nothing is ever dropped: a notification stays due
/// until all its channels have delivered it.
/// </summary>
public sealed class NotificationDispatcher(IServiceScopeFactory scopes, IEnumerable<INotificationChannel> channels, DeliveryOptions options,
    TimeProvider clock, ILogger<NotificationDispatcher> log)
{
    /// <summary>One round over what is due now; returns how many notifications it handled.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var enabled = channels.Where(c => c.Enabled).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.Notifications.Where(n => n.NextDeliveryAt != null && n.NextDeliveryAt <= now)
            .OrderBy(n => n.NextDeliveryAt).Take(options.BatchSize).ToListAsync(ct);
        foreach (var notification in due)
        {
            if (enabled.Count == 0)
            {
                notification.Delivered(); // nothing to send it on: the in-app copy is all there is
                continue;
            }
            // Claim it first, so that another node polling now leaves it alone.
            notification.Claim(now + options.Lease);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.Entry(notification).State = EntityState.Detached;
                continue;
            }
            await DeliverAsync(db, notification, enabled, ct);
        }
        await db.SaveChangesAsync(ct);
        return due.Count;
    }

    async Task DeliverAsync(DeliberateDbContext db, Notification notification, List<INotificationChannel> enabled, CancellationToken ct)
    {
        var recipient = await db.Users.AsNoTracking().FirstAsync(u => u.Id == notification.RecipientId, ct);
        var history = await db.NotificationDeliveries.AsNoTracking().Where(d => d.NotificationId == notification.Id)
            .Select(d => new { d.Channel, d.Success }).ToListAsync(ct);
        var failed = false;
        foreach (var channel in enabled.Where(c => c.Reaches(recipient)))
        {
            if (history.Any(h => h.Channel == channel.Name && h.Success)) continue;
            var attempt = history.Count(h => h.Channel == channel.Name) + 1;
            string? error = null;
            try
            {
                await channel.SendAsync(notification, recipient, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = e.GetBaseException().Message;
                failed = true;
                log.LogWarning("Notification {Id} on {Channel}, attempt {Attempt}: {Error}", notification.Id, channel.Name, attempt, error);
            }
            db.NotificationDeliveries.Add(new NotificationDelivery(Guid.CreateVersion7(clock.GetUtcNow()), notification.Id, channel.Name, attempt,
                clock.GetUtcNow(), error is null, error));
        }
        if (failed) notification.RetryAfter(clock.GetUtcNow(), options.FirstBackOff, options.MaxBackOff);
        else notification.Delivered();
    }
}

/// <summary>Polls the outbox on every node that runs the scheduler (Scheduling:Enabled); claims keep nodes from sending twice.</summary>
public sealed class NotificationDeliveryService(NotificationDispatcher dispatcher, GroupMessageDispatcher groups, DeliveryOptions options,
    ILogger<NotificationDeliveryService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval);
        do
        {
            try
            {
                await dispatcher.RunDueAsync(stoppingToken);
                await groups.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "Delivering notifications failed; trying again at the next poll.");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class NotificationsSetup
{
    public static void AddDeliberateNotifications(this IServiceCollection services, IConfiguration configuration, bool deliver)
    {
        services.AddSingleton(new PublicAddress(configuration["Notifications:PublicBaseUrl"]));
        var smtp = configuration.GetSection("Notifications:Smtp").Get<SmtpOptions>() ?? new SmtpOptions();
        smtp.Validate();
        services.AddSingleton(smtp);
        services.AddSingleton(configuration.GetSection("Notifications:Webhook").Get<WebhookOptions>() ?? new WebhookOptions());
        services.AddSingleton(configuration.GetSection("Notifications:Delivery").Get<DeliveryOptions>() ?? new DeliveryOptions());
        services.AddHttpClient(nameof(WebhookChannel), c => c.Timeout = TimeSpan.FromSeconds(10));
        var robots = configuration.GetSection("Notifications:Robots").Get<RobotOptions>() ?? new RobotOptions();
        services.AddSingleton(robots);
        services.AddHttpClient(GroupRobotSender.ClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => GroupRobotSender.Handler(robots));
        services.AddSingleton<GroupRobotSender>();
        services.AddSingleton<GroupMessageDispatcher>();
        services.AddSingleton<INotificationChannel, SmtpChannel>();
        services.AddSingleton<INotificationChannel, WebhookChannel>();
        services.AddSingleton<NotificationDispatcher>();
        if (deliver) services.AddHostedService<NotificationDeliveryService>();
    }
}
