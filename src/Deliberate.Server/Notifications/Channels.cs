using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Deliberate.Server.Api;
using Deliberate.Server.Identity;

namespace Deliberate.Server.Notifications;

/// <summary>A way out of the product for notifications. Sending throws when the other side did not take the message.</summary>
public interface INotificationChannel
{
    /// <summary>"smtp", "webhook": recorded with every attempt.</summary>
    string Name { get; }
    bool Enabled { get; }
    /// <summary>Whether the channel can reach this recipient at all (mail needs an address).</summary>
    bool Reaches(User recipient);
    Task SendAsync(Notification notification, User recipient, CancellationToken ct);
}

/// <summary>
/// The address people open the app at (Notifications:PublicBaseUrl, e.g. https://yishi.example.org): mail and webhooks leave the app, so
/// their links must be absolute. Unset, it is the server's own default address, http://127.0.0.1:5080 — right only on that machine.
/// </summary>
public sealed class PublicAddress(string? baseUrl)
{
    public const string Default = "http://127.0.0.1:5080";
    public string BaseUrl { get; } = (string.IsNullOrWhiteSpace(baseUrl) ? Default : baseUrl.Trim()).TrimEnd('/');

    /// <summary>The link as an absolute URL (a link that already is one stays as it is).</summary>
    public string? Absolute(string? link) => link is null || Uri.IsWellFormedUriString(link, UriKind.Absolute) ? link : BaseUrl + link;
}

public sealed class WebhookOptions
{
    public bool Enabled { get; set; }
    public string? Url { get; set; }
    /// <summary>Key of the HMAC-SHA256 signature in <see cref="WebhookChannel.SignatureHeader"/>.</summary>
    public string? Secret { get; set; }
}

/// <summary>
/// POSTs each notification as JSON to Notifications:Webhook:Url, signed: <c>X-Deliberate-Signature: sha256=&lt;hex HMAC-SHA256
/// of the body with the secret&gt;</c>, so the receiver can tell it came from us. A status other than 2xx is a failure.
/// </summary>
public sealed class WebhookChannel(WebhookOptions options, IHttpClientFactory http, PublicAddress address) : INotificationChannel
{
    public const string SignatureHeader = "X-Deliberate-Signature";
    public string Name => "webhook";
    public bool Enabled => options.Enabled && !string.IsNullOrWhiteSpace(options.Url);
    public bool Reaches(User recipient) => true;

    public async Task SendAsync(Notification notification, User recipient, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = notification.Id,
            kind = notification.Kind.Code(), // a webhook body: not written with the API's JSON options
            recipient = new { id = recipient.Id, userName = recipient.UserName, name = recipient.DisplayName },
            title = new { zh = notification.TitleZh, en = notification.TitleEn },
            body = new { zh = notification.BodyZh, en = notification.BodyEn },
            link = address.Absolute(notification.Link),
            createdAt = notification.CreatedAt,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, "sha256=" + Sign(body, options.Secret ?? ""));
        using var response = await http.CreateClient(nameof(WebhookChannel)).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The webhook answered {(int)response.StatusCode} {response.ReasonPhrase}.");
    }

    public static string Sign(byte[] body, string secret) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
