using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Files;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Deliberate.Server.Tasks;
using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Matters;

public sealed record RaiseMatterRequest(string? Title, string? Description, string? Category, Guid? GridId, Guid? BuildingId,
    string? Location, bool? Anonymous, string? ContactPhone);

public sealed record PlaceView(Guid Id, string Name);
public sealed record PersonView(Guid? Id, string Name);
public sealed record PhotoView(Guid Id, string FileName, string ContentType, int Size, string Url);
public sealed record OpenTaskView(Guid Id, string Title, string Role, DateTimeOffset? DueAt, bool Overdue);
/// <summary>
/// One line of a matter's story. <see cref="Text"/> is what was decided, counted or reported, in words; <see cref="Photos"/> the
/// evidence of a work item's progress; <see cref="DueDate"/> a date-only deadline (the end of that day in China).
/// </summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Title, string? Step, string? Outcome, string? OutcomeLabel,
    PersonView? Actor, JsonNode? Values, string? Text = null, IReadOnlyList<PhotoView>? Photos = null, DateOnly? DueDate = null,
    TimelineMeeting? Meeting = null);

/// <summary>A meeting that discussed the matter (kind <c>meeting</c>): when it sat (opened → closed) and its motions about the matter.</summary>
public sealed record TimelineMeeting(Guid Id, string Title, DateTimeOffset OpenedAt, DateTimeOffset ClosedAt, IReadOnlyList<TimelineMotion> Motions);

/// <summary>A motion about the matter and what became of it (<see cref="Voting.MotionFates"/>); <c>ProposedBy</c> is null for a
/// reader who does not see people (a neighbour).</summary>
public sealed record TimelineMotion(string Text, string? ProposedBy, string Fate, string FateName);

public sealed record MatterSummary(Guid Id, string Title, string Category, string CategoryName, PlaceView Grid, string Step, string StepName,
    string? Triage, bool Anonymous, DateTimeOffset RaisedAt, DateTimeOffset StepChangedAt, bool Overdue);

public sealed record MatterView(Guid Id, string Title, string Description, string Category, string CategoryName,
    PlaceView Community, PlaceView Grid, PlaceView? Building, string? Location, bool Anonymous, PersonView RaisedBy, string? ContactPhone,
    string Source, DateTimeOffset RaisedAt, string Step, string StepName, DateTimeOffset StepChangedAt, string? Triage, bool IsPublic,
    string? Resolution, DateTimeOffset? ClosedAt, Guid? WorkflowInstanceId, IReadOnlyList<PhotoView> Photos,
    IReadOnlyList<OpenTaskView> OpenTasks, IReadOnlyList<TimelineEntry> Timeline, string? ClosingReportUrl);

/// <summary>The services the matter endpoints that start workflows take (bound with [AsParameters]).</summary>
public sealed record MatterServices(DeliberateDbContext Db, WorkflowEngine Engine, WorkflowPlans Plans, TimeProvider Clock);

public static class MattersApi
{
    public static RouteGroupBuilder MapMattersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/matters").WithTags("Matters").RequireAuthorization();
        group.MapGet("/categories", Categories).WithSummary("The categories a matter can have.");
        group.MapPost("/", Raise).WithSummary("Raise a matter (居民提事); starts the six-step workflow.")
            .Problems(ProblemCodes.Validation);
        group.MapGet("/", List).WithSummary("Matters the caller may see, filtered and paged.")
            .Problems(ProblemCodes.Validation);
        group.MapGet("/{id:guid}", Get).WithSummary("One matter with its current step and timeline.")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/photos", AddPhotos).DisableAntiforgery() // CSRF: see AuthSetup.UseCsrfHeaderCheck
            .Accepts<IFormFileCollection>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(Matter.MaxPhotos * (Attachment.MaxBytes + 64 * 1024)))
            .WithSummary("Attach photos (JPEG, PNG or WebP, up to 5 MB each, 9 per matter), in the form field \"photos\".")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotRaiser, ProblemCodes.NotFound, ProblemCodes.MatterClosed);
        group.MapGet("/{id:guid}/photos/{photoId:guid}", GetPhoto).WithSummary("A photo of a matter.")
            .Problems(ProblemCodes.NotFound);
        return group;
    }

    static Ok<IEnumerable<object>> Categories() =>
        TypedResults.Ok(MatterCategories.All.Select(c => (object)new { code = c.Code, name = Text.L(c.Zh, c.En) }));

    static async Task<Results<Created<MatterView>, ValidationProblem, ProblemHttpResult>> Raise(RaiseMatterRequest request,
        [FromHeader(Name = RequestKeys.Header)] string? requestKey, Caller caller, [AsParameters] MatterServices services, CancellationToken ct)
    {
        var db = services.Db;
        var errors = new FieldErrors();
        RequestKeys.Check(errors, requestKey);
        errors.Required("title", request.Title, "标题", "Title");
        errors.MaxLength("title", request.Title, Matter.MaxTitleLength, "标题", "Title");
        errors.Required("description", request.Description, "描述", "Description");
        errors.MaxLength("description", request.Description, Matter.MaxDescriptionLength, "描述", "Description");
        errors.MaxLength("location", request.Location, 200, "位置", "Location");
        if (!MatterCategories.IsKnown(request.Category))
            errors.Add("category", $"请选择分类（{string.Join("、", MatterCategories.All.Select(c => c.Zh))}）。",
                $"Choose a category ({string.Join(", ", MatterCategories.All.Select(c => c.Code))}).");
        if (request.ContactPhone is { Length: > 0 } phone && (phone.Length > 30 || !phone.All(c => char.IsDigit(c) || c is '+' or '-' or ' ')))
            errors.Add("contactPhone", "联系电话只能包含数字、空格、+ 和 -。", "The contact phone may hold only digits, spaces, + and -.");

        OrgUnit? grid = null;
        if (request.GridId is null) errors.Add("gridId", "请选择所在网格。", "Choose the grid.");
        else
        {
            grid = await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == request.GridId && o.Level == OrgLevel.Grid, ct);
            if (grid is null || !MatterAccess.CanRaiseIn(caller, grid))
                errors.Add("gridId", "网格不存在，或不在您的社区。", "The grid does not exist or is not in your community.");
            else if (grid.IsRetired) // an administrator retired it (and everything below): no new matters there
                errors.Add("gridId", "该网格已撤销，请选择现有网格。", "The grid has been retired; choose a current one.");
        }
        if (request.BuildingId is { } buildingId && grid is not null
            && !await db.OrgUnits.AnyAsync(o => o.Id == buildingId && o.Level == OrgLevel.Building && o.ParentId == grid.Id
                && o.RetiredAt == null, ct))
            errors.Add("buildingId", "楼栋不在所选网格内。", "The building is not in the chosen grid.");
        if (errors.Any) return errors.ToProblem();

        var raised = await MatterIntake.RaiseAsync(db, services.Engine, caller, request, requestKey, grid!, services.Clock.GetUtcNow(), ct);
        if (raised is null) return RequestKeys.Reused();
        var view = await ViewAsync(db, services.Plans, caller, raised.Matter, raised.Grid, services.Clock, ct);
        return TypedResults.Created($"/api/matters/{raised.Matter.Id}", view);
    }

    static async Task<Results<Ok<Paged<MatterSummary>>, ValidationProblem>> List(Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct,
        string? step = null, Guid? gridId = null, string? category = null, bool? overdue = null, bool? mine = null, string? q = null,
        int page = 1, int pageSize = 20)
    {
        var errors = new FieldErrors();
        MatterStep? stepFilter = null;
        if (step is not null)
        {
            if (EnumCodes.TryParseCode<MatterStep>(step, out var parsed)) stepFilter = parsed;
            else errors.Add("step", "步骤应为 raise、hear、deliberate、decide、execute、rate 或 closed。",
                "Step must be raise, hear, deliberate, decide, execute, rate or closed.");
        }
        Paging.Check(errors, page, pageSize);
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        var query = await MatterAccess.VisibleAsync(db, caller, ct);
        if (stepFilter is { } s) query = query.Where(m => m.Step == s);
        if (gridId is { } g) query = query.Where(m => m.GridId == g);
        if (!string.IsNullOrEmpty(category)) query = query.Where(m => m.Category == category);
        if (mine == true) query = query.Where(m => m.RaisedById == caller.Id);
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(m => m.Title.Contains(q));
        if (overdue is { } o)
            query = query.Where(m => db.InboxTasks.Any(t => t.MatterId == m.Id && t.Status == InboxTaskStatus.Open && t.DueAt < now) == o);

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(m => m.RaisedAt).Page(page, pageSize)
            .Select(m => new
            {
                Matter = m,
                GridName = db.OrgUnits.Where(u => u.Id == m.GridId).Select(u => u.Name).First(),
                Overdue = db.InboxTasks.Any(t => t.MatterId == m.Id && t.Status == InboxTaskStatus.Open && t.DueAt < now),
            })
            .AsNoTracking().ToListAsync(ct);
        var items = rows.Select(r => new MatterSummary(r.Matter.Id, r.Matter.Title, r.Matter.Category, CategoryName(r.Matter.Category),
            new PlaceView(r.Matter.GridId, r.GridName), StepCode(r.Matter.Step), StepName(r.Matter.Step),
            r.Matter.Triage?.ToString().ToLowerInvariant(),
            r.Matter.Anonymous, r.Matter.RaisedAt, r.Matter.StepChangedAt, r.Overdue)).ToList();
        return TypedResults.Ok(new Paged<MatterSummary>(items, total, page, pageSize));
    }

    static async Task<Results<Ok<MatterView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db, WorkflowPlans plans,
        TimeProvider clock, CancellationToken ct)
    {
        var matter = await db.Matters.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        var grid = matter is null ? null : await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
        if (matter is null || !MatterAccess.CanSee(caller, matter, grid!)) return Problems.NotFound("事项", "matter");
        return TypedResults.Ok(await ViewAsync(db, plans, caller, matter, grid!, clock, ct));
    }

    static async Task<Results<Ok<IReadOnlyList<PhotoView>>, ValidationProblem, ProblemHttpResult>> AddPhotos(Guid id, IFormFileCollection photos,
        Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var matter = await db.Matters.FirstOrDefaultAsync(m => m.Id == id, ct);
        var grid = matter is null ? null : await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
        if (matter is null || !MatterAccess.CanSee(caller, matter, grid!)) return Problems.NotFound("事项", "matter");
        if (matter.RaisedById != caller.Id && !caller.IsStaffAt(grid!.Path))
            return Problems.Forbidden("notRaiser", "只有提事人和网格工作人员可以上传照片。",
                "Only the person who raised the matter and the grid's staff can add photos.");
        if (matter.Step == MatterStep.Closed)
            return Problems.Conflict("matterClosed", "事项已办结，不能再上传照片。", "The matter is closed; no more photos can be added.");

        var existing = await db.Attachments.CountAsync(p => p.OwnerKind == AttachmentOwner.Matter && p.OwnerId == id, ct);
        var (added, errors) = await Uploads.ReadAsync(photos, "photos", FileKinds.Images, Matter.MaxPhotos - existing,
            AttachmentOwner.Matter, id, caller.Id, clock.GetUtcNow(), ct);
        if (errors.Any) return errors.ToProblem(); // all or nothing
        db.Attachments.AddRange(added);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok<IReadOnlyList<PhotoView>>(added.Select(ToView).ToList());
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetPhoto(Guid id, Guid photoId, Caller caller,
        DeliberateDbContext db, CancellationToken ct)
    {
        var matter = await db.Matters.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        var grid = matter is null ? null : await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
        var photo = matter is null ? null : await db.Attachments.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Id == photoId && p.OwnerKind == AttachmentOwner.Matter && p.OwnerId == id, ct);
        if (photo is null || !MatterAccess.CanSee(caller, matter!, grid!)) return Problems.NotFound("照片", "photo");
        return TypedResults.File(photo.Content, photo.ContentType, fileDownloadName: null, lastModified: photo.UploadedAt,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{photo.Sha256}\""));
    }

    static PhotoView ToView(Attachment p) => new(p.Id, p.FileName, p.ContentType, p.Size, $"/api/matters/{p.OwnerId}/photos/{p.Id}");

    internal static async Task<MatterView> ViewAsync(DeliberateDbContext db, WorkflowPlans plans, Caller caller, Matter matter, OrgUnit grid,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == grid.ParentId, ct);
        var building = matter.BuildingId is { } b ? await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == b, ct) : null;
        var raiser = await db.Users.AsNoTracking().Where(u => u.Id == matter.RaisedById).Select(u => u.DisplayName).FirstAsync(ct);
        var reader = TimelineReader.For(caller, matter, grid);
        // A neighbour reading a public matter reads neither the raiser's name nor their phone.
        var showRaiser = MatterAccess.CanSeeRaiser(caller, matter, grid) && reader.SeesPeople;
        // Ids are formatted here, not in SQL: SQLite would spell them in capitals.
        var photos = (await db.Attachments.AsNoTracking().Where(p => p.OwnerKind == AttachmentOwner.Matter && p.OwnerId == matter.Id)
            .OrderBy(p => p.UploadedAt)
            .Select(p => new { p.Id, p.OwnerId, p.FileName, p.ContentType, p.Size }).ToListAsync(ct))
            .Select(p => new PhotoView(p.Id, p.FileName, p.ContentType, p.Size, $"/api/matters/{p.OwnerId}/photos/{p.Id}")).ToList();
        var openTasks = (await db.InboxTasks.AsNoTracking().Where(t => t.MatterId == matter.Id && t.Status == InboxTaskStatus.Open)
            .OrderBy(t => t.CreatedAt).ToListAsync(ct))
            .Select(t => new OpenTaskView(t.Id, t.Title, t.Role.Name(), t.DueAt, t.IsOverdue(now))).ToList();
        var timeline = matter.WorkflowInstanceId is { } instanceId
            ? await MatterTimeline.BuildAsync(db, plans, instanceId, matter, showRaiser, ct, reader)
            : [];

        return new MatterView(matter.Id, matter.Title, matter.Description, matter.Category, CategoryName(matter.Category),
            new PlaceView(community.Id, community.Name), new PlaceView(grid.Id, grid.Name),
            building is null ? null : new PlaceView(building.Id, building.Name), matter.Location, matter.Anonymous,
            showRaiser ? new PersonView(matter.RaisedById, raiser)
                : new PersonView(null, matter.Anonymous ? MatterAccess.AnonymousName : MatterAccess.ResidentName),
            showRaiser ? matter.ContactPhone : null, matter.Source, matter.RaisedAt, StepCode(matter.Step), StepName(matter.Step),
            matter.StepChangedAt, matter.Triage?.ToString().ToLowerInvariant(), matter.IsPublic, matter.Resolution, matter.ClosedAt,
            matter.WorkflowInstanceId, photos, openTasks, timeline,
            // 事项办结报告: whoever may see the matter may read it (the same rule as GET closing-report.pdf), once it is closed.
            matter.ClosedAt is null ? null : $"/api/matters/{matter.Id}/closing-report.pdf");
    }

    public static string StepCode(MatterStep step) => step.ToString().ToLowerInvariant();

    public static string StepName(MatterStep step) => StepNames(step) is var (zh, en) ? Text.L(zh, en) : "";

    public static (string Zh, string En) StepNames(MatterStep step) => step switch
    {
        MatterStep.Raise => ("居民提事", "Raise"),
        MatterStep.Hear => ("网格听事", "Hear"),
        MatterStep.Deliberate => ("社区议事", "Deliberate"),
        MatterStep.Decide => ("民主定事", "Decide"),
        MatterStep.Execute => ("协同办事", "Execute"),
        MatterStep.Rate => ("群众评事", "Rate"),
        _ => ("已办结", "Closed"),
    };

    static string CategoryName(string code)
    {
        foreach (var c in MatterCategories.All)
            if (c.Code == code) return Text.L(c.Zh, c.En);
        return code;
    }
}
