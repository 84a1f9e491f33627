using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Register;

/// <summary>Who keeps a community's owners' register (业主名册).</summary>
public static class RegisterAccess
{
    /// <summary>
    /// The owners' committee of the community, the property company serving it (each holds the register in practice) and an
    /// administrator at or above it. Reading it is the same rule: the register holds owners' phones and ID digits, so it is not
    /// shown to the other staff of the community.
    /// </summary>
    public static bool MayManage(Caller caller, string communityPath) =>
        caller.Holds(Role.Admin, communityPath) || caller.Holds(Role.OwnersCommittee, communityPath) || caller.Holds(Role.PropertyCompany,
            communityPath);
}

public sealed record RegisterProblemView(int Row, string Column, string Code, string Message);
public sealed record RegisterPreviewView(Guid Id, Guid CommunityId, string FileName, int Rows, IReadOnlyList<RegisterProblemView> Problems,
    int Added, int Changed, int Removed, int Unchanged, IReadOnlyList<UnitDiff> Diff, bool DiffTruncated, IReadOnlyList<string> NewBuildings,
    RegisterTotals Totals, RegisterTotals Current, DateTimeOffset ExpiresAt, string? RemovalWarning, bool RemovalsNeedConfirmation);
public sealed record RegisterImportView(Guid Id, int Sequence, string FileName, DateTimeOffset AppliedAt, Guid AppliedById, int Added, int Changed,
    int Removed, RegisterTotals Totals);
public sealed record RegisterUnitView(Guid Id, string Building, string Entrance, string Room, string Number, decimal Area, bool DeveloperUnsold,
    bool Retired, IReadOnlyList<string> Owners);

/// <summary>
/// The owners' register of a community: upload a file for a preview (a dry run that changes nothing), apply the preview in one
/// transaction, browse, export (the same columns, so an export re-imports as "no changes") and the template.
/// </summary>
public static class RegisterApi
{
    /// <summary>At most this many diff lines are sent with a preview (the counts are always complete).</summary>
    public const int MaxDiffLines = 2000;

    public static void MapRegisterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/register/template.xlsx", Template).WithTags("Register").RequireAuthorization()
            .WithSummary("The register template: the columns with one example row.");
        var group = app.MapGroup("/api/communities/{id:guid}/register").WithTags("Register").RequireAuthorization();
        group.MapGet("/", Browse).WithSummary("The community's units with their owners, by building, searchable (房号 or owner name).")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotFound);
        group.MapPost("/previews", Preview).DisableAntiforgery() // CSRF: see AuthSetup.UseCsrfHeaderCheck
            .Accepts<IFormFile>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(RegisterFile.MaxBytes + 64 * 1024))
            .WithSummary("Upload a register (XLSX or CSV in the form field \"file\"; optional \"gridId\" to create unknown buildings in) for a "
                + "dry run: every row's problems, the diff against the register in force and the totals. Changes nothing.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Forbidden, ProblemCodes.TooLarge,
                ProblemCodes.RegisterNotSpreadsheet, ProblemCodes.RegisterMissingColumns, ProblemCodes.RegisterFormula,
                ProblemCodes.RegisterMergedCells, ProblemCodes.RegisterTooManyRows, ProblemCodes.RegisterDuplicateColumn);
        group.MapPost("/previews/{previewId:guid}/apply", Apply)
            .WithSummary("Apply a preview without problems, in one transaction; refused when the register changed since the preview. A "
                + "preview that retires units from a file of no rows, or more than a fifth of the units in service "
                + "(removalsNeedConfirmation), is applied only with confirmRemovals = its number of removals.")
            .Problems(ProblemCodes.NotFound, ProblemCodes.Forbidden, ProblemCodes.RegisterHasProblems, ProblemCodes.RegisterChanged,
                ProblemCodes.RegisterConfirmRemovals);
        group.MapGet("/imports", Imports).WithSummary("The community's applied imports, newest first.").Problems(ProblemCodes.NotFound);
        group.MapGet("/export.xlsx", Export).WithSummary("The register in force as XLSX, in the template's columns.")
            .Problems(ProblemCodes.NotFound);
    }

    static FileContentHttpResult Template() =>
        TypedResults.File(RegisterFile.Template(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "业主名册模板.xlsx");

    static async Task<OrgUnit?> CommunityAsync(DeliberateDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        var community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Community, ct);
        return community is not null && RegisterAccess.MayManage(caller, community.Path) ? community : null;
    }

    static async Task<Results<Ok<RegisterPreviewView>, ValidationProblem, ProblemHttpResult>> Preview(Guid id, HttpRequest request, Caller caller,
        DeliberateDbContext db, RegisterPreviews previews, TimeProvider clock, CancellationToken ct)
    {
        var community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Community, ct);
        if (community is null || !caller.IsStaffAt(community.Path)) return Problems.NotFound("社区", "community");
        if (!RegisterAccess.MayManage(caller, community.Path))
            return Problems.Forbidden("forbidden", "只有本社区的业委会、物业公司或管理员可以导入业主名册。",
                "Only the community's owners' committee, property company or an administrator imports the owners' register.");
        // Said before the body is read, so that a 50 MB upload is answered, not cut off.
        if (request.ContentLength > RegisterFile.MaxBytes + 64 * 1024) return TooLarge();
        if (!request.HasFormContentType)
            return Problems.Of(415, "unsupportedMediaType", "请以 multipart/form-data 表单发送。", "Send this as a multipart/form-data form.");
        IFormCollection form;
        try { form = await request.ReadFormAsync(ct); }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A malformed multipart body: answered like one the framework failed to bind (400 badForm, ErrorHandling).
            throw new BadHttpRequestException("The form cannot be read.", 400, e);
        }
        var errors = new FieldErrors();
        var file = form.Files.GetFile("file");
        if (file is null) errors.Add("file", "请选择名册文件（.xlsx 或 .csv）。", "Choose the register file (.xlsx or .csv).");
        else if (file.Length > RegisterFile.MaxBytes) return TooLarge();
        Guid? gridId = null;
        if (form.TryGetValue("gridId", out var gridText) && !string.IsNullOrWhiteSpace(gridText))
        {
            if (!Guid.TryParse(gridText, out var g)
                || !await db.OrgUnits.AnyAsync(o => o.Id == g && o.Level == OrgLevel.Grid && o.Path.StartsWith(community.Path), ct))
                errors.Add("gridId", "请选择本社区的一个网格。", "Choose a grid of this community.");
            else gridId = g;
        }
        if (errors.Any) return errors.ToProblem();

        List<RegisterRow> rows;
        await using (var stream = file!.OpenReadStream())
            rows = RegisterFile.Read(stream, file.FileName);
        var current = await RegisterPlan.CurrentAsync(db, community, ct);
        var buildings = RegisterPlan.ByName(await db.OrgUnits.AsNoTracking()
            .Where(o => o.Level == OrgLevel.Building && o.Path.StartsWith(community.Path))
            .Select(o => new RegisterPlan.BuildingName(o.Id, o.Name, o.RetiredAt != null)).ToListAsync(ct));
        var last = await db.RegisterImports.Where(i => i.CommunityId == id).MaxAsync(i => (int?)i.Sequence, ct) ?? 0;
        var plan = RegisterPlan.Make(id, gridId, Files.FileNames.Sanitise(file.FileName, "").Trim() is { Length: > 0 and <= 200 } n ? n : "register",
            last, rows, current, buildings.Keys.ToHashSet(), buildings.Where(b => b.Value is null).Select(b => b.Key).ToHashSet());
        var previewId = previews.Keep(caller.Id, plan);
        var inForce = RegisterPlan.TotalsOf(current.Where(u => !u.Retired).Select(u => (u.Area, u.DeveloperUnsold, u.Owners)).ToList());
        return TypedResults.Ok(new RegisterPreviewView(previewId, id, plan.FileName, rows.Count,
            plan.Problems.Select(p => new RegisterProblemView(p.Row, p.Column, p.Code, Text.L(p.MessageZh, p.MessageEn))).ToList(),
            plan.Added, plan.Changed, plan.Removed, plan.Unchanged, plan.Diff.Take(MaxDiffLines).ToList(), plan.Diff.Count > MaxDiffLines,
            plan.NewBuildings, plan.Totals, inForce, clock.GetUtcNow() + RegisterPreviews.Lifetime,
            plan.RemovalWarning is var (zh, en) ? Text.L(zh, en) : null, plan.RemovalsNeedConfirmation));
    }

    /// <summary>
    /// A file holds one community's whole register: a re-import retires every unit the file lacks, so the advice is never to split it
    /// by building — only a file of several communities is split, one community (小区) a file.
    /// </summary>
    static ProblemHttpResult TooLarge() => Problems.Of(413, "tooLarge",
        $"文件超过 {RegisterFile.MaxBytes / 1024 / 1024} MB。请删去多余的列和工作表、另存为 .xlsx 后再上传；如表格含多个社区，请按社区分开导入。"
            + RegisterFile.WholeCommunityZh,
        $"The file is larger than {RegisterFile.MaxBytes / 1024 / 1024} MB. Remove extra columns and sheets and save it as .xlsx; a file of "
            + "several communities is imported one community at a time. " + RegisterFile.WholeCommunityEn);

    /// <param name="confirmRemovals">The number of units the preview retires, as the committee confirmed it (needed when
    /// <see cref="RegisterPlan.RemovalsNeedConfirmation"/>).</param>
    static async Task<Results<Ok<RegisterImportView>, ProblemHttpResult>> Apply(Guid id, Guid previewId, Caller caller, DeliberateDbContext db,
        RegisterPreviews previews, TimeProvider clock, CancellationToken ct, int? confirmRemovals = null)
    {
        var community = await CommunityAsync(db, caller, id, ct);
        var plan = previews.Find(previewId, caller.Id);
        if (community is null || plan is null || plan.CommunityId != id) return Problems.NotFound("名册预览", "register preview");
        var record = await RegisterApply.ApplyAsync(db, plan, caller.Id, clock.GetUtcNow(), ct, confirmRemovals);
        previews.Forget(previewId);
        return TypedResults.Ok(View(record));
    }

    static RegisterImportView View(RegisterImport r) =>
        new(r.Id, r.Sequence, r.FileName, r.AppliedAt, r.AppliedById, r.Added, r.Changed, r.Removed, new RegisterTotals(r.Units, r.Heads, r.Area));

    static async Task<Results<Ok<IReadOnlyList<RegisterImportView>>, ProblemHttpResult>> Imports(Guid id, Caller caller, DeliberateDbContext db,
        CancellationToken ct)
    {
        if (await CommunityAsync(db, caller, id, ct) is null) return Problems.NotFound("社区", "community");
        var imports = await db.RegisterImports.AsNoTracking().Where(i => i.CommunityId == id).OrderByDescending(i => i.Sequence).Take(100)
            .ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<RegisterImportView>>(imports.Select(View).ToList());
    }

    static async Task<Results<Ok<Paged<RegisterUnitView>>, ValidationProblem, ProblemHttpResult>> Browse(Guid id, Caller caller,
        DeliberateDbContext db, CancellationToken ct, string? building = null, string? search = null, bool retired = false, int page = 1,
        int pageSize = 50)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page, pageSize, 500);
        if (errors.Any) return errors.ToProblem();
        var community = await CommunityAsync(db, caller, id, ct);
        if (community is null) return Problems.NotFound("社区", "community");
        var units = (await RegisterPlan.CurrentAsync(db, community, ct)).Where(u => retired || !u.Retired);
        if (!string.IsNullOrWhiteSpace(building)) units = units.Where(u => u.Building == building);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim();
            units = units.Where(u => u.Number.Contains(s, StringComparison.Ordinal) || u.Room.Contains(s, StringComparison.Ordinal)
                || u.Owners.Any(o => o.Name.Contains(s, StringComparison.Ordinal)));
        }
        var list = units.ToList();
        var items = list.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(u => new RegisterUnitView(u.Id, u.Building, u.Entrance, u.Room, u.Number, u.Area, u.DeveloperUnsold, u.Retired,
                u.Owners.Select(o => o.Name).ToList())).ToList();
        return TypedResults.Ok(new Paged<RegisterUnitView>(items, list.Count, page, pageSize));
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var community = await CommunityAsync(db, caller, id, ct);
        if (community is null) return Problems.NotFound("社区", "community");
        var units = (await RegisterPlan.CurrentAsync(db, community, ct)).Where(u => !u.Retired);
        var rows = units.Select(u =>
        {
            // The first owner with a phone or ID digits is the 业主; the others are 共有人 — as the import reads them back.
            var main = u.Owners.OrderByDescending(o => o.Phone.Length + o.IdLast4.Length).ThenBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault()
                ?? new OwnerKey("", "", "");
            var room = u.Room.Length > 0 ? u.Room : RoomOf(u);
            return new Dictionary<string, object?>
            {
                ["楼栋"] = u.Building, ["单元"] = u.Entrance, ["房号"] = room, ["专有部分面积"] = u.Area,
                ["业主姓名"] = main.Name, ["手机号"] = main.Phone, ["证件号后四位"] = main.IdLast4,
                ["共有人"] = string.Join("、", u.Owners.Where(o => o != main).Select(o => o.Name)),
                ["是否开发商未售"] = u.DeveloperUnsold ? "是" : "否",
            };
        });
        return TypedResults.File(RegisterFile.Write(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"业主名册-{community.Name}.xlsx");
    }

    /// <summary>A unit made before the register kept rooms ("1-101" under "1号楼"): its number without the building's part.</summary>
    static string RoomOf(RegisterPlan.CurrentUnit u)
    {
        var prefix = RegisterPlan.NumberOf(u.Building, u.Entrance, "");
        return u.Number.StartsWith(prefix, StringComparison.Ordinal) ? u.Number[prefix.Length..] : u.Number;
    }
}
