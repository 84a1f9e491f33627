using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) on a loopback port, standing in for the city's identity platform:
/// authorization code flow with PKCE, one registered client (id, secret, redirect URI), signed ID tokens. It has no login
/// page: whoever asks is the person the test put in <see cref="NextUserName"/>.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "deliberate";
    public const string ClientSecret = "city-platform-secret";
    public const string RedirectUri = "http://localhost/api/auth/oidc/callback";

    readonly WebApplication app;
    public string Authority { get; }
    /// <summary>The preferred_username the next sign-in vouches for (null: the claim is left out).</summary>
    public string? NextUserName { get; set; }

    TestIdentityProvider(WebApplication app, string authority)
    {
        this.app = app;
        Authority = authority;
    }

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.OpenId, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            // No database: the client is checked here instead of by OpenIddict's stores.
            o.EnableDegradedMode();
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            o.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId) context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (context.RedirectUri != RedirectUri) context.Reject(Errors.InvalidRequest, "Unregistered redirect_uri.");
                return default;
            }));
            o.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                    context.Reject(Errors.InvalidClient, "Bad client credentials.");
                return default;
            }));
        });
        var app = builder.Build();
        app.UseAuthentication();
        TestIdentityProvider? provider = null;
        app.MapGet("/connect/authorize", (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, "city-" + (provider!.NextUserName ?? "nobody")));
            if (provider.NextUserName is { } name) identity.AddClaim(new Claim(Claims.PreferredUsername, name));
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await app.StartAsync();
        provider = new TestIdentityProvider(app, app.Urls.First().TrimEnd('/') + "/");
        return provider;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
