using System.Globalization;
using System.Text;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deliberate.Server.Measures;

/// <summary>A rate with its parts; <see cref="Rate"/> is null when the denominator is 0, else rounded to 4 places.</summary>
public sealed record MeasureRate(int Numerator, int Denominator, decimal? Rate)
{
    public static MeasureRate Of(int numerator, int denominator) =>
        new(numerator, denominator, denominator == 0 ? null : Math.Round((decimal)numerator / denominator, 4));
}

public sealed record MeasureCount(string Code, string Name, int Count);

public sealed record MeasureRow(PlaceView Node, int Raised, MeasureRate Response, MeasureRate Closure, MeasureRate OnTimeClosure,
    MeasureRate Satisfaction, IReadOnlyList<MeasureCount> ByCategory, IReadOnlyList<MeasureCount> ByStep);

public sealed record MeasuresView(string Level, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MeasureRow> Rows);

/// <summary>
/// The figures the districts report (响应率, 办结率, 按期办结率, 满意率, counts per grid / community / street),
/// one row per organisation node of a level within the caller's staff scope. See <see cref="MatterMeasures"/> for
/// the exact definitions.
/// </summary>
public static class MeasuresApi
{
    /// <summary>The staff roles that read figures and ledgers (an administrator always may).</summary>
    internal static readonly Role[] Staff =
        [Role.PartySecretary, Role.GridWorker, Role.ResidentsCommittee, Role.OwnersCommittee, Role.PropertyCompany,
            Role.StreetOfficer, Role.DepartmentOfficer];

    public static RouteGroupBuilder MapMeasuresApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Measures").RequireRole(Staff);
        group.MapGet("/measures", Json)
            .WithSummary("Measures per node of a level (grid, community, street) in the caller's scope: matters raised, response, closure, on-time "
            + "closure and satisfaction rates, counts by category and step.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden);
        group.MapGet("/measures.csv", Csv)
            .WithSummary("The same measures as CSV (UTF-8 with a byte-order mark, headers in the request's language).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden);
        return group;
    }

    static async Task<Results<Ok<MeasuresView>, ValidationProblem>> Json(Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct,
        string? level = null, string? from = null, string? to = null)
    {
        var (query, errors) = Read(level, from, to, clock.GetUtcNow());
        if (errors.Any) return errors.ToProblem();
        return TypedResults.Ok(await MatterMeasures.ComputeAsync(db, caller, query!, clock.GetUtcNow(), ct));
    }

    static async Task<Results<FileContentHttpResult, ValidationProblem>> Csv(Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct,
        string? level = null, string? from = null, string? to = null)
    {
        var (query, errors) = Read(level, from, to, clock.GetUtcNow());
        if (errors.Any) return errors.ToProblem();
        var view = await MatterMeasures.ComputeAsync(db, caller, query!, clock.GetUtcNow(), ct);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ToCsv(view))).ToArray();
        var name = $"measures-{view.Level}-{ChinaTime.Today(view.From):yyyyMMdd}-{ChinaTime.Today(view.To.AddTicks(-1)):yyyyMMdd}.csv";
        return TypedResults.File(bytes, "text/csv; charset=utf-8", name);
    }

    /// <summary>
    /// level: grid, community or street (default community). from: a date (yyyy-MM-dd, from 00:00 China time) or an ISO
    /// 8601 instant; default the first day of this month. to: a date (up to the end of that day) or an instant
    /// (exclusive); default now.
    /// </summary>
    static (MeasureQuery?, FieldErrors) Read(string? level, string? from, string? to, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        OrgLevel? orgLevel = (level ?? "community") switch
        {
            "grid" => OrgLevel.Grid,
            "community" => OrgLevel.Community,
            "street" => OrgLevel.Street,
            _ => null,
        };
        if (orgLevel is null) errors.Add("level", "层级应为网格、社区或街道之一。", "Level must be grid, community or street.");
        var today = ChinaTime.Today(now);
        var start = from is null ? ChinaTime.StartOf(new DateOnly(today.Year, today.Month, 1)) : ReadInstant(from, endOfDay: false);
        var end = to is null ? now : ReadInstant(to, endOfDay: true);
        if (start is null)
            errors.Add("from", "开始时间应为 2000 至 2100 年间的日期（如 2026-03-01）或 ISO 8601 时间。",
                "From must be a date (e.g. 2026-03-01) or an ISO 8601 time between 2000 and 2100.");
        if (end is null)
            errors.Add("to", "结束时间应为 2000 至 2100 年间的日期（如 2026-03-31）或 ISO 8601 时间。",
                "To must be a date (e.g. 2026-03-31) or an ISO 8601 time between 2000 and 2100.");
        if (start is { } s && end is { } e && s >= e) errors.Add("to", "结束时间应晚于开始时间。", "To must be after from.");
        return errors.Any ? (null, errors) : (new MeasureQuery(orgLevel!.Value, start!.Value, end!.Value), errors);
    }

    /// <summary>A query parameter's date (from 00:00 China time, or to the end of that day) or ISO 8601 instant; null when unreadable.</summary>
    internal static DateTimeOffset? ReadInstant(string text, bool endOfDay)
    {
        // Dates outside the domain's range are refused like unreadable ones: 0001-01-01 in China time is before DateTimeOffset.MinValue.
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return DateRange.Contains(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) ? endOfDay ? ChinaTime.EndOf(day)
                : ChinaTime.StartOf(day) : null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            && DateRange.Contains(at) ? at.ToUniversalTime() : null;
    }

    static string ToCsv(MeasuresView view)
    {
        var first = view.Rows.FirstOrDefault();
        var categories = first?.ByCategory ?? MatterMeasures.CategoryCounts([]);
        var steps = first?.ByStep ?? MatterMeasures.StepCounts([]);
        var header = new List<string>
        {
            Text.L("组织", "Node"),
            Text.L("提事数", "Matters raised"),
            Text.L("按时响应数", "Responded in time"), Text.L("应响应数", "First tasks due"), Text.L("响应率", "Response rate"),
            Text.L("办结数", "Closed"), Text.L("提事数（办结率分母）", "Raised (closure denominator)"), Text.L("办结率", "Closure rate"),
            Text.L("按期办结数", "Closed on time"), Text.L("办结数（按期办结率分母）", "Closed (on-time denominator)"), Text.L("按期办结率", "On-time closure rate"),
            Text.L("满意及基本满意数", "Satisfied or basically satisfied"), Text.L("评价数", "Ratings"), Text.L("满意率", "Satisfaction rate"),
        };
        header.AddRange(categories.Select(c => Text.L("分类：", "Category: ") + c.Name));
        header.AddRange(steps.Select(s => Text.L("步骤：", "Step: ") + s.Name));

        var csv = new StringBuilder();
        csv.Append(string.Join(',', header.Select(Field))).Append("\r\n");
        foreach (var row in view.Rows)
        {
            var cells = new List<string> { Field(row.Node.Name), Number(row.Raised) };
            foreach (var rate in new[] { row.Response, row.Closure, row.OnTimeClosure, row.Satisfaction })
                cells.AddRange([Number(rate.Numerator), Number(rate.Denominator), rate.Rate?.ToString("0.####", CultureInfo.InvariantCulture) ?? ""]);
            cells.AddRange(row.ByCategory.Select(c => Number(c.Count)));
            cells.AddRange(row.ByStep.Select(s => Number(s.Count)));
            csv.Append(string.Join(',', cells)).Append("\r\n");
        }
        return csv.ToString();
    }

    static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is neutralised so that a spreadsheet does not run a name as a formula.</summary>
    static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@') text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
