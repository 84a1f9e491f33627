using System.Globalization;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Meetings;
using Deliberate.Server.Voting;
using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Minutes;

public sealed record GenerateMinutesRequest(string? Reason, string? Language);
public sealed record SignerView(Guid UserId, string Name);
public sealed record SignOffView(Guid UserId, string Name, DateTimeOffset SignedAt);
public sealed record MinutesVersionView(int Version, string Sha256, string Language, int Size, DateTimeOffset CreatedAt,
    string CreatedBy, string? Reason,
    IReadOnlyList<SignOffView> SignOffs, IReadOnlyList<SignerView> RequiredSigners, bool SignedByAll);

/// <summary>
/// The documents as a product: a meeting's minutes (rendered, stored immutably per version with its SHA-256, signed off
/// by those who must sign), a ballot's result notice and a matter's closing report. PDFs are zh-CN unless <c>?lang=en</c>.
/// </summary>
public static class MinutesApi
{
    public const string Pdf = "application/pdf";
    public const int MaxReason = 500;

    public static void MapMinutesApi(this IEndpointRouteBuilder app)
    {
        var meetings = app.MapGroup("/api/meetings/{id:guid}").WithTags("Minutes").RequireAuthorization();
        meetings.MapGet("/minutes.pdf", Current)
            .WithSummary("The minutes as PDF: the latest stored version in the language, else the meeting rendered as it stands (not stored).")
            .Problems(ProblemCodes.NotFound, ProblemCodes.BallotOpen);
        meetings.MapGet("/minutes", Versions)
            .WithSummary("The stored versions of the minutes, newest first, with their sign-offs and required signers.")
            .Problems(ProblemCodes.NotFound);
        meetings.MapPost("/minutes", Generate)
            .WithSummary("Generate and store a new version of the minutes of a closed meeting; a correction needs { reason }.")
            .Problems(ProblemCodes.Validation, ProblemCodes.NotOrganiser, ProblemCodes.NotFound, ProblemCodes.BadState,
                ProblemCodes.MinutesApproved, ProblemCodes.ReasonRequired);
        meetings.MapGet("/minutes/{version:int}.pdf", Stored).WithSummary("Exactly the stored bytes of one version.")
            .Problems(ProblemCodes.NotFound);
        meetings.MapPost("/minutes/{version:int}/sign-off", SignOff)
            .WithSummary("A required signer confirms the latest version, once; the last confirmation approves the minutes.")
            .Problems(ProblemCodes.NotOrganiser, ProblemCodes.NotSigner, ProblemCodes.NotFound, ProblemCodes.AlreadySigned, ProblemCodes.BadState,
                ProblemCodes.MinutesNotSigned, ProblemCodes.NoMinutes, ProblemCodes.Superseded);
        app.MapGet("/api/ballots/{id:guid}/notice.pdf", BallotNotice).WithTags("Minutes").RequireAuthorization()
            .WithSummary("The result notice (表决结果公告) of a closed ballot as PDF.")
            .Problems(ProblemCodes.ValueTooLarge, ProblemCodes.NotFound, ProblemCodes.BallotOpen, ProblemCodes.QuorumNotMet,
                ProblemCodes.RuleOfBody, ProblemCodes.VotingPeriodTooShort);
        app.MapGet("/api/matters/{id:guid}/closing-report.pdf", ClosingReport).WithTags("Minutes").RequireAuthorization()
            .WithSummary("The closing report (事项办结报告) of a closed matter as PDF.")
            .Problems(ProblemCodes.NotFound, ProblemCodes.MatterOpen);
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Current(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct,
        string? lang = null)
    {
        var (meeting, community) = await MeetingsApi.LoadAsync(db, id, ct, tracking: false);
        if (meeting is null || !MeetingAccess.CanSee(caller, meeting, community!.Path)) return NotFound();
        var language = MeetingMinutes.Language(lang);
        var stored = await db.Set<MinutesVersion>().AsNoTracking().Where(v => v.MeetingId == id && v.Language == language)
            .OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
        var bytes = stored?.Content
            ?? MinutesRenderer.Render(await MeetingMinutes.DocumentAsync(db, meeting, language == MeetingMinutes.English, ct), language);
        return TypedResults.File(bytes, Pdf, FileName(stored?.Version, language));
    }

    static async Task<Results<Ok<List<MinutesVersionView>>, ProblemHttpResult>> Versions(Guid id, Caller caller,
        DeliberateDbContext db, CancellationToken ct)
    {
        var (meeting, community) = await MeetingsApi.LoadAsync(db, id, ct, tracking: false);
        if (meeting is null || !MeetingAccess.CanSee(caller, meeting, community!.Path)) return NotFound();
        var versions = await VersionsOf(db, id).AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(versions.OrderByDescending(v => v.Version).Select(v => View(v, meeting)).ToList());
    }

    static async Task<Results<Created<MinutesVersionView>, ValidationProblem, ProblemHttpResult>> Generate(Guid id, GenerateMinutesRequest? request,
        Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct, string? lang = null)
    {
        var (meeting, community) = await MeetingsApi.LoadAsync(db, id, ct, tracking: false);
        if (meeting is null || !MeetingAccess.CanSee(caller, meeting, community!.Path)) return NotFound();
        if (!MeetingAccess.MayRun(caller, meeting, community.Path))
            return Problems.Forbidden("notOrganiser", "只有会议的召集方、主持人和记录人可以生成纪要。",
                "Only the meeting's organisers, chair and recorder can generate the minutes.");
        var errors = new FieldErrors();
        errors.MaxLength("reason", request?.Reason, MaxReason, "更正理由", "Reason");
        if (request?.Language is { } l && l != MeetingMinutes.Chinese && l != MeetingMinutes.English && l != "zh")
            errors.Add("language", "语言应为 zh-CN 或 en。", "Language must be zh-CN or en.");
        var hasVersions = await VersionsOf(db, id).AnyAsync(ct);
        if (hasVersions && meeting.State == MeetingState.Closed)
            errors.Required("reason", request?.Reason, "更正理由", "The reason for the correction");
        if (errors.Any) return errors.ToProblem();

        var now = clock.GetUtcNow();
        var version = await MeetingMinutes.GenerateAsync(db, meeting, request?.Language ?? lang ?? MeetingMinutes.Chinese,
            caller.Id, caller.DisplayName,
            request?.Reason, now, ct);
        MeetingMinutes.NotifyReady(db, meeting, version, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/meetings/{id}/minutes/{version.Version}.pdf", View(version, meeting));
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Stored(Guid id, int version, Caller caller,
        DeliberateDbContext db, CancellationToken ct)
    {
        var (meeting, community) = await MeetingsApi.LoadAsync(db, id, ct, tracking: false);
        if (meeting is null || !MeetingAccess.CanSee(caller, meeting, community!.Path)) return NotFound();
        var stored = await db.Set<MinutesVersion>().AsNoTracking().FirstOrDefaultAsync(v => v.MeetingId == id && v.Version == version, ct);
        if (stored is null) return Problems.NotFound("该版本纪要", "version of the minutes");
        return TypedResults.File(stored.Content, Pdf, FileName(stored.Version, stored.Language));
    }

    static async Task<Results<Ok<MinutesVersionView>, ProblemHttpResult>> SignOff(Guid id, int version, Caller caller, DeliberateDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var (meeting, community) = await MeetingsApi.LoadAsync(db, id, ct);
        if (meeting is null || !MeetingAccess.CanSee(caller, meeting, community!.Path)) return NotFound();
        var versions = await VersionsOf(db, id).ToListAsync(ct);
        var target = versions.FirstOrDefault(v => v.Version == version);
        if (target is null) return Problems.NotFound("该版本纪要", "version of the minutes");
        var signer = MeetingMinutes.RequiredSigners(meeting).FirstOrDefault(s => s.UserId == caller.Id);
        if (signer.UserId == Guid.Empty)
            return Problems.Forbidden("notSigner", "只有出席会议的成员和主持人、记录人确认纪要。",
                "Only the members present, the chair and the recorder sign off the minutes.");

        var now = clock.GetUtcNow();
        db.Set<MinutesSignOff>().Add(target.SignOff(Guid.CreateVersion7(now), caller.Id, signer.Name, now, versions.Max(v => v.Version)));
        if (meeting.State == MeetingState.Closed && MeetingMinutes.SignedByAll(meeting, target)) meeting.ApproveMinutes();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(target, meeting));
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> BallotNotice(Guid id, Caller caller,
        DeliberateDbContext db, CancellationToken ct,
        string? lang = null)
    {
        var (ballot, _) = await BallotAccess.VisibleAsync(db, caller, id, ct);
        if (ballot is null) return Problems.NotFound("表决", "ballot");
        if (ballot.Status != BallotStatus.Closed)
            return Problems.Conflict("ballotOpen", "表决尚未结束，还没有结果公告。", "The ballot is still open; there is no result notice yet.");
        var language = MeetingMinutes.Language(lang);
        var document = await PostedDocuments.BallotNoticeAsync(db, ballot, language == MeetingMinutes.English, ct);
        return TypedResults.File(BallotNoticeRenderer.Render(document, language), Pdf, $"ballot-notice-{ballot.Id:N}.{language}.pdf");
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ClosingReport(Guid id, Caller caller,
        DeliberateDbContext db, WorkflowPlans plans,
        CancellationToken ct, string? lang = null)
    {
        var matter = await db.Matters.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        var grid = matter is null ? null : await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
        if (matter is null || !MatterAccess.CanSee(caller, matter, grid!)) return Problems.NotFound("事项", "matter");
        var language = MeetingMinutes.Language(lang);
        // The step names of the timeline come from the API's texts: in the document's language.
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        var document = await PostedDocuments.ClosingReportAsync(db, plans, matter, grid!, language == MeetingMinutes.English, ct);
        return TypedResults.File(ClosingReportRenderer.Render(document, language), Pdf, $"closing-report-{matter.Id:N}.{language}.pdf");
    }

    static IQueryable<MinutesVersion> VersionsOf(DeliberateDbContext db, Guid meetingId) =>
        db.Set<MinutesVersion>().Include(v => v.SignOffs).Where(v => v.MeetingId == meetingId);

    static MinutesVersionView View(MinutesVersion v, Meeting meeting) =>
        new(v.Version, v.Sha256, v.Language, v.Size, v.CreatedAt, v.CreatedByName, v.Reason,
        v.SignOffs.OrderBy(s => s.SignedAt).Select(s => new SignOffView(s.UserId, s.Name, s.SignedAt)).ToList(),
        MeetingMinutes.RequiredSigners(meeting).Select(s => new SignerView(s.UserId, s.Name)).ToList(),
        MeetingMinutes.SignedByAll(meeting, v));

    /// <summary>An ASCII name (headers cannot carry Chinese plainly): the id and version say which file it is.</summary>
    static string FileName(int? version, string language) =>
        $"minutes{(version is { } n ? "-v" + n.ToString(CultureInfo.InvariantCulture) : "")}.{language}.pdf";

    static ProblemHttpResult NotFound() => Problems.NotFound("会议", "meeting");
}
