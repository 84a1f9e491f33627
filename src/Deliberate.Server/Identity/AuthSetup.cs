using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Deliberate.Server.Identity;

/// <summary>
/// Cookie sessions for the browser and bearer tokens for API clients, chosen per request by the
/// Authorization header. Keys live in the database so every node reads every cookie and token, encrypted with a
/// certificate kept outside it (<see cref="KeyCertificate"/>).
/// </summary>
public static class AuthSetup
{
    public const string Scheme = "cookie-or-bearer";
    /// <summary>Cookie-authenticated writes must carry this header: a cross-site form cannot set it.</summary>
    public const string CsrfHeader = "X-Deliberate-Csrf";

    public static void AddDeliberateAuth(this IServiceCollection services, IConfiguration config, DatabaseSettings database, bool demo)
    {
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "deliberate.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request was HTTPS — behind a TLS proxy too, as its X-Forwarded-Proto says (ClientAddress.cs).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // An API answers 401/403, it does not redirect to a login page.
                o.Events.OnRedirectToLogin = context =>
                    { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = context =>
                    { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            })
            .AddBearerToken(o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(1);
                o.RefreshTokenExpiration = TimeSpan.FromDays(14);
            })
            .AddDeliberateOidc(services, config);
        services.AddAuthorization();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<SessionCache>();
        var keys = services.AddDataProtection().SetApplicationName("Deliberate").PersistKeysToDbContext<DeliberateDbContext>();
        var certificate = KeyCertificate.Load(config, database, demo, out var source);
        if (certificate is not null) keys.ProtectKeysWithCertificate(certificate);
        services.AddSingleton(new KeyProtection(certificate is not null, source));
    }

    /// <summary>
    /// A cookie or token whose session was ended (signed out) or whose user is gone counts as no
    /// sign-in at all, on every endpoint; a stale cookie is also deleted.
    /// </summary>
    public static IApplicationBuilder UseSessionCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity?.IsAuthenticated == true && await Caller.LoadAsync(http) is not { } caller)
        {
            if (http.Request.Cookies.ContainsKey("deliberate.session"))
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        }
        else if (http.User.Identity?.IsAuthenticated == true && (await Caller.LoadAsync(http))!.MustChangePassword
            && http.Request.Path.StartsWithSegments("/api") && !AllowedBeforePasswordChange.Contains(http.Request.Path.Value!.TrimEnd('/')))
        {
            // A one-time password from an administrator has been seen by someone else: nothing else until it is replaced.
            await Problems.Forbidden("passwordChangeRequired", "请先修改管理员给您的一次性密码，然后才能继续使用。",
                "Change the one-time password your administrator gave you before doing anything else.").ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    /// <summary>What a user whose password must be changed may still call: change it, see who they are, sign out.</summary>
    static readonly HashSet<string> AllowedBeforePasswordChange =
        new(["/api/auth/password", "/api/auth/me", "/api/auth/logout"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Refuses cookie-authenticated writes that lack <see cref="CsrfHeader"/>. Bearer clients are not
    /// exposed to CSRF (the browser never adds their token) and pass untouched.
    /// </summary>
    public static IApplicationBuilder UseCsrfHeaderCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        var unsafeMethod = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        var cookieSession = request.Cookies.ContainsKey("deliberate.session")
            && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        if (unsafeMethod && cookieSession && request.Path.StartsWithSegments("/api") && !request.Headers.ContainsKey(CsrfHeader))
        {
            await Problems.Forbidden("csrf", $"浏览器会话的写操作须带请求头 {CsrfHeader}。", $"Writes in a browser session must carry the {CsrfHeader} header.")
                .ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}
