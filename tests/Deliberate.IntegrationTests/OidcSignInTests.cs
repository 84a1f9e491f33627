using System.Net;
using System.Web;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Staff sign in through the city's identity provider: a real OpenID Connect server (OpenIddict) on a loopback port, the
/// browser's redirects driven by hand with a cookie-keeping client, as a browser would follow them.
/// </summary>
public sealed class OidcSignInTests : AppTest, IDisposable
{
    readonly TestIdentityProvider provider = TestIdentityProvider.StartAsync().GetAwaiter().GetResult();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Oidc:Authority"] = provider.Authority,
        ["Oidc:ClientId"] = TestIdentityProvider.ClientId,
        ["Oidc:ClientSecret"] = TestIdentityProvider.ClientSecret,
        ["Oidc:RequireHttpsMetadata"] = "false",
    };

    public void Dispose() => provider.DisposeAsync().AsTask().GetAwaiter().GetResult();

    HttpClient Browser() => App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    static readonly HttpClient ToProvider = new(new HttpClientHandler { AllowAutoRedirect = false });

    /// <summary>Starts at Deliberate, goes to the provider and returns the provider's answer (the callback URL) unvisited.</summary>
    async Task<Uri> AskProviderAsync(HttpClient browser, string? userName, string returnUrl = "/console/matters")
    {
        provider.NextUserName = userName;
        var start = await browser.GetAsync($"/api/auth/oidc/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(provider.Authority + "connect/authorize", authorize.ToString());
        var answer = await ToProvider.GetAsync(authorize);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        var callback = answer.Headers.Location!;
        Assert.StartsWith(TestIdentityProvider.RedirectUri + "?", callback.ToString());
        return callback;
    }

    async Task<HttpResponseMessage> SignInThroughProviderAsync(HttpClient browser, string? userName, string returnUrl = "/console/matters") =>
        await browser.GetAsync((await AskProviderAsync(browser, userName, returnUrl)).PathAndQuery);

    [Fact]
    public async Task StaffMemberSignsInThroughTheProviderAndLandsSignedInAsTheirAccount()
    {
        var options = await App.CreateClient().GetJsonAsync("/api/auth/options");
        Assert.True(options["oidc"]!.GetValue<bool>());

        var browser = Browser();
        provider.NextUserName = "gridworker";
        var start = await browser.GetAsync("/api/auth/oidc/login?returnUrl=%2Fconsole%2Fmatters");
        var query = HttpUtility.ParseQueryString(start.Headers.Location!.Query);
        // Authorization code flow with PKCE (S256), a state and a nonce.
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        Assert.Contains("openid", query["scope"]!.Split(' '));

        var answer = await ToProvider.GetAsync(start.Headers.Location);
        var landed = await browser.GetAsync(answer.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        Assert.Equal("/console/matters", landed.Headers.Location!.OriginalString);

        var me = await browser.GetJsonAsync("/api/auth/me");
        Assert.Equal("gridworker", me["userName"]!.GetValue<string>());
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var userId = Guid.Parse(me["id"]!.GetValue<string>());
        Assert.Equal(1, await db.UserSessions.CountAsync(s => s.UserId == userId && s.Kind == "oidc" && s.RevokedAt == null));
    }

    [Fact]
    public async Task TheProvidersAnswerWorksOnceAndOnlyInTheBrowserThatAskedForIt()
    {
        var browser = Browser();
        var callback = await AskProviderAsync(browser, "gridworker");

        // Another browser handed the same answer (login CSRF, a leaked link): no correlation cookie, refused.
        var stranger = await Browser().GetAsync(callback.PathAndQuery);
        Assert.Equal("/login?oidcError=failed", stranger.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callback.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/auth/me")).StatusCode);
        // Replayed in the browser that used it: its correlation cookie is gone.
        var replay = await Browser().GetAsync(callback.PathAndQuery);
        Assert.Equal("/login?oidcError=failed", replay.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ATamperedStateIsRefusedAndNobodyIsSignedIn()
    {
        var browser = Browser();
        var callback = await AskProviderAsync(browser, "gridworker");
        var query = HttpUtility.ParseQueryString(callback.Query);
        var state = query["state"]!;
        query["state"] = state[..^4] + (state[^4..] == "AAAA" ? "BBBB" : "AAAA");

        var refused = await browser.GetAsync($"{callback.AbsolutePath}?{query}");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/login?oidcError=failed", refused.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task ASubjectWithNoAccountHereIsRefusedAndNoAccountIsCreated()
    {
        int users;
        await using (var scope = App.Services.CreateAsyncScope())
            users = await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Users.CountAsync();
        var browser = Browser();

        var refused = await SignInThroughProviderAsync(browser, "zhang.san@city.gov.cn");

        Assert.Equal("/login?oidcError=unknownAccount", refused.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
        await using (var scope = App.Services.CreateAsyncScope())
            Assert.Equal(users, await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Users.CountAsync());
    }

    [Fact]
    public async Task AnAnswerWithoutTheAccountClaimIsRefused()
    {
        var browser = Browser();
        var refused = await SignInThroughProviderAsync(browser, null);
        Assert.Equal("/login?oidcError=unknownAccount", refused.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task ADeactivatedAccountIsRefused()
    {
        var admin = await As("admin");
        var gridWorker = await (await As("gridworker")).GetJsonAsync("/api/auth/me");
        (await admin.PostAsync($"/api/users/{gridWorker["id"]}/deactivate", null)).EnsureSuccessStatusCode();

        var browser = Browser();
        var refused = await SignInThroughProviderAsync(browser, "gridworker");
        Assert.Equal("/login?oidcError=accountDeactivated", refused.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task AResidentAccountCannotSignInThroughTheStaffProvider()
    {
        var refused = await SignInThroughProviderAsync(Browser(), "resident");
        Assert.Equal("/login?oidcError=notStaff", refused.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnOidcSessionEndsOnSignOutAndWhenTheAccountIsDeactivated()
    {
        var browser = Browser();
        await SignInThroughProviderAsync(browser, "gridworker");
        var id = (await browser.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();
        var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("X-Deliberate-Csrf", "1");
        (await browser.SendAsync(logout)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/auth/me")).StatusCode);

        var again = Browser();
        await SignInThroughProviderAsync(again, "gridworker");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/auth/me")).StatusCode);
        (await (await As("admin")).PostAsync($"/api/users/{id}/deactivate", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task AReturnAddressOffThisSiteIsReplacedByTheHomePage()
    {
        var landed = await SignInThroughProviderAsync(Browser(), "gridworker", "https://evil.example/phish");
        Assert.Equal("/", landed.Headers.Location!.OriginalString);
        landed = await SignInThroughProviderAsync(Browser(), "gridworker", "//evil.example/phish");
        Assert.Equal("/", landed.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LocalPasswordsStillWorkBesideTheProvider()
    {
        var me = await (await As("gridworker")).GetJsonAsync("/api/auth/me");
        Assert.Equal("gridworker", me["userName"]!.GetValue<string>());
    }
}

/// <summary>A server without an identity provider configured says so and offers no way there.</summary>
public sealed class OidcNotConfiguredTests : AppTest
{
    [Fact]
    public async Task WithoutConfigurationTheSignInPageOffersNoProviderAndTheLinkAnswers404()
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.False((await client.GetJsonAsync("/api/auth/options"))["oidc"]!.GetValue<bool>());
        var response = await client.GetAsync("/api/auth/oidc/login?returnUrl=%2F");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("oidcNotConfigured", (await response.JsonAsync())["code"]!.GetValue<string>());
    }
}
