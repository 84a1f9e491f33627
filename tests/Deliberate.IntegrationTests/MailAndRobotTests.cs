using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Mail through MailKit to a real SMTP server (SmtpServer) on a loopback port with TLS — implicit on connect (465-style) and by STARTTLS
/// (587-style) — with a password; a refused password or an untrusted certificate is a logged failure and a retry, never a loss.
/// </summary>
public abstract class MailTestsBase : AppTest, IDisposable
{
    protected readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected readonly TlsSmtpListener smtp;
    readonly string security, password;
    readonly bool acceptCertificate;

    protected MailTestsBase(bool implicitTls, string password = TlsSmtpListener.Password, bool acceptCertificate = true)
    {
        smtp = new TlsSmtpListener(implicitTls);
        security = implicitTls ? "SslOnConnect" : "StartTls";
        this.password = password;
        this.acceptCertificate = acceptCertificate;
    }

    protected override TimeProvider? Clock => clock;
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:PublicBaseUrl"] = "https://yishi.example.org/",
        ["Notifications:Smtp:Enabled"] = "true",
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = smtp.Port.ToString(),
        ["Notifications:Smtp:Security"] = security,
        ["Notifications:Smtp:From"] = "yishi@xingfuli.example",
        ["Notifications:Smtp:FromName"] = "幸福里社区议事平台",
        ["Notifications:Smtp:UserName"] = TlsSmtpListener.User,
        ["Notifications:Smtp:Password"] = password,
        ["Notifications:Smtp:AcceptUntrustedCertificateOnLoopback"] = acceptCertificate ? "true" : "false",
    };

    public void Dispose() => smtp.Dispose();

    protected async Task<int> DispatchAsync() => await App.Services.GetRequiredService<NotificationDispatcher>().RunDueAsync(CancellationToken.None);

    protected async Task<List<NotificationDelivery>> DeliveriesAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().NotificationDeliveries.AsNoTracking()
            .Where(d => d.Channel == "smtp").OrderBy(d => d.Attempt).ToListAsync();
    }

    protected async Task A_chinese_mail_arrives_with_its_headers_both_bodies_and_an_absolute_link()
    {
        await RaiseAsync(await As("resident"), "3号楼门口路灯不亮");
        Assert.Equal(1, await DispatchAsync());
        var message = Assert.Single(smtp.Messages);
        Assert.True(smtp.Secured, "the session was not encrypted");
        Assert.Equal("yishi@xingfuli.example", Assert.IsType<MailboxAddress>(Assert.Single(message.From)).Address);
        Assert.Equal("幸福里社区议事平台", message.From[0].Name);
        Assert.Equal("gridworker@demo.deliberate.local", Assert.IsType<MailboxAddress>(Assert.Single(message.To)).Address);
        Assert.StartsWith("新任务：", message.Subject);
        Assert.Matches(@"https://yishi\.example\.org/console/tasks/[0-9a-f-]{36}", message.TextBody);
        Assert.Contains("New task: ", message.TextBody);
        Assert.Contains("<a href=\"https://yishi.example.org/console/tasks/", message.HtmlBody);
        Assert.Equal([(1, true)], (await DeliveriesAsync()).Select(d => (d.Attempt, d.Success)));
    }
}

public sealed class MailImplicitTlsTests() : MailTestsBase(implicitTls: true)
{
    [Fact]
    public Task A_mail_over_implicit_tls_as_on_port_465_arrives_in_chinese_with_an_absolute_link() =>
        A_chinese_mail_arrives_with_its_headers_both_bodies_and_an_absolute_link();
}

public sealed class MailStartTlsTests() : MailTestsBase(implicitTls: false)
{
    [Fact]
    public Task A_mail_over_starttls_as_on_port_587_arrives_in_chinese_with_an_absolute_link() =>
        A_chinese_mail_arrives_with_its_headers_both_bodies_and_an_absolute_link();
}

public sealed class MailWrongPasswordTests() : MailTestsBase(implicitTls: true, password: "not-the-code")
{
    [Fact]
    public async Task A_refused_password_is_a_recorded_failure_retried_after_the_back_off_not_a_crash()
    {
        await RaiseAsync(await As("resident"));
        Assert.Equal(1, await DispatchAsync());
        Assert.Equal(0, await DispatchAsync());
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await DispatchAsync()); // tried again, still refused, still kept
        Assert.Empty(smtp.Messages);
        var deliveries = await DeliveriesAsync();
        Assert.Equal([(1, false), (2, false)], deliveries.Select(d => (d.Attempt, d.Success)));
        Assert.All(deliveries, d => Assert.Contains("authentication failed", d.Error!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await (await As("gridworker")).GetAsync("/api/notifications")).StatusCode);
    }
}

public sealed class MailUntrustedCertificateTests() : MailTestsBase(implicitTls: true, acceptCertificate: false)
{
    [Fact]
    public async Task A_self_made_certificate_is_refused_unless_relaxed_for_the_loopback_listener()
    {
        await RaiseAsync(await As("resident"));
        Assert.Equal(1, await DispatchAsync());
        Assert.Empty(smtp.Messages);
        var failure = Assert.Single(await DeliveriesAsync());
        Assert.False(failure.Success);
        Assert.Contains("certificate", failure.Error!, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class MailConfigurationTests
{
    [Fact]
    public void Clear_text_mail_to_a_remote_server_is_refused_at_start_up()
    {
        var remote = new SmtpOptions { Enabled = true, Host = "smtp.qq.com", Port = 25, Security = SmtpSecurity.None };
        Assert.Throws<InvalidOperationException>(remote.Validate);
        new SmtpOptions { Enabled = true, Host = "127.0.0.1", Port = 25, Security = SmtpSecurity.None }.Validate();
        Assert.Equal(MailKit.Security.SecureSocketOptions.SslOnConnect, new SmtpOptions { Port = 465 }.Socket);
        Assert.Equal(MailKit.Security.SecureSocketOptions.StartTls, new SmtpOptions { Port = 587 }.Socket);
    }
}

/// <summary>A real SMTP server with TLS (a certificate made here), a user and password, keeping what it receives.</summary>
public sealed class TlsSmtpListener : IDisposable
{
    public const string User = "yishi@xingfuli.example", Password = "smtp-auth-code";
    readonly CancellationTokenSource stop = new();
    public int Port { get; }
    public List<MimeMessage> Messages { get; } = [];
    public bool Secured { get; private set; }

    public TlsSmtpListener(bool implicitTls)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(implicitTls).Certificate(certificate)
                .AuthenticationRequired().AllowUnsecureAuthentication(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Authenticator());
        var server = new SmtpServer.SmtpServer(options, services);
        _ = server.StartAsync(stop.Token);
    }

    sealed class Store(TlsSmtpListener listener) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream, cancellationToken);
            lock (listener.Messages)
            {
                listener.Messages.Add(message);
                listener.Secured = context.Pipe is not null && context.Pipe.IsSecure;
            }
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    sealed class Authenticator : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken) =>
            Task.FromResult(user == User && password == Password);
    }

    public void Dispose() => stop.Cancel();
}
