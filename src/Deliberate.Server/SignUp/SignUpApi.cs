using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.SignUp;

public sealed record CodeRequest(string? Phone, CodePurpose Purpose = CodePurpose.SignUp);
public sealed record SignUpRequest(string? Phone, string? Code, string? Password, string? DisplayName);
public sealed record ResetRequest(string? Phone, string? Code, string? NewPassword);
public sealed record SignedUp(Guid Id, string UserName);

/// <summary>
/// Residents come in by phone: a one-time code, then an account (the phone number is the user name) with a password of
/// the <see cref="PasswordPolicy"/>. A new account is an unverified resident until a home claim makes it more.
/// </summary>
public static class SignUpApi
{
    public static RouteGroupBuilder MapSignUpApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/signup").WithTags("Sign-up").AllowAnonymous().RequireRateLimiting(AuthApi.SignInRateLimit);
        group.MapPost("/codes", SendCode)
            .WithSummary("Send a one-time code to a phone (sign-up or password reset). The answer is the same whether or not one was sent.")
            .Problems(ProblemCodes.Validation, ProblemCodes.CodeRateLimited);
        group.MapPost("/", SignUp)
            .WithSummary("Create a resident account from a phone, its code and a password; then sign in with the phone number.")
            .Problems(ProblemCodes.Validation, ProblemCodes.BadCode, ProblemCodes.PhoneTaken);
        group.MapPost("/reset", Reset)
            .WithSummary("Set a new password with a code sent to the account's phone; every session of the account ends.")
            .Problems(ProblemCodes.Validation, ProblemCodes.BadCode);
        return group;
    }

    /// <summary>
    /// A code is made and counted for every valid request, but sent only when it can be used (a sign-up code to a phone
    /// without an account, a reset code to a resident's proven phone): the answer and the limits say nothing about which
    /// phones have accounts.
    /// </summary>
    static async Task<Results<Accepted, ValidationProblem>> SendCode(CodeRequest request, HttpContext http, DeliberateDbContext db,
        OutgoingCodes queue, TimeProvider clock, ILogger<CodeRequest> log)
    {
        var errors = new FieldErrors();
        PhoneCodes.CheckPhone(errors, "phone", request.Phone);
        if (errors.Any) return errors.ToProblem();
        var phone = PhoneCodes.Normalise(request.Phone)!;
        var code = await PhoneCodes.IssueAsync(db, phone, request.Purpose, ClientAddress.Of(http), clock.GetUtcNow(), http.RequestAborted);
        var usable = request.Purpose == CodePurpose.Reset
            ? await ResettableBy(db, phone).AnyAsync(http.RequestAborted)
            : !await db.Users.AnyAsync(u => u.UserName == phone || u.Phone == phone, http.RequestAborted);
        // Queued, never sent here: the answer comes before any gateway call, whether a message goes or not.
        if (usable && !queue.Enqueue(phone, code, request.Purpose))
            log.LogError("The queue of one-time codes is full; a code was not sent.");
        return TypedResults.Accepted((string?)null);
    }

    static async Task<Results<Created<SignedUp>, ProblemHttpResult, ValidationProblem>> SignUp(SignUpRequest request, HttpContext http,
        DeliberateDbContext db, IPasswordHasher<User> hasher, TimeProvider clock)
    {
        var errors = new FieldErrors();
        PhoneCodes.CheckPhone(errors, "phone", request.Phone);
        errors.Required("code", request.Code, "验证码", "Code");
        var phone = PhoneCodes.Normalise(request.Phone) ?? "";
        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? "居民" + phone[Math.Max(0, phone.Length - 4)..] : request.DisplayName.Trim();
        errors.MaxLength("displayName", displayName, 100, "称呼", "Name");
        PasswordPolicy.Check(errors, "password", request.Password, phone, null);
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        await PhoneCodes.UseAsync(db, phone, CodePurpose.SignUp, request.Code, now, http.RequestAborted);
        if (await db.Users.AnyAsync(u => u.UserName == phone || u.Phone == phone, http.RequestAborted))
            return PhoneTaken();
        var user = new User(Guid.CreateVersion7(now), phone, displayName, "");
        user.SetPassword(hasher.HashPassword(user, request.Password!));
        user.ProvePhone(phone, now);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            return PhoneTaken(); // the same phone signed up twice at once: the unique user name let one through
        }
        return TypedResults.Created("/api/auth/me", new SignedUp(user.Id, user.UserName));
    }

    /// <summary>
    /// The account an SMS reset may set the password of: active, its phone proven by a one-time code (a resident who signed up
    /// or activated a letter; never a phone an administrator typed, never the user name), holding no role but resident. Staff
    /// reset through an administrator or the identity provider. Any other phone is answered exactly like an unknown one.
    /// </summary>
    static IQueryable<User> ResettableBy(DeliberateDbContext db, string phone) =>
        db.Users.Where(u => u.Phone == phone && u.PhoneVerifiedAt != null && u.DeactivatedAt == null
            && !u.Roles.Any(r => r.Role != Role.Resident));

    public static ProblemHttpResult PhoneTaken() => Problems.Conflict("phoneTaken", "这个手机号已经注册，请直接登录或找回密码。",
        "This phone number already has an account; sign in or reset the password.");

    static async Task<Results<NoContent, ValidationProblem>> Reset(ResetRequest request, HttpContext http, DeliberateDbContext db,
        IPasswordHasher<User> hasher, TimeProvider clock)
    {
        var errors = new FieldErrors();
        PhoneCodes.CheckPhone(errors, "phone", request.Phone);
        errors.Required("code", request.Code, "验证码", "Code");
        var phone = PhoneCodes.Normalise(request.Phone) ?? "";
        var user = phone.Length == 0 ? null : await ResettableBy(db, phone).FirstOrDefaultAsync(http.RequestAborted);
        PasswordPolicy.Check(errors, "newPassword", request.NewPassword, user?.UserName ?? phone, user?.DisplayName);
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        await PhoneCodes.UseAsync(db, phone, CodePurpose.Reset, request.Code, now, http.RequestAborted);
        // No reset code is ever sent to a phone without such an account, so a used code means it exists — unless it was
        // deactivated or given a staff role meanwhile: then the same answer as a wrong code.
        if (user is null)
            throw new DomainRuleException(400, "badCode", "验证码不正确或已失效，请重新获取。", "The code is wrong or no longer valid; ask for a new one.");
        user.SetPassword(hasher.HashPassword(user, request.NewPassword!));
        await db.SaveChangesAsync(http.RequestAborted);
        await AuthApi.EndSessionsAsync(http, db, user.Id, now);
        return TypedResults.NoContent();
    }
}
