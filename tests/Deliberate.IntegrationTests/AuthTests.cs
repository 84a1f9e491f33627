using System.Net.Http.Headers;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>Signing in with tokens and cookies, failures, lockout, CSRF and sign-out.</summary>
public sealed class AuthTests : AppTest
{
    const string Password = DeliberateApp.Password;
    const string WrongPassword = "Wrong#2026";

    [Fact]
    public async Task A_demo_user_gets_an_access_token_that_signs_requests_in_as_that_user_with_their_roles()
    {
        var client = App.CreateClient();
        var response = await Auth.TokenAsync(client, "gridworker", Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.JsonAsync();
        Assert.Equal("Bearer", tokens["tokenType"]!.GetValue<string>());
        Assert.True(tokens["expiresIn"]!.GetValue<long>() > 0);
        Assert.False(string.IsNullOrEmpty(tokens["refreshToken"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        var me = await client.GetJsonAsync("/api/auth/me");
        Assert.Equal("gridworker", me["userName"]!.GetValue<string>());
        Assert.Equal("赵网格", me["displayName"]!.GetValue<string>());
        var grant = Assert.Single(me["roles"]!.AsArray())!;
        Assert.Equal("gridWorker", grant["role"]!.GetValue<string>());
        Assert.Equal("网格员", grant["roleName"]!.GetValue<string>());
        Assert.Equal(XingfuliGrid1, grant["orgUnitId"]!.GetValue<Guid>());
        Assert.Equal("第一网格", grant["orgUnitName"]!.GetValue<string>());
        Assert.Equal("grid", grant["level"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_residents_token_shows_their_owner_record_and_their_resident_role_on_their_building()
    {
        var me = await (await As("resident")).GetJsonAsync("/api/auth/me");
        Assert.Equal("陈晓燕", me["displayName"]!.GetValue<string>());
        Assert.NotNull(me["ownerId"]);
        var grant = Assert.Single(me["roles"]!.AsArray())!;
        Assert.Equal("resident", grant["role"]!.GetValue<string>());
        Assert.Equal("1号楼", grant["orgUnitName"]!.GetValue<string>());
        Assert.Equal("building", grant["level"]!.GetValue<string>());
        Assert.Equal(Deliberate.Server.Data.DemoData.Ids.Building(Deliberate.Server.Data.DemoData.Ids.Xingfuli, 1),
            grant["orgUnitId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_bad_credentials_answer()
    {
        var client = App.CreateClient();
        var wrong = await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", WrongPassword),
            HttpStatusCode.Unauthorized, "badCredentials");
        var unknown = await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "nobody-at-all", Password),
            HttpStatusCode.Unauthorized, "badCredentials");
        Assert.Equal(wrong["title"]!.GetValue<string>(), unknown["title"]!.GetValue<string>());
        Assert.Equal(wrong["detail"]!.GetValue<string>(), unknown["detail"]!.GetValue<string>());
        Assert.Equal(wrong["type"]!.GetValue<string>(), unknown["type"]!.GetValue<string>());
        Assert.Null(wrong["accessToken"]);
    }

    [Fact]
    public async Task Five_failures_in_a_row_lock_the_account_so_that_even_the_right_password_is_refused_with_a_retry_time()
    {
        var client = App.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
            await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", WrongPassword),
                HttpStatusCode.Unauthorized, "badCredentials");

        var locked = await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", Password), (HttpStatusCode)429, "accountLocked");
        var retryAfter = locked["retryAfterSeconds"]!.GetValue<int>();
        Assert.InRange(retryAfter, 1, 60);
        Assert.Contains(retryAfter.ToString(), locked["detail"]!.GetValue<string>());

        // The cookie sign-in is locked too, and other accounts are not.
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/login", new { username = "resident", password = Password }),
            (HttpStatusCode)429, "accountLocked");
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(client, "owner-xf-2-101", Password)).StatusCode);
    }

    [Fact]
    public async Task Failures_sent_at_the_same_time_all_count_towards_the_lock()
    {
        // A guesser who sends attempts in parallel must not get more than five before the lock.
        var client = App.CreateClient();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Auth.TokenAsync(client, "resident", WrongPassword)));
        Assert.All(attempts, r => Assert.True(r.StatusCode is HttpStatusCode.Unauthorized or (HttpStatusCode)429, $"{(int)r.StatusCode}"));

        await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", Password), (HttpStatusCode)429, "accountLocked");
    }

    [Fact]
    public async Task A_right_password_before_the_fifth_failure_resets_the_count_of_failures()
    {
        var client = App.CreateClient();
        for (var attempt = 1; attempt <= 4; attempt++)
            await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", WrongPassword),
                HttpStatusCode.Unauthorized, "badCredentials");
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(client, "resident", Password)).StatusCode);

        // Had the count not been reset, the first of these would have been the fifth failure and locked the account.
        for (var attempt = 1; attempt <= 4; attempt++)
            await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", WrongPassword),
                HttpStatusCode.Unauthorized, "badCredentials");
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(client, "resident", Password)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_sign_in_sets_an_http_only_session_cookie_that_authenticates_later_requests()
    {
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);

        var login = await browser.PostAsJsonAsync("/api/auth/login", new { username = "resident", password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("resident", (await login.JsonAsync())["userName"]!.GetValue<string>());
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("deliberate.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var me = await browser.GetJsonAsync("/api/auth/me");
        Assert.Equal("陈晓燕", me["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cookie_authenticated_write_without_the_csrf_header_is_refused_and_with_it_goes_through()
    {
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK,
            (await browser.PostAsJsonAsync("/api/auth/login", new { username = "resident", password = Password })).StatusCode);
        var matter = new { title = "楼道灯坏了", description = "三楼的灯不亮", category = "facilities", gridId = XingfuliGrid1 };

        var refused = await browser.PostAsJsonAsync("/api/matters", matter);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden, "csrf");
        Assert.Equal(0, (await browser.GetJsonAsync("/api/matters"))["total"]!.GetValue<int>());

        using var withHeader = new HttpRequestMessage(HttpMethod.Post, "/api/matters") { Content = JsonContent.Create(matter) };
        withHeader.Headers.Add("X-Deliberate-Csrf", "1");
        var accepted = await browser.SendAsync(withHeader);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var list = await browser.GetJsonAsync("/api/matters");
        Assert.Equal(1, list["total"]!.GetValue<int>());
        Assert.Equal("楼道灯坏了", list["items"]![0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Signing_out_ends_the_browser_session()
    {
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK,
            (await browser.PostAsJsonAsync("/api/auth/login", new { username = "resident", password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/auth/me")).StatusCode);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("X-Deliberate-Csrf", "1");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);

        await ProblemAssert.IsProblemAsync(await browser.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_session_cookie_copied_before_signing_out_no_longer_authenticates_after_signing_out()
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var login = await client.PostAsJsonAsync("/api/auth/login", new { username = "resident", password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var session = string.Join("; ", login.Headers.GetValues("Set-Cookie")
            .Where(c => c.StartsWith("deliberate.session", StringComparison.Ordinal)).Select(c => c.Split(';')[0]));
        Assert.NotEmpty(session);

        HttpRequestMessage WithSession(HttpMethod method, string url)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.Add("Cookie", session);
            request.Headers.Add("X-Deliberate-Csrf", "1");
            return request;
        }
        using (var me = WithSession(HttpMethod.Get, "/api/auth/me"))
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(me)).StatusCode);
        using (var logout = WithSession(HttpMethod.Post, "/api/auth/logout"))
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(logout)).StatusCode);

        // Whoever kept a copy of the cookie (a shared computer, a leaked log) must not stay signed in.
        using var replay = WithSession(HttpMethod.Get, "/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(replay)).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_is_traded_for_a_new_access_token_for_the_same_user()
    {
        var client = App.CreateClient();
        var tokens = await (await Auth.TokenAsync(client, "secretary", Password)).JsonAsync();

        var refreshed = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens["refreshToken"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var fresh = await refreshed.JsonAsync();
        Assert.False(string.IsNullOrEmpty(fresh["refreshToken"]!.GetValue<string>()));

        var signedIn = App.CreateClient();
        signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fresh["accessToken"]!.GetValue<string>());
        Assert.Equal("secretary", (await signedIn.GetJsonAsync("/api/auth/me"))["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_garbage_refresh_token_or_an_access_token_in_its_place_is_refused()
    {
        var client = App.CreateClient();
        var tokens = await (await Auth.TokenAsync(client, "secretary", Password)).JsonAsync();

        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-token" }),
            HttpStatusCode.Unauthorized, "badRefreshToken");
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/refresh",
            new { refreshToken = tokens["accessToken"]!.GetValue<string>() }),
            HttpStatusCode.Unauthorized, "badRefreshToken");
    }

    [Fact]
    public async Task A_garbage_bearer_token_does_not_authenticate()
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "garbage");
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }
}

/// <summary>The lock lifts when its time is up (on a fake clock).</summary>
public sealed class LockoutExpiryAuthTests : AppTest
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;

    [Fact]
    public async Task A_locked_account_signs_in_again_once_the_lock_has_expired()
    {
        var client = App.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
            await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", "Wrong#2026"),
                HttpStatusCode.Unauthorized, "badCredentials");
        var locked = await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", DeliberateApp.Password),
            (HttpStatusCode)429, "accountLocked");

        clock.Advance(TimeSpan.FromSeconds(locked["retryAfterSeconds"]!.GetValue<int>() - 5));
        var stillLocked = await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", DeliberateApp.Password),
            (HttpStatusCode)429, "accountLocked");
        Assert.InRange(stillLocked["retryAfterSeconds"]!.GetValue<int>(), 1, 5);

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(client, "resident", DeliberateApp.Password)).StatusCode);
    }

    [Fact]
    public async Task A_failure_right_after_a_lock_expires_locks_the_account_again_for_twice_as_long()
    {
        var client = App.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
            await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", "Wrong#2026"),
                HttpStatusCode.Unauthorized, "badCredentials");
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", "Wrong#2026"), HttpStatusCode.Unauthorized, "badCredentials");
        var locked = await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", DeliberateApp.Password),
            (HttpStatusCode)429, "accountLocked");
        Assert.InRange(locked["retryAfterSeconds"]!.GetValue<int>(), 61, 120);
    }

    [Fact]
    public async Task An_address_that_fails_on_many_names_is_held_even_for_a_right_password_until_its_failures_age()
    {
        // Password spraying: one wrong password each on many names never trips a name's own lockout.
        var client = App.CreateClient();
        for (var i = 1; i < SignInFailures.SprayNames; i++)
            await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, $"owner-guess-{i}", "Password123!"),
                HttpStatusCode.Unauthorized, "badCredentials");
        // Below the threshold (an estate behind one NAT, a few typos): everyone with the right password signs in.
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(client, "resident", DeliberateApp.Password)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(1));
        await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "owner-guess-last", "Password123!"),
            HttpStatusCode.Unauthorized, "badCredentials");
        var held = await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", DeliberateApp.Password),
            (HttpStatusCode)429, "accountLocked");
        Assert.Contains("网络", held["detail"]!.GetValue<string>());
        Assert.InRange(held["retryAfterSeconds"]!.GetValue<int>(), 1, 14 * 60);

        // Once the first failures are older than the window, the address may sign in again.
        clock.Advance(TimeSpan.FromSeconds(held["retryAfterSeconds"]!.GetValue<int>() + 1));
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(client, "resident", DeliberateApp.Password)).StatusCode);
    }

    [Fact]
    public async Task An_access_token_expires_after_an_hour_and_the_refresh_token_brings_a_new_one_until_it_expires_itself()
    {
        var client = App.CreateClient();
        var tokens = await (await Auth.TokenAsync(client, "resident", DeliberateApp.Password)).JsonAsync();
        var signedIn = App.CreateClient();
        signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/auth/me")).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(61));
        await ProblemAssert.IsProblemAsync(await signedIn.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        var refreshed = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens["refreshToken"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await refreshed.JsonAsync())["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/auth/me")).StatusCode);

        clock.Advance(TimeSpan.FromDays(15));
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/refresh",
            new { refreshToken = tokens["refreshToken"]!.GetValue<string>() }),
            HttpStatusCode.Unauthorized, "badRefreshToken");
    }
}

/// <summary>With demo mode off, the demo accounts (already in the database) cannot sign in.</summary>
public sealed class DemoModeOffAuthTests : AppTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Demo:Enabled"] = "false" };

    [Theory]
    [InlineData("resident")]
    [InlineData("admin")]
    public async Task A_demo_account_is_refused_a_token_when_demo_mode_is_off(string userName)
    {
        var response = await Auth.TokenAsync(App.CreateClient(), userName, DeliberateApp.Password);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "demoAccountDisabled");
    }

    [Fact]
    public async Task A_demo_account_is_refused_a_browser_session_when_demo_mode_is_off()
    {
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var login = await browser.PostAsJsonAsync("/api/auth/login", new { username = "secretary", password = DeliberateApp.Password });
        await ProblemAssert.IsProblemAsync(login, HttpStatusCode.Forbidden, "demoAccountDisabled");
        Assert.False(login.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.Any(c => c.StartsWith("deliberate.session=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
    }
}

/// <summary>The per-address limit on sign-in attempts.</summary>
public sealed class SignInRateLimitAuthTests : AppTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:SignInPerMinute"] = "3" };

    [Fact]
    public async Task The_fourth_sign_in_within_a_minute_is_refused_as_rate_limited()
    {
        var client = App.CreateClient();
        for (var attempt = 1; attempt <= 3; attempt++)
            Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(client, "resident", DeliberateApp.Password)).StatusCode);

        await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(client, "resident", DeliberateApp.Password), (HttpStatusCode)429, "rateLimited");
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/login",
            new { username = "secretary", password = DeliberateApp.Password }),
            (HttpStatusCode)429, "rateLimited");
    }

    [Fact]
    public async Task The_sign_in_limit_does_not_apply_to_other_requests()
    {
        var client = App.CreateClient();
        var tokens = await (await Auth.TokenAsync(client, "resident", DeliberateApp.Password)).JsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        for (var request = 1; request <= 6; request++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
    }
}

static class Auth
{
    public static Task<HttpResponseMessage> TokenAsync(HttpClient client, string username, string password) =>
        client.PostAsJsonAsync("/api/auth/token", new { username, password });
}
