using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notifications;

/// <summary>企业微信/政务微信 group robots (one format) and 钉钉 custom robots (signed URLs).</summary>
public enum RobotKind { WeCom, DingTalk }

/// <summary>
/// A group chat's robot for one community or grid: what happens there is posted to the chat as a markdown card with a link back. Its
/// URL carries the robot's key (企业微信 key=, 钉钉 access_token=) and 钉钉's signing secret: both are secrets, never returned whole.
/// </summary>
public sealed class GroupRobot
{
    GroupRobot() { }

    public GroupRobot(Guid id, Guid orgUnitId, RobotKind kind, string name, string url, string? secret, DateTimeOffset now)
    {
        Id = id;
        OrgUnitId = orgUnitId;
        Kind = kind;
        CreatedAt = now.ToUniversalTime();
        Change(name, url, secret, true);
    }

    public const int MaxName = 100, MaxUrl = 500, MaxSecret = 200;

    public Guid Id { get; private set; }
    public Guid OrgUnitId { get; private set; }
    public RobotKind Kind { get; private set; }
    public string Name { get; private set; } = "";
    public string Url { get; private set; } = "";
    /// <summary>钉钉's 加签 secret (SEC…); 企业微信 robots have none.</summary>
    public string? Secret { get; private set; }
    public bool Enabled { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Change(string name, string url, string? secret, bool enabled)
    {
        Name = name.Trim();
        Url = url.Trim();
        Secret = string.IsNullOrWhiteSpace(secret) ? null : secret.Trim();
        Enabled = enabled;
    }

    /// <summary>The URL with its key shown only by its last four characters.</summary>
    public string MaskedUrl()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri)) return "****";
        var query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var at = pair.IndexOf('=');
            return at < 0 ? pair : pair[..(at + 1)] + Mask(pair[(at + 1)..]);
        }));
        return uri.GetLeftPart(UriPartial.Path) + (query.Length == 0 ? "" : "?" + query);
    }

    public static string? Mask(string? secret) => secret is null ? null : "****" + (secret.Length > 8 ? secret[^4..] : "");
}

/// <summary>
/// One card for one robot: the outbox of the group channel. It stays due until the robot took it (HTTP 2xx and errcode 0), retried with
/// the notifications' back-off, so a robot that is down or misconfigured loses nothing and its last error is shown in the console.
/// </summary>
public sealed class GroupMessage
{
    GroupMessage() { }

    public GroupMessage(Guid id, Guid robotId, NotificationKind kind, string title, string body, string? link, DateTimeOffset now)
    {
        Id = id;
        RobotId = robotId;
        Kind = kind;
        Title = title.Length <= Notification.MaxTitle ? title : title[..Notification.MaxTitle];
        Body = body.Length <= Notification.MaxBody ? body : body[..Notification.MaxBody];
        Link = link;
        CreatedAt = now.ToUniversalTime();
        NextDeliveryAt = CreatedAt;
    }

    public Guid Id { get; private set; }
    public Guid RobotId { get; private set; }
    public NotificationKind Kind { get; private set; }
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    public string? Link { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? NextDeliveryAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    public int Revision { get; private set; }

    public void Claim(DateTimeOffset leaseUntil)
    {
        Revision++;
        NextDeliveryAt = leaseUntil.ToUniversalTime();
    }

    public void Delivered(DateTimeOffset now)
    {
        Revision++;
        Attempts++;
        LastError = null;
        DeliveredAt = now.ToUniversalTime();
        NextDeliveryAt = null;
    }

    public void Failed(string error, DateTimeOffset now, TimeSpan firstBackOff, TimeSpan maxBackOff)
    {
        Revision++;
        Attempts++;
        LastError = error.Length > 1000 ? error[..1000] : error;
        var delay = TimeSpan.FromTicks((long)Math.Min(maxBackOff.Ticks, firstBackOff.Ticks * Math.Pow(2, Attempts - 1)));
        NextDeliveryAt = (now + delay).ToUniversalTime();
    }
}

/// <summary>Which robots hear of what (docs/operations.md, "Group robots").</summary>
public enum GroupAudience
{
    /// <summary>New matters and overdue escalations: the robots of the grid the thing is in.</summary>
    Grid,
    /// <summary>Meetings' notices, reschedules and cancellations, ballots opened: the robots of the community.</summary>
    Community,
}

public static class GroupNotify
{
    /// <summary>
    /// Adds a card for every enabled robot of the grid or community over <paramref name="orgUnitId"/> to the context of the change, so
    /// that it is saved with it or not at all. <paramref name="link"/> is the console path (group chats are staff chats).
    /// </summary>
    public static async Task PostAsync(DeliberateDbContext db, Guid orgUnitId, GroupAudience audience, NotificationKind kind, string title,
        string body, string? link, DateTimeOffset now, CancellationToken ct)
    {
        var node = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orgUnitId, ct);
        if (node is null) return;
        var above = node.AncestorIdsAndSelf().ToList();
        var level = audience == GroupAudience.Grid ? OrgLevel.Grid : OrgLevel.Community;
        var robots = await db.GroupRobots.AsNoTracking().Where(r => r.Enabled && above.Contains(r.OrgUnitId))
            .Join(db.OrgUnits.Where(o => o.Level == level), r => r.OrgUnitId, o => o.Id, (r, _) => r.Id).ToListAsync(ct);
        foreach (var robot in robots)
            db.GroupMessages.Add(new GroupMessage(Guid.CreateVersion7(now), robot, kind, title, body, link, now));
    }
}

public sealed class RobotOptions
{
    /// <summary>Plain http robot URLs (an intranet 政务微信 server, a test receiver). Off: only https.</summary>
    public bool AllowHttp { get; set; }
    /// <summary>Robot URLs that resolve to loopback or private addresses (an intranet deployment, a test). Link-local and cloud metadata
    /// addresses are refused always.</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>Posts cards in the robots' own formats and checks their answers: a robot says errcode≠0 with HTTP 200 when it refuses.</summary>
public sealed class GroupRobotSender(IHttpClientFactory http, PublicAddress address, TimeProvider clock)
{
    public const string ClientName = "GroupRobots";

    public async Task SendAsync(GroupRobot robot, GroupMessage message, CancellationToken ct)
    {
        var link = address.Absolute(message.Link);
        var text = $"### {message.Title}\n\n{message.Body}" + (link is null ? "" : $"\n\n[查看详情]({link})");
        var url = robot.Url;
        JsonObject payload;
        if (robot.Kind == RobotKind.DingTalk)
        {
            payload = new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["title"] = message.Title, ["text"] = text } };
            if (robot.Secret is { } secret)
            {
                var timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds();
                url += (url.Contains('?') ? "&" : "?") + $"timestamp={timestamp}&sign={Uri.EscapeDataString(DingTalkSign(timestamp, secret))}";
            }
        }
        else payload = new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = text } };
        using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.CreateClient(ClientName).PostAsync(url, content, ct);
        var answer = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new RobotRefusedException($"机器人地址返回 HTTP {(int)response.StatusCode}，请检查地址是否完整、机器人是否已被移出群聊。",
                $"The robot answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        int errcode;
        string? errmsg;
        try
        {
            using var json = JsonDocument.Parse(answer);
            errcode = json.RootElement.TryGetProperty("errcode", out var code) ? code.GetInt32() : 0;
            errmsg = json.RootElement.TryGetProperty("errmsg", out var msg) ? msg.GetString() : null;
        }
        catch (JsonException)
        {
            throw new RobotRefusedException("机器人地址的回答不是群机器人的格式，请确认粘贴的是群机器人的 Webhook 地址。",
                "The robot's answer is not JSON: " + (answer.Length > 200 ? answer[..200] : answer));
        }
        if (errcode != 0)
            throw new RobotRefusedException($"机器人拒收消息（错误码 {errcode}：{errmsg}）。常见原因：密钥或加签不符、关键词不匹配、发送过于频繁。",
                $"The robot refused the card: errcode {errcode} {errmsg}");
    }

    /// <summary>钉钉's 加签: base64(HMAC-SHA256(key: secret, data: timestamp + "\n" + secret)).</summary>
    public static string DingTalkSign(long timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));

    /// <summary>
    /// Refuses, at connect time, any address a robot URL must not reach (SSRF: a secretary could point a robot at the server's own
    /// network): link-local (169.254.0.0/16, which holds cloud metadata endpoints, fe80::/10) always; loopback, private and unique-local
    /// ranges unless allowed. Checked on the resolved addresses, so a DNS name pointing inward is refused too.
    /// </summary>
    public static SocketsHttpHandler Handler(RobotOptions options) => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => Reachable(a, options.AllowPrivateNetworks)).ToList();
            if (allowed.Count == 0)
                throw new RobotRefusedException("机器人地址指向本机或内部网络，不允许发送。",
                    $"Robot URLs may not reach {context.DnsEndPoint.Host} (a local or internal address).");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed[0], context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static bool Reachable(IPAddress address, bool allowPrivate)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (bytes[0] == 169 && bytes[1] == 254) return false; // link-local, cloud metadata
            if (bytes[0] == 0 || bytes[0] >= 224) return false;
            var inside = bytes[0] == 127 || bytes[0] == 10 || (bytes[0] == 172 && bytes[1] is >= 16 and <= 31) || (bytes[0] == 192 && bytes[1] == 168)
                || (bytes[0] == 100 && bytes[1] is >= 64 and <= 127);
            return !inside || allowPrivate;
        }
        if (address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.Equals(IPAddress.IPv6Any)) return false;
        var local = IPAddress.IsLoopback(address) || (bytes[0] & 0xfe) == 0xfc;
        return !local || allowPrivate;
    }

    /// <summary>What the console may save as a robot URL: https (http only if allowed), no user info, and for 钉钉 its access_token.</summary>
    public static string? UrlProblem(string url, RobotKind kind, RobotOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return "robotUrl";
        if (uri.Scheme == Uri.UriSchemeHttp && !options.AllowHttp) return "robotUrlHttps";
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0) return "robotUrl";
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && !Reachable(ip, options.AllowPrivateNetworks)) return "robotUrlInternal";
        if (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !options.AllowPrivateNetworks) return "robotUrlInternal";
        return null;
    }
}

/// <summary>A robot's refusal in both languages: the console shows the Chinese, the log the English.</summary>
public sealed class RobotRefusedException(string chinese, string english) : HttpRequestException(english)
{
    public string Chinese { get; } = chinese;

    /// <summary>What the secretary reads about a failed card: the robot's own refusal, or why its address could not be reached.</summary>
    public static string Describe(Exception e) => Innermost(e) switch
    {
        RobotRefusedException refused => refused.Chinese,
        TaskCanceledException => "机器人地址在规定时间内没有响应（超时）。",
        HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } when socket.SocketErrorCode
            is System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData
            => "找不到机器人地址的服务器（域名无法解析），请检查地址。",
        HttpRequestException => "无法连接机器人地址（网络不通或对方拒绝连接）。",
        InvalidOperationException => "该机器人已关闭。",
        _ => "发送失败。",
    };

    /// <summary>Ours if HttpClient wrapped it (a refusal at connect time comes back inside its own exception), else the outer one.</summary>
    static Exception Innermost(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is RobotRefusedException) return inner;
        return e;
    }
}

/// <summary>Delivers due group cards; runs beside the notifications' outbox.</summary>
public sealed class GroupMessageDispatcher(IServiceScopeFactory scopes, GroupRobotSender sender, DeliveryOptions options, TimeProvider clock,
    ILogger<GroupMessageDispatcher> log)
{
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.GroupMessages.Where(m => m.NextDeliveryAt != null && m.NextDeliveryAt <= now)
            .OrderBy(m => m.NextDeliveryAt).Take(options.BatchSize).ToListAsync(ct);
        foreach (var message in due)
        {
            message.Claim(now + options.Lease);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.Entry(message).State = EntityState.Detached;
                continue;
            }
            var robot = await db.GroupRobots.AsNoTracking().FirstOrDefaultAsync(r => r.Id == message.RobotId, ct);
            try
            {
                if (robot is null || !robot.Enabled) throw new InvalidOperationException("The robot was switched off.");
                await sender.SendAsync(robot, message, ct);
                message.Delivered(clock.GetUtcNow());
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogWarning("Group card {Id} to robot {Robot}, attempt {Attempt}: {Error}",
                    message.Id, message.RobotId, message.Attempts + 1, e.GetBaseException().Message);
                message.Failed(RobotRefusedException.Describe(e), clock.GetUtcNow(), options.FirstBackOff, options.MaxBackOff);
            }
            await db.SaveChangesAsync(ct);
        }
        return due.Count;
    }
}

static class GroupRobotsModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<GroupRobot>(e =>
        {
            e.ToTable("GroupRobots");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Name).HasMaxLength(GroupRobot.MaxName);
            e.Property(x => x.Url).HasMaxLength(GroupRobot.MaxUrl);
            e.Property(x => x.Secret).HasMaxLength(GroupRobot.MaxSecret);
            e.HasIndex(x => x.OrgUnitId);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<GroupMessage>(e =>
        {
            e.ToTable("GroupMessages");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Title).HasMaxLength(Notification.MaxTitle);
            e.Property(x => x.Body).HasMaxLength(Notification.MaxBody);
            e.Property(x => x.Link).HasMaxLength(300);
            e.Property(x => x.LastError).HasMaxLength(1000);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => x.NextDeliveryAt);
            e.HasIndex(x => new { x.RobotId, x.CreatedAt });
            e.HasOne<GroupRobot>().WithMany().HasForeignKey(x => x.RobotId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
