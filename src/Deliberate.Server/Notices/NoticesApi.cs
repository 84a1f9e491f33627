using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notices;

public sealed record NoticeView(Guid Id, NoticeKind Kind, string Title, string Body, PlaceView Place, DateTimeOffset PostedAt,
    DateTimeOffset PostedUntil,
    bool Current, Guid? MatterId, Guid? MeetingId, Guid? BallotId, DateOnly FirstDay, DateOnly LastDay, int PostingDays);
public sealed record PostNoticeRequest(Guid? OrgUnitId, string? Kind, string? Title, string? Body, int? Days, Guid? MatterId);

/// <summary>Public postings (公示) of a community: decisions, ballot results, rating results.</summary>
public static class NoticesApi
{
    public static void MapNoticesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notices").WithTags("Notices").RequireAuthorization();
        group.MapGet("/", List).WithSummary("The notices of the caller's communities: the current ones, or all with ?all=true.");
        group.MapGet("/{id:guid}", Get).WithSummary("One notice.")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/", Post).WithSummary("Post a notice in a community for some days (staff).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden);
    }

    static async Task<Ok<List<NoticeView>>> List(Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct, bool all = false)
    {
        var now = clock.GetUtcNow();
        var places = await PlacesAsync(db, caller, ct);
        var query = db.Notices.AsNoTracking().Where(n => places.Keys.Contains(n.OrgUnitId));
        if (!all) query = query.Where(n => n.PostedAt <= now && n.PostedUntil > now);
        var notices = await query.OrderByDescending(n => n.PostedAt).Take(200).ToListAsync(ct);
        var names = await db.OrgUnits.AsNoTracking().Where(o => notices.Select(n => n.OrgUnitId).Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return TypedResults.Ok(notices.Select(n => View(n, names[n.OrgUnitId], now)).ToList());
    }

    static async Task<Results<Ok<NoticeView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);
        var places = await PlacesAsync(db, caller, ct);
        if (notice is null || !places.ContainsKey(notice.OrgUnitId)) return Problems.NotFound("公告", "notice");
        var name = await db.OrgUnits.AsNoTracking().Where(o => o.Id == notice.OrgUnitId).Select(o => o.Name).FirstAsync(ct);
        return TypedResults.Ok(View(notice, name, clock.GetUtcNow()));
    }

    static async Task<Results<Created<NoticeView>, ValidationProblem, ProblemHttpResult>> Post(PostNoticeRequest request,
        Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("title", request.Title, "标题", "Title");
        errors.MaxLength("title", request.Title, 200, "标题", "Title");
        errors.Required("body", request.Body, "正文", "Body");
        errors.MaxLength("body", request.Body, 8000, "正文", "Body");
        if (request.Days is not (>= 1 and <= 60)) errors.Add("days", "公示天数为 1 到 60 天。", "A notice stays up for 1 to 60 days.");
        NoticeKind kind = NoticeKind.Other;
        if (request.Kind is not null && !EnumCodes.TryParseCode(request.Kind, out kind))
            errors.Add("kind", "公告类别不正确。", "Unknown kind of notice.");
        var place = request.OrgUnitId is { } placeId ? await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == placeId, ct) : null;
        if (place is null || place.Level is not (OrgLevel.Community or OrgLevel.Street))
            errors.Add("orgUnitId", "请指定张贴的社区或街道。", "Choose the community or street to post in.");
        if (errors.Any || place is null) return errors.ToProblem();
        if (!NoticeAccess.MayPost(caller, place))
            return Problems.Forbidden("forbidden", "只有社区和街道的工作人员可以张贴公告。", "Only community and street staff post notices.");
        if (request.MatterId is { } matterId && !await References.MatterUnderAsync(db, matterId, place.Path, ct))
        {
            errors.Add("matterId", "事项不存在，或不在张贴的社区（街道）内。", "The matter does not exist or is not in the community (street) the notice is posted in.");
            return errors.ToProblem();
        }
        var now = clock.GetUtcNow();
        var notice = new Notice(Guid.CreateVersion7(now), place.Id, kind, request.Title!.Trim(), request.Body!.Trim(), now,
            Notice.EndOfDays(now, request.Days!.Value),
            request.MatterId, null, null, caller.Id);
        db.Notices.Add(notice);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/notices/{notice.Id}", View(notice, place.Name, now));
    }

    /// <summary>Where the caller reads notices: the communities (and streets) they work or live in.</summary>
    static async Task<Dictionary<Guid, string>> PlacesAsync(DeliberateDbContext db, Caller caller, CancellationToken ct)
    {
        var places = new Dictionary<Guid, string>();
        foreach (var path in caller.StaffPaths.Concat(caller.ResidentCommunityPaths).Distinct())
        {
            var ids = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(id => Guid.ParseExact(id, "N")).ToList();
            foreach (var unit in await db.OrgUnits.AsNoTracking()
                         .Where(o => (o.Level == OrgLevel.Community || o.Level == OrgLevel.Street) && (o.Path.StartsWith(path) || ids.Contains(o.Id)))
                         .ToListAsync(ct))
                places[unit.Id] = unit.Name;
        }
        return places;
    }

    static NoticeView View(Notice n, string place, DateTimeOffset now) => new(n.Id, n.Kind,
        n.Title, n.Body, new PlaceView(n.OrgUnitId, place), n.PostedAt, n.PostedUntil, n.IsUpAt(now), n.MatterId, n.MeetingId, n.BallotId,
        n.FirstDay, n.LastDay, n.PostingDays);
}
