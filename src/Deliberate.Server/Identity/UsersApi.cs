using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Identity;

public sealed record ResetPasswordRequest(string? NewPassword);

/// <summary>
/// What an administrator does to an account when it is compromised or its holder leaves: a new password, or
/// deactivation. Either ends every session of the account at once (see <see cref="AuthApi.EndSessionsAsync"/>).
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").RequireRole(Role.Admin);
        group.MapPost("/{id:guid}/password", ResetPassword)
            .WithSummary("Give a user a new password (admins): every session of theirs ends.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/deactivate", Deactivate)
            .WithSummary("Deactivate a user (admins): they cannot sign in, and every session of theirs ends.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.CannotDeactivateSelf);
        return group;
    }

    static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ResetPassword(Guid id, ResetPasswordRequest request,
        HttpContext http, DeliberateDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return Problems.NotFound("用户", "user");
        var errors = new FieldErrors();
        AuthApi.CheckNewPassword(errors, request.NewPassword, user.UserName);
        if (errors.Any) return errors.ToProblem();
        user.SetPassword(hasher.HashPassword(user, request.NewPassword!));
        await db.SaveChangesAsync(ct);
        await AuthApi.EndSessionsAsync(http, db, user.Id, clock.GetUtcNow());
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Deactivate(Guid id, Caller caller, HttpContext http, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return Problems.NotFound("用户", "user");
        var now = clock.GetUtcNow();
        user.Deactivate(caller.Id, now); // 409 for one's own account
        await db.SaveChangesAsync(ct);
        await AuthApi.EndSessionsAsync(http, db, user.Id, now);
        return TypedResults.NoContent();
    }
}
