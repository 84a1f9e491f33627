using System.Net;
using System.Net.Security;
using Deliberate.Server.Identity;
using MailKit.Security;
using MimeKit;

namespace Deliberate.Server.Notifications;

/// <summary>How the connection to the mail server is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>Port 465: TLS from the first byte; any other port: STARTTLS, required.</summary>
    Auto,
    /// <summary>Implicit TLS ("SSL"), what QQ, 163 and Alibaba mail ask for on port 465.</summary>
    SslOnConnect,
    /// <summary>A plain connection upgraded with STARTTLS (port 587); a server that does not offer it is a failure.</summary>
    StartTls,
    /// <summary>No encryption: only to a relay on this machine (127.0.0.1, ::1, localhost); refused for any other host.</summary>
    None,
}

public sealed class SmtpOptions
{
    public bool Enabled { get; set; }
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 465;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string From { get; set; } = "deliberate@localhost";
    /// <summary>The sender's name as mail readers show it, e.g. 幸福里社区议事平台.</summary>
    public string? FromName { get; set; }
    public string? UserName { get; set; }
    /// <summary>The mailbox's password or, for QQ/163, its authorisation code (授权码).</summary>
    public string? Password { get; set; }
    /// <summary>
    /// Accept a certificate that does not verify — honoured only when <see cref="Host"/> is a loopback address (a test listener, a local
    /// relay with a self-made certificate); never by default and never for a remote server.
    /// </summary>
    public bool AcceptUntrustedCertificateOnLoopback { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsLoopback => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip));

    public SecureSocketOptions Socket => Security switch
    {
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
    };

    /// <summary>A configuration that would send mail in clear text over the network is refused at start-up.</summary>
    public void Validate()
    {
        if (!Enabled) return;
        if (string.IsNullOrWhiteSpace(Host)) throw new InvalidOperationException("Notifications:Smtp:Host is empty.");
        if (Port is < 1 or > 65535) throw new InvalidOperationException($"Notifications:Smtp:Port {Port} is not a port.");
        if (Security == SmtpSecurity.None && !IsLoopback)
            throw new InvalidOperationException(
                "Notifications:Smtp:Security None sends passwords and mail in clear text; "
                + $"it is allowed only to a relay on this machine, not to {Host}.");
        _ = MailboxAddress.Parse(From);
    }
}

/// <summary>
/// Mail through an SMTP server (Notifications:Smtp) with MailKit — System.Net.Mail cannot speak implicit TLS on port 465. A UTF-8 message
/// with a plain-text and an HTML part, Chinese first and English below, and an absolute link back. A failure (connection, TLS,
/// authentication, a refused recipient) throws: the dispatcher logs it and retries the notification after its back-off.
/// </summary>
public sealed class SmtpChannel(SmtpOptions options, PublicAddress address, TimeProvider clock) : INotificationChannel
{
    public string Name => "smtp";
    public bool Enabled => options.Enabled;
    public bool Reaches(User recipient) => !string.IsNullOrWhiteSpace(recipient.Email);

    public async Task SendAsync(Notification notification, User recipient, CancellationToken ct)
    {
        using var message = Compose(notification, recipient);
        using var client = new MailKit.Net.Smtp.SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        if (options.AcceptUntrustedCertificateOnLoopback && options.IsLoopback)
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await client.ConnectAsync(options.Host, options.Port, options.Socket, ct);
        if (!string.IsNullOrEmpty(options.UserName)) await client.AuthenticateAsync(options.UserName, options.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }

    public MimeMessage Compose(Notification notification, User recipient)
    {
        var message = new MimeMessage { Subject = notification.TitleZh, Date = clock.GetUtcNow() };
        message.From.Add(new MailboxAddress(options.FromName ?? "", options.From));
        message.To.Add(new MailboxAddress(recipient.DisplayName, recipient.Email!));
        var link = address.Absolute(notification.Link);
        var text = $"{notification.BodyZh}\n\n{notification.TitleEn}\n{notification.BodyEn}" + (link is null ? "" : $"\n\n{link}\n");
        var html = $"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{Html(notification.TitleZh)}</title></head><body>"
            + $"<h2>{Html(notification.TitleZh)}</h2><p>{Paragraphs(notification.BodyZh)}</p>"
            + (link is null ? "" : $"<p><a href=\"{Html(link)}\">查看 / Open</a></p>")
            + $"<hr><p lang=\"en\"><strong>{Html(notification.TitleEn)}</strong><br>{Paragraphs(notification.BodyEn)}</p></body></html>";
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    static string Html(string text) => WebUtility.HtmlEncode(text);
    static string Paragraphs(string text) => Html(text).Replace("\n", "<br>");
}
