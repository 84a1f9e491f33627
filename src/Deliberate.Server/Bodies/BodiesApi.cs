using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Bodies;

public sealed record BodyMemberView(Guid Id, string Name, string Position, Guid? UserId, string? Phone, bool Delegate);
public sealed record BodyTermView(Guid Id, DateOnly StartsOn, DateOnly EndsOn, DateOnly? ReplacedOn, bool Current,
    IReadOnlyList<BodyMemberView> Members);
/// <param name="TermState">current, expired (the last term ran out: 任期届满未换届), notYetStarted or none.</param>
public sealed record BodyView(Guid Id, Guid CommunityId, string Kind, string Name, string? Contact, string? PartyOrganisation,
    DateTimeOffset? RetiredAt, string TermState, BodyTermView? CurrentTerm, IReadOnlyList<BodyTermView> Terms);
public sealed record CreateBodyRequest(string? Kind, string? Name, string? Contact, string? PartyOrganisation);
public sealed record ChangeBodyRequest(string? Name, string? Contact, string? PartyOrganisation);
public sealed record TermMemberRequest(string? Name, string? Position, Guid? UserId, string? Phone, bool? Delegate);
public sealed record AddTermRequest(DateOnly? StartsOn, DateOnly? EndsOn, IReadOnlyList<TermMemberRequest>? Members);
/// <summary>An account with a role at the community or under it, which a term's member can be linked to.</summary>
public sealed record StaffAccountView(Guid Id, string UserName, string DisplayName);
public sealed record InviteeView(string Party, string Name, Guid? UserId, string Role, bool Chair);

/// <summary>组织与成员: a community's owners' committee, residents' committee, property companies and resident units, with their terms.</summary>
public static class BodiesApi
{
    public const int MaxName = 200;

    public static void MapBodiesApi(this IEndpointRouteBuilder app)
    {
        var community = app.MapGroup("/api/communities/{id:guid}").WithTags("Bodies").RequireAuthorization();
        community.MapGet("/bodies", List).WithSummary("The community's bodies, each with its current term and the terms before it.")
            .Problems(ProblemCodes.NotFound);
        community.MapPost("/bodies", Create).WithSummary("Record a body (the party secretary or an administrator over the community).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.BodyExists);
        community.MapGet("/staff", Staff)
            .WithSummary("Active accounts with a role at or under the community, to link a term's member to (for the register's keepers).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        community.MapGet("/four-party-invitees", Invitees)
            .WithSummary("Who a four-party meeting of the community invites by default: each party's chair or delegate of its current term.")
            .Problems(ProblemCodes.NotFound);

        var bodies = app.MapGroup("/api/bodies").WithTags("Bodies").RequireAuthorization();
        bodies.MapPut("/{id:guid}", Change).WithSummary("Change a body's name, contact or party organisation.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.Conflict);
        bodies.MapPost("/{id:guid}/terms", AddTerm)
            .WithSummary("Record a new term (换届) or contract period with its members: they replace the previous term's from its first day.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.Conflict, ProblemCodes.TermDates,
                ProblemCodes.TermTooLong, ProblemCodes.OneChair, ProblemCodes.MemberTwice, ProblemCodes.CommitteeSize, ProblemCodes.TermOutOfOrder,
                ProblemCodes.BodyRetired);
        bodies.MapPost("/{id:guid}/retire", Retire).WithSummary("Retire a body (its history stays).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.Conflict);
    }

    static async Task<Results<Ok<List<BodyView>>, ProblemHttpResult>> List(Guid id, Caller caller, DeliberateDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var community = await CommunityAsync(db, id, ct);
        if (community is null || !BodyAccess.MayRead(caller, community.Path)) return Problems.NotFound("社区", "community");
        var list = await db.Bodies.AsNoTracking().Include(b => b.Terms).ThenInclude(t => t.Members)
            .Where(b => b.CommunityId == id).AsSplitQuery().ToListAsync(ct);
        var today = ChinaTime.Today(clock.GetUtcNow());
        return TypedResults.Ok(list.OrderBy(b => b.RetiredAt is not null).ThenBy(b => b.Kind).ThenBy(b => b.Name, StringComparer.Ordinal)
            .Select(b => View(b, today)).ToList());
    }

    static async Task<Results<Created<BodyView>, ValidationProblem, ProblemHttpResult>> Create(Guid id, CreateBodyRequest request, Caller caller,
        DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var community = await CommunityAsync(db, id, ct);
        if (community is null || !BodyAccess.MayRead(caller, community.Path)) return Problems.NotFound("社区", "community");
        if (!BodyAccess.MayManage(caller, community.Path)) return NotKeeper();
        var errors = new FieldErrors();
        if (!EnumCodes.TryParseCode(request.Kind, out BodyKind kind))
            errors.Add("kind", "请选择组织类别（ownersCommittee、residentsCommittee、propertyCompany、residentUnit）。",
                "Choose the kind: ownersCommittee, residentsCommittee, propertyCompany or residentUnit.");
        CheckHeader(errors, request.Name, request.Contact, request.PartyOrganisation);
        if (errors.Any) return errors.ToProblem();
        // A community has one owners' committee and one residents' committee at a time; companies and units may be several.
        if (kind is BodyKind.OwnersCommittee or BodyKind.ResidentsCommittee
            && await db.Bodies.AnyAsync(b => b.CommunityId == id && b.Kind == kind && b.RetiredAt == null, ct))
            return Problems.Conflict("bodyExists", "该社区已登记此委员会，请为其登记新一届（换届），或先撤销原记录。",
                "The community already has this committee: record a new term for it, or retire the old record first.");
        var now = clock.GetUtcNow();
        var body = new Body(Guid.CreateVersion7(now), id, kind, request.Name!.Trim(), Trimmed(request.Contact), Trimmed(request.PartyOrganisation),
            now);
        db.Bodies.Add(body);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/communities/{id}/bodies", View(body, ChinaTime.Today(now)));
    }

    static async Task<Results<Ok<BodyView>, ValidationProblem, ProblemHttpResult>> Change(Guid id, ChangeBodyRequest request, Caller caller,
        DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (body, problem) = await ForManagerAsync(db, caller, id, ct);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        CheckHeader(errors, request.Name, request.Contact, request.PartyOrganisation);
        if (errors.Any) return errors.ToProblem();
        body!.Change(request.Name!.Trim(), Trimmed(request.Contact), Trimmed(request.PartyOrganisation));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(body, ChinaTime.Today(clock.GetUtcNow())));
    }

    static async Task<Results<Created<BodyView>, ValidationProblem, ProblemHttpResult>> AddTerm(Guid id, AddTermRequest request, Caller caller,
        DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (body, problem) = await ForManagerAsync(db, caller, id, ct);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        if (request.StartsOn is null) errors.Add("startsOn", "请填写开始日期。", "Give the first day.");
        if (request.EndsOn is null) errors.Add("endsOn", "请填写结束日期。", "Give the last day.");
        var members = new List<BodyTerm.NewMember>();
        var requested = request.Members ?? [];
        if (requested.Count > 50) errors.Add("members", "一届最多登记50名成员。", "A term has at most 50 members.");
        var userIds = requested.Where(m => m.UserId is not null).Select(m => m.UserId!.Value).Distinct().ToList();
        // Only the community's own staff (what /staff lists): a linked member is invited to its meetings and reads them.
        var community = await CommunityAsync(db, body!.CommunityId, ct);
        var users = await LinkableStaff(db, community!.Path).Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, ct);
        for (var i = 0; i < requested.Count && i < 50; i++)
        {
            var m = requested[i];
            var field = $"members[{i}]";
            var user = m.UserId is { } uid && users.TryGetValue(uid, out var found) ? found : null;
            if (m.UserId is not null && user is null)
                errors.Add($"{field}.userId", "只能关联本社区在职工作人员的账号。", "Only an active staff account of this community can be linked.");
            var name = Trimmed(m.Name) ?? user?.DisplayName;
            if (name is null) errors.Add($"{field}.name", "请填写成员姓名。", "Give the member's name.");
            else if (name.Length > 100) errors.Add($"{field}.name", "姓名最多100个字。", "A name has at most 100 characters.");
            if (Trimmed(m.Phone) is { Length: > 32 }) errors.Add($"{field}.phone", "电话最多32个字符。", "A phone number has at most 32 characters.");
            MemberPosition position = MemberPosition.Member;
            if (m.Position is not null && !EnumCodes.TryParseCode(m.Position, out position))
                errors.Add($"{field}.position", "职务应为 chair（主任/负责人）、viceChair（副主任）或 member（委员/工作人员）。",
                    "Position is chair, viceChair or member.");
            if (name is not null) members.Add(new BodyTerm.NewMember(name, position, m.UserId, Trimmed(m.Phone), m.Delegate ?? false));
        }
        if (errors.Any) return errors.ToProblem();
        var now = clock.GetUtcNow();
        var term = body!.AddTerm(Guid.CreateVersion7(now), request.StartsOn!.Value, request.EndsOn!.Value, members, () => Guid.CreateVersion7(now));
        db.BodyTerms.Add(term); // explicitly: a child with its key set, found by navigation, would read as an update
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/communities/{body.CommunityId}/bodies", View(body, ChinaTime.Today(now)));
    }

    static async Task<Results<Ok<BodyView>, ProblemHttpResult>> Retire(Guid id, Caller caller, DeliberateDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var (body, problem) = await ForManagerAsync(db, caller, id, ct);
        if (problem is not null) return problem;
        var now = clock.GetUtcNow();
        body!.Retire(now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(body, ChinaTime.Today(now)));
    }

    static async Task<Results<Ok<List<InviteeView>>, ProblemHttpResult>> Invitees(Guid id, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var community = await CommunityAsync(db, id, ct);
        if (community is null || !BodyAccess.MayRead(caller, community.Path)) return Problems.NotFound("社区", "community");
        var invitees = await FourPartyInvitees.ForAsync(db, community, ChinaTime.Today(clock.GetUtcNow()), ct);
        return TypedResults.Ok(invitees.Select(i => new InviteeView(i.Party, i.Name, i.UserId, i.Role.Code(), i.Chair)).ToList());
    }

    static async Task<Results<Ok<List<StaffAccountView>>, ProblemHttpResult>> Staff(Guid id, Caller caller, DeliberateDbContext db,
        CancellationToken ct)
    {
        var community = await CommunityAsync(db, id, ct);
        if (community is null || !BodyAccess.MayRead(caller, community.Path)) return Problems.NotFound("社区", "community");
        if (!BodyAccess.MayManage(caller, community.Path)) return NotKeeper();
        // The keeper of the register need not administer accounts (/api/users is for administrators): this lists only staff who may be linked.
        var users = await LinkableStaff(db, community.Path).Select(u => new StaffAccountView(u.Id, u.UserName, u.DisplayName)).ToListAsync(ct);
        return TypedResults.Ok(users.OrderBy(u => u.UserName, StringComparer.Ordinal).ToList());
    }

    /// <summary>The accounts a member may be linked to: active, with a staff role at the community or under it.</summary>
    static IQueryable<User> LinkableStaff(DeliberateDbContext db, string communityPath)
    {
        var nodes = db.OrgUnits.Under([communityPath]).Select(o => o.Id);
        return db.Users.AsNoTracking()
            .Where(u => u.DeactivatedAt == null && u.Roles.Any(r => r.Role != Role.Resident && nodes.Contains(r.OrgUnitId)));
    }

    static async Task<(Body?, ProblemHttpResult?)> ForManagerAsync(DeliberateDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        var body = await db.Bodies.Include(b => b.Terms).ThenInclude(t => t.Members).AsSplitQuery().FirstOrDefaultAsync(b => b.Id == id, ct);
        var community = body is null ? null : await CommunityAsync(db, body.CommunityId, ct);
        if (body is null || community is null || !BodyAccess.MayRead(caller, community.Path)) return (null, Problems.NotFound("组织", "body"));
        if (!BodyAccess.MayManage(caller, community.Path)) return (null, NotKeeper());
        return (body, null);
    }

    static ProblemHttpResult NotKeeper() => Problems.Forbidden("forbidden",
        "只有社区党组织书记或上级管理员可以登记组织与成员（业委会成员由选举产生、向社区备案，不能自行修改）。",
        "Only the community's party secretary or an administrator over it records bodies and members (an owners' committee is elected and "
            + "filed with the community; it does not edit its own membership).");

    static Task<OrgUnit?> CommunityAsync(DeliberateDbContext db, Guid id, CancellationToken ct) =>
        db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Community, ct);

    static void CheckHeader(FieldErrors errors, string? name, string? contact, string? partyOrganisation)
    {
        if (string.IsNullOrWhiteSpace(name)) errors.Add("name", "请填写名称。", "Give the name.");
        else if (name.Trim().Length > MaxName) errors.Add("name", $"名称最多{MaxName}个字。", $"A name has at most {MaxName} characters.");
        if (contact?.Trim().Length > MaxName) errors.Add("contact", $"联系方式最多{MaxName}个字。", $"A contact has at most {MaxName} characters.");
        if (partyOrganisation?.Trim().Length > MaxName)
            errors.Add("partyOrganisation", $"党组织名称最多{MaxName}个字。", $"A party organisation's name has at most {MaxName} characters.");
    }

    static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static BodyView View(Body b, DateOnly today)
    {
        var current = b.TermOn(today);
        var terms = b.Terms.OrderByDescending(t => t.StartsOn).Select(t => Term(t, t == current)).ToList();
        return new BodyView(b.Id, b.CommunityId, b.Kind.Code(), b.Name, b.Contact, b.PartyOrganisation, b.RetiredAt, b.StateOn(today).Code(),
            current is null ? null : Term(current, true), terms);
    }

    static BodyTermView Term(BodyTerm t, bool current) => new(t.Id, t.StartsOn, t.EndsOn, t.ReplacedOn, current,
        t.Members.OrderBy(m => m.Position).ThenBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => new BodyMemberView(m.Id, m.Name, m.Position.Code(), m.UserId, m.Phone, m.Delegate)).ToList());
}
