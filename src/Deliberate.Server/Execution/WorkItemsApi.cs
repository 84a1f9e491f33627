using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Files;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Execution;

public sealed record CreateWorkItemRequest(string? Title, string? Description, string? ResponsibleUnit, string? Level, Guid? OrgUnitId,
    DateTimeOffset? Deadline, Guid? MatterId, string? Role);
public sealed record WorkItemProgressRequest(string? Text, int? Percent);
public sealed record WorkItemCompleteRequest(string? Text);
public sealed record WorkItemEscalateRequest(string? Reason);

public sealed record WorkItemMatterView(Guid Id, string Title);

public sealed record WorkItemSummary(Guid Id, string Title, string ResponsibleUnit, EscalationLevel Level, string LevelName, PlaceView OrgUnit,
    string Role, string RoleName, WorkItemStatus Status, int Progress, DateTimeOffset Deadline, bool Overdue, WorkItemMatterView? Matter,
    Guid? BatchId, bool Rework, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, bool CanAct, DateOnly? DueDate);

public sealed record WorkItemUpdateView(Guid Id, WorkItemUpdateKind Kind, PersonView By, DateTimeOffset At, string? Text, int Progress,
    EscalationLevel? FromLevel, EscalationLevel? ToLevel, IReadOnlyList<PhotoView> Photos);

public sealed record WorkItemView(Guid Id, string Title, string? Description, string ResponsibleUnit, EscalationLevel Level, string LevelName,
    PlaceView OrgUnit, string Role, string RoleName, WorkItemStatus Status, int Progress, DateTimeOffset Deadline, bool Overdue,
    WorkItemMatterView? Matter, Guid? MeetingId, Guid? ResolutionId, Guid? BatchId, bool Rework, DateTimeOffset CreatedAt,
    DateTimeOffset? DoneAt, bool CanAct, IReadOnlyList<WorkItemUpdateView> Updates, DateOnly? DueDate);

/// <summary>
/// 协同办事: work items with a responsible unit and a deadline, their progress reports with evidence photos,
/// completion, and escalation up the ladder (grid → community → street → department).
/// </summary>
public static class WorkItemsApi
{
    public const int MaxTextLength = 4000;
    public const int MaxPhotosPerUpdate = 9;

    public static RouteGroupBuilder MapWorkItemsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/work-items").WithTags("Work items").RequireAuthorization();
        group.MapGet("/", List).WithSummary(
                "Work items the caller works on or oversees (staff), or of matters they can see; filtered and paged (?mine=true: the unfinished "
                    + "ones the caller works on, their 待办).")
            .Problems(ProblemCodes.Validation);
        group.MapPost("/", Create).WithSummary("Create a work item directly (staff, within their scope).")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotStaff);
        group.MapGet("/{id:guid}", Get).WithSummary("One work item with its whole history: updates, level changes, evidence photos.")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/{id:guid}/progress", Progress).WithSummary("Report progress (text, optional per cent).")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotYourWorkItem, ProblemCodes.NotFound, ProblemCodes.BadPercent, ProblemCodes.Done,
                ProblemCodes.NoText);
        group.MapPost("/{id:guid}/complete", Complete).WithSummary("Complete the item; the last of a batch resumes the workflow waiting for it.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotYourWorkItem, ProblemCodes.NotFound, ProblemCodes.Conflict, ProblemCodes.Done,
                ProblemCodes.NoText);
        group.MapPost("/{id:guid}/escalate", Escalate)
            .WithSummary("Hand the item to the next level up (吹哨): its role and node, with that level's deadline.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotYourWorkItem, ProblemCodes.NotFound, ProblemCodes.Done, ProblemCodes.NoText,
                ProblemCodes.TopOfLadder);
        group.MapPost("/{id:guid}/updates/{updateId:guid}/photos", AddPhotos).DisableAntiforgery() // CSRF: see AuthSetup.UseCsrfHeaderCheck
            .Accepts<IFormFileCollection>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(MaxPhotosPerUpdate * (Attachment.MaxBytes + 64 * 1024)))
            .WithSummary("Attach evidence photos to an update (JPEG, PNG or WebP, 5 MB each, 9 per update), in the form field \"photos\".")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotYourWorkItem, ProblemCodes.NotFound);
        group.MapGet("/{id:guid}/updates/{updateId:guid}/photos/{photoId:guid}", GetPhoto).WithSummary("An evidence photo.")
            .Problems(ProblemCodes.NotFound);
        return group;
    }

    static async Task<Results<Ok<Paged<WorkItemSummary>>, ValidationProblem>> List(Caller caller, DeliberateDbContext db, TimeProvider clock,
        CancellationToken ct, string? status = null, Guid? matterId = null, string? level = null, bool mine = false, int page = 1,
        int pageSize = 50)
    {
        var errors = new FieldErrors();
        WorkItemStatus? statusFilter = null;
        if (status is not null)
        {
            if (EnumCodes.TryParseCode<WorkItemStatus>(status, out var s)) statusFilter = s;
            else errors.Add("status", "状态应为待办、办理中、已办结或已逾期之一。", "Status must be open, inProgress, done or overdue.");
        }
        EscalationLevel? levelFilter = null;
        if (level is not null)
        {
            levelFilter = EscalationLadder.Parse(level);
            if (levelFilter is null)
                errors.Add("level", "层级应为网格、社区、街道或职能部门之一。", "Level must be grid, community, street or department.");
        }
        Paging.Check(errors, page, pageSize, maxPageSize: 200);
        if (errors.Any) return errors.ToProblem();

        // mine=true: the caller's 待办, the unfinished items they work on.
        var query = mine ? WorkItemAccess.Actionable(db, caller) : await WorkItemAccess.VisibleAsync(db, caller, ct);
        if (statusFilter is { } st) query = query.Where(w => w.Status == st);
        if (levelFilter is { } lv) query = query.Where(w => w.Level == lv);
        if (matterId is { } m) query = query.Where(w => w.MatterId == m);

        var total = await query.CountAsync(ct);
        var rows = await (from w in query
                          join o in db.OrgUnits on w.OrgUnitId equals o.Id
                          orderby w.Status == WorkItemStatus.Done, w.Deadline, w.CreatedAt
                          select new { Item = w, NodeName = o.Name, NodePath = o.Path })
            .Page(page, pageSize).AsNoTracking().ToListAsync(ct);
        var matterIds = rows.Where(r => r.Item.MatterId != null).Select(r => r.Item.MatterId!.Value).Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Where(x => matterIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Title, ct);
        var now = clock.GetUtcNow();
        var items = rows.Select(r =>
        {
            var w = r.Item;
            return new WorkItemSummary(w.Id, w.Title, w.ResponsibleUnit, w.Level, EscalationLadder.Name(w.Level),
                new PlaceView(w.OrgUnitId, r.NodeName), w.Role.Name(), RoleName(w.Role), w.Status, w.Progress, w.Deadline,
                w.IsOverdueAt(now), MatterOf(w, matters), w.BatchId, w.Rework, w.CreatedAt, w.DoneAt, WorkItemAccess.CanAct(caller, w, r.NodePath),
                ChinaTime.DueDay(w.Deadline));
        }).ToList();
        return TypedResults.Ok(new Paged<WorkItemSummary>(items, total, page, pageSize));
    }

    static async Task<Results<Ok<WorkItemView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var item = await db.WorkItems.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct);
        var node = item is null ? null : await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == item.OrgUnitId, ct);
        if (item is null || !await WorkItemAccess.CanSeeAsync(db, caller, item, node!, ct)) return Problems.NotFound("工作事项", "work item");
        return TypedResults.Ok(await ViewAsync(db, caller, item, node!, clock.GetUtcNow(), ct));
    }

    static async Task<Results<Created<WorkItemView>, ValidationProblem, ProblemHttpResult>> Create(CreateWorkItemRequest request, Caller caller,
        DeliberateDbContext db, Deadlines deadlines, Scheduling.SlaOptions sla, TimeProvider clock, CancellationToken ct)
    {
        if (!caller.StaffPaths.Any())
            return Problems.Forbidden("notStaff", "只有工作人员可以创建工作事项。", "Only staff can create work items.");
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        errors.Required("title", request.Title, "标题", "Title");
        errors.MaxLength("title", request.Title?.Trim(), 200, "标题", "Title");
        errors.MaxLength("description", request.Description?.Trim(), 2000, "说明", "Description");
        errors.Required("responsibleUnit", request.ResponsibleUnit, "责任单位", "Responsible unit");
        errors.MaxLength("responsibleUnit", request.ResponsibleUnit?.Trim(), 100, "责任单位", "Responsible unit");
        var level = EscalationLadder.Parse(request.Level);
        if (level is null) errors.Add("level", "层级应为网格、社区、街道或职能部门之一。", "Level must be grid, community, street or department.");
        if (request.Deadline is not { } deadline) errors.Add("deadline", "请填写完成时限。", "The deadline is required.");
        else if (deadline <= now) errors.Add("deadline", "完成时限应在将来。", "The deadline must be in the future.");
        Role? role = null;
        if (request.Role is not null)
        {
            role = Roles.Parse(request.Role);
            if (role is not { } r || !EscalationLadder.CanHoldWork(r))
            {
                // Named as people know them (网格员、物业公司…), never by their codes.
                var staff = Enum.GetValues<Role>().Where(EscalationLadder.CanHoldWork).Select(x => Roles.DisplayNames[x]).ToList();
                errors.Add("role", $"办理角色应为工作人员角色之一：{string.Join("、", staff.Select(n => n.Zh))}。",
                    $"The role must be one of the staff roles: {string.Join(", ", staff.Select(n => n.En))}.");
            }
        }

        OrgUnit? node = null;
        if (request.OrgUnitId is not { } orgUnitId) errors.Add("orgUnitId", "请选择办理的组织。", "Choose the organisation node.");
        else
        {
            node = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orgUnitId, ct);
            if (node is null || !WorkItemAccess.MayCreateAt(caller, node))
            {
                errors.Add("orgUnitId", "组织不存在，或不在您的工作范围内。", "The organisation node does not exist or is not within your scope.");
                node = null;
            }
            else if (level is { } l && node.Level != EscalationLadder.OrgLevelOf(l))
                errors.Add("orgUnitId", "组织与层级不符（网格、社区、街道，职能部门在区）。",
                    "The node does not match the level (a grid, a community, a street; a department sits at the district).");
        }
        Matter? matter = null;
        if (request.MatterId is { } matterId)
        {
            matter = await (await MatterAccess.VisibleAsync(db, caller, ct)).AsNoTracking().FirstOrDefaultAsync(m => m.Id == matterId, ct);
            if (matter is null) errors.Add("matterId", "事项不存在，或您无权查看。", "The matter does not exist, or you may not see it.");
            else if (node is not null && !await db.OrgUnits.AnyAsync(g => g.Id == matter.GridId && g.Path.StartsWith(node.Path), ct))
                errors.Add("matterId", "事项不在该组织范围内。", "The matter is not within that organisation node.");
        }
        if (errors.Any) return errors.ToProblem();

        var item = new WorkItem(Guid.CreateVersion7(now), request.Title!.Trim(),
            string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            request.ResponsibleUnit!.Trim(), level!.Value, node!.Id, role ?? EscalationLadder.RoleAt(level.Value), null, request.Deadline!.Value,
            matter?.Id, null, null, null, now, caller.Id);
        db.WorkItems.Add(item);
        await WorkItemSla.NotifyAssignedAsync(db, item, now, ct);
        await db.SaveChangesAsync(ct);
        WorkItemSla.Schedule(deadlines, sla, item.Id, now, item.Deadline);
        return TypedResults.Created($"/api/work-items/{item.Id}", await ViewAsync(db, caller, item, node, now, ct));
    }

    static async Task<Results<Ok<WorkItemView>, ValidationProblem, ProblemHttpResult>> Progress(Guid id,
        WorkItemProgressRequest request, Caller caller,
        DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (item, node, problem) = await LoadToActAsync(db, caller, id, ct);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        errors.Required("text", request.Text, "进展情况", "Text");
        errors.MaxLength("text", request.Text?.Trim(), MaxTextLength, "进展情况", "Text");
        if (request.Percent is < 0 or > 100) errors.Add("percent", "进度应在 0 到 100 之间。", "Progress must be between 0 and 100.");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        db.WorkItemUpdates.Add(item!.Report(caller.Id, request.Text!.Trim(), request.Percent, now));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ViewAsync(db, caller, item, node!, now, ct));
    }

    static async Task<Results<Ok<WorkItemView>, ValidationProblem, ProblemHttpResult>> Complete(Guid id,
        WorkItemCompleteRequest request, Caller caller,
        DeliberateDbContext db, WorkflowEngine engine, TimeProvider clock, CancellationToken ct)
    {
        var (item, node, problem) = await LoadToActAsync(db, caller, id, ct);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        errors.Required("text", request.Text, "办理结果", "Text");
        errors.MaxLength("text", request.Text?.Trim(), MaxTextLength, "办理结果", "Text");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        db.WorkItemUpdates.Add(item!.Complete(caller.Id, request.Text!.Trim(), now));
        await WorkItemFlow.SaveCompletionAsync(db, engine, item, caller.Actor, ct);
        return TypedResults.Ok(await ViewAsync(db, caller, item, node!, now, ct));
    }

    static async Task<Results<Ok<WorkItemView>, ValidationProblem, ProblemHttpResult>> Escalate(Guid id,
        WorkItemEscalateRequest request, Caller caller,
        DeliberateDbContext db, Deadlines deadlines, Scheduling.SlaOptions sla, TimeProvider clock, CancellationToken ct)
    {
        var (item, _, problem) = await LoadToActAsync(db, caller, id, ct);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        errors.Required("reason", request.Reason, "上报原因", "Reason");
        errors.MaxLength("reason", request.Reason?.Trim(), MaxTextLength, "上报原因", "Reason");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        var deadline = await WorkItemFlow.EscalateAsync(db, item!, caller.Id, request.Reason!.Trim(), now, ct);
        await db.SaveChangesAsync(ct);
        WorkItemSla.Schedule(deadlines, sla, item!.Id, now, deadline);
        var node = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == item.OrgUnitId, ct);
        return TypedResults.Ok(await ViewAsync(db, caller, item, node, now, ct));
    }

    static async Task<Results<Ok<IReadOnlyList<PhotoView>>, ValidationProblem, ProblemHttpResult>> AddPhotos(Guid id, Guid updateId,
        IFormFileCollection photos, Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (_, _, problem) = await LoadToActAsync(db, caller, id, ct);
        if (problem is not null) return problem;
        if (!await db.WorkItemUpdates.AnyAsync(u => u.Id == updateId && u.WorkItemId == id, ct)) return Problems.NotFound("进展记录", "update");

        var existing = await db.Attachments.CountAsync(p => p.OwnerKind == AttachmentOwner.WorkItemUpdate && p.OwnerId == updateId, ct);
        var (added, errors) = await Uploads.ReadAsync(photos, "photos", FileKinds.Images, MaxPhotosPerUpdate - existing,
            AttachmentOwner.WorkItemUpdate, updateId, caller.Id, clock.GetUtcNow(), ct);
        if (errors.Any) return errors.ToProblem(); // all or nothing
        db.Attachments.AddRange(added);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok<IReadOnlyList<PhotoView>>(added.Select(p => PhotoOf(id, p.OwnerId, p.Id, p.FileName, p.ContentType, p.Size)).ToList());
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetPhoto(Guid id, Guid updateId, Guid photoId, Caller caller,
        DeliberateDbContext db, CancellationToken ct)
    {
        var item = await db.WorkItems.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct);
        var node = item is null ? null : await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == item.OrgUnitId, ct);
        var photo = item is null || !await db.WorkItemUpdates.AnyAsync(u => u.Id == updateId && u.WorkItemId == id, ct) ? null
            : await db.Attachments.AsNoTracking()
                .FirstOrDefaultAsync(p => p.Id == photoId && p.OwnerKind == AttachmentOwner.WorkItemUpdate && p.OwnerId == updateId, ct);
        if (photo is null || !await WorkItemAccess.CanSeeAsync(db, caller, item!, node!, ct)) return Problems.NotFound("照片", "photo");
        return TypedResults.File(photo.Content, photo.ContentType, fileDownloadName: null, lastModified: photo.UploadedAt,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{photo.Sha256}\""));
    }

    /// <summary>The item (tracked) and its node, if the caller may work on it: 404 when they may not see it, 403 when they only see it.</summary>
    static async Task<(WorkItem?, OrgUnit?, ProblemHttpResult?)> LoadToActAsync(DeliberateDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        var item = await db.WorkItems.FirstOrDefaultAsync(w => w.Id == id, ct);
        var node = item is null ? null : await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == item.OrgUnitId, ct);
        if (item is null || !await WorkItemAccess.CanSeeAsync(db, caller, item, node!, ct))
            return (null, null, Problems.NotFound("工作事项", "work item"));
        if (!WorkItemAccess.CanAct(caller, item, node!.Path))
        {
            var (zh, en) = Roles.DisplayNames[item.Role];
            return (null, null, Problems.Forbidden("notYourWorkItem",
                $"该事项现由{node.Name}的{zh}办理，您不能操作。", $"This item is now with the {en} of {node.Name}; you cannot act on it."));
        }
        return (item, node, null);
    }

    internal static async Task<WorkItemView> ViewAsync(DeliberateDbContext db, Caller caller, WorkItem item, OrgUnit node,
        DateTimeOffset now, CancellationToken ct)
    {
        var updates = await db.WorkItemUpdates.AsNoTracking().Where(u => u.WorkItemId == item.Id).ToListAsync(ct);
        var updateIds = updates.Select(u => u.Id).ToList();
        var photos = (await db.Attachments.AsNoTracking()
                .Where(p => p.OwnerKind == AttachmentOwner.WorkItemUpdate && updateIds.Contains(p.OwnerId))
                .Select(p => new { p.Id, p.OwnerId, p.FileName, p.ContentType, p.Size, p.UploadedAt }).ToListAsync(ct))
            .OrderBy(p => p.UploadedAt).ThenBy(p => p.FileName, StringComparer.Ordinal).ThenBy(p => p.Id)
            .ToLookup(p => p.OwnerId, p => PhotoOf(item.Id, p.OwnerId, p.Id, p.FileName, p.ContentType, p.Size));
        var byIds = updates.Where(u => u.ById != null).Select(u => u.ById!.Value).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => byIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var matter = item.MatterId is { } m
            ? await db.Matters.AsNoTracking().Where(x => x.Id == m).Select(x => new WorkItemMatterView(x.Id, x.Title)).FirstOrDefaultAsync(ct) : null;

        var history = updates.OrderBy(u => u.At).ThenBy(u => SameMomentOrder(u.Kind)).ThenBy(u => u.Id)
            .Select(u => new WorkItemUpdateView(u.Id, u.Kind,
                u.ById is { } by ? new PersonView(by, names.GetValueOrDefault(by, "")) : new PersonView(null, Text.L("系统", "System")),
                u.At, u.Text, u.Progress, u.FromLevel, u.ToLevel,
                photos[u.Id].ToList()))
            .ToList();
        return new WorkItemView(item.Id, item.Title, item.Description, item.ResponsibleUnit, item.Level, EscalationLadder.Name(item.Level),
            new PlaceView(node.Id, node.Name), item.Role.Name(), RoleName(item.Role), item.Status, item.Progress, item.Deadline,
            item.IsOverdueAt(now), matter, item.MeetingId, item.ResolutionId, item.BatchId, item.Rework, item.CreatedAt, item.DoneAt,
            WorkItemAccess.CanAct(caller, item, node.Path), history, ChinaTime.DueDay(item.Deadline));
    }

    /// <summary>Lines written at the same instant (marked overdue, then escalated by the deadline) in the order they happen.</summary>
    static int SameMomentOrder(WorkItemUpdateKind kind) => kind switch
    {
        WorkItemUpdateKind.Created => 0,
        WorkItemUpdateKind.Reopened => 1,
        WorkItemUpdateKind.Progress => 2,
        WorkItemUpdateKind.Overdue => 3,
        WorkItemUpdateKind.Escalated => 4,
        _ => 5, // done
    };

    static PhotoView PhotoOf(Guid itemId, Guid updateId, Guid id, string fileName, string contentType, int size) =>
        new(id, fileName, contentType, size, $"/api/work-items/{itemId}/updates/{updateId}/photos/{id}");

    static WorkItemMatterView? MatterOf(WorkItem item, Dictionary<Guid, string> titles) =>
        item.MatterId is { } m && titles.TryGetValue(m, out var title) ? new WorkItemMatterView(m, title) : null;

    static string RoleName(Role role) => Text.L(Roles.DisplayNames[role].Zh, Roles.DisplayNames[role].En);
}
