using System.Security.Claims;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Deliberate.Server.Identity;

/// <summary>
/// <c>Oidc:*</c>: staff sign in through the city's identity provider (OpenID Connect, authorization code flow with PKCE).
/// Off unless <see cref="Authority"/> and <see cref="ClientId"/> are set.
/// </summary>
public sealed class OidcOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>Scopes asked for besides <c>openid</c>, separated by spaces.</summary>
    public string Scopes { get; set; } = "profile";
    /// <summary>The claim whose value is the Deliberate user name of the account (matched exactly, after trimming).</summary>
    public string AccountClaim { get; set; } = "preferred_username";
    /// <summary>Ask the provider's userinfo endpoint for claims the ID token lacks.</summary>
    public bool UseUserInfo { get; set; }
    /// <summary>Only a test or a provider on the same host may be reached over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>
/// OpenID Connect sign-in for staff. The provider says who the person is; Deliberate decides whether they may sign in:
/// the configured claim must name an existing, active staff account (sign-in never creates one). The person then gets
/// the same server-side session as after a password sign-in (session row, security stamp, revocation), in the same
/// cookie. Local passwords keep working beside it.
/// </summary>
public static class OidcSignIn
{
    public const string Scheme = "oidc";
    public const string CallbackPath = "/api/auth/oidc/callback";
    /// <summary>Where a refused sign-in lands: the sign-in page explains the code.</summary>
    const string RefusedPage = "/login?oidcError=";

    public static void AddDeliberateOidc(this AuthenticationBuilder auth, IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Oidc").Get<OidcOptions>() ?? new OidcOptions();
        services.AddSingleton(Options.Create(options));
        if (!options.Enabled) return;
        auth.AddOpenIdConnect(Scheme, "统一身份认证", o =>
        {
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = string.IsNullOrWhiteSpace(options.ClientSecret) ? null : options.ClientSecret;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The answer comes back as a top-level GET, so the correlation and nonce cookies can be SameSite=Lax;
            // form_post would be a cross-site POST, which only SameSite=None cookies survive.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.CallbackPath = CallbackPath;
            o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.SaveTokens = false; // the provider's tokens are not needed after sign-in and stay out of the cookie
            o.MapInboundClaims = false; // claim names as the provider sends them, as Oidc:AccountClaim names them
            o.GetClaimsFromUserInfoEndpoint = options.UseUserInfo;
            o.ClaimActions.MapUniqueJsonKey(options.AccountClaim, options.AccountClaim);
            o.Scope.Clear();
            o.Scope.Add(OpenIdConnectScope.OpenId);
            foreach (var scope in options.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
            o.Events.OnTicketReceived = TicketReceived;
            o.Events.OnRemoteFailure = RemoteFailure;
        });
    }

    public static void MapOidcApi(this RouteGroupBuilder auth) =>
        auth.MapGet("/oidc/login", Login).RequireRateLimiting(AuthApi.SignInRateLimit).AllowAnonymous()
            .WithSummary("Browser sign-in through the identity provider (when Oidc is configured): redirects there and back.")
            .Problems(ProblemCodes.NotFound);

    static Results<ChallengeHttpResult, ProblemHttpResult> Login(string? returnUrl, IOptions<OidcOptions> options)
    {
        if (!options.Value.Enabled)
            return Problems.Of(404, "oidcNotConfigured", "本服务器未配置统一身份认证。", "This server has no identity provider configured.");
        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalPath(returnUrl) }, [Scheme]);
    }

    /// <summary>Only a path on this site: a link that sends people elsewhere after sign-in would serve phishing.</summary>
    static string LocalPath(string? url) =>
        url is ['/', ..] && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            && !url.Any(char.IsControl)
            ? url : "/";

    /// <summary>
    /// The provider has vouched for the person (state, PKCE verifier, nonce and ID token signature all checked by the
    /// handler). Replaces its principal with a Deliberate session, or refuses.
    /// </summary>
    static async Task TicketReceived(TicketReceivedContext context)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value;
        var db = http.RequestServices.GetRequiredService<DeliberateDbContext>();
        var demo = http.RequestServices.GetRequiredService<IOptions<DemoOptions>>().Value;
        var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn));
        var ct = http.RequestAborted;

        var value = context.Principal?.FindFirstValue(options.AccountClaim)?.Trim();
        var user = string.IsNullOrEmpty(value) ? null
            : await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.UserName == value, ct);
        var refusal = user is null ? "unknownAccount"
            : !user.IsActive ? "accountDeactivated"
            : user.IsDemo && !demo.Enabled ? "demoAccountDisabled"
            // Residents sign in with their phone and password; the provider is for staff.
            : !user.Roles.Any(r => r.Role != Role.Resident) ? "notStaff"
            : null;
        if (refusal is not null)
        {
            log.LogWarning("Identity provider sign-in refused ({Refusal}): {Claim}={Value}, subject {Subject}.", refusal,
                options.AccountClaim, value, context.Principal?.FindFirstValue("sub"));
            context.Response.Redirect(RefusedPage + refusal);
            context.HandleResponse();
            return;
        }
        context.Principal = await AuthApi.StartSessionAsync(db, user!, "oidc", http.RequestServices.GetRequiredService<TimeProvider>(), ct);
    }

    /// <summary>A tampered or replayed answer, an error from the provider, a provider that cannot be reached: nobody is signed in.</summary>
    static Task RemoteFailure(RemoteFailureContext context)
    {
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn))
            .LogWarning(context.Failure, "Identity provider sign-in failed.");
        context.Response.Redirect(RefusedPage + "failed");
        context.HandleResponse();
        return Task.CompletedTask;
    }
}
