using Deliberate.Server.Api;
using Deliberate.Server.Consultations;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Meetings;

/// <summary>A meeting's time is an hour of a day: a date alone is refused (<see cref="TimeRequiredAttribute"/>), never read as midnight.</summary>
static class MeetingTime
{
    public const string Zh = "开会时间需要具体到时分。";
    public const string En = "Give the meeting's time of day as well as its date.";
}

/// <param name="InviteDefaults">For a four-party meeting: invite each party's chair or delegate (GET /api/communities/{id}/four-party-invitees).
/// Defaults to true once the community has registered bodies (组织与成员), false before.</param>
public sealed record CreateMeetingRequest(string? Type, string? Form, Guid? OrgUnitId, string? Title, string? Place,
    [property: TimeRequired(MeetingTime.Zh, MeetingTime.En)] DateTimeOffset? StartsAt,
    string? ChairName, Guid? ChairUserId, string? RecorderName, Guid? RecorderUserId, bool? InviteDefaults = null);
/// <param name="Revision">The meeting's revision as the editor read it: a change made meanwhile by someone else is refused (409 conflict).</param>
public sealed record EditMeetingRequest(string? Title, string? Place,
    [property: TimeRequired(MeetingTime.Zh, MeetingTime.En)] DateTimeOffset? StartsAt,
    string? ChairName, Guid? ChairUserId, string? RecorderName, Guid? RecorderUserId, int? Revision = null);
public sealed record RescheduleMeetingRequest(
    [property: TimeRequired(MeetingTime.Zh, MeetingTime.En)] DateTimeOffset? StartsAt, string? Reason, int? Revision);
public sealed record CancelMeetingRequest(string? Reason, int? Revision);
public sealed record AddParticipantRequest(string? Party, string? Name, string? Role, Guid? UserId);
public sealed record AddAgendaItemRequest(string? Title, string? Description, Guid? MatterId);
public sealed record AttendanceEntry(Guid? ParticipantId, string? Attendance);
public sealed record AddOpinionRequest(string? Party, string? Speaker, string? Text);
public sealed record AddMotionRequest(string? Text, string? ProposedBy, string? Reason = null, decimal? Cost = null);
public sealed record AdjournMeetingRequest([property: TimeRequired(MeetingTime.Zh, MeetingTime.En)] DateTimeOffset? StartsAt);
public sealed record PositionEntry(string? Party, string? Position, string? Remark);
/// <param name="Positions">Four-party meetings: each party's position (agree, disagree, reserve) with an optional remark.</param>
/// <param name="Consensus">Four-party meetings: whether consensus was reached; required with positions.</param>
/// <param name="Outstanding">What remains open when no consensus was reached.</param>
public sealed record AddResolutionRequest(Guid? AgendaItemId, string? Text, string? ResponsibleUnit, DateOnly? Deadline,
    List<PositionEntry>? Positions = null, bool? Consensus = null, string? Outstanding = null);

/// <summary>The services the meeting endpoints that write take (bound with [AsParameters], as dotnet/eShop does).</summary>
public sealed record MeetingServices(DeliberateDbContext Db, TimeProvider Clock);

/// <summary>
/// Meetings (社区议事): drafts, participants by party, the agenda, the notice, the session with its attendance,
/// opinions, motions and resolutions, and the close that hands the resolutions to the waiting workflows.
/// State changes are the entity's guards; a refused one answers 409 with its code.
/// </summary>
public static class MeetingsApi
{
    public const int MaxTitle = 200, MaxPlace = 200, MaxName = 100, MaxDescription = 2000, MaxOpinion = 4000, MaxText = 2000, MaxReason = 500;

    public static RouteGroupBuilder MapMeetingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/meetings").WithTags("Meetings").RequireAuthorization();
        group.MapPost("/", Create).RequireRole(MeetingAccess.OrganiserRoles)
            .WithSummary("Create a draft meeting in a community the caller organises meetings for.")
            .Problems(ProblemCodes.Validation, ProblemCodes.BadState);
        group.MapGet("/", List).WithSummary("Meetings the caller may see, newest first, filtered and paged.")
            .Problems(ProblemCodes.Validation);
        group.MapGet("/{id:guid}", Get)
            .WithSummary("One meeting: participants by party with attendance, 应到/实到, quorum, agenda with opinions and motions, resolutions.")
            .Problems(ProblemCodes.NotFound);
        group.MapPut("/{id:guid}", Edit)
            .WithSummary("Edit a drafted or noticed meeting: title, place, time (drafts; noticed ones reschedule), chair and recorder. A new place "
                + "after the notice is announced to everyone invited.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.UseReschedule,
                ProblemCodes.Conflict);
        group.MapPost("/{id:guid}/reschedule", Reschedule)
            .WithSummary("改期: a new time and a reason; a noticed meeting sends a new notice to everyone invited. Waiting workflows keep waiting.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.MeetingInSession,
                ProblemCodes.StartsInPast, ProblemCodes.TooFarAhead, ProblemCodes.NoticeTooShort, ProblemCodes.Conflict);
        group.MapPost("/{id:guid}/cancel", Cancel)
            .WithSummary("取消 with a reason: the agenda goes onto the community's next meeting of the type (or a new draft for the organisers to "
                + "schedule), and the waiting workflows wait for that meeting.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.MeetingInSession,
                ProblemCodes.Conflict);
        group.MapGet("/for-matter/{matterId:guid}", ForMatter)
            .WithSummary("When and where a matter is discussed: the meetings whose agenda carries it, newest first (for whoever may see the matter).")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/participants", AddParticipant).WithSummary("Invite a member (counted in 应到) or an invitee (列席); draft or convened.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.AlreadyParticipant,
                ProblemCodes.BadState);
        group.MapDelete("/{id:guid}/participants/{participantId:guid}", RemoveParticipant)
            .WithSummary("Take someone off the list; draft or convened.")
            .Problems(ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState);
        group.MapPost("/{id:guid}/agenda", AddAgendaItem)
            .WithSummary("Add an agenda item, optionally a matter of the community; items added after the notice are not announced.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.MatterOnAgenda);
        group.MapPost("/{id:guid}/convene", Convene)
            .WithSummary("Send the notice: needs an agenda, a chair, a recorder and members; an owners' assembly 15 days ahead.")
            .Problems(ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.EmptyAgenda, ProblemCodes.NoChair,
                ProblemCodes.NoMembers, ProblemCodes.NoticeTooShort, ProblemCodes.StartsInPast);
        group.MapPost("/{id:guid}/open", Open).WithSummary("Open the session (at most 30 minutes before the set time).")
            .Problems(ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.TooEarly);
        group.MapPut("/{id:guid}/attendance", RecordAttendance)
            .WithSummary("Record attendance: present, inAttendance, onLeave or absent; convened or in session.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadAttendance, ProblemCodes.BadState,
                ProblemCodes.UnknownParticipant);
        group.MapPost("/{id:guid}/agenda/{itemId:guid}/opinions", AddOpinion).WithSummary("Record a party's opinion on an item; in session.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState,
                ProblemCodes.UnknownAgendaItem);
        group.MapPost("/{id:guid}/agenda/{itemId:guid}/motions", AddMotion).WithSummary("Record a motion on an item; in session.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState,
                ProblemCodes.UnknownAgendaItem);
        group.MapPost("/{id:guid}/agenda/{itemId:guid}/motions/{motionId:guid}/withdraw", WithdrawMotion)
            .WithSummary("Record that the proposer withdrew a motion; in session, before it is put to a vote.")
            .Problems(ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.AlreadyVoted,
                ProblemCodes.MotionWithdrawn);
        group.MapPost("/{id:guid}/resolutions", AddResolution).WithSummary("Record a resolution with its responsible unit and deadline; in session.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState,
                ProblemCodes.ConsensusContradicted, ProblemCodes.ConsensusNeedsParties, ProblemCodes.NotConsultative,
                ProblemCodes.OutstandingMissing, ProblemCodes.QuorumNotMet, ProblemCodes.UnknownAgendaItem);
        group.MapPost("/{id:guid}/adjourn", Adjourn)
            .WithSummary("休会改期: end a session that took no decisions (as one without its quorum must) and set the next session's time; the meeting "
            + "is convened again for it.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.DecisionsTaken,
                ProblemCodes.StartsInPast);
        group.MapPost("/{id:guid}/close", Close)
            .WithSummary("Close the session (every member's attendance recorded); resumes the workflows waiting for the meeting.")
            .Problems(ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.AttendanceMissing, ProblemCodes.BadState, ProblemCodes.Conflict);
        group.MapPost("/{id:guid}/approve-minutes", ApproveMinutes)
            .WithSummary("Approve the minutes of a closed meeting once the latest version is signed off by everyone required (the last sign-off "
            + "does it by itself).")
            .Problems(ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState, ProblemCodes.MinutesNotSigned, ProblemCodes.NoMinutes);
        return group;
    }

    static async Task<Results<Created<MeetingView>, ValidationProblem, ProblemHttpResult>> Create(CreateMeetingRequest request, Caller caller,
        [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        MeetingType type = default;
        if (!EnumCodes.TryParseCode(request.Type, out type))
            errors.Add("type", "请选择会议类型（fourParty、ownersCommittee、residentsMeeting、representativesMeeting、ownersAssembly）。",
                "Choose the type: fourParty, ownersCommittee, residentsMeeting, representativesMeeting or ownersAssembly.");
        var form = MeetingForm.Collective;
        if (request.Form is not null && !EnumCodes.TryParseCode(request.Form, out form))
            errors.Add("form", "会议形式应为 collective（集体讨论）或 writtenConsultation（书面征求意见）。", "Form must be collective or writtenConsultation.");
        OrgUnit? community = null;
        if (request.OrgUnitId is null) errors.Add("orgUnitId", "请选择社区。", "Choose the community.");
        else
        {
            community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.OrgUnitId && o.Level == OrgLevel.Community, ct);
            if (community is null || (!errors.Errors.ContainsKey("type") && !MeetingAccess.MayOrganise(caller, type, community.Path)))
                errors.Add("orgUnitId", "社区不存在，或您不能在该社区召集此类会议。", "The community does not exist, or you cannot convene this kind of meeting there.");
        }
        await CheckHeaderAsync(errors, db, community, request.Title, request.Place, request.StartsAt, request.ChairName, request.ChairUserId,
            request.RecorderName, request.RecorderUserId, form, now, ct);
        if (errors.Any) return errors.ToProblem();

        var meeting = new Meeting(Guid.CreateVersion7(now), community!.Id, type, form, request.Title!.Trim(), request.Place?.Trim() ?? "",
            request.StartsAt!.Value, caller.Id, now);
        var (chair, recorder) = await NamesAsync(db, request.ChairName, request.ChairUserId, request.RecorderName, request.RecorderUserId, ct);
        var chairId = request.ChairUserId;
        if (type == MeetingType.FourParty
            && (request.InviteDefaults ?? await Bodies.FourPartyInvitees.AnyRegisteredAsync(db, community.Id, ct)))
        {
            var secretary = await Bodies.FourPartyInvitees.InviteAsync(db, meeting, community, ChinaTime.Today(now),
                () => Guid.CreateVersion7(now), ct);
            // The party secretary chairs unless the request named someone.
            if (chair is null && chairId is null) (chair, chairId) = secretary;
        }
        meeting.Edit(meeting.Title, meeting.Place, meeting.StartsAt, chair, chairId, recorder, request.RecorderUserId);
        db.Meetings.Add(meeting);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/meetings/{meeting.Id}", MeetingViews.View(meeting, community, canManage: true));
    }

    static async Task<Results<Ok<Paged<MeetingSummary>>, ValidationProblem>> List(Caller caller, DeliberateDbContext db, CancellationToken ct,
        string? state = null, string? type = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 20)
    {
        var errors = new FieldErrors();
        MeetingState? stateFilter = null;
        MeetingType? typeFilter = null;
        if (state is not null)
        {
            if (EnumCodes.TryParseCode<MeetingState>(state, out var s)) stateFilter = s;
            else errors.Add("state", "状态应为 draft、convened、inSession、closed 或 minutesApproved。",
                "State must be draft, convened, inSession, closed or minutesApproved.");
        }
        if (type is not null)
        {
            if (EnumCodes.TryParseCode<MeetingType>(type, out var t)) typeFilter = t;
            else errors.Add("type", "会议类型应为 fourParty、ownersCommittee、residentsMeeting、representativesMeeting 或 ownersAssembly。",
                "Type must be fourParty, ownersCommittee, residentsMeeting, representativesMeeting or ownersAssembly.");
        }
        if (from is not null && to is not null && to < from) errors.Add("to", "结束时间不能早于开始时间。", "'to' cannot be before 'from'.");
        Paging.Check(errors, page, pageSize);
        if (errors.Any) return errors.ToProblem();

        var query = await MeetingAccess.VisibleAsync(db, caller, ct);
        if (stateFilter is { } st) query = query.Where(m => m.State == st);
        if (typeFilter is { } ty) query = query.Where(m => m.Type == ty);
        if (from is { } f) { var utc = f.ToUniversalTime(); query = query.Where(m => m.StartsAt >= utc); }
        if (to is { } t2) { var utc = t2.ToUniversalTime(); query = query.Where(m => m.StartsAt <= utc); }

        var total = await query.CountAsync(ct);
        var meetings = await query.OrderByDescending(m => m.StartsAt).ThenByDescending(m => m.CreatedAt)
            .Page(page, pageSize).Include(m => m.Agenda).AsNoTracking().ToListAsync(ct);
        var communityIds = meetings.Select(m => m.OrgUnitId).Distinct().ToList();
        var communities = await db.OrgUnits.AsNoTracking().Where(o => communityIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        return TypedResults.Ok(new Paged<MeetingSummary>(meetings.Select(m => MeetingViews.Summary(m, communities[m.OrgUnitId])).ToList(), total,
            page, pageSize));
    }

    static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var (meeting, community) = await LoadAsync(db, id, ct, tracking: false);
        if (meeting is null || !MeetingAccess.CanSee(caller, meeting, community!.Path)) return NotFound();
        return TypedResults.Ok(MeetingViews.View(meeting, community, MeetingAccess.MayRun(caller, meeting, community.Path)));
    }

    static async Task<Results<Ok<MeetingView>, ValidationProblem, ProblemHttpResult>> Edit(Guid id, EditMeetingRequest request, Caller caller,
        [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var errors = new FieldErrors();
        await CheckHeaderAsync(errors, db, community, request.Title, request.Place, request.StartsAt, request.ChairName, request.ChairUserId,
            request.RecorderName, request.RecorderUserId, meeting!.Form, clock.GetUtcNow(), ct);
        if (errors.Any) return errors.ToProblem();

        var (chair, recorder) = await NamesAsync(db, request.ChairName, request.ChairUserId, request.RecorderName, request.RecorderUserId, ct);
        ExpectRevision(db, meeting, request.Revision);
        var now = clock.GetUtcNow();
        if (meeting.Edit(request.Title!.Trim(), request.Place?.Trim() ?? "", request.StartsAt!.Value, chair, request.ChairUserId,
            recorder, request.RecorderUserId, now))
            NotifyInvited(db, meeting, Notifications.NotificationKind.MeetingRescheduled, caller.Id, now,
                $"会议地点变更：{meeting.Title}", $"Meeting moved: {meeting.Title}",
                $"“{meeting.Title}”改在{meeting.Place}召开，时间不变（{ChinaTime.Minutes(meeting.StartsAt)}）。",
                $"“{meeting.Title}” now meets at {meeting.Place}, at the same time ({ChinaTime.Minutes(meeting.StartsAt)}, China time).");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.View(meeting, community!, MeetingAccess.MayRun(caller, meeting, community!.Path)));
    }

    /// <summary>
    /// The editor's revision becomes the row's original value, so the save checks it against the database: a change made
    /// since the editor read the meeting (another secretary's) fails with 409 conflict rather than being overwritten.
    /// </summary>
    static void ExpectRevision(DeliberateDbContext db, Meeting meeting, int? revision)
    {
        if (revision is { } r) db.Entry(meeting).Property(m => m.Revision).OriginalValue = r;
    }

    static async Task<Results<Ok<MeetingView>, ValidationProblem, ProblemHttpResult>> Reschedule(Guid id, RescheduleMeetingRequest request,
        Caller caller, [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var errors = new FieldErrors();
        if (request.StartsAt is null) errors.Add("startsAt", "请填写改定的开会时间。", "Give the new time.");
        errors.Required("reason", request.Reason, "改期原因", "Reason");
        errors.MaxLength("reason", request.Reason, MaxReason, "改期原因", "Reason");
        if (request.Revision is null) errors.Add("revision", "请带上会议的版本号（revision）。", "Give the meeting's revision as you read it.");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        ExpectRevision(db, meeting!, request.Revision);
        var noticed = meeting!.Noticed;
        meeting.Reschedule(request.StartsAt!.Value, request.Reason!.Trim(), now);
        if (noticed)
        {
            var at = ChinaTime.Minutes(meeting.StartsAt);
            var where = string.IsNullOrWhiteSpace(meeting.Place) ? "" : meeting.Place;
            NotifyInvited(db, meeting, Notifications.NotificationKind.MeetingRescheduled, caller.Id, now,
                $"会议改期：{meeting.Title}", $"Meeting rescheduled: {meeting.Title}",
                $"“{meeting.Title}”改于 {at}{(where.Length == 0 ? "" : "在" + where)}召开。原因：{meeting.Notices()[^1].Reason}",
                $"“{meeting.Title}” now meets at {at} (China time){(where.Length == 0 ? "" : ", " + where)}. Reason: {meeting.Notices()[^1].Reason}");
            var (whenZh, whenEn) = WhenAndWhere(meeting);
            await NotifyRaisersAsync(db, meeting, Notifications.NotificationKind.MeetingRescheduled, caller.Id, now,
                $"商议您事项的“{meeting.Title}”改期，改于{whenZh}召开。原因：{meeting.Notices()[^1].Reason}",
                $"“{meeting.Title}”, which discusses your matter, is rescheduled: it meets {whenEn}. Reason: {meeting.Notices()[^1].Reason}", ct);
            await PostToRobotsAsync(db, meeting, Notifications.NotificationKind.MeetingRescheduled, $"会议改期：{meeting.Title}",
                $"改于{whenZh.TrimEnd()}召开。原因：{meeting.Notices()[^1].Reason}", now, ct);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.View(meeting, community!, canManage: true));
    }

    static async Task<Results<Ok<MeetingView>, ValidationProblem, ProblemHttpResult>> Cancel(Guid id, CancelMeetingRequest request,
        Caller caller, [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var errors = new FieldErrors();
        errors.Required("reason", request.Reason, "取消原因", "Reason");
        errors.MaxLength("reason", request.Reason, MaxReason, "取消原因", "Reason");
        if (request.Revision is null) errors.Add("revision", "请带上会议的版本号（revision）。", "Give the meeting's revision as you read it.");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        ExpectRevision(db, meeting!, request.Revision);
        var noticed = meeting!.Noticed;
        meeting.Cancel(request.Reason!.Trim(), now);
        var target = await MeetingCancellation.MoveAgendaAsync(db, meeting, community!, caller.Id, now, ct);
        // A draft's cancellation was never announced to the raiser; a noticed one's is, with where the matter went
        // (a new draft's time is not announced yet: the server's default is no promise).
        if (target is not null && noticed)
        {
            var (whenZh, whenEn) = target.Noticed ? WhenAndWhere(target) : (" 时间待定", "at a time still to be set");
            await NotifyRaisersAsync(db, meeting, Notifications.NotificationKind.MeetingCancelled, caller.Id, now,
                $"原定 {ChinaTime.Minutes(meeting.StartsAt)} 商议您事项的“{meeting.Title}”取消（原因：{meeting.CancelReason}）。"
                    + $"您的事项已转入“{target.Title}”，{(target.Noticed ? "定于" : "")}{whenZh.Trim()}{(target.Noticed ? "召开" : "")}。",
                $"“{meeting.Title}”, set for {ChinaTime.Minutes(meeting.StartsAt)} to discuss your matter, is cancelled "
                    + $"(reason: {meeting.CancelReason}). "
                    + $"Your matter moved to “{target.Title}”, {whenEn}.", ct);
        }
        if (noticed)
            NotifyInvited(db, meeting, Notifications.NotificationKind.MeetingCancelled, caller.Id, now,
                $"会议取消：{meeting.Title}", $"Meeting cancelled: {meeting.Title}",
                $"原定 {ChinaTime.Minutes(meeting.StartsAt)} 召开的“{meeting.Title}”取消。原因：{meeting.CancelReason}",
                $"“{meeting.Title}”, set for {ChinaTime.Minutes(meeting.StartsAt)} (China time), is cancelled. Reason: {meeting.CancelReason}");
        if (noticed)
            await PostToRobotsAsync(db, meeting, Notifications.NotificationKind.MeetingCancelled, $"会议取消：{meeting.Title}",
                $"原定 {ChinaTime.Minutes(meeting.StartsAt)} 召开的会议取消。原因：{meeting.CancelReason}"
                    + (target is null ? "" : $"议题转入“{target.Title}”。"), now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.View(meeting, community!, canManage: true));
    }

    static async Task<Results<Ok<List<MatterMeetingView>>, ProblemHttpResult>> ForMatter(Guid matterId, Caller caller, DeliberateDbContext db,
        CancellationToken ct)
    {
        var visible = await MatterAccess.VisibleAsync(db, caller, ct);
        if (!await visible.AnyAsync(m => m.Id == matterId, ct)) return Problems.NotFound("事项", "matter");
        var meetings = await db.Meetings.AsNoTracking().Where(m => m.Agenda.Any(a => a.MatterId == matterId)).ToListAsync(ct);
        return TypedResults.Ok(meetings
            .OrderBy(m => m.State == MeetingState.Cancelled).ThenByDescending(m => m.StartsAt)
            // A draft's time and place are the organisers' working guess (the server dates a new draft three days on at 15:00):
            // they are announced with the notice, not before.
            .Select(m => new MatterMeetingView(m.Id, m.Title, m.State == MeetingState.Draft ? null : m.StartsAt,
                m.State == MeetingState.Draft ? "" : m.Place, m.State, MeetingViews.StateName(m.State),
                m.Notices().Any(n => n.Kind == "rescheduled"), m.CancelReason, m.OpenedAt, m.ClosedAt))
            .ToList());
    }

    /// <summary>Everyone invited who has an account, and the chair and recorder, except the caller who made the change.</summary>
    internal static void NotifyInvited(DeliberateDbContext db, Meeting meeting, Notifications.NotificationKind kind, Guid callerId,
        DateTimeOffset now, string titleZh, string titleEn, string bodyZh, string bodyEn)
    {
        var recipients = meeting.Participants.Where(p => p.UserId is not null).Select(p => p.UserId!.Value)
            .Concat(new[] { meeting.ChairUserId, meeting.RecorderUserId }.OfType<Guid>())
            .Where(u => u != callerId);
        Notifications.Notify.Send(db, recipients, kind, titleZh, titleEn, bodyZh, bodyEn, Notifications.Notify.Links.Meeting(meeting.Id), now);
    }

    static async Task<Results<Created<ParticipantView>, ValidationProblem, ProblemHttpResult>> AddParticipant(Guid id, AddParticipantRequest request,
        Caller caller, [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var errors = new FieldErrors();
        if (!Parties.IsKnown(request.Party))
            errors.Add("party", $"请选择参会方（{string.Join("、", Parties.All.Select(p => p.Code))}）。",
                $"Choose the party ({string.Join(", ", Parties.All.Select(p => p.Code))}).");
        var role = ParticipantRole.Member;
        if (request.Role is not null && !EnumCodes.TryParseCode(request.Role, out role))
            errors.Add("role", "身份应为 member（成员，计入应到）或 invitee（列席）。", "Role must be member (counted in 应到) or invitee (列席).");
        string? userName = null;
        if (request.UserId is { } userId)
        {
            // Someone of the community (or above it): a participant reads the meeting, so another community's user may not be one.
            userName = await References.UserOfAsync(db, userId, community!.Path, ct)
                ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
            if (userName is null) errors.Add("userId", "用户不存在，或不属于本社区。", "The user does not exist or is not of this community.");
        }
        else errors.Required("name", request.Name, "姓名", "Name");
        errors.MaxLength("name", request.Name, MaxName, "姓名", "Name");
        if (errors.Any) return errors.ToProblem();

        var name = string.IsNullOrWhiteSpace(request.Name) ? userName! : request.Name.Trim();
        var participant = meeting!.AddParticipant(Guid.CreateVersion7(clock.GetUtcNow()), request.Party!, name, role, request.UserId);
        db.MeetingParticipants.Add(participant); // explicitly: a child with its key set, found by navigation, would read as an update
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/meetings/{id}", MeetingViews.Participant(participant));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveParticipant(Guid id, Guid participantId, Caller caller, DeliberateDbContext db,
        CancellationToken ct)
    {
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        if (meeting!.Participants.All(p => p.Id != participantId)) return Problems.NotFound("参会人", "participant");
        var removed = meeting.RemoveParticipant(participantId)!;
        db.MeetingParticipants.Remove(removed);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Created<AgendaItemView>, ValidationProblem, ProblemHttpResult>> AddAgendaItem(Guid id, AddAgendaItemRequest request,
        Caller caller, [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var errors = new FieldErrors();
        errors.Required("title", request.Title, "议题", "Title");
        errors.MaxLength("title", request.Title, MaxTitle, "议题", "Title");
        errors.MaxLength("description", request.Description, MaxDescription, "说明", "Description");
        if (request.MatterId is { } matterId && !await References.MatterUnderAsync(db, matterId, community!.Path, ct))
            errors.Add("matterId", "事项不存在，或不属于本社区。", "The matter does not exist or is not of this community.");
        if (errors.Any) return errors.ToProblem();

        var item = meeting!.AddAgendaItem(Guid.CreateVersion7(clock.GetUtcNow()), request.Title!.Trim(),
            string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(), request.MatterId);
        db.AgendaItems.Add(item);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/meetings/{id}", MeetingViews.Item(item, meeting.Type));
    }

    static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> Convene(Guid id, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var now = clock.GetUtcNow();
        meeting!.Convene(now);
        var (whenZh, whenEn) = WhenAndWhere(meeting);
        await NotifyRaisersAsync(db, meeting, Notifications.NotificationKind.Agenda, caller.Id, now,
            $"会议通知已发出：“{meeting.Title}”定于{whenZh}召开，会上将商议您的事项。",
            $"The notice is out: “{meeting.Title}” meets {whenEn} and will discuss your matter.", ct);
        await PostToRobotsAsync(db, meeting, Notifications.NotificationKind.Agenda, $"会议通知：{meeting.Title}",
            $"定于{whenZh.TrimEnd()}召开。" + AgendaLine(meeting), now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.View(meeting, community!, canManage: true));
    }

    /// <summary>The community's group chats hear of a meeting's notice, move and cancellation (docs/operations.md, "Group robots").</summary>
    static Task PostToRobotsAsync(DeliberateDbContext db, Meeting meeting, Notifications.NotificationKind kind, string title, string body,
        DateTimeOffset now, CancellationToken ct) =>
        Notifications.GroupNotify.PostAsync(db, meeting.OrgUnitId, Notifications.GroupAudience.Community, kind, title, body,
            Notifications.Notify.Links.Meeting(meeting.Id).Staff, now, ct);

    static string AgendaLine(Meeting meeting) =>
        meeting.Agenda.Count == 0 ? "" : "议题：" + string.Join("；", meeting.Agenda.OrderBy(a => a.Order).Select(a => a.Title)) + "。";

    static (string Zh, string En) WhenAndWhere(Meeting meeting)
    {
        var at = ChinaTime.Minutes(meeting.StartsAt);
        return string.IsNullOrWhiteSpace(meeting.Place)
            ? ($" {at} ", $"at {at} (China time)")
            : ($" {at} 在{meeting.Place}", $"at {at} (China time), {meeting.Place}");
    }

    /// <summary>
    /// The residents whose matters are on the agenda hear when their meeting is noticed, moved or cancelled — not only the
    /// invited — each with a link to their own matter (a resident has no meeting page). The caller is not told of their own act.
    /// </summary>
    internal static async Task NotifyRaisersAsync(DeliberateDbContext db, Meeting meeting, Notifications.NotificationKind kind, Guid callerId,
        DateTimeOffset now, string bodyZh, string bodyEn, CancellationToken ct)
    {
        var matterIds = meeting.Agenda.Where(a => a.MatterId is not null).Select(a => a.MatterId!.Value).Distinct().ToList();
        if (matterIds.Count == 0) return;
        var matters = await db.Matters.AsNoTracking().Where(m => matterIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Title, m.RaisedById }).ToListAsync(ct);
        foreach (var matter in matters.Where(m => m.RaisedById != callerId))
            Notifications.Notify.Send(db, [matter.RaisedById], kind, $"议事安排：{matter.Title}", $"Meeting for your matter: {matter.Title}",
                bodyZh, bodyEn, Notifications.Notify.Links.Matter(matter.Id), now);
    }

    static Task<Results<Ok<MeetingView>, ProblemHttpResult>> Open(Guid id, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct) =>
        TransitionAsync(id, caller, db, ct, m => m.Open(clock.GetUtcNow()));

    /// <summary>Normally the last sign-off approves the minutes; this is for minutes that nobody with an account has to sign.</summary>
    static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> ApproveMinutes(Guid id, Caller caller,
        DeliberateDbContext db, CancellationToken ct)
    {
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        meeting!.EnsureState(MeetingState.Closed);
        await Minutes.MeetingMinutes.EnsureApprovableAsync(db, meeting, ct);
        meeting.ApproveMinutes();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.View(meeting, community!, canManage: true));
    }

    static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> TransitionAsync(Guid id, Caller caller,
        DeliberateDbContext db, CancellationToken ct,
        Action<Meeting> transition)
    {
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        transition(meeting!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.View(meeting!, community!, canManage: true));
    }

    static async Task<Results<Ok<MeetingView>, ValidationProblem, ProblemHttpResult>> Adjourn(Guid id, AdjournMeetingRequest request, Caller caller,
        [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        if (request.StartsAt is null) errors.Add("startsAt", "请改定下次开会的时间。", "Give the time of the next session.");
        else if (request.StartsAt <= now) errors.Add("startsAt", "开会时间不能早于现在。", "The meeting cannot start in the past.");
        if (errors.Any) return errors.ToProblem();
        // A vote opened in the session was a decision being taken: such a meeting closes, it does not adjourn.
        if (await db.Ballots.AnyAsync(b => b.MeetingId == id, ct))
            return Problems.Conflict("decisionsTaken", "本次会议已进行表决，应结束会议，不能休会。", "The meeting has taken a vote; close it instead of adjourning.");
        var inquorate = meeting!.Quorum().Met == false; // read before adjourning clears the attendance
        meeting.Adjourn(request.StartsAt!.Value, now);
        NotifyAdjourned(db, meeting, inquorate, caller.Id, now);
        var (adjZh, adjEn) = WhenAndWhere(meeting);
        await NotifyRaisersAsync(db, meeting, Notifications.NotificationKind.MeetingAdjourned, caller.Id, now,
            $"商议您事项的“{meeting.Title}”休会，改于{adjZh}再开。", $"“{meeting.Title}”, which discusses your matter, adjourned: it meets again {adjEn}.",
            ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.View(meeting, community!, canManage: true));
    }

    /// <summary>Everyone invited who has an account (and the chair and recorder) hears of the new time, with a link to the meeting.</summary>
    static void NotifyAdjourned(DeliberateDbContext db, Meeting meeting, bool inquorate, Guid callerId, DateTimeOffset now)
    {
        var recipients = meeting.Participants.Where(p => p.UserId is not null).Select(p => p.UserId!.Value)
            .Concat(new[] { meeting.ChairUserId, meeting.RecorderUserId }.OfType<Guid>())
            .Where(u => u != callerId);
        var at = ChinaTime.Minutes(meeting.StartsAt);
        var (whyZh, whyEn) = inquorate ? ("因出席未达到法定人数", " as the quorum was not met") : ("", "");
        Notifications.Notify.Send(db, recipients, Notifications.NotificationKind.MeetingAdjourned,
            $"会议改期：{meeting.Title}", $"Meeting rescheduled: {meeting.Title}",
            $"“{meeting.Title}”{whyZh}休会，改于 {at} 在{(string.IsNullOrWhiteSpace(meeting.Place) ? "原地点" : meeting.Place)}召开，请准时参加。",
            $"“{meeting.Title}” was adjourned{whyEn}; it meets again at {at} (China "
                + $"time){(string.IsNullOrWhiteSpace(meeting.Place) ? "" : $", {meeting.Place}")}.",
            Notifications.Notify.Links.Meeting(meeting.Id), now);
    }

    static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> Close(Guid id, Caller caller, DeliberateDbContext db, WorkflowEngine engine,
        TimeProvider clock, CancellationToken ct)
    {
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        meeting!.Close(clock.GetUtcNow());
        // Resumes the workflows waiting for this meeting and saves the close with them, in one transaction each.
        await DomainEvents.PublishAsync(engine, db, DomainEvents.MeetingClosed, meeting.Id, MeetingViews.ClosedPayload(meeting), caller.Actor, ct);
        return TypedResults.Ok(MeetingViews.View(meeting, community!, canManage: true));
    }

    static async Task<Results<Ok<MeetingView>, ValidationProblem, ProblemHttpResult>> RecordAttendance(Guid id, List<AttendanceEntry>? entries,
        Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var errors = new FieldErrors();
        if (entries is null || entries.Count == 0) errors.Add("entries", "请至少登记一人的出席情况。", "Record the attendance of at least one participant.");
        var parsed = new List<(Guid, Attendance)>();
        for (var i = 0; entries is not null && i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry?.ParticipantId is not { } pid || meeting!.Participants.All(p => p.Id != pid))
                errors.Add($"[{i}].participantId", "参会人不在本次会议的名单中。", "The participant is not on this meeting's list.");
            if (!EnumCodes.TryParseCode<Attendance>(entry?.Attendance, out var attendance) || attendance == Attendance.Unrecorded)
                errors.Add($"[{i}].attendance", "出席情况应为 present（出席）、inAttendance（列席）、onLeave（请假）或 absent（缺席）。",
                    "Attendance must be present, inAttendance, onLeave or absent.");
            else if (entry?.ParticipantId is { } id2) parsed.Add((id2, attendance));
        }
        if (errors.Any) return errors.ToProblem();

        foreach (var (participantId, attendance) in parsed) meeting!.RecordAttendance(participantId, attendance);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.View(meeting!, community!, canManage: true));
    }

    static async Task<Results<Created<OpinionView>, ValidationProblem, ProblemHttpResult>> AddOpinion(Guid id, Guid itemId, AddOpinionRequest request,
        Caller caller, [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        if (meeting!.Agenda.All(a => a.Id != itemId)) return Problems.NotFound("议题", "agenda item");
        var errors = new FieldErrors();
        if (!Parties.IsKnown(request.Party))
            errors.Add("party", $"请选择发表意见的一方（{string.Join("、", Parties.All.Select(p => p.Code))}）。",
                $"Choose the party ({string.Join(", ", Parties.All.Select(p => p.Code))}).");
        errors.MaxLength("speaker", request.Speaker, MaxName, "发言人", "Speaker");
        errors.Required("text", request.Text, "意见", "Opinion");
        errors.MaxLength("text", request.Text, MaxOpinion, "意见", "Opinion");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        var opinion = meeting.AddOpinion(Guid.CreateVersion7(now), itemId, request.Party!,
            string.IsNullOrWhiteSpace(request.Speaker) ? null : request.Speaker.Trim(), request.Text!.Trim(), caller.Id, now);
        db.PartyOpinions.Add(opinion);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/meetings/{id}", MeetingViews.Opinion(opinion));
    }

    static async Task<Results<Created<MotionView>, ValidationProblem, ProblemHttpResult>> AddMotion(Guid id, Guid itemId, AddMotionRequest request,
        Caller caller, [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        if (meeting!.Agenda.All(a => a.Id != itemId)) return Problems.NotFound("议题", "agenda item");
        var errors = new FieldErrors();
        errors.Required("text", request.Text, "动议内容", "Motion");
        errors.MaxLength("text", request.Text, MaxText, "动议内容", "Motion");
        errors.Required("proposedBy", request.ProposedBy, "提议人", "Proposed by");
        errors.MaxLength("proposedBy", request.ProposedBy, MaxName, "提议人", "Proposed by");
        errors.MaxLength("reason", request.Reason, MaxText, "提议理由", "Reason");
        if (request.Cost is { } cost && (cost < 0 || cost >= 1_000_000_000_000m || decimal.Round(cost, 2) != cost))
            errors.Add("cost", "费用应为不小于 0 的金额（元），最多两位小数。", "The cost must be an amount in yuan, not negative, with at most two decimals.");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        var motion = meeting.AddMotion(Guid.CreateVersion7(now), itemId, request.Text!.Trim(), request.ProposedBy!.Trim(), now,
            string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(), request.Cost);
        db.Motions.Add(motion);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/meetings/{id}", MeetingViews.Motion(motion));
    }

    /// <summary>The proposer (or the secretary for them) withdraws a motion before it is voted on; the minutes say so.</summary>
    static async Task<Results<Ok<MotionView>, ProblemHttpResult>> WithdrawMotion(Guid id, Guid itemId, Guid motionId, Caller caller,
        [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        if (meeting!.Agenda.FirstOrDefault(a => a.Id == itemId)?.Motions.Any(m => m.Id == motionId) != true)
            return Problems.NotFound("动议", "motion");
        var motion = meeting.WithdrawMotion(itemId, motionId, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingViews.Motion(motion));
    }

    static async Task<Results<Created<ResolutionView>, ValidationProblem, ProblemHttpResult>> AddResolution(Guid id, AddResolutionRequest request,
        Caller caller, [AsParameters] MeetingServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (meeting, community) = await LoadAsync(db, id, ct);
        if (Refuse(caller, meeting, community) is { } refused) return refused;
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        if (request.AgendaItemId is { } itemId && meeting!.Agenda.All(a => a.Id != itemId))
            errors.Add("agendaItemId", "议题不在本次会议的议程中。", "The item is not on this meeting's agenda.");
        errors.Required("text", request.Text, "议定事项", "Resolution");
        errors.MaxLength("text", request.Text, MaxText, "议定事项", "Resolution");
        errors.Required("responsibleUnit", request.ResponsibleUnit, "责任单位", "Responsible unit");
        errors.MaxLength("responsibleUnit", request.ResponsibleUnit, MaxName, "责任单位", "Responsible unit");
        var today = ChinaTime.Today(now);
        if (request.Deadline is null) errors.Add("deadline", "请填写完成时限（日期，如 2026-12-31）。", "Give the deadline (a date such as 2026-12-31).");
        else if (request.Deadline < today) errors.Add("deadline", "完成时限不能早于今天。", "The deadline cannot be before today.");
        var consultation = CheckConsultation(errors, meeting!, request);
        if (errors.Any) return errors.ToProblem();

        var resolution = meeting!.AddResolution(Guid.CreateVersion7(now), request.AgendaItemId, request.Text!.Trim(), request.ResponsibleUnit!.Trim(),
            request.Deadline!.Value, consultation);
        db.Resolutions.Add(resolution);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/meetings/{id}", MeetingViews.Resolution(resolution));
    }

    /// <summary>
    /// A four-party resolution's positions and consensus as the request gives them: each party of the meeting's members at
    /// most once, a known position, consensus stated when positions are. Other meetings give none (they vote).
    /// </summary>
    static Consultative? CheckConsultation(FieldErrors errors, Meeting meeting, AddResolutionRequest request)
    {
        var positions = request.Positions ?? [];
        if (meeting.Type != MeetingType.FourParty && positions.Count == 0 && request.Consensus is null
            && string.IsNullOrWhiteSpace(request.Outstanding))
            return null;
        if (meeting.Type != MeetingType.FourParty)
        {
            errors.Add("positions", $"{Meeting.Describe(meeting.Type).Zh}按表决作出决定，不记录各方立场和共识（这是四方联席会议的做法）。",
                $"A {Meeting.Describe(meeting.Type).En} decides by vote; it records no parties' positions or consensus (a four-party joint meeting "
                    + $"does).");
            return null;
        }
        // Only a party that came can take a position; every party that came must (a consultation records them all).
        var invited = meeting.Participants.Where(p => p.Role == ParticipantRole.Member).Select(p => p.Party).ToHashSet();
        var parties = meeting.PresentMembers().Select(p => p.Party).ToHashSet();
        var parsed = new List<(string, PartyPosition, string?)>();
        for (var i = 0; i < positions.Count; i++)
        {
            var entry = positions[i];
            if (entry?.Party is { } absent && invited.Contains(absent) && !parties.Contains(absent))
                errors.Add($"positions[{i}].party", $"{Parties.Name(absent, false)}未出席本次会议，不能记录其立场。",
                    $"The {Parties.Name(absent, true)} is not present, so no position can be recorded for it.");
            else if (entry?.Party is not { } party || !parties.Contains(party))
                errors.Add($"positions[{i}].party", "请选择本次会议的参会方。", "Choose one of the meeting's parties.");
            else if (parsed.Any(p => p.Item1 == party))
                errors.Add($"positions[{i}].party", "每一方只记录一次立场。", "Record each party's position once.");
            if (!EnumCodes.TryParseCode<PartyPosition>(entry?.Position, out var position))
                errors.Add($"positions[{i}].position", "立场应为 agree（同意）、disagree（不同意）或 reserve（保留意见）。",
                    "Position must be agree, disagree or reserve.");
            errors.MaxLength($"positions[{i}].remark", entry?.Remark, 500, "备注", "Remark");
            if (entry?.Party is { } p2 && parties.Contains(p2) && parsed.All(p => p.Item1 != p2)
                && EnumCodes.TryParseCode<PartyPosition>(entry.Position, out var ok))
                parsed.Add((p2, ok, string.IsNullOrWhiteSpace(entry.Remark) ? null : entry.Remark.Trim()));
        }
        // A meeting that cannot resolve now (not in session, no quorum) answers that (409) rather than asking for positions.
        if (meeting.State != MeetingState.InSession || meeting.Quorum().Met == false)
            return request.Consensus is { } any ? new Consultative(parsed, any, request.Outstanding) : null;
        var missing = parties.Where(p => positions.All(e => e?.Party != p)).OrderBy(Parties.IndexOf).ToList();
        if (missing.Count > 0)
            errors.Add("positions", $"四方联席会议的议定事项须记录每一出席方的立场，尚缺：{string.Join("、", missing.Select(p => Parties.Name(p, false)))}。",
                $"A four-party resolution records the position of every party present; "
                    + $"missing: {string.Join(", ", missing.Select(p => Parties.Name(p, true)))}.");
        if (request.Consensus is null) errors.Add("consensus", "请说明是否达成共识。", "Say whether consensus was reached.");
        errors.MaxLength("outstanding", request.Outstanding, MaxText, "分歧或待解决的问题", "What remains open");
        return request.Consensus is { } consensus ? new Consultative(parsed, consensus, request.Outstanding) : null;
    }

    /// <summary>The meeting with everything in it, and its community.</summary>
    internal static async Task<(Meeting?, OrgUnit?)> LoadAsync(DeliberateDbContext db, Guid id, CancellationToken ct, bool tracking = true)
    {
        var query = db.Meetings.Include(m => m.Participants).Include(m => m.Resolutions).ThenInclude(r => r.Positions)
            .Include(m => m.Agenda).ThenInclude(a => a.Opinions)
            .Include(m => m.Agenda).ThenInclude(a => a.Motions)
            .AsSplitQuery();
        var meeting = await (tracking ? query : query.AsNoTracking()).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (meeting is null) return (null, null);
        var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == meeting.OrgUnitId, ct);
        return (meeting, community);
    }

    /// <summary>404 for those who may not see the meeting, 403 for those who see it but may not change it.</summary>
    static ProblemHttpResult? Refuse(Caller caller, Meeting? meeting, OrgUnit? community)
    {
        if (meeting is null || !MeetingAccess.CanSee(caller, meeting, community!.Path)) return NotFound();
        if (!MeetingAccess.MayRun(caller, meeting, community.Path))
            return Problems.Forbidden("notOrganiser", "只有会议的召集方、主持人和记录人可以修改会议。", "Only the meeting's organisers, chair and recorder can change it.");
        return null;
    }

    static ProblemHttpResult NotFound() => Problems.NotFound("会议", "meeting");

    static async Task CheckHeaderAsync(FieldErrors errors, DeliberateDbContext db, OrgUnit? community, string? title, string? place,
        DateTimeOffset? startsAt,
        string? chairName, Guid? chairUserId, string? recorderName, Guid? recorderUserId, MeetingForm form, DateTimeOffset now, CancellationToken ct)
    {
        errors.Required("title", title, "会议名称", "Title");
        errors.MaxLength("title", title, MaxTitle, "会议名称", "Title");
        if (form == MeetingForm.Collective) errors.Required("place", place, "地点", "Place");
        errors.MaxLength("place", place, MaxPlace, "地点", "Place");
        if (startsAt is null) errors.Add("startsAt", "请填写开会时间。", "Give the time the meeting starts.");
        else if (startsAt < now) errors.Add("startsAt", "开会时间不能早于现在。", "The meeting cannot start in the past.");
        else if (startsAt > now + Meeting.MaxLead) errors.Add("startsAt", "开会时间距今超过一年，请检查日期。", "The time is more than a year away; check the date.");
        errors.MaxLength("chairName", chairName, MaxName, "主持人", "Chair");
        errors.MaxLength("recorderName", recorderName, MaxName, "记录人", "Recorder");
        foreach (var (field, userId) in new[] { ("chairUserId", chairUserId), ("recorderUserId", recorderUserId) })
            if (userId is { } u
                && !(community is null ? await db.Users.AnyAsync(x => x.Id == u, ct) : await References.UserOfAsync(db, u, community.Path, ct)))
                errors.Add(field, "用户不存在，或不属于本社区。", "The user does not exist or is not of this community.");
    }

    /// <summary>The chair's and recorder's names as given, or else the names of their accounts.</summary>
    static async Task<(string?, string?)> NamesAsync(DeliberateDbContext db, string? chairName, Guid? chairUserId, string? recorderName,
        Guid? recorderUserId, CancellationToken ct)
    {
        async Task<string?> NameAsync(string? given, Guid? userId) =>
            !string.IsNullOrWhiteSpace(given) ? given.Trim()
            : userId is { } u ? await db.Users.Where(x => x.Id == u).Select(x => x.DisplayName).FirstAsync(ct)
            : null;
        return (await NameAsync(chairName, chairUserId), await NameAsync(recorderName, recorderUserId));
    }
}
