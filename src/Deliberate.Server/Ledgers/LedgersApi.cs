using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deliberate.Server.Api;
using Deliberate.Server.Audit;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Measures;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Deliberate.Server.Ledgers;

/// <summary>One ledger: its route, its Chinese name (the sheet and the file) and the status codes its filter takes.</summary>
public sealed record LedgerKind(string Code, string Name, IReadOnlyList<string> Statuses, string DateMeaning);

public static class LedgerKinds
{
    public static readonly LedgerKind Matters = new("matters", "民情台账", LedgerQueries.MatterStatuses, "提事时间");
    public static readonly LedgerKind Meetings = new("meetings", "会议台账", LedgerQueries.MeetingStatuses, "会议计划时间");
    public static readonly LedgerKind Resolutions = new("resolutions", "议定事项台账", LedgerQueries.ResolutionStatuses, "会议计划时间");
    public static readonly LedgerKind WorkItems = new("work-items", "工作事项台账", LedgerQueries.WorkItemStatuses, "派发时间");
    public static readonly LedgerKind Ballots = new("ballots", "表决台账", LedgerQueries.BallotStatuses, "表决开始时间");
}

/// <summary>
/// The 台账 inspectors ask for, as XLSX with Chinese headers: 民情台账, 会议台账, 议定事项台账, 工作事项台账 and 表决台账. Staff only;
/// each ledger holds the rows its list would show the caller (the same scope queries), under a node of their scope, in a date range
/// and a status. The workbook is written row by row from batched reads into a temporary file and sent from there, so memory stays
/// flat however long the ledger. Every export is an entry of the audit chain: who exported which ledger with which filters, how many rows.
/// </summary>
public static class LedgersApi
{
    const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapLedgersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ledgers").WithTags("Ledgers").RequireRole(MeasuresApi.Staff);
        const string filters = " Filters: nodeId (a node of the caller's scope; default all of it), from and to (dates, China time, or ISO 8601 "
            + "instants; to is inclusive of its day), status.";
        group.MapGet("/matters.xlsx", (Caller caller, DeliberateDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct,
                Guid? nodeId, string? from, string? to, string? status) =>
                ExportAsync(LedgerKinds.Matters, caller, db, clock, http, nodeId, from, to, status,
                    (f, now) => LedgerQueries.MattersAsync(db, caller, f, now, ct), ct))
            .WithSummary("民情台账: matters with the dates of their steps (raised, heard, decided, done, rated, closed) and an overdue flag; "
                + "status is a step code (raise … closed); the dates filter when raised." + filters)
            .Produces(200, contentType: Xlsx).Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Forbidden);
        group.MapGet("/meetings.xlsx", (Caller caller, DeliberateDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct,
                Guid? nodeId, string? from, string? to, string? status) =>
                ExportAsync(LedgerKinds.Meetings, caller, db, clock, http, nodeId, from, to, status,
                    (f, _) => LedgerQueries.MeetingsAsync(db, caller, f, ct), ct))
            .WithSummary("会议台账: meetings with type, form, place, planned and actual times, attendance by party and their resolutions; "
                + "status is the meeting's state (draft, convened, inSession, closed, minutesApproved, cancelled); "
                + "the dates filter the planned start."
                + filters)
            .Produces(200, contentType: Xlsx).Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Forbidden);
        group.MapGet("/resolutions.xlsx", (Caller caller, DeliberateDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct,
                Guid? nodeId, string? from, string? to, string? status) =>
                ExportAsync(LedgerKinds.Resolutions, caller, db, clock, http, nodeId, from, to, status,
                    (f, now) => LedgerQueries.ResolutionsAsync(db, caller, f, now, ct), ct))
            .WithSummary("议定事项台账: resolutions with the responsible unit, deadline, status (pending, inProgress, done, overdue — from the "
                + "work items made for them) and done date; the dates filter the meeting's planned start." + filters)
            .Produces(200, contentType: Xlsx).Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Forbidden);
        group.MapGet("/work-items.xlsx", (Caller caller, DeliberateDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct,
                Guid? nodeId, string? from, string? to, string? status) =>
                ExportAsync(LedgerKinds.WorkItems, caller, db, clock, http, nodeId, from, to, status,
                    (f, _) => LedgerQueries.WorkItemsAsync(db, caller, f, ct), ct))
            .WithSummary("工作事项台账: work items with level, node, deadline, status (open, inProgress, done, overdue), progress and "
                + "escalations; the dates filter when the item was made." + filters)
            .Produces(200, contentType: Xlsx).Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Forbidden);
        group.MapGet("/ballots.xlsx", (Caller caller, DeliberateDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct,
                Guid? nodeId, string? from, string? to, string? status) =>
                ExportAsync(LedgerKinds.Ballots, caller, db, clock, http, nodeId, from, to, status,
                    (f, _) => LedgerQueries.BallotsAsync(db, caller, f, ct), ct))
            .WithSummary("表决台账: ballots with kind, rule, secrecy, electorate, turnout by heads and by area and the result — totals only, "
                + "never who chose what; status is announced, open, closed or faulted; the dates filter the opening." + filters)
            .Produces(200, contentType: Xlsx).Problems(ProblemCodes.Validation, ProblemCodes.NotFound, ProblemCodes.Forbidden);
    }

    static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync<TRow>(LedgerKind kind, Caller caller,
        DeliberateDbContext db, TimeProvider clock, HttpContext http, Guid? nodeId, string? from, string? to, string? status,
        Func<LedgerFilter, DateTimeOffset, IAsyncEnumerable<TRow>> rows, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var start = from is null ? null : MeasuresApi.ReadInstant(from, endOfDay: false);
        var end = to is null ? null : MeasuresApi.ReadInstant(to, endOfDay: true);
        if (from is not null && start is null)
            errors.Add("from", "开始日期应为 2000 至 2100 年间的日期（如 2026-03-01）。", "From must be a date (e.g. 2026-03-01) between 2000 and 2100.");
        if (to is not null && end is null)
            errors.Add("to", "结束日期应为 2000 至 2100 年间的日期（如 2026-03-31）。", "To must be a date (e.g. 2026-03-31) between 2000 and 2100.");
        if (start is { } s && end is { } e && s >= e) errors.Add("to", "结束日期应晚于开始日期。", "To must be after from.");
        if (!string.IsNullOrEmpty(status) && !kind.Statuses.Contains(status))
            errors.Add("status", $"状态应为以下之一：{string.Join("、", kind.Statuses)}。", $"Status must be one of: {string.Join(", ", kind.Statuses)}.");
        if (errors.Any) return errors.ToProblem();

        OrgUnit? node = null;
        if (nodeId is { } id)
        {
            node = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
            // A node outside the caller's scope is answered as one that does not exist.
            if (node is null || !caller.IsStaffAt(node.Path)) return Problems.NotFound("组织", "organisation node");
        }

        var filter = new LedgerFilter(node, start, end, string.IsNullOrEmpty(status) ? null : status);
        var now = clock.GetUtcNow();
        var count = 0;
        async IAsyncEnumerable<TRow> Counted()
        {
            await foreach (var row in rows(filter, now).WithCancellation(ct))
            {
                count++;
                yield return row;
            }
        }

        // A temporary file, not memory: the workbook of a long ledger is written as its rows are read, then sent and deleted.
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"deliberate-ledger-{Guid.NewGuid():N}.xlsx"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await WriteAsync(file, kind.Name, Counted(), ct);
            file.Position = 0;
            var details = new JsonObject
            {
                ["ledger"] = kind.Name,
                ["nodeId"] = node?.Id.ToString(),
                ["node"] = node?.Name,
                ["from"] = from,
                ["to"] = to,
                ["status"] = filter.Status,
                ["rows"] = count,
                ["bytes"] = file.Length,
            };
            await AuditTrail.RecordEventAsync(db, "exported", "Ledger", kind.Code, details.ToJsonString(Readable), node?.Id, ct);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        var day = ChinaTime.Today(now).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.File(file, Xlsx, $"{kind.Name}-{node?.Name ?? "全部"}-{day}.xlsx");
    }

    /// <summary>
    /// Writes a ledger's rows into a workbook as they come (the bench measures this path). MiniExcel's asynchronous writer puts its
    /// (empty) <c>&lt;x:drawing&gt;</c> inside <c>&lt;x:sheetData&gt;</c>, where the schema allows only rows and Excel offers to "repair"
    /// the file (tester, issue 18): the workbook is written to a temporary file and copied, entry by entry and streaming, with the
    /// drawing moved to the end of the worksheet, where the schema puts it.
    /// </summary>
    public static async Task WriteAsync<TRow>(Stream stream, string sheetName, IAsyncEnumerable<TRow> rows, CancellationToken ct)
    {
        await using var raw = new FileStream(Path.Combine(Path.GetTempPath(), $"deliberate-ledger-{Guid.NewGuid():N}.raw.xlsx"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await raw.SaveAsAsync(rows, sheetName: sheetName, excelType: ExcelType.XLSX, cancellationToken: ct);
        raw.Position = 0;
        using var source = new ZipArchive(raw, ZipArchiveMode.Read, leaveOpen: true);
        using var target = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Fastest);
            copy.LastWriteTime = entry.LastWriteTime;
            await using var from = entry.Open();
            await using var to = copy.Open();
            if (entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && entry.FullName.EndsWith(".xml", StringComparison.Ordinal))
                await DrawingInSchemaOrderAsync(from, to, ct);
            else await from.CopyToAsync(to, ct);
        }
    }

    static readonly Regex DrawingInSheetData = new(@"<x:drawing\b[^<>]*/>(?=</x:sheetData>)", RegexOptions.CultureInvariant);
    const string EndWorksheet = "</x:worksheet>";

    /// <summary>Copies a worksheet's XML, moving a drawing written just before <c>&lt;/x:sheetData&gt;</c> to just before
    /// <c>&lt;/x:worksheet&gt;</c> (after the autoFilter: the drawing's place in CT_Worksheet). Holds at most a block and a tail.</summary>
    internal static async Task DrawingInSchemaOrderAsync(Stream from, Stream to, CancellationToken ct)
    {
        // A drawing element with the end tag after it is well under this: one that is not whole yet stays in the tail.
        const int Tail = 256;
        using var reader = new StreamReader(from, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        await using var writer = new StreamWriter(to, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        var buffer = new char[64 * 1024];
        var pending = "";
        string? drawing = null;
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            pending += new string(buffer, 0, read);
            if (drawing is null && DrawingInSheetData.Match(pending) is { Success: true } match)
            {
                drawing = match.Value;
                pending = pending.Remove(match.Index, match.Length);
            }
            if (pending.Length > Tail)
            {
                await writer.WriteAsync(pending.AsMemory(0, pending.Length - Tail), ct);
                pending = pending[^Tail..];
            }
        }
        if (drawing is not null)
        {
            var end = pending.LastIndexOf(EndWorksheet, StringComparison.Ordinal);
            pending = end < 0 ? pending : pending.Insert(end, drawing);
        }
        await writer.WriteAsync(pending.AsMemory(), ct);
    }

    static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
