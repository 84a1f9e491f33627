using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Notifications: made where things happen (a task, a reminder, an escalation), read in-app by their recipient only, and
/// delivered by mail and webhook from the outbox — to a real SMTP listener and a real HTTP listener that fails at first.
/// </summary>
public sealed class NotificationTests : AppTest, IDisposable
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    readonly SmtpListener smtp = new();
    readonly FlakyWebhook webhook = new(failures: 2);
    const string Secret = "webhook-secret";

    protected override TimeProvider? Clock => clock;
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:Smtp:Enabled"] = "true",
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = smtp.Port.ToString(),
        ["Notifications:Smtp:From"] = "deliberate@xingfuli.example",
        ["Notifications:Smtp:Security"] = "None", // the plain listener below is on loopback
        ["Notifications:Webhook:Enabled"] = "true",
        ["Notifications:Webhook:Url"] = webhook.Url,
        ["Notifications:Webhook:Secret"] = Secret,
    };

    public void Dispose()
    {
        smtp.Dispose();
        webhook.Dispose();
    }

    static string Str(JsonNode? node) => node!.GetValue<string>();

    async Task<int> DispatchAsync() => await App.Services.GetRequiredService<NotificationDispatcher>().RunDueAsync(CancellationToken.None);

    [Fact]
    public async Task A_new_task_notifies_its_worker_who_alone_reads_it_and_marks_it_read()
    {
        await RaiseAsync(await As("resident"));
        var gridWorker = await As("gridworker");
        var mine = (await gridWorker.GetJsonAsync("/api/notifications?unread=true")).AsArray();
        var assignment = Assert.Single(mine, n => Str(n!["kind"]) == "assignment")!;
        Assert.StartsWith("新任务：", Str(assignment["title"]));
        Assert.StartsWith("/console/tasks/", Str(assignment["link"]));
        Assert.False(assignment["read"]!.GetValue<bool>());
        Assert.Equal("New task: ", Str((await (await As("gridworker", "en")).GetJsonAsync("/api/notifications"))[0]!["title"])[..10]);
        Assert.Equal(1, (await gridWorker.GetJsonAsync("/api/notifications/unread-count"))["count"]!.GetValue<int>());

        // Nobody else sees it or can mark it.
        var other = await As("gridworker2");
        Assert.DoesNotContain((await other.GetJsonAsync("/api/notifications")).AsArray(), n => Str(n!["id"]) == Str(assignment["id"]));
        await ProblemAssert.IsProblemAsync(await other.PostAsJsonAsync($"/api/notifications/{assignment["id"]}/read", new { }),
            HttpStatusCode.NotFound, "notFound");
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/api/notifications")).StatusCode);

        var read = await gridWorker.PostJsonAsync($"/api/notifications/{assignment["id"]}/read", new { });
        Assert.True(read["read"]!.GetValue<bool>());
        Assert.Empty((await gridWorker.GetJsonAsync("/api/notifications?unread=true")).AsArray());
        await RaiseAsync(await As("resident"), "2号楼楼道灯坏了");
        await RaiseAsync(await As("resident"), "1号楼门禁失灵");
        Assert.Equal(2, (await gridWorker.GetJsonAsync("/api/notifications/unread-count"))["count"]!.GetValue<int>());
        Assert.Equal(2, (await gridWorker.PostJsonAsync("/api/notifications/read-all", new { }))["count"]!.GetValue<int>());
        Assert.Equal(0, (await gridWorker.GetJsonAsync("/api/notifications/unread-count"))["count"]!.GetValue<int>());
        Assert.Equal(3, (await gridWorker.GetJsonAsync("/api/notifications")).AsArray().Count);
    }

    [Fact]
    public async Task Mail_goes_out_once_and_the_webhook_is_retried_with_back_off_until_it_takes_the_signed_notification()
    {
        await RaiseAsync(await As("resident"));
        Assert.Equal(1, await DispatchAsync());
        Assert.Equal(0, await DispatchAsync()); // the failed webhook waits for its back-off
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await DispatchAsync());
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await DispatchAsync()); // the second wait is twice the first
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await DispatchAsync());
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await DispatchAsync()); // delivered everywhere: nothing is due any more

        var mail = Assert.Single(smtp.Messages);
        Assert.Contains("gridworker@demo.deliberate.local", mail.Recipients);
        Assert.Contains("deliberate@xingfuli.example", mail.From);
        Assert.Equal(3, webhook.Requests.Count);
        var (body, signature) = webhook.Requests[^1];
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)), signature);
        var payload = JsonNode.Parse(body)!;
        Assert.Equal("assignment", Str(payload["kind"]));
        Assert.Equal("gridworker", Str(payload["recipient"]!["userName"]));
        Assert.StartsWith("新任务：", Str(payload["title"]!["zh"]));

        await using var scope = App.Services.CreateAsyncScope();
        var deliveries = await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().NotificationDeliveries.AsNoTracking().ToListAsync();
        Assert.Equal([(1, true)], deliveries.Where(d => d.Channel == "smtp").Select(d => (d.Attempt, d.Success)));
        Assert.Equal([(1, false), (2, false), (3, true)],
            deliveries.Where(d => d.Channel == "webhook").OrderBy(d => d.Attempt).Select(d => (d.Attempt, d.Success)));
        Assert.All(deliveries.Where(d => !d.Success), d => Assert.Contains("500", d.Error));
    }

    [Fact]
    public async Task A_task_and_a_work_item_are_reminded_before_their_deadline_and_escalated_to_the_level_above_at_it()
    {
        await ExecutionKit.PublishAsync(await As("designer"), ExecutionKit.MatterFlow()); // its hearing task has 24 hours
        await RaiseAsync(await As("resident"));
        var item = await (await As("secretary")).PostJsonAsync("/api/work-items", new
        {
            title = "更换3号楼门口路灯", responsibleUnit = "网格工作站", level = "grid", orgUnitId = XingfuliGrid1,
            deadline = clock.GetUtcNow() + TimeSpan.FromDays(3),
        });
        // Sessions do not outlive days on the fake clock: each look signs in afresh.
        async Task<JsonArray> NotificationsOfAsync(string user) => (await (await As(user)).GetJsonAsync("/api/notifications")).AsArray();
        async Task<List<string>> KindsAsync(string user) => (await NotificationsOfAsync(user)).Select(n => Str(n!["kind"])).ToList();

        // The task's reminder: 20 % of its 24 hours before the deadline, i.e. at 19.2 hours.
        clock.Advance(TimeSpan.FromHours(19));
        await RunDueAsync(clock.GetUtcNow());
        Assert.DoesNotContain("reminder", await KindsAsync("gridworker"));
        clock.Advance(TimeSpan.FromMinutes(15));
        await RunDueAsync(clock.GetUtcNow());
        await RunDueAsync(clock.GetUtcNow()); // a deadline that fires twice reminds once
        Assert.Single(await KindsAsync("gridworker"), k => k == "reminder");

        clock.Advance(TimeSpan.FromHours(5));
        await RunDueAsync(clock.GetUtcNow());
        var escalated = await NotificationsOfAsync("secretary");
        Assert.Contains(escalated, n => Str(n!["kind"]) == "escalation" && Str(n!["title"]).StartsWith("任务逾期"));

        // The work item (72 hours): reminded 20 % ahead (14.4 hours, less than the 24-hour lead), at 57.6 hours; escalated to the community at 72.
        clock.Advance(TimeSpan.FromHours(58) - TimeSpan.FromHours(24.25));
        await RunDueAsync(clock.GetUtcNow());
        Assert.Contains(await NotificationsOfAsync("gridworker"),
            n => Str(n!["kind"]) == "reminder" && Str(n!["link"]) == $"/console/work-items/{item["id"]}");
        clock.Advance(TimeSpan.FromDays(1));
        await RunDueAsync(clock.GetUtcNow());
        Assert.Contains(await NotificationsOfAsync("secretary"),
            n => Str(n!["kind"]) == "escalation" && Str(n!["link"]) == $"/console/work-items/{item["id"]}");
        Assert.Equal("community", Str((await (await As("secretary")).GetJsonAsync($"/api/work-items/{item["id"]}"))["level"]));
    }
}

/// <summary>A real SMTP server on a loopback port that accepts every message and keeps it.</summary>
sealed class SmtpListener : IDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    public List<(string From, string Recipients, string Data)> Messages { get; } = [];
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public SmtpListener()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 test SMTP");
        string from = "", to = "";
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO": await writer.WriteLineAsync("250 test"); break;
                case "MAIL": from = line; await writer.WriteLineAsync("250 OK"); break;
                case "RCPT": to += line; await writer.WriteLineAsync("250 OK"); break;
                case "DATA":
                    await writer.WriteLineAsync("354 end with .");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".") data.AppendLine(dataLine);
                    lock (Messages) Messages.Add((from, to, data.ToString()));
                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                default: await writer.WriteLineAsync("250 OK"); break;
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}

/// <summary>A real HTTP endpoint on a loopback port that answers 500 to the first <c>failures</c> requests, then 200.</summary>
sealed class FlakyWebhook : IDisposable
{
    readonly HttpListener listener = new();
    int failuresLeft;
    public string Url { get; }
    public List<(byte[] Body, string? Signature)> Requests { get; } = [];

    public FlakyWebhook(int failures)
    {
        failuresLeft = failures;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        listener.Prefixes.Add(Url);
        listener.Start();
        _ = ServeAsync();
    }

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            lock (Requests) Requests.Add((body.ToArray(), context.Request.Headers["X-Deliberate-Signature"]));
            context.Response.StatusCode = Interlocked.Decrement(ref failuresLeft) >= 0 ? 500 : 200;
            context.Response.Close();
        }
    }

    public void Dispose() => listener.Close();
}
