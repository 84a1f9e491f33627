using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Meetings;
using Deliberate.Server.Organisation;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Consultations;

public sealed record InviteeRequest(string? Party, string? Name, Guid? UserId);
public sealed record CreateConsultationRequest(Guid? OrgUnitId, string? Title, string? Question, DateTimeOffset? ClosesAt,
    List<InviteeRequest?>? Invitees, Guid? ResidentsScopeId, Guid? MeetingId, Guid? MatterId);
public sealed record AnswerRequest(Guid? InviteeId, string? Position, string? Text);

public sealed record ConsultationInviteeView(Guid Id, string Party, string PartyName, string Name, Guid? UserId, bool Answered);
public sealed record ConsultationResponseView(Guid Id, Guid? InviteeId, string Party, string PartyName, string Name, PersonView AnsweredBy,
    ConsultationPosition Position, string PositionName, string? Text, DateTimeOffset At);
public sealed record PositionCounts(int Agree, int Disagree, int Abstain, int Comment);
public sealed record ConsultationSummary(Guid Id, PlaceView Community, string Title, DateTimeOffset OpensAt, DateTimeOffset ClosesAt,
    ConsultationStatus Status,
    string StatusName, int Answered);
/// <summary>A consultation is not secret: everyone who may see it sees who answered what.</summary>
public sealed record ConsultationView(Guid Id, PlaceView Community, string Title, string Question, DateTimeOffset OpensAt, DateTimeOffset ClosesAt,
    ConsultationStatus Status, string StatusName, DateTimeOffset? ClosedAt, PlaceView? ResidentsScope, Guid? MeetingId, Guid? MatterId,
    IReadOnlyList<ConsultationInviteeView> Invitees, int Expected, int Answered, PositionCounts Counts,
    IReadOnlyList<ConsultationResponseView> Responses,
    IReadOnlyList<Guid> CanAnswerFor, bool CanAnswerAsResident);

/// <summary>The services the consultation endpoints that write take (bound with [AsParameters]).</summary>
public sealed record ConsultationServices(DeliberateDbContext Db, WorkflowEngine Engine, Deadlines Deadlines, TimeProvider Clock);

/// <summary>
/// Written consultation (书面征求意见): the parties — and, when asked, every resident of a scope — answer
/// within a window, once each. It closes at the deadline or as soon as everyone has answered, and then
/// resumes the workflows waiting for it.
/// </summary>
public static class ConsultationsApi
{
    public const int MaxQuestion = 4000, MaxAnswer = 4000;

    public static RouteGroupBuilder MapConsultationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations").WithTags("Consultations").RequireAuthorization();
        group.MapPost("/", Create).RequireRole(MeetingAccess.OrganiserRoles)
            .WithSummary("Start a written consultation of parties and, optionally, the residents of a scope.")
            .Problems(ProblemCodes.Validation);
        group.MapGet("/", List).WithSummary("Consultations the caller may see, newest first.")
            .Problems(ProblemCodes.Validation);
        group.MapGet("/{id:guid}", Get).WithSummary("One consultation with who answered what.")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/responses", Answer)
            .WithSummary("Answer: an invited user for their entry, a holder of the party's role for a party entry, a resident of the scope for "
            + "themselves.")
            .Problems(ProblemCodes.InviteeRequired, ProblemCodes.Validation, ProblemCodes.NotInvited, ProblemCodes.NotInvitee,
                ProblemCodes.NotFound, ProblemCodes.AlreadyAnswered, ProblemCodes.Conflict, ProblemCodes.ConsultationClosed,
                ProblemCodes.ConsultationNotOpen, ProblemCodes.UnknownInvitee);
        return group;
    }

    static async Task<Results<Created<ConsultationView>, ValidationProblem, ProblemHttpResult>> Create(CreateConsultationRequest request,
        Caller caller,
        [AsParameters] ConsultationServices services, CancellationToken ct)
    {
        var (db, now) = (services.Db, services.Clock.GetUtcNow());
        var errors = new FieldErrors();
        OrgUnit? community = null;
        if (request.OrgUnitId is null) errors.Add("orgUnitId", "请选择社区。", "Choose the community.");
        else
        {
            community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.OrgUnitId && o.Level == OrgLevel.Community, ct);
            if (community is null || !MeetingAccess.MayConsult(caller, community.Path))
                errors.Add("orgUnitId", "社区不存在，或您不能在该社区征求意见。", "The community does not exist, or you cannot consult there.");
        }
        errors.Required("title", request.Title, "标题", "Title");
        errors.MaxLength("title", request.Title, MeetingsApi.MaxTitle, "标题", "Title");
        errors.Required("question", request.Question, "征求意见的内容", "Question");
        errors.MaxLength("question", request.Question, MaxQuestion, "征求意见的内容", "Question");
        if (request.ClosesAt is null) errors.Add("closesAt", "请填写截止时间。", "Give the deadline.");
        else if (request.ClosesAt <= now) errors.Add("closesAt", "截止时间应晚于现在。", "The deadline must be in the future.");

        var invitees = new List<(string Party, string Name, Guid? UserId)>();
        var requested = request.Invitees ?? [];
        for (var i = 0; i < requested.Count; i++)
        {
            var invitee = requested[i];
            var field = $"invitees[{i}]";
            if (invitee is null || !Parties.IsKnown(invitee.Party))
            {
                errors.Add($"{field}.party", $"请选择受邀方（{string.Join("、", Parties.All.Select(p => p.Code))}）。",
                    $"Choose the party ({string.Join(", ", Parties.All.Select(p => p.Code))}).");
                continue;
            }
            errors.MaxLength($"{field}.name", invitee.Name, MeetingsApi.MaxName, "名称", "Name");
            string? name = string.IsNullOrWhiteSpace(invitee.Name) ? null : invitee.Name.Trim();
            if (invitee.UserId is { } userId)
            {
                // An invitee reads the consultation: someone of this community (or above it), not another community's user.
                var userName = community is null || await References.UserOfAsync(db, userId, community.Path, ct)
                    ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
                if (userName is null) errors.Add($"{field}.userId", "用户不存在，或不属于本社区。", "The user does not exist or is not of this community.");
                name ??= userName;
            }
            else if (Parties.RoleFor(invitee.Party!) is null)
                errors.Add($"{field}.userId", "这一方没有对应的角色，请指定答复的用户。", "This party has no role of its own; name the user who answers.");
            if (invitees.Any(x => x.Party == invitee.Party && x.UserId == invitee.UserId))
                errors.Add(field, "受邀方重复。", "This invitee is listed twice.");
            invitees.Add((invitee.Party!, name ?? Parties.Name(invitee.Party!, english: false), invitee.UserId));
        }

        var residents = 0;
        if (request.ResidentsScopeId is { } scopeId && community is not null)
        {
            var scope = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == scopeId, ct);
            if (scope is null || !community.Contains(scope))
                errors.Add("residentsScopeId", "居民范围应为本社区或其下的网格、楼栋。", "The residents' scope must be the community or a grid or building in it.");
            else residents = (await MeetingAccess.ResidentsUnderAsync(db, scope.Path, ct)).Count;
        }
        if (!errors.Any && invitees.Count + residents == 0)
            errors.Add("invitees", "请至少邀请一方，或指定有居民的居民范围。", "Invite at least one party, or give a residents' scope with residents in it.");
        if (request.MeetingId is { } meetingId && community is not null
            && !await db.Meetings.AnyAsync(m => m.Id == meetingId && m.OrgUnitId == community.Id, ct))
            errors.Add("meetingId", "会议不存在，或不属于本社区。", "The meeting does not exist or is not of this community.");
        if (request.MatterId is { } matterId && community is not null && !await References.MatterUnderAsync(db, matterId, community.Path, ct))
            errors.Add("matterId", "事项不存在，或不属于本社区。", "The matter does not exist or is not of this community.");
        if (errors.Any) return errors.ToProblem();

        var consultation = new Consultation(Guid.CreateVersion7(now), community!.Id, request.Title!.Trim(), request.Question!.Trim(), now,
            request.ClosesAt!.Value, request.ResidentsScopeId, request.MeetingId, request.MatterId, caller.Id);
        foreach (var (party, name, userId) in invitees)
            consultation.Invitees.Add(new ConsultationInvitee(Guid.CreateVersion7(now), consultation.Id, party, name, userId));
        db.Consultations.Add(consultation);
        await NotifyInviteesAsync(db, consultation, community, now, ct);
        await db.SaveChangesAsync(ct);
        services.Deadlines.Schedule(ConsultationClosing.DeadlineKind, consultation.Id, consultation.ClosesAt); // after the commit
        return TypedResults.Created($"/api/consultations/{consultation.Id}", await ViewAsync(db, caller, consultation, community, ct));
    }

    /// <summary>
    /// Each invited party hears that its opinion is asked: the named user, else whoever holds the party's role in the community. The link
    /// leads to what the consultation is about (its meeting or matter), where the question is discussed.
    /// </summary>
    static async Task NotifyInviteesAsync(DeliberateDbContext db, Consultation consultation, OrgUnit community, DateTimeOffset now,
        CancellationToken ct)
    {
        var recipients = new List<Guid>();
        foreach (var invitee in consultation.Invitees)
            if (invitee.UserId is { } user) recipients.Add(user);
            else if (Parties.RoleFor(invitee.Party) is { } role)
                recipients.AddRange(await Notifications.Notify.RoleHoldersOverAsync(db, role, community.Id, ct));
        var link = consultation.MeetingId is { } meeting ? Notifications.Notify.Links.Meeting(meeting)
            : consultation.MatterId is { } matter ? Notifications.Notify.Links.Matter(matter) : null;
        var closes = ChinaTime.Minutes(consultation.ClosesAt);
        Notifications.Notify.Send(db, recipients, Notifications.NotificationKind.Consultation, $"征求意见：{consultation.Title}",
            $"Your opinion is asked: {consultation.Title}", $"{consultation.Question}（{closes} 前答复，北京时间）",
            $"{consultation.Question} (answer by {closes}, Beijing time)", link, now);
    }

    static async Task<Results<Ok<Paged<ConsultationSummary>>, ValidationProblem>> List(Caller caller, DeliberateDbContext db, CancellationToken ct,
        string? status = null, int page = 1, int pageSize = 20)
    {
        var errors = new FieldErrors();
        ConsultationStatus? statusFilter = null;
        if (status is not null)
        {
            if (EnumCodes.TryParseCode<ConsultationStatus>(status, out var s)) statusFilter = s;
            else errors.Add("status", "状态应为 open 或 closed。", "Status must be open or closed.");
        }
        Paging.Check(errors, page, pageSize);
        if (errors.Any) return errors.ToProblem();

        var query = await ConsultationAccess.VisibleAsync(db, caller, ct);
        if (statusFilter is { } st) query = query.Where(c => c.Status == st);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.OpensAt).Page(page, pageSize)
            .Select(c => new { Consultation = c, Answered = c.Responses.Count }).AsNoTracking().ToListAsync(ct);
        var communityIds = rows.Select(r => r.Consultation.OrgUnitId).Distinct().ToList();
        var communities = await db.OrgUnits.AsNoTracking().Where(o => communityIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var items = rows.Select(r =>
            new ConsultationSummary(r.Consultation.Id, new PlaceView(r.Consultation.OrgUnitId, communities[r.Consultation.OrgUnitId]),
            r.Consultation.Title, r.Consultation.OpensAt, r.Consultation.ClosesAt, r.Consultation.Status,
            StatusName(r.Consultation.Status), r.Answered)).ToList();
        return TypedResults.Ok(new Paged<ConsultationSummary>(items, total, page, pageSize));
    }

    static async Task<Results<Ok<ConsultationView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var (consultation, community, scopePath) = await LoadAsync(db, id, ct, tracking: false);
        if (consultation is null || !ConsultationAccess.CanSee(caller, consultation, community!.Path, scopePath)) return NotFound();
        return TypedResults.Ok(await ViewAsync(db, caller, consultation, community, ct));
    }

    static async Task<Results<Created<ConsultationView>, ValidationProblem, ProblemHttpResult>> Answer(Guid id, AnswerRequest request, Caller caller,
        [AsParameters] ConsultationServices services, CancellationToken ct)
    {
        var db = services.Db;
        var (consultation, community, scopePath) = await LoadAsync(db, id, ct);
        if (consultation is null || !ConsultationAccess.CanSee(caller, consultation, community!.Path, scopePath)) return NotFound();

        var errors = new FieldErrors();
        if (!EnumCodes.TryParseCode<ConsultationPosition>(request.Position, out var position))
            errors.Add("position", "请选择态度：agree（同意）、disagree（反对）、abstain（弃权）或 comment（提意见）。",
                "Choose a position: agree, disagree, abstain or comment.");
        errors.MaxLength("text", request.Text, MaxAnswer, "意见", "Text");
        if (position == ConsultationPosition.Comment) errors.Required("text", request.Text, "意见", "Text");
        ConsultationInvitee? named = null;
        if (request.InviteeId is { } inviteeId)
        {
            named = consultation.Invitees.FirstOrDefault(i => i.Id == inviteeId);
            if (named is null) errors.Add("inviteeId", "受邀方不在本次征求意见的名单中。", "That invitee is not on this consultation's list.");
        }
        if (errors.Any) return errors.ToProblem();

        var (invitee, refused) = ConsultationAccess.WhomAnswers(caller, consultation, named, community.Path, scopePath);
        if (refused is not null) return refused;

        var now = services.Clock.GetUtcNow();
        var response = consultation.Answer(Guid.CreateVersion7(now), invitee?.Id, caller.Id, position,
            string.IsNullOrWhiteSpace(request.Text) ? null : request.Text.Trim(), now);
        db.ConsultationResponses.Add(response);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A second answer raced the first past the check above; the unique index kept one.
            if (await AnsweredAsync(db, consultation.Id, invitee?.Id, caller.Id, ct))
                return Problems.Conflict("alreadyAnswered", "已经答复过了。", "This has already been answered.");
            throw;
        }

        await ConsultationClosing.CloseIfEveryoneAnsweredAsync(db, services.Engine, consultation, now, caller.Actor, ct);
        var (fresh, _, _) = await LoadAsync(db, id, ct, tracking: false);
        return TypedResults.Created($"/api/consultations/{id}", await ViewAsync(db, caller, fresh!, community, ct));
    }

    static async Task<bool> AnsweredAsync(DeliberateDbContext db, Guid consultationId, Guid? inviteeId, Guid userId, CancellationToken ct) =>
        inviteeId is { } invitee
            ? await db.ConsultationResponses.AsNoTracking().AnyAsync(r => r.ConsultationId == consultationId && r.InviteeId == invitee, ct)
            : await db.ConsultationResponses.AsNoTracking()
                .AnyAsync(r => r.ConsultationId == consultationId && r.InviteeId == null && r.UserId == userId, ct);

    static async Task<(Consultation?, OrgUnit?, string?)> LoadAsync(DeliberateDbContext db, Guid id, CancellationToken ct, bool tracking = true)
    {
        var query = db.Consultations.Include(c => c.Invitees).Include(c => c.Responses).AsSplitQuery();
        var consultation = await (tracking ? query : query.AsNoTracking()).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (consultation is null) return (null, null, null);
        var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == consultation.OrgUnitId, ct);
        var scopePath = consultation.ResidentsScopeId is { } scopeId
            ? await db.OrgUnits.AsNoTracking().Where(o => o.Id == scopeId).Select(o => o.Path).FirstAsync(ct)
            : null;
        return (consultation, community, scopePath);
    }

    static ProblemHttpResult NotFound() => Problems.NotFound("征求意见", "consultation");

    static string StatusName(ConsultationStatus status) => status == ConsultationStatus.Open ? Text.L("征求中", "Open") : Text.L("已截止", "Closed");

    static string PositionName(ConsultationPosition position) => position switch
    {
        ConsultationPosition.Agree => Text.L("同意", "Agree"),
        ConsultationPosition.Disagree => Text.L("反对", "Disagree"),
        ConsultationPosition.Abstain => Text.L("弃权", "Abstain"),
        _ => Text.L("提意见", "Comment"),
    };

    static async Task<ConsultationView> ViewAsync(DeliberateDbContext db, Caller caller, Consultation c, OrgUnit community, CancellationToken ct)
    {
        var scope = c.ResidentsScopeId is { } scopeId ? await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == scopeId, ct) : null;
        var (expected, _) = await ConsultationClosing.ProgressAsync(db, c, ct);
        var userIds = c.Responses.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var responses = c.Responses.OrderBy(r => r.At).ThenBy(r => r.Id).Select(r =>
        {
            var invitee = c.Invitees.FirstOrDefault(i => i.Id == r.InviteeId);
            var by = names.GetValueOrDefault(r.UserId, "");
            return new ConsultationResponseView(r.Id, r.InviteeId, invitee?.Party ?? "resident",
                invitee is null ? Text.L("居民", "Resident") : MeetingViews.PartyName(invitee.Party), invitee?.Name ?? by,
                new PersonView(r.UserId, by), r.Position, PositionName(r.Position), r.Text, r.At);
        }).ToList();
        int Count(ConsultationPosition p) => c.Responses.Count(r => r.Position == p);
        var open = c.Status == ConsultationStatus.Open;
        var canAnswerFor = open
            ? c.Invitees.Where(i => c.Responses.All(r => r.InviteeId != i.Id) && ConsultationAccess.MayAnswerFor(caller, i, community.Path))
                .Select(i => i.Id).ToList()
            : [];
        var canAnswerAsResident = open && scope is not null && ConsultationAccess.LivesUnder(caller, scope.Path)
            && c.Responses.All(r => !(r.InviteeId == null && r.UserId == caller.Id));
        return new ConsultationView(c.Id, new PlaceView(community.Id, community.Name), c.Title, c.Question, c.OpensAt, c.ClosesAt,
            c.Status, StatusName(c.Status), c.ClosedAt, scope is null ? null : new PlaceView(scope.Id, scope.Name), c.MeetingId, c.MatterId,
            c.Invitees.OrderBy(i => Parties.IndexOf(i.Party)).ThenBy(i => i.Id)
                .Select(i =>
                    new ConsultationInviteeView(i.Id, i.Party, MeetingViews.PartyName(i.Party), i.Name, i.UserId,
                        c.Responses.Any(r => r.InviteeId == i.Id)))
                .ToList(),
            expected, c.Responses.Count,
            new PositionCounts(Count(ConsultationPosition.Agree), Count(ConsultationPosition.Disagree), Count(ConsultationPosition.Abstain),
            Count(ConsultationPosition.Comment)),
            responses, canAnswerFor, canAnswerAsResident);
    }
}
