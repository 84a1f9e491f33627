using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// 企业微信/政务微信 and 钉钉 group robots of a grid, set up by the community's secretary, posting markdown cards to a real HTTP receiver
/// on loopback that checks the format and verifies 钉钉's signature as DingTalk does; a robot that answers errcode≠0 is retried.
/// </summary>
public sealed class GroupRobotTests : AppTest, IDisposable
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    readonly RobotReceiver receiver = new();
    const string DingSecret = "SECd1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0";

    protected override TimeProvider? Clock => clock;
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:PublicBaseUrl"] = "https://yishi.example.org",
        ["Notifications:Robots:AllowHttp"] = "true",
        ["Notifications:Robots:AllowPrivateNetworks"] = "true",
    };

    public void Dispose() => receiver.Dispose();

    static string Str(JsonNode? node) => node!.GetValue<string>();

    async Task<int> DispatchAsync() => await App.Services.GetRequiredService<GroupMessageDispatcher>().RunDueAsync(CancellationToken.None);

    [Fact]
    public async Task A_new_matter_goes_to_the_grids_wecom_and_signed_dingtalk_robots_as_markdown_cards_with_a_link_back()
    {
        var secretary = await As("secretary");
        var wecom = await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "weCom", name = "一网格工作群", url = receiver.Url + "wecom?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa" });
        Assert.Equal("weCom", wecom["kind"]!.GetValue<string>());
        Assert.DoesNotContain("693a91f6", wecom["url"]!.GetValue<string>());
        Assert.EndsWith("key=****5aaa", wecom["url"]!.GetValue<string>());
        var ding = await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "dingTalk", url = receiver.Url + "robot/send?access_token=abcdef0123456789", secret = DingSecret });
        Assert.Equal("****b9c0", ding["secret"]!.GetValue<string>());
        var listed = (await secretary.GetJsonAsync($"/api/org-units/{XingfuliGrid1}/robots")).AsArray();
        Assert.Equal(2, listed.Count);
        Assert.DoesNotContain(DingSecret, listed.ToJsonString());
        Assert.DoesNotContain("abcdef0123456789", listed.ToJsonString());

        await RaiseAsync(await As("resident"), "3号楼门口路灯不亮");
        Assert.Equal(2, await DispatchAsync());
        Assert.Equal(0, await DispatchAsync());

        var card = JsonNode.Parse(Assert.Single(receiver.Requests, r => r.Path == "/robots/wecom").Body)!;
        Assert.Equal("markdown", card["msgtype"]!.GetValue<string>());
        var content = card["markdown"]!["content"]!.GetValue<string>();
        Assert.StartsWith("### 新诉求：3号楼门口路灯不亮", content);
        Assert.Matches(@"\[查看详情\]\(https://yishi\.example\.org/console/matters/[0-9a-f-]{36}\)", content);
        Assert.Equal("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", Assert.Single(receiver.Requests, r => r.Path == "/robots/wecom").Query["key"]);

        var dingRequest = Assert.Single(receiver.Requests, r => r.Path == "/robots/robot/send");
        var dingCard = JsonNode.Parse(dingRequest.Body)!;
        Assert.Equal("markdown", dingCard["msgtype"]!.GetValue<string>());
        Assert.Equal("新诉求：3号楼门口路灯不亮", dingCard["markdown"]!["title"]!.GetValue<string>());
        Assert.Contains("](https://yishi.example.org/console/matters/", dingCard["markdown"]!["text"]!.GetValue<string>());
        Assert.True(dingRequest.SignatureValid, "DingTalk would refuse the signature");
        Assert.Equal("abcdef0123456789", dingRequest.Query["access_token"]);

        // Another grid's matter does not reach this grid's chat.
        await RaiseAsync(await As("resident"), "2号楼楼道灯坏了", XingfuliGrid2);
        Assert.Equal(0, await DispatchAsync());
    }

    [Fact]
    public async Task A_robot_that_answers_an_error_code_is_logged_and_retried_until_it_takes_the_card()
    {
        receiver.FailNext(2, """{"errcode":310000,"errmsg":"sign not match"}""");
        var secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "dingTalk", url = receiver.Url + "robot/send?access_token=abcdef0123456789", secret = DingSecret });
        await RaiseAsync(await As("resident"));
        Assert.Equal(1, await DispatchAsync());
        var robot = (await secretary.GetJsonAsync($"/api/org-units/{XingfuliGrid1}/robots"))[0]!;
        Assert.Contains("310000", robot["lastError"]!.GetValue<string>());
        Assert.Equal(1, robot["waiting"]!.GetValue<int>());
        Assert.Equal(0, await DispatchAsync());
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await DispatchAsync());
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await DispatchAsync());
        Assert.Equal(3, receiver.Requests.Count);
        robot = (await secretary.GetJsonAsync($"/api/org-units/{XingfuliGrid1}/robots"))[0]!;
        Assert.Equal(0, robot["waiting"]!.GetValue<int>());
        Assert.Null(robot["lastError"]);
        Assert.NotNull(robot["lastDeliveredAt"]);
    }

    [Fact]
    public async Task The_communitys_chat_hears_a_meetings_notice_its_move_and_its_cancellation_but_not_a_grids_chat()
    {
        var secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/org-units/{DemoData.Ids.Xingfuli}/robots",
            new { kind = "weCom", url = receiver.Url + "community?key=c0mmunity" });
        await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots", new { kind = "weCom", url = receiver.Url + "grid?key=gr1d" });
        var committee = await As("owners-committee");
        var meeting = await committee.PostJsonAsync("/api/meetings", new
        {
            type = "ownersCommittee", orgUnitId = DemoData.Ids.Xingfuli, title = "业委会例会", place = "业委会办公室",
            startsAt = ExecutionKit.WholeMinute(clock.GetUtcNow().AddDays(8)), chairName = "周主任", recorderName = "孙主任",
        });
        var id = Str(meeting["id"]);
        await committee.PostJsonAsync($"/api/meetings/{id}/participants", new { party = "ownersCommittee", name = "周主任", role = "member" });
        await committee.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "电梯维保合同续签" });
        Assert.Equal(0, await DispatchAsync()); // a draft is nobody's news yet

        var convened = await committee.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        Assert.Equal(1, await DispatchAsync());
        var notice = JsonNode.Parse(Assert.Single(receiver.Requests).Body)!["markdown"]!["content"]!.GetValue<string>();
        Assert.StartsWith("### 会议通知：业委会例会", notice);
        Assert.Contains("业委会办公室", notice);
        Assert.Contains("议题：电梯维保合同续签", notice);
        Assert.Matches($@"\(https://yishi\.example\.org/console/meetings/{id}\)", notice);

        var moved = await committee.PostJsonAsync($"/api/meetings/{id}/reschedule", new
        {
            startsAt = ExecutionKit.WholeMinute(clock.GetUtcNow().AddDays(9)), reason = "主任出差", revision = convened["revision"]!.GetValue<int>(),
        });
        await committee.PostJsonAsync($"/api/meetings/{id}/cancel", new { reason = "合同已由业主大会决定", revision = moved["revision"]!.GetValue<int>() });
        Assert.Equal(2, await DispatchAsync());
        var cards = receiver.Requests.Select(r => JsonNode.Parse(r.Body)!["markdown"]!["content"]!.GetValue<string>()).ToList();
        Assert.Contains(cards, c => c.StartsWith("### 会议改期：业委会例会") && c.Contains("原因：主任出差"));
        Assert.Contains(cards, c => c.StartsWith("### 会议取消：业委会例会") && c.Contains("合同已由业主大会决定"));
        Assert.All(receiver.Requests, r => Assert.Equal("/robots/community", r.Path));
    }

    [Fact]
    public async Task A_test_card_says_at_once_whether_the_chat_took_it_and_stores_nothing()
    {
        var secretary = await As("secretary");
        var robot = await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "dingTalk", name = "一网格钉钉群", url = receiver.Url + "robot/send?access_token=abcdef0123456789", secret = DingSecret });
        var path = $"/api/org-units/{XingfuliGrid1}/robots/{Str(robot["id"])}/test";
        var ok = await secretary.PostJsonAsync(path, new { });
        Assert.True(ok["delivered"]!.GetValue<bool>());
        var sent = Assert.Single(receiver.Requests);
        Assert.True(sent.SignatureValid);
        Assert.StartsWith("### 测试消息：", JsonNode.Parse(sent.Body)!["markdown"]!["text"]!.GetValue<string>());

        receiver.FailNext(1, """{"errcode":310000,"errmsg":"keywords not in content"}""");
        var refused = await secretary.PostJsonAsync(path, new { });
        Assert.False(refused["delivered"]!.GetValue<bool>());
        Assert.Contains("310000", refused["error"]!.GetValue<string>());
        Assert.StartsWith("机器人拒收消息", refused["error"]!.GetValue<string>()); // the console is in Chinese, the robot's words kept

        // An address that does not resolve is explained, not "Name or service not known".
        var lost = await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "weCom", url = "http://no-such-robot.invalid/cgi-bin/webhook/send?key=k" });
        var unreachable = await secretary.PostJsonAsync($"/api/org-units/{XingfuliGrid1}/robots/{Str(lost["id"])}/test", new { });
        Assert.False(unreachable["delivered"]!.GetValue<bool>());
        Assert.Matches("^(找不到机器人地址的服务器|无法连接机器人地址)", unreachable["error"]!.GetValue<string>());
        Assert.Equal(0, await DispatchAsync());
        using (var scope = App.Services.CreateScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().GroupMessages.CountAsync());

        await ProblemAssert.IsProblemAsync(await (await As("gridworker")).PostAsJsonAsync(path, new { }), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).PostAsJsonAsync(path, new { }), HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public async Task Only_the_secretary_sets_up_robots_and_internal_or_plain_http_addresses_are_refused_in_production()
    {
        await ProblemAssert.IsProblemAsync(await (await As("gridworker")).PostAsJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "weCom", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" }), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).PostAsJsonAsync($"/api/org-units/{XingfuliGrid1}/robots",
            new { kind = "weCom", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" }), HttpStatusCode.NotFound, "notFound");
        var production = new RobotOptions();
        Assert.Equal("robotUrlHttps",
            GroupRobotSender.UrlProblem("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", RobotKind.WeCom, production));
        Assert.Equal("robotUrlInternal", GroupRobotSender.UrlProblem("https://169.254.169.254/latest/meta-data", RobotKind.WeCom, production));
        Assert.Equal("robotUrlInternal", GroupRobotSender.UrlProblem("https://127.0.0.1:8080/hook", RobotKind.WeCom, production));
        Assert.Equal("robotUrlInternal", GroupRobotSender.UrlProblem("https://10.1.2.3/hook", RobotKind.WeCom, production));
        Assert.Null(GroupRobotSender.UrlProblem("https://oapi.dingtalk.com/robot/send?access_token=t", RobotKind.DingTalk, production));
        Assert.Equal("robotUrlInternal", GroupRobotSender.UrlProblem("http://169.254.169.254/", RobotKind.WeCom,
            new RobotOptions { AllowHttp = true, AllowPrivateNetworks = true }));
        Assert.False(GroupRobotSender.Reachable(IPAddress.Parse("169.254.169.254"), allowPrivate: true));
        Assert.False(GroupRobotSender.Reachable(IPAddress.Parse("::ffff:127.0.0.1"), allowPrivate: false));
    }
}

/// <summary>A real HTTP receiver on loopback that records robot posts and checks 钉钉's signature as DingTalk's server does.</summary>
sealed class RobotReceiver : IDisposable
{
    readonly HttpListener listener = new();
    int failuresLeft;
    string failure = "";
    public string Url { get; }
    public List<(string Path, System.Collections.Specialized.NameValueCollection Query, string Body, bool SignatureValid)> Requests { get; } = [];
    const string Secret = "SECd1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0";

    public RobotReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/robots/";
        listener.Prefixes.Add(Url);
        listener.Start();
        _ = ServeAsync();
    }

    public void FailNext(int count, string answer) => (failuresLeft, failure) = (count, answer);

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var query = HttpUtility.ParseQueryString(context.Request.Url!.Query);
            // DingTalk: sign = urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret))), timestamp within an hour of now.
            var valid = long.TryParse(query["timestamp"], out var timestamp) && query["sign"] is { } sign
                && sign == Convert.ToBase64String(
                    HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}\n{Secret}")))
                && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - timestamp) < 3_600_000
                && context.Request.Url.Query.Contains("sign=" + Uri.EscapeDataString(sign));
            var json = context.Request.ContentType?.StartsWith("application/json") == true;
            lock (Requests) Requests.Add((context.Request.Url.AbsolutePath, query, body, valid));
            var answer = !json ? """{"errcode":40008,"errmsg":"invalid message type"}"""
                : Interlocked.Decrement(ref failuresLeft) >= 0 ? failure : """{"errcode":0,"errmsg":"ok"}""";
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose() => listener.Close();
}
