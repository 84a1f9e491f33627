using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace Deliberate.IntegrationTests;

/// <summary>Clients with a socket address of the test's choosing (the test server has none of its own).</summary>
static class ClientAddresses
{
    public static HttpClient From(this DeliberateApp app, string address) =>
        new(app.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Parse(address))) { BaseAddress = app.Server.BaseAddress };

    public static HttpRequestMessage Forwarded(HttpMethod method, string url, string forwardedFor, object? body = null, string? proto = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        if (proto is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", proto);
        return request;
    }
}

/// <summary>Password changes, resets and deactivation end sessions; refresh tokens work once.</summary>
public sealed class SessionSecurityTests : AppTest
{
    const string Password = DeliberateApp.Password;
    const string NewPassword = "Neues#Passwort-2026";

    static async Task<JsonNode> TokensAsync(HttpClient client, string userName, string password = Password)
    {
        var response = await Auth.TokenAsync(client, userName, password);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    HttpClient WithToken(JsonNode tokens)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        return client;
    }

    Task<HttpResponseMessage> RefreshAsync(JsonNode tokens) =>
        App.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens["refreshToken"]!.GetValue<string>() });

    async Task<string> CookieSessionAsync(string userName)
    {
        var login = await App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false })
            .PostAsJsonAsync("/api/auth/login", new { username = userName, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return string.Join("; ",
            login.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("deliberate.session", StringComparison.Ordinal))
                .Select(c => c.Split(';')[0]));
    }

    async Task<HttpStatusCode> MeWithCookieAsync(string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        return (await App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Changing_ones_password_ends_every_access_token_refresh_token_and_cookie_of_the_user_at_once()
    {
        var first = await TokensAsync(App.CreateClient(), "secretary");
        var second = await TokensAsync(App.CreateClient(), "secretary");
        var cookie = await CookieSessionAsync("secretary");
        var other = await TokensAsync(App.CreateClient(), "gridworker");
        var firstClient = WithToken(first);
        Assert.Equal(HttpStatusCode.OK, (await firstClient.GetAsync("/api/auth/me")).StatusCode); // cached on this node now
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(cookie));

        var change = await WithToken(second).PostAsJsonAsync("/api/auth/password", new { currentPassword = Password, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        await ProblemAssert.IsProblemAsync(await firstClient.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblemAsync(await WithToken(second).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(cookie));
        await ProblemAssert.IsProblemAsync(await RefreshAsync(first), HttpStatusCode.Unauthorized, "badRefreshToken");
        await ProblemAssert.IsProblemAsync(await RefreshAsync(second), HttpStatusCode.Unauthorized, "badRefreshToken");
        // Another user's session is untouched; the old password is refused, the new one signs in.
        Assert.Equal(HttpStatusCode.OK, (await WithToken(other).GetAsync("/api/auth/me")).StatusCode);
        await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(App.CreateClient(), "secretary", Password),
            HttpStatusCode.Unauthorized, "badCredentials");
        var fresh = await TokensAsync(App.CreateClient(), "secretary", NewPassword);
        Assert.Equal("secretary", (await WithToken(fresh).GetJsonAsync("/api/auth/me"))["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_password_change_on_one_node_ends_the_session_on_another_node_within_the_session_caches_lifetime()
    {
        await using var other = new DeliberateApp(App.ConnectionString, new Dictionary<string, string?> { ["Scheduling:Enabled"] = "false" });
        await other.StartAsync();
        var tokens = await TokensAsync(App.CreateClient(), "secretary");
        var onOther = other.CreateClient();
        onOther.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await onOther.GetAsync("/api/auth/me")).StatusCode); // the other node keeps the caller in memory now

        var changed = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent,
            (await WithToken(tokens).PostAsJsonAsync("/api/auth/password", new { currentPassword = Password, newPassword = NewPassword }))
                .StatusCode);
        await ProblemAssert.IsProblemAsync(await WithToken(tokens).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");

        // The other node learns it from the database once its cached caller expires.
        while ((await onOther.GetAsync("/api/auth/me")).StatusCode == HttpStatusCode.OK
            && changed.Elapsed < SessionCache.Lifetime + TimeSpan.FromSeconds(5))
            await Task.Delay(250);
        Assert.True(changed.Elapsed <= SessionCache.Lifetime + TimeSpan.FromSeconds(2),
            $"the other node still accepted the session after {changed.Elapsed}");
        await ProblemAssert.IsProblemAsync(await onOther.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblemAsync(await other.CreateClient()
            .PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens["refreshToken"]!.GetValue<string>() }),
            HttpStatusCode.Unauthorized, "badRefreshToken");
    }

    [Fact]
    public async Task A_password_change_needs_the_current_password_and_a_new_one_of_ten_characters_that_is_not_the_demo_password()
    {
        var tokens = await TokensAsync(App.CreateClient(), "secretary");
        var client = WithToken(tokens);
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/password",
            new { currentPassword = "Wrong#2026", newPassword = NewPassword }),
            HttpStatusCode.Forbidden, "badCurrentPassword");
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/password",
            new { currentPassword = Password, newPassword = "short" }),
            HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/password",
            new { currentPassword = Password, newPassword = Password }),
            HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await App.CreateClient()
            .PostAsJsonAsync("/api/auth/password", new { currentPassword = Password, newPassword = NewPassword }),
            HttpStatusCode.Unauthorized, "unauthenticated");
        // None of that changed anything: the session still works.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task An_administrators_password_reset_ends_the_users_sessions_and_deactivation_also_refuses_their_sign_in()
    {
        var admin = await As("admin");
        var resident = await TokensAsync(App.CreateClient(), "resident");
        var residentId = (await WithToken(resident).GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();
        await ProblemAssert.IsProblemAsync(await WithToken(resident)
            .PostAsJsonAsync($"/api/users/{residentId}/password", new { newPassword = NewPassword }),
            HttpStatusCode.Forbidden, "forbidden");

        // The server chooses the new (one-time) password and shows it to the administrator once.
        var oneTime = (await admin.PostJsonAsync($"/api/users/{residentId}/password", new { }))["oneTimePassword"]!.GetValue<string>();
        await ProblemAssert.IsProblemAsync(await WithToken(resident).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblemAsync(await RefreshAsync(resident), HttpStatusCode.Unauthorized, "badRefreshToken");

        var again = await TokensAsync(App.CreateClient(), "resident", oneTime);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/users/{residentId}/deactivate", null)).StatusCode);
        await ProblemAssert.IsProblemAsync(await WithToken(again).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblemAsync(await RefreshAsync(again), HttpStatusCode.Unauthorized, "badRefreshToken");
        await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(App.CreateClient(), "resident", NewPassword),
            HttpStatusCode.Unauthorized, "badCredentials");
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_its_reuse_revokes_every_token_descended_from_the_sign_in()
    {
        var signIn = await TokensAsync(App.CreateClient(), "secretary");
        var refreshed = await RefreshAsync(signIn);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var second = await refreshed.JsonAsync();
        var third = await (await RefreshAsync(second)).JsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await WithToken(third).GetAsync("/api/auth/me")).StatusCode);
        var elsewhere = await TokensAsync(App.CreateClient(), "secretary"); // another sign-in, another family

        // The first token again: a thief's copy or a replay. It is refused, and the whole family ends with it.
        await ProblemAssert.IsProblemAsync(await RefreshAsync(signIn), HttpStatusCode.Unauthorized, "badRefreshToken");
        await ProblemAssert.IsProblemAsync(await WithToken(third).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblemAsync(await WithToken(signIn).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblemAsync(await RefreshAsync(third), HttpStatusCode.Unauthorized, "badRefreshToken");
        Assert.Equal(HttpStatusCode.OK, (await WithToken(elsewhere).GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(elsewhere)).StatusCode);
    }

    [Fact]
    public async Task Of_two_refreshes_of_the_same_token_sent_at_once_at_most_one_succeeds()
    {
        var signIn = await TokensAsync(App.CreateClient(), "secretary");
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(signIn)));
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) <= 1, string.Join(", ", answers.Select(a => (int)a.StatusCode)));
    }
}

/// <summary>Unknown users, lockouts per (account, client address), and client addresses behind proxies.</summary>
public sealed class SignInLockoutTests(ITestOutputHelper output) : AppTest
{
    const string Password = DeliberateApp.Password;
    const string Wrong = "Wrong#2026";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.1",
        ["ForwardedHeaders:KnownNetworks:0"] = "10.1.0.0/16",
    };

    static async Task<(HttpStatusCode Status, string Code)> AnswerAsync(HttpResponseMessage response)
    {
        var body = await response.JsonAsync();
        return (response.StatusCode, body["code"]?.GetValue<string>() ?? "");
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answers_as_a_real_one_including_the_lock_and_is_checked_against_a_hash()
    {
        var real = App.From("198.51.100.1");
        var unknown = App.From("198.51.100.2");
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var a = await AnswerAsync(await Auth.TokenAsync(real, "resident", Wrong));
            var b = await AnswerAsync(await Auth.TokenAsync(unknown, "nobody-at-all", Wrong));
            Assert.Equal(a, b);
            Assert.Equal(attempt <= 5 ? (HttpStatusCode.Unauthorized, "badCredentials") : ((HttpStatusCode)429, "accountLocked"), a);
        }

        // Time: each from a fresh address (no lock); the unknown name must cost a hash, as the real one does.
        async Task<double> MedianAsync(string userName, int offset)
        {
            var times = new List<double>();
            for (var i = 0; i < 9; i++)
            {
                var client = App.From($"192.0.2.{offset + i}");
                var watch = Stopwatch.StartNew();
                await Auth.TokenAsync(client, userName, Wrong);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            return times.Order().ElementAt(times.Count / 2);
        }
        await MedianAsync("resident", 100); // warm-up
        var realMs = await MedianAsync("resident", 10);
        var unknownMs = await MedianAsync("nobody-at-all", 30);
        output.WriteLine($"wrong password, median of 9: real user {realMs:F1} ms, unknown user {unknownMs:F1} ms, ratio {unknownMs / realMs:F2}");
        // Loose on purpose (a busy machine): without the dummy hash the unknown path took 3 % of the real one's time.
        Assert.True(unknownMs > realMs * 0.3, $"unknown {unknownMs:F1} ms vs real {realMs:F1} ms: the unknown path skips the hash");
    }

    [Fact]
    public async Task A_stranger_failing_from_another_address_does_not_lock_the_real_user_out()
    {
        var attacker = App.From("203.0.113.66");
        for (var attempt = 1; attempt <= 8; attempt++)
            await Auth.TokenAsync(attacker, "admin", Wrong);
        await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(attacker, "admin", Password), (HttpStatusCode)429, "accountLocked");

        var owner = App.From("198.51.100.20");
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(owner, "admin", Password)).StatusCode);
        var browser = await owner.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = Password });
        Assert.Equal(HttpStatusCode.OK, browser.StatusCode);
    }

    [Fact]
    public async Task Behind_a_configured_proxy_each_forwarded_client_is_counted_apart_and_an_unconfigured_sender_cannot_pick_its_address()
    {
        // Through the configured proxy: the attacker's failures lock the attacker's address only.
        var proxy = App.From("10.0.0.1");
        for (var attempt = 1; attempt <= 6; attempt++)
            await proxy.SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/token", "203.0.113.7",
                new { username = "admin", password = Wrong }));
        await ProblemAssert.IsProblemAsync(
            await proxy.SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/token", "203.0.113.7",
                new { username = "admin", password = Password })),
            (HttpStatusCode)429, "accountLocked");
        Assert.Equal(HttpStatusCode.OK,
            (await proxy.SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/token", "198.51.100.7",
                new { username = "admin", password = Password })))
                .StatusCode);
        // A proxy inside a configured network counts too.
        Assert.Equal(HttpStatusCode.OK,
            (await App.From("10.1.2.3")
                .SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/token", "198.51.100.8",
                    new { username = "admin", password = Password })))
                .StatusCode);

        // From an address that is not a configured proxy the header is ignored: a fresh X-Forwarded-For per guess
        // does not escape the lock of the real sender.
        var liar = App.From("203.0.113.99");
        for (var attempt = 1; attempt <= 6; attempt++)
            await liar.SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/token", $"198.51.100.{100 + attempt}",
                new { username = "secretary", password = Wrong }));
        await ProblemAssert.IsProblemAsync(
            await liar.SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/token", "198.51.100.200",
                new { username = "secretary", password = Password })),
            (HttpStatusCode)429, "accountLocked");
    }

    [Fact]
    public async Task Https_forwarded_by_a_configured_proxy_gets_a_secure_cookie_and_hsts_and_from_anyone_else_neither()
    {
        var body = new { username = "resident", password = Password };
        var viaProxy = await App.From("10.0.0.1")
            .SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/login", "198.51.100.9", body, proto: "https"));
        Assert.Equal(HttpStatusCode.OK, viaProxy.StatusCode);
        var cookie = Assert.Single(viaProxy.Headers.GetValues("Set-Cookie"), c => c.StartsWith("deliberate.session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie.Split(';').Select(p => p.Trim().ToLowerInvariant()));
        Assert.StartsWith("max-age=", viaProxy.Headers.GetValues("Strict-Transport-Security").Single());

        var spoofed = await App.From("203.0.113.5")
            .SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/login", "198.51.100.9", body, proto: "https"));
        Assert.Equal(HttpStatusCode.OK, spoofed.StatusCode);
        var plain = Assert.Single(spoofed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("deliberate.session=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", plain.Split(';').Select(p => p.Trim().ToLowerInvariant()));
        Assert.False(spoofed.Headers.Contains("Strict-Transport-Security"));
    }
}

/// <summary>The sign-in rate limit is per client, behind a configured proxy too.</summary>
public sealed class ProxiedRateLimitTests : AppTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:SignInPerMinute"] = "3",
        ["ForwardedHeaders:KnownProxies"] = "10.0.0.1, 10.0.0.2",
    };

    [Fact]
    public async Task Two_clients_behind_the_same_proxy_each_get_their_own_sign_in_limit()
    {
        var proxy = App.From("10.0.0.1");
        Task<HttpResponseMessage> SignIn(string client) =>
            proxy.SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/token", client,
                new { username = "resident", password = DeliberateApp.Password }));
        for (var attempt = 1; attempt <= 3; attempt++)
            Assert.Equal(HttpStatusCode.OK, (await SignIn("198.51.100.1")).StatusCode);
        await ProblemAssert.IsProblemAsync(await SignIn("198.51.100.1"), (HttpStatusCode)429, "rateLimited");
        Assert.Equal(HttpStatusCode.OK, (await SignIn("198.51.100.2")).StatusCode);
        // Through two configured proxies (the comma-separated setting), the client is still the one before them.
        await ProblemAssert.IsProblemAsync(
            await App.From("10.0.0.2").SendAsync(ClientAddresses.Forwarded(HttpMethod.Post, "/api/auth/token", "198.51.100.1, 10.0.0.1",
                new { username = "resident", password = DeliberateApp.Password })),
            (HttpStatusCode)429, "rateLimited");
    }
}
