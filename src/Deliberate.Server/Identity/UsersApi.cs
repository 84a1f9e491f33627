using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Identity;

/// <summary>
/// A role held at a node. <c>orgUnitPathName</c> names the node by the names below the street ("幸福里社区 / 第一网格"): every
/// community has its 第一网格, so <c>orgUnitName</c> alone does not say where. A street or district is named alone.
/// </summary>
public sealed record UserGrantView(string Role, string RoleName, Guid OrgUnitId, string OrgUnitName, string OrgUnitPathName);
public sealed record StaffUserView(Guid Id, string UserName, string DisplayName, string? Email, string? Phone, bool Active,
    bool MustChangePassword, IReadOnlyList<UserGrantView> Roles);
public sealed record CreateUserRequest(string? UserName, string? DisplayName, string? Email, string? Phone, string? Role, Guid? OrgUnitId);
public sealed record CreatedUserView(StaffUserView User, string OneTimePassword);
public sealed record OneTimePasswordView(string OneTimePassword);
public sealed record GrantRoleRequest(string? Role, Guid? OrgUnitId);

/// <summary>
/// Staff accounts as an administrator keeps them: list, create, grant and revoke roles, deactivate and reactivate, reset a password. An
/// administrator acts on accounts whose roles all sit at or below the nodes they administer, and grants only there;
/// anything else is answered as not found. A new account and a reset get a one-time password generated here and shown
/// once in the answer (the administrator hands it over; it is never logged), which must be changed at the first sign-in.
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").RequireRole(Role.Admin);
        group.MapGet("/", List).WithSummary("The accounts with a role at or below the administrator's nodes.");
        group.MapPost("/", Create).WithSummary("Create an account with its first role; the answer holds its one-time password (shown once).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.UserNameTaken);
        group.MapPost("/{id:guid}/roles", GrantRole)
            .WithSummary("Grant a role at a node the administrator administers, at the role's level; never to one's own account.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.NodeRetired);
        group.MapDelete("/{id:guid}/roles/{role}/{orgUnitId:guid}", RevokeRole).WithSummary("Revoke a role.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/password", ResetPassword)
            .WithSummary("Reset a user's password (admins): a one-time password, shown once, to be changed at sign-in; every session ends.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/deactivate", Deactivate)
            .WithSummary("Deactivate a user (admins): they cannot sign in, and every session of theirs ends.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.CannotDeactivateSelf);
        group.MapPost("/{id:guid}/reactivate", Reactivate)
            .WithSummary("Reactivate a deactivated user (admins): they sign in again with their password (a reset is a separate step).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        return group;
    }

    static async Task<Ok<List<StaffUserView>>> List(Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var nodes = db.OrgUnits.Under(caller.AdminPaths).Select(o => o.Id);
        var users = await db.Users.AsNoTracking().Include(u => u.Roles)
            .Where(u => u.Roles.Any(r => nodes.Contains(r.OrgUnitId))).OrderBy(u => u.UserName).ToListAsync(ct);
        return TypedResults.Ok(await ViewsAsync(db, users, ct));
    }

    static async Task<List<StaffUserView>> ViewsAsync(DeliberateDbContext db, List<User> users, CancellationToken ct)
    {
        var ids = users.SelectMany(u => u.Roles.Select(r => r.OrgUnitId)).Distinct().ToList();
        var nodes = await db.OrgUnits.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var above = nodes.Values.SelectMany(n => n.AncestorIdsAndSelf()).Distinct().Where(id => !nodes.ContainsKey(id)).ToList();
        foreach (var n in await db.OrgUnits.AsNoTracking().Where(o => above.Contains(o.Id)).ToListAsync(ct)) nodes[n.Id] = n;
        return users.Select(u => new StaffUserView(u.Id, u.UserName, u.DisplayName, u.Email, u.Phone, u.IsActive, u.MustChangePassword,
            u.Roles.Select(r => new UserGrantView(r.Role.Name(), Text.L(Roles.DisplayNames[r.Role].Zh, Roles.DisplayNames[r.Role].En),
                r.OrgUnitId, nodes.GetValueOrDefault(r.OrgUnitId)?.Name ?? "", PathName(nodes, r.OrgUnitId))).ToList())).ToList();
    }

    /// <summary>"幸福里社区 / 第一网格": the names from the community down to the node; a street or a district by its own name.</summary>
    static string PathName(Dictionary<Guid, OrgUnit> nodes, Guid id)
    {
        if (!nodes.TryGetValue(id, out var node)) return "";
        if (node.Level <= OrgLevel.Street) return node.Name;
        return string.Join(" / ", node.AncestorIdsAndSelf().Select(nodes.GetValueOrDefault)
            .Where(n => n is { Level: > OrgLevel.Street }).Select(n => n!.Name));
    }

    /// <summary>The user, if every role they hold is at or below a node the caller administers (and they hold one).</summary>
    static async Task<User?> FindAsync(DeliberateDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        var user = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null || user.Roles.Count == 0) return null;
        var ids = user.Roles.Select(r => r.OrgUnitId).Distinct().ToList();
        var paths = await db.OrgUnits.Where(o => ids.Contains(o.Id)).Select(o => o.Path).ToListAsync(ct);
        return paths.All(caller.AdministersAt) ? user : null;
    }

    /// <summary>A node the caller administers, where a role may be granted (not retired).</summary>
    static async Task<(OrgUnit? Node, ProblemHttpResult? Problem)> GrantNodeAsync(DeliberateDbContext db, Caller caller, Guid id,
        CancellationToken ct)
    {
        var node = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (node is null || !caller.AdministersAt(node.Path)) return (null, Problems.NotFound("节点", "node"));
        if (node.IsRetired)
            return (null, Problems.Conflict("nodeRetired", $"“{node.Name}”已撤销，不能在此授予角色。",
                $"“{node.Name}” has been retired: no roles are granted there."));
        return (node, null);
    }

    /// <summary>
    /// The levels a role is held at (the demo's accounts hold theirs there): a street officer at a street or the district, a grid
    /// worker at a grid, the four parties of a community at the community. Administrators and workflow designers may sit at any
    /// node. A resident is never granted by an administrator: the role comes with a home claim.
    /// </summary>
    public static readonly IReadOnlyDictionary<Role, OrgLevel[]> Levels = new Dictionary<Role, OrgLevel[]>
    {
        [Role.StreetOfficer] = [OrgLevel.District, OrgLevel.Street],
        [Role.DepartmentOfficer] = [OrgLevel.District, OrgLevel.Street],
        [Role.GridWorker] = [OrgLevel.Grid],
        [Role.PartySecretary] = [OrgLevel.Community],
        [Role.ResidentsCommittee] = [OrgLevel.Community],
        [Role.OwnersCommittee] = [OrgLevel.Community],
        [Role.PropertyCompany] = [OrgLevel.Community],
    };

    static (string Zh, string En) LevelName(OrgLevel level) => level switch
    {
        OrgLevel.District => ("区", "district"),
        OrgLevel.Street => ("街道", "street"),
        OrgLevel.Community => ("社区", "community"),
        OrgLevel.Grid => ("网格", "grid"),
        _ => ("楼栋", "building"),
    };

    /// <summary>400 when an administrator may not grant this role at this node (its level, or a resident at all).</summary>
    static ValidationProblem? RoleLevelProblem(Role role, OrgUnit node)
    {
        var errors = new FieldErrors();
        if (role == Role.Resident)
            errors.Add("role", "“居民/业主”角色不由管理员授予：住户注册后提交房屋认证即获得。",
                "The resident role is not granted by an administrator: it comes with a home claim.");
        else if (Levels.TryGetValue(role, out var levels) && !levels.Contains(node.Level))
        {
            var (roleZh, roleEn) = Roles.DisplayNames[role];
            var zh = string.Join("或", levels.Select(l => LevelName(l).Zh));
            var en = string.Join(" or ", levels.Select(l => LevelName(l).En));
            errors.Add("orgUnitId", $"“{roleZh}”只能授予在{zh}一级，“{node.Name}”是{LevelName(node.Level).Zh}。",
                $"The {roleEn} role is granted at a {en} only; “{node.Name}” is a {LevelName(node.Level).En}.");
        }
        return errors.Any ? errors.ToProblem() : null;
    }

    static async Task<Results<Created<CreatedUserView>, ValidationProblem, ProblemHttpResult>> Create(CreateUserRequest request,
        Caller caller, DeliberateDbContext db, IPasswordHasher<User> hasher, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("userName", request.UserName, "用户名", "User name");
        errors.MaxLength("userName", request.UserName, 64, "用户名", "The user name");
        errors.Required("displayName", request.DisplayName, "姓名", "Display name");
        errors.MaxLength("displayName", request.DisplayName, 100, "姓名", "The display name");
        errors.MaxLength("email", request.Email, 200, "电子邮箱", "The e-mail address");
        if (!string.IsNullOrWhiteSpace(request.Email) && !request.Email.Contains('@'))
            errors.Add("email", "电子邮箱格式不正确。", "The e-mail address is not valid.");
        if (!string.IsNullOrWhiteSpace(request.Phone) && SignUp.PhoneCodes.Normalise(request.Phone) is null)
            errors.Add("phone", "手机号应为 11 位数字，以 1 开头。", "The mobile number must be 11 digits starting with 1.");
        var role = Roles.Parse(request.Role);
        if (role is null) errors.Add("role", "请选择角色。", "Choose a role.");
        if (request.OrgUnitId is null) errors.Add("orgUnitId", "请选择授予角色的节点。", "Choose the node of the role.");
        if (errors.Any) return errors.ToProblem();
        var (node, problem) = await GrantNodeAsync(db, caller, request.OrgUnitId!.Value, ct);
        if (problem is not null) return problem;
        if (RoleLevelProblem(role!.Value, node!) is { } level) return level;
        var userName = request.UserName!.Trim();
        // Unique without regard to case: ADMIN beside admin reads as the same person (sign-in itself stays exact).
        if (await db.Users.AnyAsync(u => u.UserName.ToLower() == userName.ToLower(), ct))
            return Problems.Conflict("userNameTaken", $"用户名“{userName}”已被使用。", $"The user name “{userName}” is taken.");
        var password = PasswordPolicy.Generate();
        var user = new User(Guid.CreateVersion7(), userName, request.DisplayName!.Trim(), "");
        user.SetPassword(hasher.HashPassword(user, password), oneTime: true);
        user.SetEmail(request.Email);
        user.SetPhone(SignUp.PhoneCodes.Normalise(request.Phone));
        user.Grant(role!.Value, node!.Id);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        var view = (await ViewsAsync(db, [user], ct))[0];
        return TypedResults.Created($"/api/users/{user.Id}", new CreatedUserView(view, password));
    }

    static async Task<Results<Ok<StaffUserView>, ValidationProblem, ProblemHttpResult>> GrantRole(Guid id, GrantRoleRequest request,
        Caller caller, HttpContext http, DeliberateDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var role = Roles.Parse(request.Role);
        if (role is null) errors.Add("role", "请选择角色。", "Choose a role.");
        if (request.OrgUnitId is null) errors.Add("orgUnitId", "请选择授予角色的节点。", "Choose the node of the role.");
        if (errors.Any) return errors.ToProblem();
        var user = await FindAsync(db, caller, id, ct);
        if (user is null) return Problems.NotFound("用户", "user");
        // A role of one's own (a grid worker's, to read anonymous raisers' names) is granted by someone else: it shows in their chain.
        if (user.Id == caller.Id)
            return Problems.Forbidden("forbidden", "不能给自己的账号授予角色，请由另一位管理员授予。",
                "You cannot grant a role to your own account; another administrator must.");
        var (node, problem) = await GrantNodeAsync(db, caller, request.OrgUnitId!.Value, ct);
        if (problem is not null) return problem;
        if (RoleLevelProblem(role!.Value, node!) is { } level) return level;
        if (!user.Roles.Any(r => r.Role == role && r.OrgUnitId == node!.Id)) user.Grant(role!.Value, node!.Id);
        await db.SaveChangesAsync(ct);
        Caller.Sessions(http).ForgetUser(user.Id); // the new role applies from the next request
        return TypedResults.Ok((await ViewsAsync(db, [user], ct))[0]);
    }

    static async Task<Results<Ok<StaffUserView>, ValidationProblem, ProblemHttpResult>> RevokeRole(Guid id, string role, Guid orgUnitId,
        Caller caller, HttpContext http, DeliberateDbContext db, CancellationToken ct)
    {
        if (Roles.Parse(role) is not { } parsed)
        {
            var errors = new FieldErrors();
            errors.Add("role", "没有这个角色。", "There is no such role.");
            return errors.ToProblem();
        }
        var user = await FindAsync(db, caller, id, ct);
        if (user is null || !user.Roles.Any(r => r.Role == parsed && r.OrgUnitId == orgUnitId)) return Problems.NotFound("用户的角色", "role of the user");
        if (user.Id == caller.Id && parsed == Role.Admin)
            return Problems.Forbidden("forbidden", "不能撤销自己的管理员角色，请联系上级管理员。",
                "You cannot revoke your own administrator role; ask an administrator above you.");
        user.Revoke(parsed, orgUnitId);
        await db.SaveChangesAsync(ct);
        Caller.Sessions(http).ForgetUser(user.Id); // the role stops applying at the next request
        return TypedResults.Ok((await ViewsAsync(db, [user], ct))[0]);
    }

    static async Task<Results<Ok<OneTimePasswordView>, ProblemHttpResult>> ResetPassword(Guid id, Caller caller,
        HttpContext http, DeliberateDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken ct)
    {
        var user = await FindAsync(db, caller, id, ct);
        if (user is null) return Problems.NotFound("用户", "user");
        var password = PasswordPolicy.Generate();
        user.SetPassword(hasher.HashPassword(user, password), oneTime: true);
        await db.SaveChangesAsync(ct);
        await AuthApi.EndSessionsAsync(http, db, user.Id, clock.GetUtcNow());
        return TypedResults.Ok(new OneTimePasswordView(password));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Deactivate(Guid id, Caller caller, HttpContext http, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var user = await FindAsync(db, caller, id, ct);
        if (user is null) return Problems.NotFound("用户", "user");
        var now = clock.GetUtcNow();
        user.Deactivate(caller.Id, now); // 409 for one's own account
        await db.SaveChangesAsync(ct);
        await AuthApi.EndSessionsAsync(http, db, user.Id, now);
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Reactivate(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var user = await FindAsync(db, caller, id, ct);
        if (user is null) return Problems.NotFound("用户", "user");
        user.Reactivate();
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
