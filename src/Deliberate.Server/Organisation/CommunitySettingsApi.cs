using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Organisation;

public sealed record CommunitySettingsView(Guid CommunityId, bool DeemedConsent, decimal RatingThreshold, int RatingDays);
public sealed record ChangeCommunitySettingsRequest(bool? DeemedConsent, decimal? RatingThreshold, int? RatingDays);

/// <summary>A community's own choices: how ratings are judged. Deemed consent is shown, but set only by the rules of procedure.</summary>
public static class CommunitySettingsApi
{
    public static void MapCommunitySettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/communities/{id:guid}/settings").WithTags("Organisation").RequireAuthorization();
        group.MapGet("/", Get).WithSummary("The community's settings (defaults where it has chosen none).")
            .Problems(ProblemCodes.NotFound);
        group.MapPut("/", Change).WithSummary("Change them (the party secretary or an admin).")
            .Problems(ProblemCodes.DeemedConsentByRulesOfProcedure, ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound);
    }

    static async Task<Results<Ok<CommunitySettingsView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Community, ct);
        if (community is null || !(caller.IsStaffAt(community.Path) || caller.ResidentCommunityPaths.Contains(community.Path)))
            return Problems.NotFound("社区", "community");
        var settings = await db.CommunitySettings.AsNoTracking().FirstOrDefaultAsync(s => s.CommunityId == id, ct) ?? new CommunitySettings(id);
        return TypedResults.Ok(View(settings, await DeemedAsync(db, id, ct)));
    }

    static async Task<Results<Ok<CommunitySettingsView>, ValidationProblem, ProblemHttpResult>> Change(Guid id,
        ChangeCommunitySettingsRequest request,
        Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Community, ct);
        if (community is null || !caller.IsStaffAt(community.Path)) return Problems.NotFound("社区", "community");
        if (!caller.Holds(Role.PartySecretary, community.Path) && !caller.AdministersAt(community.Path))
            return Problems.Forbidden("forbidden", "只有社区党组织书记可以修改社区设置。", "Only the community's party secretary changes its settings.");
        // 未投票视为同意 binds owners only when their own rules of procedure say so; it is recorded with those rules.
        if (request.DeemedConsent == true)
            return Problems.BadRequest("deemedConsentByRulesOfProcedure",
                "“未投票视为同意”须由业主大会议事规则规定，不能在社区设置中开启；请登记业主表决通过的议事规则（/api/communities/{id}/rules-of-procedure）。",
                "Deemed consent must come from the owners' rules of procedure and cannot be switched on in the community settings; record the "
                    + "adopted rules (/api/communities/{id}/rules-of-procedure).");
        var settings = await db.CommunitySettings.FirstOrDefaultAsync(s => s.CommunityId == id, ct);
        if (settings is null) db.CommunitySettings.Add(settings = new CommunitySettings(id));
        var errors = new FieldErrors();
        var threshold = request.RatingThreshold ?? settings.RatingThreshold;
        var days = request.RatingDays ?? settings.RatingDays;
        if (threshold is <= 0 or > 1)
            errors.Add("ratingThreshold", "满意率门槛应在 0 到 1 之间（如 0.8）。", "The rating threshold is a fraction in (0, 1], e.g. 0.8.");
        if (days is < 1 or > 60) errors.Add("ratingDays", "评价期为 1 到 60 天。", "The rating window is 1 to 60 days.");
        if (errors.Any) return errors.ToProblem();
        settings.Change(false, threshold, days);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(settings, await DeemedAsync(db, id, ct)));
    }

    /// <summary>Deemed consent as the adopted rules of procedure set it (the old column is no longer read).</summary>
    static async Task<bool> DeemedAsync(DeliberateDbContext db, Guid id, CancellationToken ct) =>
        (await Voting.RulesOfProcedure.CurrentAsync(db, id, ct))?.DeemedConsent ?? false;

    static CommunitySettingsView View(CommunitySettings s, bool deemedConsent) => new(s.CommunityId, deemedConsent, s.RatingThreshold, s.RatingDays);
}
