using System.Security.Claims;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deliberate.Server.Identity;

public sealed record SignInRequest(string? Username, string? Password);
public sealed record RefreshRequest(string? RefreshToken);
public sealed record MeResponse(Guid Id, string UserName, string DisplayName, Guid? OwnerId, IReadOnlyList<GrantView> Roles);
public sealed record GrantView(string Role, string RoleName, Guid OrgUnitId, string OrgUnitName, string Level);

public static class AuthApi
{
    public const string SignInRateLimit = "sign-in";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");

        group.MapPost("/token", IssueToken).RequireRateLimiting(SignInRateLimit).AllowAnonymous()
            .WithSummary("Sign in for API clients: returns a bearer access token.");
        group.MapPost("/refresh", Refresh).RequireRateLimiting(SignInRateLimit).AllowAnonymous()
            .WithSummary("Trade a refresh token for a new access token.");
        group.MapPost("/login", CookieSignIn).RequireRateLimiting(SignInRateLimit).AllowAnonymous()
            .WithSummary("Sign in for the browser: sets the session cookie.");
        group.MapPost("/logout", SignOut).AllowAnonymous()
            .WithSummary("Sign out: ends this session on the server (cookie or bearer token and its refresh token).");
        group.MapGet("/me", Me).RequireAuthorization().WithSummary("Who is signed in, with their roles.");
        return group;
    }

    static async Task<Results<EmptyHttpResult, ProblemHttpResult, ValidationProblem>> IssueToken(SignInRequest request, HttpContext http, DeliberateDbContext db,
        IPasswordHasher<User> hasher, IOptions<DemoOptions> demo, TimeProvider clock)
    {
        var (principal, problem, invalid) = await CheckCredentials(request, "bearer", db, hasher, demo.Value, clock, http.RequestAborted);
        if (invalid is not null) return invalid;
        if (problem is not null) return problem;
        await http.SignInAsync(BearerTokenDefaults.AuthenticationScheme, principal!);
        return TypedResults.Empty; // the bearer handler has written { tokenType, accessToken, expiresIn, refreshToken }
    }

    static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Refresh(RefreshRequest request, HttpContext http,
        IOptionsMonitor<BearerTokenOptions> options, DeliberateDbContext db, TimeProvider clock)
    {
        var protector = options.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector;
        var ticket = string.IsNullOrEmpty(request.RefreshToken) ? null : protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires < clock.GetUtcNow()
            || !Guid.TryParse(ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(ticket.Principal.FindFirstValue(SessionClaim), out var sessionId)
            || !await db.UserSessions.AnyAsync(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null))
            return Problems.Of(401, "badRefreshToken", "刷新令牌无效或已过期，请重新登录。", "The refresh token is invalid or expired; please sign in again.");
        await http.SignInAsync(BearerTokenDefaults.AuthenticationScheme, ticket.Principal);
        return TypedResults.Empty;
    }

    static async Task<Results<Ok<MeResponse>, ProblemHttpResult, ValidationProblem>> CookieSignIn(SignInRequest request, HttpContext http, DeliberateDbContext db,
        IPasswordHasher<User> hasher, IOptions<DemoOptions> demo, TimeProvider clock)
    {
        var (principal, problem, invalid) = await CheckCredentials(request, "cookie", db, hasher, demo.Value, clock, http.RequestAborted);
        if (invalid is not null) return invalid;
        if (problem is not null) return problem;
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal!);
        http.User = principal!;
        var caller = await Caller.LoadAsync(http);
        return TypedResults.Ok(ToMe(caller!));
    }

    static Ok<MeResponse> Me(Caller caller) => TypedResults.Ok(ToMe(caller));

    static async Task<NoContent> SignOut(HttpContext http, DeliberateDbContext db, TimeProvider clock)
    {
        if (Guid.TryParse(http.User.FindFirstValue(SessionClaim), out var sessionId))
        {
            var now = clock.GetUtcNow();
            await db.UserSessions.Where(s => s.Id == sessionId && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), http.RequestAborted);
            Caller.Sessions.Forget(sessionId);
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>The claim naming the session, checked on every request (see <see cref="Caller"/>).</summary>
    public const string SessionClaim = "sid";

    static MeResponse ToMe(Caller caller) => new(caller.Id, caller.UserName, caller.DisplayName, caller.OwnerId,
        caller.Grants.Select(g => new GrantView(g.Role.Name(), Problems.L(Roles.DisplayNames[g.Role].Zh, Roles.DisplayNames[g.Role].En),
            g.OrgUnitId, g.OrgUnitName, g.Level.ToString().ToLowerInvariant())).ToList());

    /// <summary>
    /// Checks a user name and password. Failures count against the account (locked after five in a row)
    /// and say the same thing whether the user exists or not.
    /// </summary>
    static async Task<(ClaimsPrincipal? Principal, ProblemHttpResult? Problem, ValidationProblem? Invalid)> CheckCredentials(SignInRequest request,
        string sessionKind, DeliberateDbContext db,
        IPasswordHasher<User> hasher, DemoOptions demo, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("username", request.Username, "用户名", "Username");
        errors.Required("password", request.Password, "密码", "Password");
        if (errors.Any) return (null, null, errors.ToProblem());

        var now = clock.GetUtcNow();
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == request.Username!.Trim(), ct);
        var wrong = Problems.Of(401, "badCredentials", "用户名或密码不正确。", "The username or password is wrong.");
        if (user is null) return (null, wrong, null);
        if (user.IsLocked(now))
        {
            var seconds = (int)Math.Ceiling((user.LockedUntil!.Value - now).TotalSeconds);
            return (null, Problems.Of(429, "accountLocked", $"连续登录失败次数过多，请 {seconds} 秒后再试。",
                $"Too many failed sign-ins; try again in {seconds} seconds.", new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds }), null);
        }
        if (user.IsDemo && !demo.Enabled)
            return (null, Problems.Of(403, "demoAccountDisabled", "演示账号只能在演示模式下登录。", "Demo accounts can sign in only in demo mode."), null);

        var users = db.Users.Where(u => u.Id == user.Id);
        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password!);
        if (verdict == PasswordVerificationResult.Failed)
        {
            // Counted in one UPDATE, so that attempts sent at the same moment all count.
            await users.ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1), ct);
            var failures = await users.Select(u => u.FailedSignIns).FirstAsync(ct);
            if (User.LockoutAfter(failures) is { } lockout)
                await users.ExecuteUpdateAsync(s => s.SetProperty(u => u.LockedUntil, now + lockout), ct);
            return (null, wrong, null);
        }
        await users.ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), ct);
        var session = new UserSession(Guid.CreateVersion7(now), user.Id, sessionKind, now);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(ClaimTypes.Name, user.UserName), new Claim(SessionClaim, session.Id.ToString())],
            authenticationType: "password");
        return (new ClaimsPrincipal(identity), null, null);
    }
}

/// <summary>Demo mode: demo data on a new database, and the demo accounts may sign in.</summary>
public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    public const string Password = "Demo#2026";
}
