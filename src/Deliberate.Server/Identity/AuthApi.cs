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
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
/// <summary>
/// For the sign-in page: whether demo mode is on, and then the demo accounts' password; whether staff may sign in through
/// the identity provider (GET /api/auth/oidc/login).
/// </summary>
public sealed record AuthOptionsResponse(bool Demo, string? DemoPassword, bool Oidc = false);
public sealed record MeResponse(Guid Id, string UserName, string DisplayName, Guid? OwnerId, IReadOnlyList<GrantView> Roles,
    bool MustChangePassword = false);
public sealed record GrantView(string Role, string RoleName, Guid OrgUnitId, string OrgUnitName, string Level);

public static class AuthApi
{
    public const string SignInRateLimit = "sign-in";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");

        group.MapPost("/token", IssueToken).RequireRateLimiting(SignInRateLimit).AllowAnonymous()
            .WithSummary("Sign in for API clients: returns a bearer access token.")
            .Problems(ProblemCodes.Validation, ProblemCodes.BadCredentials, ProblemCodes.BadReceipt, ProblemCodes.DemoAccountDisabled,
                ProblemCodes.AlreadyVoted, ProblemCodes.BallotNotOpen, ProblemCodes.ReceiptNeeded, ProblemCodes.RevoteUnavailable,
                ProblemCodes.AccountLocked);
        group.MapPost("/refresh", Refresh).RequireRateLimiting(SignInRateLimit).AllowAnonymous()
            .WithSummary("Trade a refresh token for a new access token.")
            .Problems(ProblemCodes.BadRefreshToken);
        group.MapPost("/login", CookieSignIn).RequireRateLimiting(SignInRateLimit).AllowAnonymous()
            .WithSummary("Sign in for the browser: sets the session cookie.")
            .Problems(ProblemCodes.Validation, ProblemCodes.BadCredentials, ProblemCodes.BadReceipt, ProblemCodes.DemoAccountDisabled,
                ProblemCodes.AlreadyVoted, ProblemCodes.BallotNotOpen, ProblemCodes.ReceiptNeeded, ProblemCodes.RevoteUnavailable,
                ProblemCodes.AccountLocked);
        group.MapPost("/logout", SignOut).AllowAnonymous()
            .WithSummary("Sign out: ends this session on the server (cookie or bearer token and its refresh token).");
        group.MapGet("/me", Me).RequireAuthorization().WithSummary("Who is signed in, with their roles.");
        group.MapPost("/password", ChangePassword).RequireRateLimiting(SignInRateLimit).RequireAuthorization()
            .WithSummary("Change your password: ends every session of yours, this one included.")
            .Problems(ProblemCodes.Validation, ProblemCodes.BadCurrentPassword, ProblemCodes.BadReceipt, ProblemCodes.AlreadyVoted,
                ProblemCodes.BallotNotOpen, ProblemCodes.ReceiptNeeded, ProblemCodes.RevoteUnavailable, ProblemCodes.AccountLocked);
        group.MapGet("/options", Options).AllowAnonymous()
            .WithSummary("For the sign-in page: whether demo mode is on (and then the demo password), and whether the identity provider is.");
        group.MapOidcApi();
        return group;
    }

    static async Task<Results<EmptyHttpResult, ProblemHttpResult, ValidationProblem>> IssueToken(SignInRequest request,
        HttpContext http, DeliberateDbContext db,
        IPasswordHasher<User> hasher, IOptions<DemoOptions> demo, TimeProvider clock)
    {
        var (principal, problem, invalid) = await CheckCredentials(request, "bearer", http, db, hasher, demo.Value, clock, http.RequestAborted);
        if (invalid is not null) return invalid;
        if (problem is not null) return problem;
        await http.SignInAsync(BearerTokenDefaults.AuthenticationScheme, principal!);
        return TypedResults.Empty; // the bearer handler has written { tokenType, accessToken, expiresIn, refreshToken }
    }

    /// <summary>
    /// Trades a refresh token for a new pair. Each refresh token works once: the session remembers the one that
    /// may still be traded, and a token that was already used revokes the whole session — every access and
    /// refresh token descended from that sign-in — since either its owner or a thief now holds a copy.
    /// </summary>
    static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Refresh(RefreshRequest request, HttpContext http,
        IOptionsMonitor<BearerTokenOptions> options, DeliberateDbContext db, IOptions<DemoOptions> demo, TimeProvider clock)
    {
        var bad = Problems.Of(401, "badRefreshToken", "刷新令牌无效或已过期，请重新登录。", "The refresh token is invalid or expired; please sign in again.");
        var protector = options.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector;
        var ticket = string.IsNullOrEmpty(request.RefreshToken) ? null : protector.Unprotect(request.RefreshToken);
        var now = clock.GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires < now
            || !Guid.TryParse(ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(ticket.Principal.FindFirstValue(SessionClaim), out var sessionId)
            || !Guid.TryParse(ticket.Principal.FindFirstValue(RefreshClaim), out var refreshId)
            || ticket.Principal.FindFirstValue(StampClaim) is not { } stamp)
            return bad;
        var demoOn = demo.Value.Enabled;
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.SecurityStamp == stamp && u.DeactivatedAt == null && (demoOn || !u.IsDemo),
            http.RequestAborted))
            return bad;

        var next = Guid.NewGuid();
        var open = db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null);
        // One UPDATE decides: of two uses of the same token, only one finds it still current.
        if (await open.Where(s => s.RefreshTokenId == refreshId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RefreshTokenId, next), http.RequestAborted) == 0)
        {
            if (await open.ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), http.RequestAborted) > 0)
                Caller.Sessions(http).Forget(sessionId); // reuse: the whole family ends
            return bad;
        }
        var identity = new ClaimsIdentity(ticket.Principal.Claims.Where(c => c.Type != RefreshClaim), ticket.Principal.Identity?.AuthenticationType);
        identity.AddClaim(new Claim(RefreshClaim, next.ToString()));
        await http.SignInAsync(BearerTokenDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Empty;
    }

    static async Task<Results<Ok<MeResponse>, ProblemHttpResult, ValidationProblem>> CookieSignIn(SignInRequest request,
        HttpContext http, DeliberateDbContext db,
        IPasswordHasher<User> hasher, IOptions<DemoOptions> demo, TimeProvider clock)
    {
        var (principal, problem, invalid) = await CheckCredentials(request, "cookie", http, db, hasher, demo.Value, clock, http.RequestAborted);
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
            Caller.Sessions(http).Forget(sessionId);
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>The claim naming the session, checked on every request (see <see cref="Caller"/>).</summary>
    public const string SessionClaim = "sid";
    /// <summary>The user's security stamp when the session began: a different stamp now ends the session.</summary>
    public const string StampClaim = "stamp";
    /// <summary>Bearer sessions: which refresh token this is (each works once).</summary>
    public const string RefreshClaim = "rt";

    static MeResponse ToMe(Caller caller) => new(caller.Id, caller.UserName, caller.DisplayName, caller.OwnerId,
        caller.Grants.Select(g => new GrantView(g.Role.Name(), Text.L(Roles.DisplayNames[g.Role].Zh, Roles.DisplayNames[g.Role].En),
            g.OrgUnitId, g.OrgUnitName, g.Level.ToString().ToLowerInvariant())).ToList(), caller.MustChangePassword);

    /// <summary>
    /// Checks a user name and password. Failures count against the pair (name as typed, client address): five in a
    /// row lock that pair for a minute, doubling up to 15 minutes, so a stranger guessing from elsewhere never locks
    /// the real user out. An unknown name is checked against a dummy hash and counted and locked like a real one:
    /// the answers and their time say nothing about which accounts exist.
    /// </summary>
    static async Task<(ClaimsPrincipal? Principal, ProblemHttpResult? Problem, ValidationProblem? Invalid)> CheckCredentials(SignInRequest request,
        string sessionKind, HttpContext http, DeliberateDbContext db,
        IPasswordHasher<User> hasher, DemoOptions demo, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("username", request.Username, "用户名", "Username");
        errors.Required("password", request.Password, "密码", "Password");
        if (errors.Any) return (null, null, errors.ToProblem());

        var now = clock.GetUtcNow();
        var name = SignInFailures.Key(request.Username!);
        var address = ClientAddress.Of(http);
        if (await SignInFailures.LockedForAsync(db, name, address, now, ct) is { } locked)
            return (null, Locked(locked), null);
        if (await SignInFailures.AddressHeldForAsync(db, address, now, ct) is { } held)
            return (null, Locked(held, wholeAddress: true), null);

        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == name, ct);
        // An unknown name costs the same hash as a real one, and then fails whatever the check said.
        var verdict = Verify(hasher, user?.PasswordHash ?? DummyHash(hasher), request.Password!);
        if (user is null || !user.IsActive || verdict == PasswordVerificationResult.Failed)
        {
            await SignInFailures.RecordAsync(db, name, address, now, ct);
            return (null, Problems.Of(401, "badCredentials", "用户名或密码不正确。", "The username or password is wrong."), null);
        }
        await SignInFailures.ClearAsync(db, name, address, ct);
        // Only after the right password: a guess alone learns nothing about which accounts belong to the demo.
        if (user.IsDemo && !demo.Enabled)
            return (null, Problems.Of(403, "demoAccountDisabled", "演示账号只能在演示模式下登录。", "Demo accounts can sign in only in demo mode."), null);

        return (await StartSessionAsync(db, user, sessionKind, clock, ct), null, null);
    }

    /// <summary>
    /// A new server-side session for a user who has proved who they are (password or identity provider): the principal
    /// names the session and carries the user's security stamp, so signing out, a password change or deactivation ends it.
    /// </summary>
    public static async Task<ClaimsPrincipal> StartSessionAsync(DeliberateDbContext db, User user, string sessionKind, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Guid? refreshId = sessionKind == "bearer" ? Guid.NewGuid() : null;
        var session = new UserSession(Guid.CreateVersion7(now), user.Id, sessionKind, now, refreshId);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, user.Id.ToString()), new(ClaimTypes.Name, user.UserName),
            new(SessionClaim, session.Id.ToString()), new(StampClaim, user.SecurityStamp),
        ];
        if (refreshId is { } id) claims.Add(new Claim(RefreshClaim, id.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType: sessionKind == "oidc" ? "oidc" : "password"));
    }

    /// <summary><paramref name="wholeAddress"/>: held because many names failed from this network (SignInFailures.SprayNames).</summary>
    static ProblemHttpResult Locked(TimeSpan remaining, bool wholeAddress = false)
    {
        var seconds = (int)Math.Ceiling(remaining.TotalSeconds);
        var extra = new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds };
        return wholeAddress
            ? Problems.Of(429, "accountLocked", $"您所在的网络登录失败次数过多，请 {seconds} 秒后再试。",
                $"Too many failed sign-ins from your network; try again in {seconds} seconds.", extra)
            : Problems.Of(429, "accountLocked", $"连续登录失败次数过多，请 {seconds} 秒后再试。",
                $"Too many failed sign-ins; try again in {seconds} seconds.", extra);
    }

    static PasswordVerificationResult Verify(IPasswordHasher<User> hasher, string hash, string password) =>
        hasher.VerifyHashedPassword(null!, hash, password);

    static string? dummyHash;
    /// <summary>A hash of a random password, made with the same hasher: checking against it costs what a real check costs.</summary>
    static string DummyHash(IPasswordHasher<User> hasher) =>
        dummyHash ??= hasher.HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    /// <summary>
    /// Changes the signed-in user's password. Every session of the user ends — this one included, on every node
    /// (at once on this one; on the others within the session cache's lifetime): sign in again with the new password.
    /// </summary>
    static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ChangePassword(ChangePasswordRequest request,
        Caller caller, HttpContext http,
        DeliberateDbContext db, IPasswordHasher<User> hasher, TimeProvider clock)
    {
        var errors = new FieldErrors();
        errors.Required("currentPassword", request.CurrentPassword, "当前密码", "Current password");
        CheckNewPassword(errors, request.NewPassword, caller.UserName, caller.DisplayName);
        // The one-time password an administrator read out (or any old password) is no new password.
        if (!string.IsNullOrEmpty(request.NewPassword) && request.NewPassword == request.CurrentPassword)
            errors.Add("newPassword", "新密码不能与当前密码相同。", "The new password must differ from the current one.");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        var address = ClientAddress.Of(http);
        if (await SignInFailures.LockedForAsync(db, caller.UserName, address, now, http.RequestAborted) is { } locked) return Locked(locked);
        var user = await db.Users.FirstAsync(u => u.Id == caller.Id, http.RequestAborted);
        if (Verify(hasher, user.PasswordHash, request.CurrentPassword!) == PasswordVerificationResult.Failed)
        {
            // A stolen session must not become a way to guess the password without limit.
            await SignInFailures.RecordAsync(db, caller.UserName, address, now, http.RequestAborted);
            return Problems.Of(403, "badCurrentPassword", "当前密码不正确。", "The current password is wrong.");
        }
        user.SetPassword(hasher.HashPassword(user, request.NewPassword!));
        await db.SaveChangesAsync(http.RequestAborted);
        await EndSessionsAsync(http, db, user.Id, now);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>A new password: the <see cref="PasswordPolicy"/>.</summary>
    public static void CheckNewPassword(FieldErrors errors, string? password, string userName, string? displayName = null) =>
        PasswordPolicy.Check(errors, "newPassword", password, userName, displayName);

    public const int MinPasswordLength = PasswordPolicy.MinLength;

    /// <summary>
    /// Ends every session of the user: the security stamp has changed (each request compares it), the sessions are
    /// marked revoked, and this node forgets the ones it keeps in memory; other nodes follow within
    /// <see cref="SessionCache.Lifetime"/>.
    /// </summary>
    public static async Task EndSessionsAsync(HttpContext http, DeliberateDbContext db, Guid userId, DateTimeOffset now)
    {
        await db.UserSessions.Where(s => s.UserId == userId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), http.RequestAborted);
        Caller.Sessions(http).ForgetUser(userId);
    }

    /// <summary>What the sign-in page needs before anyone signs in.</summary>
    static Ok<AuthOptionsResponse> Options(IOptions<DemoOptions> demo, IOptions<OidcOptions> oidc) =>
        TypedResults.Ok(new AuthOptionsResponse(demo.Value.Enabled, demo.Value.Enabled ? DemoOptions.Password : null, oidc.Value.Enabled));
}

/// <summary>Demo mode: demo data on a new database, and the demo accounts may sign in.</summary>
public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    /// <summary>Why it is on or off, for the start-up log.</summary>
    public string Reason { get; set; } = "";
    public const string Password = "Demo#2026";

    /// <summary>
    /// <c>Demo:Enabled</c> when set. Otherwise demo is on only for the README's first run: SQLite with the shipped
    /// data path (<see cref="DatabaseSettings.DefaultSqlite"/>), or SQLite outside the Production environment. A
    /// server set up for production — PostgreSQL, or the Production environment with a data path of its own —
    /// never has demo on unless the operator asks for it.
    /// </summary>
    public static DemoOptions Decide(IConfiguration config, DatabaseSettings database, IHostEnvironment environment)
    {
        if (config.GetValue<bool?>("Demo:Enabled") is { } explicitly)
            return new DemoOptions { Enabled = explicitly, Reason = "Demo:Enabled is set" };
        if (database.Provider != DatabaseProvider.Sqlite)
            return new DemoOptions { Enabled = false, Reason = "PostgreSQL" };
        if (!environment.IsProduction())
            return new DemoOptions { Enabled = true, Reason = $"SQLite in the {environment.EnvironmentName} environment" };
        var shippedPath = string.IsNullOrWhiteSpace(config.GetConnectionString("Deliberate"))
            || config.GetConnectionString("Deliberate")!.Trim() == DatabaseSettings.DefaultSqlite;
        return shippedPath
            ? new DemoOptions { Enabled = true, Reason = $"SQLite with the shipped data path ({DatabaseSettings.DefaultSqlite})" }
            : new DemoOptions { Enabled = false, Reason = "Production environment with a data path of its own" };
    }

    /// <summary>Says at start-up, as a warning, that anyone may sign in with the published password.</summary>
    public void Announce(ILogger log)
    {
        if (Enabled)
            log.LogWarning("Demo mode is ON ({Reason}): the demo accounts sign in with the published password {Password}. " +
                "Never keep real data on this server; set Demo:Enabled=false (see docs/operations.md).", Reason, Password);
        else
            log.LogInformation("Demo mode is off ({Reason}).", Reason);
    }
}
