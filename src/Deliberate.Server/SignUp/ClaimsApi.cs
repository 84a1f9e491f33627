using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.SignUp;

public sealed record ClaimRequest(Guid BuildingId, string? Entrance, string? Room, ClaimRelation Relation, string? IdLast4, string? Note);
/// <summary>A home claim; <c>ClaimantPhone</c> only in the verifier's queue, masked but for the last four digits.</summary>
public sealed record ClaimView(Guid Id, ClaimStatus Status, ClaimRelation Relation, Guid UnitId, string Unit, Guid BuildingId, string Building,
    string Community, string ClaimantName, string? ClaimantPhone, string? Note, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt,
    string? RefusalReason, bool Owner, IReadOnlyList<RegisterOwnerView> RegisterOwners);
/// <summary>An owner of the claimed unit as the register lists them (for the verifier; the ID digits are never shown).</summary>
public sealed record RegisterOwnerView(Guid Id, string Name, bool HasAccount);
public sealed record BuildingChoice(Guid Id, string Name, string Community);
public sealed record VerifyRequest(Guid? OwnerId);
public sealed record RefuseRequest(string? Reason);

/// <summary>Who decides a home claim: the grid worker of the building's grid, the property company, or an administrator there.</summary>
public static class HomeClaimAccess
{
    public static bool MayDecide(Caller caller, string buildingPath) =>
        caller.AdministersAt(buildingPath) || caller.Holds(Role.GridWorker, buildingPath) || caller.Holds(Role.PropertyCompany, buildingPath);

    /// <summary>The paths under which the caller decides claims.</summary>
    public static IEnumerable<string> DecidingPaths(Caller caller) => caller.AdminPaths
        .Concat(caller.Grants.Where(g => g.Role is Role.GridWorker or Role.PropertyCompany).Select(g => g.Path));
}

/// <summary>
/// Claiming a home. An owner who gives the unit's 房号 and the last four characters of their ID card as the register has
/// them — and whose account's phone is the register's, when the register has one — is linked to that owner at once and
/// may vote. Everyone else (tenants, family, an owner whose phone differs or whose register line has no ID digits) waits
/// for the verifier's queue. Any claim makes the account a resident of the building, who may raise matters there.
/// </summary>
public static class ClaimsApi
{
    public static void MapClaimsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/me/claims").WithTags("Home claims").RequireAuthorization();
        mine.MapGet("/", Mine).WithSummary("My home claims.");
        mine.MapPost("/", Claim).RequireRateLimiting(AuthApi.SignInRateLimit)
            .WithSummary("Claim a home: an owner whose ID digits match the register is verified at once; other claims wait for a verifier.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.IdMismatch, ProblemCodes.ClaimLocked, ProblemCodes.ClaimConflict,
                ProblemCodes.OtherOwner);
        mine.MapGet("/buildings", Buildings).WithSummary("Buildings to claim a home in, found by name (community or building).");

        var queue = app.MapGroup("/api/claims").WithTags("Home claims").RequireAuthorization();
        queue.MapGet("/", Queue)
            .WithSummary("Home claims in the buildings where the caller verifies (grid worker, property company, administrator).");
        queue.MapPost("/{id:guid}/verify", Verify)
            .WithSummary("Verify a claim; for an owner's claim, name the register's owner the account becomes.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Forbidden, ProblemCodes.ClaimDecided, ProblemCodes.ClaimConflict,
                ProblemCodes.OtherOwner);
        queue.MapPost("/{id:guid}/refuse", Refuse).WithSummary("Refuse a claim, with a reason the claimant sees.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Forbidden, ProblemCodes.ClaimDecided);
    }

    static async Task<Ok<List<ClaimView>>> Mine(Caller caller, DeliberateDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ViewsAsync(db, db.HomeClaims.Where(c => c.UserId == caller.Id), forVerifier: false, ct));

    static async Task<Ok<List<BuildingChoice>>> Buildings(string? search, DeliberateDbContext db, CancellationToken ct)
    {
        var text = (search ?? "").Trim();
        var buildings = await (from b in db.OrgUnits.AsNoTracking()
                               where b.Level == OrgLevel.Building && b.RetiredAt == null
                               select new { b.Id, b.Name, b.Path }).ToListAsync(ct);
        var communities = await db.OrgUnits.AsNoTracking().Where(o => o.Level == OrgLevel.Community)
            .Select(o => new { o.Path, o.Name }).ToListAsync(ct);
        return TypedResults.Ok(buildings
            .Select(b => new BuildingChoice(b.Id, b.Name,
                communities.FirstOrDefault(c => b.Path.StartsWith(c.Path, StringComparison.Ordinal))?.Name ?? ""))
            .Where(b => text.Length == 0 || b.Name.Contains(text, StringComparison.Ordinal) || b.Community.Contains(text, StringComparison.Ordinal))
            .OrderBy(b => b.Community, StringComparer.Ordinal).ThenBy(b => b.Name, StringComparer.Ordinal).Take(50).ToList());
    }

    static async Task<Results<Ok<ClaimView>, ProblemHttpResult, ValidationProblem>> Claim(ClaimRequest request, Caller caller,
        HttpContext http, DeliberateDbContext db, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var errors = new FieldErrors();
        errors.Required("room", request.Room, "房号", "Room");
        errors.MaxLength("note", request.Note, 500, "说明", "Note");
        var idLast4 = (request.IdLast4 ?? "").Trim().ToUpperInvariant();
        if (request.Relation == ClaimRelation.Owner && (idLast4.Length != 4 || !idLast4.All(c => char.IsAsciiDigit(c) || c == 'X')))
            errors.Add("idLast4", "请填写身份证号后四位（数字或 X）。", "Enter the last four characters of the ID card (digits or X).");
        if (errors.Any) return errors.ToProblem();

        var building = await db.OrgUnits.AsNoTracking()
            .FirstOrDefaultAsync(o => o.Id == request.BuildingId && o.Level == OrgLevel.Building && o.RetiredAt == null, ct);
        if (building is null) return Problems.NotFound("楼栋", "Building");
        var room = request.Room!.Trim();
        var entrance = (request.Entrance ?? "").Trim();
        // 房号 as the register writes it; units from before the register kept it are numbered "楼-房号".
        var units = await db.PropertyUnits.AsNoTracking().Include(u => u.Owners).ThenInclude(o => o.Owner)
            .Where(u => u.BuildingId == building.Id && u.RetiredAt == null
                && ((u.Room == room && (entrance == "" || u.Entrance == entrance)) || (u.Room == "" && u.Number.EndsWith("-" + room))))
            .ToListAsync(ct);
        if (units.Count != 1)
            return Problems.NotFound(units.Count == 0 ? "房号" : "房号（请同时填写单元）", units.Count == 0 ? "Room" : "Room (give the entrance too)");
        var unit = units[0];
        var now = clock.GetUtcNow();
        var user = await db.Users.Include(u => u.Roles).FirstAsync(u => u.Id == caller.Id, ct);

        string? reason = null;
        Guid? verifiedOwner = null;
        if (request.Relation == ClaimRelation.Owner)
        {
            // Every try counts before the digits are compared: of tries sent at once, at most five are compared.
            var attempt = new ClaimAttempt(Guid.CreateVersion7(now), unit.Id, user.Id, now);
            db.ClaimAttempts.Add(attempt);
            await db.SaveChangesAsync(ct);
            var since = now - ClaimAttempt.Window;
            // The account's own limit comes first: its tries then stop counting against other people's units.
            if (await db.ClaimAttempts.CountAsync(a => a.UserId == user.Id && a.At > since, ct) > ClaimAttempt.TriesPerAccount)
            {
                await db.ClaimAttempts.Where(a => a.Id == attempt.Id).ExecuteDeleteAsync(ct);
                return Problems.Of(429, "claimLocked", "此账号今天的证件号尝试次数过多，已暂停自助认证 24 小时，请明天再试；" +
                    "您已提交的认证申请仍由网格员或物业核实。",
                    "This account has made too many ID tries today: self-verification is paused for 24 hours; try again tomorrow. " +
                    "The claims you have made still go to the grid worker or property company.");
            }
            // Someone's wrong tries paused this unit's self-verification: the digits are not compared (no more guesses), and the
            // claim waits for a verifier instead — the real owner is not shut out by a neighbour. One open claim per account
            // and unit (the unique index below), so the queue takes one line per account, however often it asks.
            if (await db.ClaimAttempts.CountAsync(a => a.UnitId == unit.Id && a.At > since, ct) > ClaimAttempt.TriesBeforeLock)
            {
                // Nothing was compared: this try neither counts against the account nor keeps the unit paused longer.
                await db.ClaimAttempts.Where(a => a.Id == attempt.Id).ExecuteDeleteAsync(ct);
                reason = ClaimLockedNote;
            }
            else
            {
                var withDigits = unit.Owners.Select(o => o.Owner!).Where(o => !string.IsNullOrEmpty(o.IdLast4)).ToList();
                var match = withDigits.FirstOrDefault(o => string.Equals(o.IdLast4, idLast4, StringComparison.OrdinalIgnoreCase));
                if (withDigits.Count > 0 && match is null)
                    return Problems.BadRequest("idMismatch", "房号与证件号后四位和业主名册不符。", "The room and ID digits do not match the owners' register.");
                await db.ClaimAttempts.Where(a => a.UnitId == unit.Id).ExecuteDeleteAsync(ct);
                if (match is null) reason = "名册中没有此房屋业主的证件号，需人工核实。";
                // The digits name an owner; the account must be that owner's, by name too (digits alone can be learned).
                else if (!SameName(match.Name, user.DisplayName))
                    reason = "姓名与名册上的业主不符，需人工核实。";
                else if (await db.Users.AnyAsync(u => u.OwnerId == match.Id && u.Id != user.Id, ct)) reason = "该业主已有账号，需人工核实。";
                else if (match.Phone is { Length: > 0 } registered && registered != user.Phone) reason = "手机号与名册不一致，需人工核实。";
                else if (user.OwnerId is { } other && other != match.Id) reason = "此账号已认证为另一位业主，需人工核实。";
                else verifiedOwner = match.Id;
            }
        }

        var existing = await db.HomeClaims
            .FirstOrDefaultAsync(c => c.UserId == user.Id && c.UnitId == unit.Id && c.Status != ClaimStatus.Refused, ct);
        if (existing is { Status: ClaimStatus.Verified })
            return Problems.Conflict("claimConflict", "您已认证过这套房屋。", "You are already verified for this unit.");
        var claim = existing ?? new HomeClaim(Guid.CreateVersion7(now), user.Id, unit.Id, building.Id, request.Relation,
            Join(request.Note, reason), now);
        if (existing is null) db.HomeClaims.Add(claim);
        if (verifiedOwner is { } ownerId)
        {
            claim.Verify(null, ownerId, now);
            user.LinkOwner(ownerId);
        }
        if (!user.Roles.Any(r => r.Role == Role.Resident && r.OrgUnitId == building.Id)) user.Grant(Role.Resident, building.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return ClaimConflict();
        }
        Caller.Sessions(http).ForgetUser(user.Id); // the new grant and owner apply from the next request
        return TypedResults.Ok((await ViewsAsync(db, db.HomeClaims.Where(c => c.Id == claim.Id), forVerifier: false, ct))[0]);
    }

    /// <summary>The verifier's note on an owner's claim made while the unit's self-verification is paused.</summary>
    public const string ClaimLockedNote = "自助认证已暂停，需人工核实。";

    /// <summary>Names compared as people write them: spaces (and the middle dot of some names) ignored, Latin letters in any case.</summary>
    static bool SameName(string a, string b)
    {
        static string Key(string s) => new([.. s.Where(c => !char.IsWhiteSpace(c) && c != '·' && c != '•').Select(char.ToLowerInvariant)]);
        return Key(a).Length > 0 && Key(a) == Key(b);
    }

    static string? Join(string? note, string? reason) =>
        string.Join(" ", new[] { note?.Trim(), reason }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } s
            ? s[..Math.Min(500, s.Length)]
            : null;

    static ProblemHttpResult ClaimConflict() => Problems.Conflict("claimConflict",
        "同一套房屋或同一位业主的认证刚刚被处理，请刷新后再试。", "The same unit or owner was just verified; refresh and try again.");

    /// <summary>The queue; <c>status</c> in any case (the API's JSON writes it camelCase: pending, verified, refused).</summary>
    static async Task<Results<Ok<List<ClaimView>>, ValidationProblem>> Queue(string? status, Caller caller, DeliberateDbContext db,
        CancellationToken ct)
    {
        var wanted = ClaimStatus.Pending;
        if (!string.IsNullOrWhiteSpace(status)
            && !(Enum.TryParse(status.Trim(), ignoreCase: true, out wanted) && Enum.IsDefined(wanted) && !int.TryParse(status, out _)))
        {
            var errors = new FieldErrors();
            errors.Add("status", "状态应为 pending、verified 或 refused。", "The status is one of pending, verified or refused.");
            return errors.ToProblem();
        }
        var paths = HomeClaimAccess.DecidingPaths(caller).ToList();
        var buildings = db.OrgUnits.Under(paths, OrgLevel.Building).Select(b => b.Id);
        return TypedResults.Ok(await ViewsAsync(db, db.HomeClaims.Where(c => buildings.Contains(c.BuildingId) && c.Status == wanted),
            forVerifier: true, ct));
    }

    static async Task<(HomeClaim? Claim, ProblemHttpResult? Problem)> DecidableAsync(Guid id, Caller caller, DeliberateDbContext db,
        CancellationToken ct)
    {
        var claim = await db.HomeClaims.FirstOrDefaultAsync(c => c.Id == id, ct);
        var path = claim is null ? null : await db.OrgUnits.Where(o => o.Id == claim.BuildingId).Select(o => o.Path).FirstOrDefaultAsync(ct);
        // Outside the caller's area a claim does not exist for them.
        if (claim is null || path is null || !(HomeClaimAccess.MayDecide(caller, path) || caller.IsStaffAt(path)))
            return (null, Problems.NotFound("认证申请", "Claim"));
        if (!HomeClaimAccess.MayDecide(caller, path) || claim.UserId == caller.Id)
            return (null, Problems.Forbidden("forbidden", "只有该楼栋所在网格的网格员或物业公司可以核实认证申请，且不能核实自己的申请。",
                "Only the grid worker of the building's grid or the property company may decide claims, and never their own."));
        return (claim, null);
    }

    static async Task<Results<Ok<ClaimView>, ProblemHttpResult, ValidationProblem>> Verify(Guid id, VerifyRequest request, Caller caller,
        HttpContext http, DeliberateDbContext db, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var (claim, problem) = await DecidableAsync(id, caller, db, ct);
        if (problem is not null) return problem;
        Guid? ownerId = null;
        if (claim!.Relation == ClaimRelation.Owner)
        {
            var owners = await db.UnitOwnerships.Where(o => o.UnitId == claim.UnitId).Select(o => o.OwnerId).ToListAsync(ct);
            ownerId = request.OwnerId ?? (owners.Count == 1 ? owners[0] : null);
            if (ownerId is null || !owners.Contains(ownerId.Value))
            {
                var errors = new FieldErrors();
                errors.Add("ownerId", "请选择名册上这套房屋的一位业主。", "Choose one of the unit's owners on the register.");
                return errors.ToProblem();
            }
        }
        else if (request.OwnerId is not null)
        {
            var errors = new FieldErrors();
            errors.Add("ownerId", "家属或租户不能认证为业主。", "A family member or tenant cannot be verified as an owner.");
            return errors.ToProblem();
        }
        var now = clock.GetUtcNow();
        claim.Verify(caller.Id, ownerId, now);
        if (ownerId is { } owner)
        {
            var user = await db.Users.FirstAsync(u => u.Id == claim.UserId, ct);
            user.LinkOwner(owner);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw HomeClaim.Decided(); // another verifier decided it meanwhile; nothing of this one was written
        }
        catch (DbUpdateException)
        {
            return ClaimConflict();
        }
        Caller.Sessions(http).ForgetUser(claim.UserId);
        return TypedResults.Ok((await ViewsAsync(db, db.HomeClaims.Where(c => c.Id == claim.Id), forVerifier: true, ct))[0]);
    }

    static async Task<Results<Ok<ClaimView>, ProblemHttpResult, ValidationProblem>> Refuse(Guid id, RefuseRequest request, Caller caller,
        HttpContext http, DeliberateDbContext db, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var errors = new FieldErrors();
        errors.Required("reason", request.Reason, "理由", "Reason");
        errors.MaxLength("reason", request.Reason, 500, "理由", "Reason");
        if (errors.Any) return errors.ToProblem();
        var (claim, problem) = await DecidableAsync(id, caller, db, ct);
        if (problem is not null) return problem;
        claim!.Refuse(caller.Id, request.Reason!.Trim(), clock.GetUtcNow());
        // No other claim in the building left: the account is no longer a resident there.
        var user = await db.Users.Include(u => u.Roles).FirstAsync(u => u.Id == claim.UserId, ct);
        if (!await db.HomeClaims.AnyAsync(c => c.UserId == user.Id && c.BuildingId == claim.BuildingId && c.Id != claim.Id
                && c.Status != ClaimStatus.Refused, ct))
            user.Revoke(Role.Resident, claim.BuildingId);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw HomeClaim.Decided();
        }
        Caller.Sessions(http).ForgetUser(user.Id);
        return TypedResults.Ok((await ViewsAsync(db, db.HomeClaims.Where(c => c.Id == claim.Id), forVerifier: true, ct))[0]);
    }

    /// <summary>The last four digits only: enough to match a call or a face at the door, not a number to pass on.</summary>
    public static string? MaskPhone(string? phone) =>
        phone is not { Length: > 4 } ? phone : new string('*', phone.Length - 4) + phone[^4..];

    static async Task<List<ClaimView>> ViewsAsync(DeliberateDbContext db, IQueryable<HomeClaim> claims, bool forVerifier, CancellationToken ct)
    {
        var rows = await (from c in claims.AsNoTracking()
                          join u in db.PropertyUnits.AsNoTracking() on c.UnitId equals u.Id
                          join b in db.OrgUnits.AsNoTracking() on c.BuildingId equals b.Id
                          join user in db.Users.AsNoTracking() on c.UserId equals user.Id
                          orderby c.CreatedAt
                          select new { Claim = c, u.Number, Building = b.Name, b.Path, user.DisplayName, user.Phone })
            .Take(500).ToListAsync(ct);
        var unitIds = rows.Select(r => r.Claim.UnitId).Distinct().ToList();
        var owners = forVerifier
            ? await (from o in db.UnitOwnerships.AsNoTracking()
                     join w in db.Owners.AsNoTracking() on o.OwnerId equals w.Id
                     where unitIds.Contains(o.UnitId)
                     select new { o.UnitId, w.Id, w.Name, HasAccount = db.Users.Any(u => u.OwnerId == w.Id) }).ToListAsync(ct)
            : [];
        var communities = await db.OrgUnits.AsNoTracking().Where(o => o.Level == OrgLevel.Community).Select(o => new { o.Path, o.Name })
            .ToListAsync(ct);
        return rows.Select(r => new ClaimView(r.Claim.Id, r.Claim.Status, r.Claim.Relation, r.Claim.UnitId, r.Number, r.Claim.BuildingId, r.Building,
            communities.FirstOrDefault(c => r.Path.StartsWith(c.Path, StringComparison.Ordinal))?.Name ?? "", r.DisplayName,
            forVerifier ? MaskPhone(r.Phone) : null, r.Claim.Note, r.Claim.CreatedAt, r.Claim.DecidedAt, r.Claim.RefusalReason,
            r.Claim.OwnerId is not null,
            owners.Where(o => o.UnitId == r.Claim.UnitId).Select(o => new RegisterOwnerView(o.Id, o.Name, o.HasAccount)).ToList())).ToList();
    }
}
