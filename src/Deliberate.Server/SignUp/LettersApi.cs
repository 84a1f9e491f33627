using System.Security.Cryptography;
using System.Text;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Minutes.Typesetting;
using Deliberate.Server.Notifications;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace Deliberate.Server.SignUp;

public sealed record ActivateRequest(string? Code, string? Phone, string? PhoneCode, string? Password, string? OwnerName);
/// <summary>One letter's content: what the PDF prints for one unit.</summary>
public sealed record LetterPage(string Community, string Building, string Unit, IReadOnlyList<string> Owners, string Code, string Url);

/// <summary>
/// Paper invitation letters (邀请函): the owners' committee prints, per building, one page per unit with a QR code of the
/// activation address and a one-time activation code, for owners the app would not reach otherwise. The code is printed
/// once and only its hash is kept; printing the building again revokes the letters not yet used. An owner who activates
/// from a letter sets their phone and password and is a verified owner at once (the letter went to the registered unit).
/// </summary>
public static class LettersApi
{
    // No 0/O, 1/I/L: read off paper and typed on a phone.
    const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    const int CodeLength = 12;
    /// <summary>How many units the printed letters leave out because their owners all have accounts.</summary>
    public const string SkippedHeader = "X-Letters-Skipped";

    public static void MapLettersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/buildings/{buildingId:guid}/letters", Print).WithTags("Letters").RequireAuthorization()
            .WithSummary("Print the invitation letters of a building (PDF, one page per unit); letters printed before and not yet used stop working.")
            .Produces(200, contentType: "application/pdf")
            .Problems(ProblemCodes.NotFound, ProblemCodes.Forbidden, ProblemCodes.NoLettersToPrint);
        app.MapPost("/api/letters/activate", Activate).WithTags("Letters").AllowAnonymous().RequireRateLimiting(AuthApi.SignInRateLimit)
            .WithSummary("Activate an owner's account from a letter's code and a one-time code sent to the phone (purpose activate): " +
                "sets the phone and password; the account is a verified owner.")
            .Problems(ProblemCodes.Validation, ProblemCodes.BadLetterCode, ProblemCodes.BadCode, ProblemCodes.PhoneTaken, ProblemCodes.ClaimConflict,
                ProblemCodes.LetterPhoneMismatch);
    }

    /// <summary>The owners' committee of the community (or an administrator there) prints its buildings' letters.</summary>
    public static bool MayPrint(Caller caller, string buildingPath) =>
        caller.AdministersAt(buildingPath) || caller.Holds(Role.OwnersCommittee, buildingPath);

    public static string NewCode() => new(RandomNumberGenerator.GetItems<char>(Alphabet, CodeLength));

    /// <summary>"ABCD-EFGH-JKMN" for print.</summary>
    public static string Grouped(string code) => string.Join("-", code.Chunk(4).Select(c => new string(c)));

    /// <summary>What people type: upper case, without dashes or spaces.</summary>
    public static string Normalise(string? code) => new((code ?? "").ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());

    /// <summary>SHA-256 without salt, so that the code finds its letter; 59 random bits need no salt against guessing.</summary>
    public static string Hash(string normalised) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Print(Guid buildingId, Caller caller, HttpContext http,
        DeliberateDbContext db, PublicAddress address, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var building = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == buildingId && o.Level == OrgLevel.Building, ct);
        if (building is null || !(MayPrint(caller, building.Path) || caller.IsStaffAt(building.Path)))
            return Problems.NotFound("楼栋", "Building");
        if (!MayPrint(caller, building.Path))
            return Problems.Forbidden("forbidden", "只有本小区业委会可以打印邀请函。", "Only the community's owners' committee may print the letters.");
        var community = (await db.OrgUnits.AsNoTracking().Where(o => o.Level == OrgLevel.Community).Select(o => new { o.Path, o.Name })
                .ToListAsync(ct))
            .FirstOrDefault(o => building.Path.StartsWith(o.Path, StringComparison.Ordinal))?.Name ?? "";
        var units = await db.PropertyUnits.AsNoTracking().Where(u => u.BuildingId == buildingId && u.RetiredAt == null && !u.DeveloperUnsold)
            .Select(u => new
            {
                u.Id, u.Number, Owners = u.Owners.Select(o => o.Owner!.Name).ToList(),
                AllHaveAccounts = u.Owners.Any() && u.Owners.All(o => db.Users.Any(x => x.OwnerId == o.OwnerId)),
            }).ToListAsync(ct);
        // A unit whose owners all have accounts needs no letter (one would only be a code nobody may use).
        var skipped = units.Count(u => u.AllHaveAccounts);
        units = units.Where(u => !u.AllHaveAccounts).ToList();
        if (units.Count == 0)
            return Problems.Conflict("noLettersToPrint",
                skipped > 0 ? $"本楼栋 {skipped} 套房屋的业主都已开通账号，没有需要打印的邀请函。" : "本楼栋没有可邀请的房屋（开发商未售的房屋不发邀请函）。",
                skipped > 0
                    ? $"The owners of all {skipped} units of this building have accounts already: there is no letter to print."
                    : "The building has no unit to invite (a developer's unsold units get no letter).");
        var now = clock.GetUtcNow();
        var pages = new List<LetterPage>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ActivationLetters.Where(l => l.BuildingId == buildingId && l.UsedAt == null && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);
        foreach (var unit in units.OrderBy(u => u.Number.Length).ThenBy(u => u.Number, StringComparer.Ordinal))
        {
            var code = NewCode();
            db.ActivationLetters.Add(new ActivationLetter(Guid.CreateVersion7(now), unit.Id, buildingId, Hash(code), caller.Id, now));
            pages.Add(new LetterPage(community, building.Name, unit.Number, unit.Owners, Grouped(code),
                address.Absolute("/m/activate?code=" + code)!));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var pdf = Render(pages, ChinaTime.Today(now));
        http.Response.Headers[SkippedHeader] = skipped.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.File(pdf, "application/pdf", $"邀请函-{community}{building.Name}.pdf");
    }

    /// <summary>One A4 page per unit: whom it is for, what to do, the QR code and the code.</summary>
    public static byte[] Render(IReadOnlyList<LetterPage> pages, DateOnly date)
    {
        using var w = new DocumentWriter();
        var s = w.Styles;
        var first = true;
        foreach (var page in pages)
        {
            if (!first) w.NewPage();
            first = false;
            w.Centered("业主身份激活邀请函", s.Title);
            w.Skip(s.Body.LineHeight);
            var owners = page.Owners.Count == 0 ? "业主" : string.Join("、", page.Owners);
            w.Paragraph($"{page.Community}{page.Building}{page.Unit}室 {owners}：", firstLineIndent: 0);
            w.Paragraph("业主委员会邀请您使用“议事”线上平台参加小区的共同决定和议事协商。请用手机扫描下方二维码，或打开网址后输入激活码，" +
                "设置手机号和密码，即可以业主身份登录并参加表决。");
            w.Paragraph("激活码只能使用一次，请妥善保管，不要告诉他人。如本函有误或遗失，请联系业主委员会重新打印。");
            w.Skip(s.Body.LineHeight / 2);
            using (var generator = new QRCodeGenerator())
            using (var data = generator.CreateQrCode(page.Url, QRCodeGenerator.ECCLevel.M))
                w.CenteredModules(data.ModuleMatrix, 35 * DocumentWriter.Millimetre);
            w.Skip(s.Body.LineHeight / 2);
            w.Centered("激活码：" + page.Code, s.Heading1);
            w.Paragraph("网址：" + page.Url, s.Table, firstLineIndent: 0);
            w.Skip(s.Body.LineHeight);
            w.IssuerAndDate(page.Community + "业主委员会", $"{date.Year}年{date.Month}月{date.Day}日");
        }
        if (pages.Count == 0) w.Paragraph("本楼栋没有可邀请的房屋。");
        return w.ToPdf("业主身份激活邀请函", "邀请函", date.ToDateTime(TimeOnly.MinValue));
    }

    static async Task<Results<Created<SignedUp>, ProblemHttpResult, ValidationProblem>> Activate(ActivateRequest request, HttpContext http,
        DeliberateDbContext db, IPasswordHasher<User> hasher, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var errors = new FieldErrors();
        errors.Required("code", request.Code, "激活码", "Activation code");
        PhoneCodes.CheckPhone(errors, "phone", request.Phone);
        errors.Required("phoneCode", request.PhoneCode, "验证码", "Code");
        var phone = PhoneCodes.Normalise(request.Phone) ?? "";
        PasswordPolicy.Check(errors, "password", request.Password, phone, request.OwnerName);
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        var hash = Hash(Normalise(request.Code));
        var letter = await db.ActivationLetters.AsNoTracking().FirstOrDefaultAsync(l => l.CodeHash == hash, ct);
        var bad = Problems.BadRequest("badLetterCode", "激活码不正确、已使用或已失效。如有疑问请联系业主委员会。",
            "The activation code is wrong, used or no longer valid; ask the owners' committee.");
        if (letter is null || letter.UsedAt is not null || letter.RevokedAt is not null || letter.ExpiresAt <= now) return bad;
        var owners = await db.UnitOwnerships.AsNoTracking().Where(o => o.UnitId == letter.UnitId)
            .Select(o => new { o.OwnerId, o.Owner!.Name, o.Owner.Phone, HasAccount = db.Users.Any(u => u.OwnerId == o.OwnerId) }).ToListAsync(ct);
        var open = owners.Where(o => !o.HasAccount).ToList();
        // Co-owners: the letter names them all; the one activating says which they are.
        var owner = open.Count == 1 && string.IsNullOrWhiteSpace(request.OwnerName) ? open[0]
            : open.FirstOrDefault(o => o.Name == request.OwnerName?.Trim());
        if (owner is null)
        {
            var which = new FieldErrors();
            which.Add("ownerName", open.Count == 0 ? "这套房屋的业主都已开通账号。" : "请填写您在业主名册上的姓名（这套房屋有多位业主）。",
                open.Count == 0
                    ? "Every owner of this unit already has an account."
                    : "Enter your name as the register lists it (the unit has several owners).");
            return which.ToProblem();
        }
        // As for a home claim: the register's phone, when it has one, is the owner's; a letter found by someone else does not
        // make them the owner. Refused rather than queued: the letter is for the owner, who can activate with that phone, or
        // sign up and claim the home (a verifier then looks at the new phone).
        if (owner.Phone is { Length: > 0 } registered && registered != phone)
            return Problems.BadRequest("letterPhoneMismatch", "您填写的手机号与业主名册登记的不一致。请使用名册登记的手机号激活；" +
                "如已换号，请注册后提交房屋认证由网格员核实，或请业主委员会更新名册。",
                "The phone differs from the one the owners' register lists. Activate with the registered phone; if it changed, sign up " +
                "and claim the home for a verifier to check, or ask the owners' committee to update the register.");
        if (await db.Users.AnyAsync(u => u.UserName == phone || u.Phone == phone, ct)) return SignUpApi.PhoneTaken();
        // The phone must be one the person holds: it is the user name and where reset codes go (a mistyped one would lock them out).
        // Checked after the letter, so that a wrong letter code does not spend the phone code.
        await PhoneCodes.UseAsync(db, phone, CodePurpose.Activate, request.PhoneCode, now, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Single use: of two activations at once, one UPDATE finds the letter unused.
        if (await db.ActivationLetters.Where(l => l.Id == letter.Id && l.UsedAt == null && l.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct) == 0)
            return bad;
        var user = new User(Guid.CreateVersion7(now), phone, owner.Name, "");
        user.SetPassword(hasher.HashPassword(user, request.Password!));
        user.ProvePhone(phone, now);
        user.LinkOwner(owner.OwnerId);
        user.Grant(Role.Resident, letter.BuildingId);
        db.Users.Add(user);
        var claim = new HomeClaim(Guid.CreateVersion7(now), user.Id, letter.UnitId, letter.BuildingId, ClaimRelation.Owner, "邀请函激活", now);
        claim.Verify(null, owner.OwnerId, now);
        db.HomeClaims.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("claimConflict", "这位业主或这个手机号刚刚开通了账号，请刷新后再试。",
                "This owner or phone number has just been given an account; refresh and try again.");
        }
        await db.ActivationLetters.Where(l => l.Id == letter.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedById, user.Id), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created("/api/auth/me", new SignedUp(user.Id, user.UserName));
    }
}
