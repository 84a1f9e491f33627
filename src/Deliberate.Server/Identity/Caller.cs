using System.Security.Claims;
using Deliberate.Server.Data;
using Deliberate.Server.Organisation;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Identity;

/// <summary>A role the caller holds, with the path of its organisation node.</summary>
public sealed record Grant(Role Role, Guid OrgUnitId, string Path, OrgLevel Level, string OrgUnitName);

/// <summary>
/// The signed-in user of this request with their roles, loaded once per request. Endpoints take it
/// as a parameter; scoping rules ("within my grid", "my community") are answered here.
/// </summary>
public sealed class Caller
{
    const string ItemKey = "deliberate.caller";

    public required Guid Id { get; init; }
    public required string UserName { get; init; }
    public required string DisplayName { get; init; }
    public Guid? OwnerId { get; init; }
    public required IReadOnlyList<Grant> Grants { get; init; }
    /// <summary>Signed in with a one-time password from an administrator: must choose their own before anything else.</summary>
    public bool MustChangePassword { get; init; }

    /// <summary>The nodes where the caller is an administrator: they administer these and everything below.</summary>
    public IReadOnlyList<string> AdminPaths => Grants.Where(g => g.Role == Role.Admin).Select(g => g.Path).ToList();

    /// <summary>The node with this path is at or below one where the caller is an administrator.</summary>
    public bool AdministersAt(string path) => AdminPaths.Any(p => path.StartsWith(p, StringComparison.Ordinal));

    /// <summary>An administrator of a whole tree (a root node: a district, or a street with nothing above it).</summary>
    public bool IsRootAdmin => AdminPaths.Any(p => p.Count(c => c == '/') == 2);

    /// <summary>Holds the admin role somewhere: a gate for role checks only; what they may touch is <see cref="AdministersAt"/>.</summary>
    public bool IsAdmin => Grants.Any(g => g.Role == Role.Admin);
    public Actor Actor => new(Id.ToString(), DisplayName);

    /// <summary>
    /// Holds one of the roles somewhere: a gate before the endpoint's own scope check. An administrator passes it (the
    /// endpoint then lets them act only under their nodes), except for the designer's areas, which span every community:
    /// only an administrator of a whole tree passes those.
    /// </summary>
    public bool Holds(params Role[] roles) =>
        Grants.Any(g => roles.Contains(g.Role)) || (IsAdmin && (IsRootAdmin || roles.Any(r => r != Role.WorkflowDesigner)));

    /// <summary>Holds <paramref name="role"/> at the node with this path or above it.</summary>
    public bool Holds(Role role, string path) => Grants.Any(g => g.Role == role && path.StartsWith(g.Path, StringComparison.Ordinal));

    /// <summary>
    /// Holds any role other than resident and designer at this node or above: staff who work on matters there. An
    /// administrator is staff only under their own nodes (tester, issue 18: "admin anywhere" had read every community).
    /// </summary>
    public bool IsStaffAt(string path) =>
        Grants.Any(g => g.Role is not (Role.Resident or Role.WorkflowDesigner) && path.StartsWith(g.Path, StringComparison.Ordinal));

    /// <summary>The paths of the nodes where the caller works as staff.</summary>
    public IEnumerable<string> StaffPaths => Grants.Where(g => g.Role is not (Role.Resident or Role.WorkflowDesigner)).Select(g => g.Path);

    /// <summary>The communities a resident lives in (a resident's role sits on their community or building).</summary>
    public IEnumerable<string> ResidentCommunityPaths => Grants.Where(g => g.Role == Role.Resident).Select(g => CommunityPath(g.Path, g.Level));

    static string CommunityPath(string path, OrgLevel level)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var depth = Math.Min(parts.Length, (int)OrgLevel.Community + 1);
        return level < OrgLevel.Community ? path : "/" + string.Join('/', parts.Take(depth)) + "/";
    }

    /// <summary>Minimal API binding: the authenticated user, loaded with their roles.</summary>
    public static async ValueTask<Caller?> BindAsync(HttpContext http) =>
        await LoadAsync(http) ?? throw new UnauthorizedAccessException("No signed-in user.");

    /// <summary>
    /// Open sessions with their callers, for a few seconds: every request needs its caller, and reading the
    /// session, user and grants each time made two queries of every request. Signing out, a password change or
    /// reset, a deactivation or a refresh token's reuse forgets the sessions on this node at once; the other nodes
    /// of a cluster stop accepting them within <see cref="SessionCache.Lifetime"/>. One per server (a singleton
    /// service, not a static: two servers in one process, as in the tests, are two nodes).
    /// </summary>
    public static SessionCache Sessions(HttpContext http) => http.RequestServices.GetRequiredService<SessionCache>();

    public static async Task<Caller?> LoadAsync(HttpContext http)
    {
        // Cached per request and per principal (signing in replaces the principal mid-request).
        if (http.Items.TryGetValue(ItemKey, out var cached) && cached is (System.Security.Claims.ClaimsPrincipal principal, var known)
            && ReferenceEquals(principal, http.User))
            return (Caller?)known;
        Caller? caller = null;
        if (Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && Guid.TryParse(http.User.FindFirstValue(AuthApi.SessionClaim), out var sessionId)
            && http.User.FindFirstValue(AuthApi.StampClaim) is { } stamp
            && !Sessions(http).TryGet(sessionId, userId, out caller))
        {
            var db = http.RequestServices.GetRequiredService<DeliberateDbContext>();
            var demoOn = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value.Enabled;
            // The user with their grants, if the session is still open (signing out revokes it), the user's security
            // stamp is the one the session began with (a password change or deactivation changes it), and — for a
            // demo account — demo mode is on: one row per grant, in one query. A user without grants, or a closed
            // session, finds no rows and is looked up alone.
            var openSession = db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null);
            var users = db.Users.AsNoTracking().Where(u => u.SecurityStamp == stamp && u.DeactivatedAt == null && (demoOn || !u.IsDemo));
            var rows = await (from r in db.UserRoles.AsNoTracking()
                              join o in db.OrgUnits.AsNoTracking() on r.OrgUnitId equals o.Id
                              join u in users on r.UserId equals u.Id
                              where r.UserId == userId && openSession.Any()
                              select new
                              {
                                  u.UserName, u.DisplayName, u.OwnerId, u.MustChangePassword,
                                  Grant = new Grant(r.Role, o.Id, o.Path, o.Level, o.Name),
                              })
                .ToListAsync(http.RequestAborted);
            var user = rows.Count > 0
                ? new { rows[0].UserName, rows[0].DisplayName, rows[0].OwnerId, rows[0].MustChangePassword }
                : await users
                    .Where(u => u.Id == userId && openSession.Any())
                    .Select(u => new { u.UserName, u.DisplayName, u.OwnerId, u.MustChangePassword }).FirstOrDefaultAsync(http.RequestAborted);
            if (user is not null)
            {
                caller = new Caller
                {
                    Id = userId, UserName = user.UserName, DisplayName = user.DisplayName, OwnerId = user.OwnerId,
                    MustChangePassword = user.MustChangePassword,
                    Grants = rows.Select(g => g.Grant).ToList(),
                };
                Sessions(http).Remember(sessionId, caller);
            }
        }
        http.Items[ItemKey] = (http.User, caller);
        return caller;
    }
}

/// <summary>Lets only callers who hold one of the roles through (admin always); others get 403.</summary>
public sealed class RequireRoleFilter(params Role[] roles) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var caller = await Caller.LoadAsync(context.HttpContext);
        if (caller is null) return Api.Problems.Of(401, "unauthenticated", "请先登录。", "Please sign in.");
        if (!caller.Holds(roles))
            return Api.Problems.Forbidden("forbidden",
                "您的角色不能执行此操作（需要：" + string.Join("、", roles.Select(r => Roles.DisplayNames[r].Zh)) + "）。",
                "Your roles do not allow this (needs: " + string.Join(", ", roles.Select(r => Roles.DisplayNames[r].En)) + ").");
        return await next(context);
    }
}

public static class RoleFilterExtensions
{
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, params Role[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().AddEndpointFilter(new RequireRoleFilter(roles));
}

/// <summary>Callers by open session, each kept for <see cref="Lifetime"/> of wall-clock time.</summary>
public sealed class SessionCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    const int Trim = 20_000;
    readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (Caller Caller, long Until)> sessions = new();

    public bool TryGet(Guid sessionId, Guid userId, out Caller? caller)
    {
        caller = sessions.TryGetValue(sessionId, out var kept) && kept.Until > Environment.TickCount64
            && kept.Caller.Id == userId ? kept.Caller : null;
        return caller is not null;
    }

    public void Remember(Guid sessionId, Caller caller)
    {
        var now = Environment.TickCount64;
        if (sessions.Count > Trim)
            foreach (var (id, kept) in sessions)
                if (kept.Until <= now) sessions.TryRemove(id, out _);
        sessions[sessionId] = (caller, now + (long)Lifetime.TotalMilliseconds);
    }

    public void Forget(Guid sessionId) => sessions.TryRemove(sessionId, out _);

    /// <summary>Forgets every session of the user (a scan: this happens on a password change, not per request).</summary>
    public void ForgetUser(Guid userId)
    {
        foreach (var (id, kept) in sessions)
            if (kept.Caller.Id == userId) sessions.TryRemove(id, out _);
    }
}
