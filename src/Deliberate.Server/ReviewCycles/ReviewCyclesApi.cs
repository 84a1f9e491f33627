using System.Globalization;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Meetings;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.ReviewCycles;

public sealed record ReviewCycleRequest(Guid? CommunityId, string? Name, string? MeetingType, string? Cron, string? TimeZone, List<string>? SkipDates,
    Guid? ConvenerUserId, string? ConvenerRole);
public sealed record ReviewCycleView(Guid Id, Guid CommunityId, string Name, MeetingType MeetingType, string Cron, string TimeZone,
    IReadOnlyList<string> SkipDates,
    Guid? ConvenerUserId, string? ConvenerRole, bool Paused, IReadOnlyList<DateTimeOffset> NextFirings,
    DateTimeOffset? LastFiredFor, Guid? LastMeetingId);

/// <summary>The services the review-cycle endpoints that write take (bound with [AsParameters], as dotnet/eShop does).</summary>
public sealed record ReviewCycleServices(DeliberateDbContext Db, ReviewCycleScheduler Scheduler, TimeProvider Clock);

/// <summary>
/// Review cycles (日联、周会、月商、季研、年总) of a community, for its staff who convene: the party secretary, the
/// residents' committee, and the administrator. Others see none; another community's cycle answers 404.
/// </summary>
public static class ReviewCyclesApi
{
    public const int MaxName = 100, MaxSkipDates = 200;

    public static void MapReviewCyclesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/review-cycles").WithTags("Review cycles").RequireAuthorization();
        group.MapGet("/", List).WithSummary("The cycles of the communities the caller convenes for, each with its next 5 firings.");
        group.MapGet("/{id:guid}", Get).WithSummary("One cycle with its next 5 firings (ISO 8601 with the time zone's offset).")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/", Create)
            .WithSummary("Create a cycle: name, meeting type, Quartz cron, time zone (default Asia/Shanghai), skip dates, convener.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotCommunityStaff);
        group.MapPut("/{id:guid}", Edit).WithSummary("Change a cycle; its trigger follows.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/pause", Pause).WithSummary("Stop firing until resumed.")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/resume", Resume).WithSummary("Fire again from the next time on the schedule.")
            .Problems(ProblemCodes.NotFound);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a cycle (the meetings it made stay).")
            .Problems(ProblemCodes.NotFound);
    }

    /// <summary>Party secretary or residents' committee at the community (or above), or the administrator.</summary>
    static bool MayManage(Caller caller, string communityPath) =>
        caller.AdministersAt(communityPath) || caller.Holds(Role.PartySecretary, communityPath)
        || caller.Holds(Role.ResidentsCommittee, communityPath);

    static async Task<Ok<List<ReviewCycleView>>> List(Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var cycles = await (from c in db.ReviewCycles.AsNoTracking()
                            join o in db.OrgUnits on c.CommunityId equals o.Id
                            select new { Cycle = c, o.Path }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(cycles.Where(c => MayManage(caller, c.Path)).OrderBy(c => c.Cycle.CreatedAt).Select(c => View(c.Cycle, now)).ToList());
    }

    static async Task<Results<Ok<ReviewCycleView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var (cycle, _) = await LoadAsync(db, caller, id, ct);
        return cycle is null ? NotFound() : TypedResults.Ok(View(cycle, clock.GetUtcNow()));
    }

    static async Task<Results<Created<ReviewCycleView>, ValidationProblem, ProblemHttpResult>> Create(ReviewCycleRequest request, Caller caller,
        [AsParameters] ReviewCycleServices services, CancellationToken ct)
    {
        var (db, scheduler, clock) = (services.Db, services.Scheduler, services.Clock);
        var errors = new FieldErrors();
        OrgUnit? community = null;
        if (request.CommunityId is null) errors.Add("communityId", "请选择社区。", "Choose the community.");
        else
        {
            community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.CommunityId && o.Level == OrgLevel.Community, ct);
            if (community is null) errors.Add("communityId", "社区不存在。", "The community does not exist.");
            else if (!MayManage(caller, community.Path))
                return Problems.Forbidden("notCommunityStaff", "只有本社区的党组织书记、居委会和管理员可以设置议事周期。",
                    "Only the community's party secretary, residents' committee and the administrator can set review cycles.");
        }
        var parsed = await CheckAsync(errors, db, request, community, clock.GetUtcNow(), ct);
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        var cycle = new ReviewCycle(Guid.CreateVersion7(now), community!.Id, caller.Id, now);
        parsed.Apply(cycle);
        db.ReviewCycles.Add(cycle);
        await db.SaveChangesAsync(ct);
        await scheduler.ScheduleAsync(cycle, ct);
        return TypedResults.Created($"/api/review-cycles/{cycle.Id}", View(cycle, now));
    }

    static async Task<Results<Ok<ReviewCycleView>, ValidationProblem, ProblemHttpResult>> Edit(Guid id, ReviewCycleRequest request, Caller caller,
        [AsParameters] ReviewCycleServices services, CancellationToken ct)
    {
        var (db, scheduler, clock) = (services.Db, services.Scheduler, services.Clock);
        var (cycle, _) = await LoadAsync(db, caller, id, ct);
        if (cycle is null) return NotFound();
        var errors = new FieldErrors();
        if (request.CommunityId is { } communityId && communityId != cycle.CommunityId)
            errors.Add("communityId", "议事周期不能移到另一个社区。", "A cycle cannot move to another community.");
        var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == cycle.CommunityId, ct);
        var parsed = await CheckAsync(errors, db, request, community, clock.GetUtcNow(), ct);
        if (errors.Any) return errors.ToProblem();
        parsed.Apply(cycle);
        await db.SaveChangesAsync(ct);
        await scheduler.ScheduleAsync(cycle, ct);
        return TypedResults.Ok(View(cycle, clock.GetUtcNow()));
    }

    static Task<Results<Ok<ReviewCycleView>, ProblemHttpResult>> Pause(Guid id, Caller caller,
        [AsParameters] ReviewCycleServices services, CancellationToken ct) => ChangeAsync(id, caller, services, c => c.Pause(), ct);

    static Task<Results<Ok<ReviewCycleView>, ProblemHttpResult>> Resume(Guid id, Caller caller,
        [AsParameters] ReviewCycleServices services, CancellationToken ct) => ChangeAsync(id, caller, services, c => c.Resume(), ct);

    static async Task<Results<Ok<ReviewCycleView>, ProblemHttpResult>> ChangeAsync(Guid id, Caller caller, ReviewCycleServices services,
        Action<ReviewCycle> change, CancellationToken ct)
    {
        var (db, scheduler, clock) = (services.Db, services.Scheduler, services.Clock);
        var (cycle, _) = await LoadAsync(db, caller, id, ct);
        if (cycle is null) return NotFound();
        change(cycle);
        await db.SaveChangesAsync(ct);
        await scheduler.ScheduleAsync(cycle, ct);
        return TypedResults.Ok(View(cycle, clock.GetUtcNow()));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, Caller caller, DeliberateDbContext db, ReviewCycleScheduler scheduler,
        CancellationToken ct)
    {
        var (cycle, _) = await LoadAsync(db, caller, id, ct);
        if (cycle is null) return NotFound();
        db.ReviewCycles.Remove(cycle);
        await db.SaveChangesAsync(ct);
        await scheduler.UnscheduleAsync(id, ct);
        return TypedResults.NoContent();
    }

    sealed record Parsed(string Name, MeetingType Type, string Cron, string TimeZone, List<DateOnly> SkipDates,
        Guid? ConvenerUserId, Role? ConvenerRole)
    {
        public void Apply(ReviewCycle cycle) => cycle.Edit(Name, Type, Cron, TimeZone, SkipDates, ConvenerUserId, ConvenerRole);
    }

    static async Task<Parsed> CheckAsync(FieldErrors errors, DeliberateDbContext db, ReviewCycleRequest request, OrgUnit? community,
        DateTimeOffset now, CancellationToken ct)
    {
        errors.Required("name", request.Name, "名称", "Name");
        errors.MaxLength("name", request.Name, MaxName, "名称", "Name");
        if (!EnumCodes.TryParseCode<MeetingType>(request.MeetingType, out var type))
            errors.Add("meetingType", "会议类型应为 fourParty、ownersCommittee、residentsMeeting、representativesMeeting 或 ownersAssembly。",
                "Meeting type must be fourParty, ownersCommittee, residentsMeeting, representativesMeeting or ownersAssembly.");
        var cron = request.Cron?.Trim() ?? "";
        if (!ReviewCycle.IsValidCron(cron))
            errors.Add("cron", "不是有效的 Quartz cron 表达式（秒 分 时 日 月 周 [年]，如 0 0 15 ? * TUE#1 表示每月第一个星期二 15:00）。",
                "Not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year], e.g. 0 0 15 ? * TUE#1 for 15:00 on "
                    + "the first Tuesday of each month).");
        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? ReviewCycle.DefaultTimeZone : request.TimeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var timeZone))
            errors.Add("timeZone", $"未知的时区“{zone}”，请使用 IANA 时区名，如 Asia/Shanghai。",
                $"Unknown time zone '{zone}'; use an IANA name such as Asia/Shanghai.");
        // Each firing drafts a meeting: judge the times it fires at, not its text (* * * * * ? would draft one a second).
        else if (ReviewCycle.IsValidCron(cron) && ReviewCycle.ShortestGap(cron, timeZone, now) is { } gap && gap < ReviewCycle.MinimumGap)
            errors.Add("cron", $"周期最多每天触发一次（该表达式相邻两次触发只隔 {gap.TotalMinutes:0.##} 分钟）。",
                $"A cycle may fire at most once a day (this expression fires {gap.TotalMinutes:0.##} minutes apart).");
        var skipDates = new List<DateOnly>();
        var given = request.SkipDates ?? [];
        if (given.Count > MaxSkipDates) errors.Add("skipDates", $"跳过日期最多 {MaxSkipDates} 个。", $"At most {MaxSkipDates} skip dates.");
        for (var i = 0; i < given.Count; i++)
            if (DateOnly.TryParseExact(given[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) skipDates.Add(date);
            else errors.Add($"skipDates[{i}]", $"“{given[i]}”不是 yyyy-MM-dd 格式的日期。", $"'{given[i]}' is not a date in the form yyyy-MM-dd.");
        // The convener chairs the cycle's meetings (and so reads them): someone of the community, not of another.
        if (request.ConvenerUserId is { } userId
            && !(community is null ? await db.Users.AnyAsync(u => u.Id == userId, ct) : await References.UserOfAsync(db, userId, community.Path, ct)))
            errors.Add("convenerUserId", "用户不存在，或不属于本社区。", "The user does not exist or is not of this community.");
        Role? role = null;
        if (request.ConvenerRole is not null)
        {
            role = Roles.Parse(request.ConvenerRole);
            if (role is not (Role.PartySecretary or Role.ResidentsCommittee or Role.OwnersCommittee))
                errors.Add("convenerRole", "召集角色应为 partySecretary、residentsCommittee 或 ownersCommittee。",
                    "The convening role must be partySecretary, residentsCommittee or ownersCommittee.");
        }
        return new Parsed(request.Name?.Trim() ?? "", type, cron, zone, skipDates, request.ConvenerUserId, role);
    }

    static async Task<(ReviewCycle?, OrgUnit?)> LoadAsync(DeliberateDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        var cycle = await db.ReviewCycles.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (cycle is null) return (null, null);
        var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == cycle.CommunityId, ct);
        return MayManage(caller, community.Path) ? (cycle, community) : (null, null);
    }

    static ReviewCycleView View(ReviewCycle c, DateTimeOffset now) => new(c.Id, c.CommunityId, c.Name, c.MeetingType, c.Cron, c.TimeZone,
        c.SkipDates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(), c.ConvenerUserId, c.ConvenerRole?.Name(), c.Paused,
        c.Paused ? [] : c.NextFirings(now, 5), c.LastFiredFor, c.LastMeetingId);

    static ProblemHttpResult NotFound() => Problems.NotFound("议事周期", "review cycle");
}
