using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

public sealed record RecordRulesOfProcedureRequest(string? Text, Guid? BallotId, int? NoticeDays, bool? DeemedConsent,
    bool? DeemedCountsTowardParticipation, bool? DeemedCountsTowardThreshold, IReadOnlyList<string>? MajorRuleKinds);
public sealed record RulesOfProcedureView(Guid Id, Guid CommunityId, string Text, Guid BallotId, DateTimeOffset AdoptedAt,
    int NoticeDays, bool DeemedConsent,
    bool DeemedCountsTowardParticipation, bool DeemedCountsTowardThreshold, IReadOnlyList<string> MajorRuleKinds, DateTimeOffset RecordedAt);

/// <summary>Who reads and records a community's rules of procedure.</summary>
public static class RulesOfProcedureAccess
{
    /// <summary>Anyone of the community, staff or resident: owners must be able to read the rules they are bound by.</summary>
    public static bool MayRead(Caller caller, string communityPath) =>
        caller.IsStaffAt(communityPath) || caller.ResidentCommunityPaths.Contains(communityPath);

    /// <summary>The owners' committee that ran the vote, or the community's staff who keep its records (not the property company).</summary>
    public static bool MayRecord(Caller caller, string communityPath) =>
        caller.AdministersAt(communityPath) || caller.Holds(Role.OwnersCommittee, communityPath)
        || caller.Holds(Role.PartySecretary, communityPath) || caller.Holds(Role.ResidentsCommittee, communityPath);
}

/// <summary>
/// A community's rules of procedure (业主大会议事规则): recorded only from the passed owners' ballot that adopted them, so
/// the settings they carry (deemed consent, notice days, raised bars) always come from the owners themselves.
/// </summary>
public static class RulesOfProcedureApi
{
    public static void MapRulesOfProcedureApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/communities/{id:guid}/rules-of-procedure").WithTags("Organisation").RequireAuthorization();
        group.MapGet("/", Get).WithSummary("The rules of procedure in force in the community (404 when none were adopted).")
            .Problems(ProblemCodes.NotFound);
        group.MapPost("/", Record)
            .WithSummary("Record rules of procedure adopted by a passed owners' ballot of kind rules-of-procedure of the community.")
            .Problems(ProblemCodes.NoRulesText, ProblemCodes.NotAdoptingBallot, ProblemCodes.Validation, ProblemCodes.Forbidden,
                ProblemCodes.NotFound, ProblemCodes.BallotAlreadyAdopted);
    }

    static async Task<Results<Ok<RulesOfProcedureView>, ProblemHttpResult>> Get(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Community, ct);
        if (community is null || !RulesOfProcedureAccess.MayRead(caller, community.Path)) return Problems.NotFound("社区", "community");
        var rules = await RulesOfProcedure.CurrentAsync(db, id, ct);
        return rules is null ? Problems.NotFound("议事规则", "rules of procedure") : TypedResults.Ok(View(rules));
    }

    static async Task<Results<Created<RulesOfProcedureView>, ValidationProblem, ProblemHttpResult>> Record(Guid id,
        RecordRulesOfProcedureRequest request,
        Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var community = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Community, ct);
        if (community is null || !RulesOfProcedureAccess.MayRead(caller, community.Path)) return Problems.NotFound("社区", "community");
        if (!RulesOfProcedureAccess.MayRecord(caller, community.Path))
            return Problems.Forbidden("forbidden", "只有本社区的业委会或社区工作人员可以登记议事规则。",
                "Only the community's owners' committee or staff record its rules of procedure.");

        var errors = new FieldErrors();
        errors.MaxLength("text", request.Text, 100_000, "议事规则文本", "The text");
        var noticeDays = request.NoticeDays ?? RulesOfProcedure.LawNoticeDays;
        if (noticeDays is < RulesOfProcedure.LawNoticeDays or > 365)
            errors.Add("noticeDays", $"表决公告期不得少于法定的 {RulesOfProcedure.LawNoticeDays} 日（最多 365 日）。",
                $"The notice period cannot be shorter than the law's {RulesOfProcedure.LawNoticeDays} days (at most 365).");
        var raised = request.MajorRuleKinds ?? [];
        foreach (var kind in raised.Where(k => ProposalKinds.Find(k) is null))
            errors.Add("majorRuleKinds", $"未知的事项类别“{kind}”。", $"Unknown kind '{kind}'.");
        var deemed = request.DeemedConsent ?? false;
        if (deemed && (request.DeemedCountsTowardParticipation is null || request.DeemedCountsTowardThreshold is null))
            errors.Add("deemedConsent", "议事规则规定未投票视为同意的，须写明视为同意的票数是否计入参与表决的三分之二，以及是否计入通过门槛。",
                "Rules with deemed consent must say whether deemed votes count toward the 2/3 participation and toward the pass threshold.");
        if (request.BallotId is null) errors.Add("ballotId", "请指定通过该议事规则的业主表决。", "Name the owners' ballot that adopted the rules.");
        if (errors.Any) return errors.ToProblem();

        // The adopting vote: an owners' ballot of this community, of kind rules-of-procedure, closed and passed.
        var ballot = await db.Ballots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == request.BallotId, ct);
        var ballotCommunity = ballot is null ? (Guid?)null : await BallotCounting.CommunityOfAsync(db, ballot.OrgUnitId, ct);
        // Community-wide rules are adopted by the whole community's owners: a ballot of one building cannot set them.
        if (ballot is null || ballotCommunity != id || ballot.OrgUnitId != id || !ballot.IsOwnersVote
            || ballot.Kind != ProposalKinds.RulesOfProcedure || ballot.Status != BallotStatus.Closed || ballot.Outcome != TallyOutcome.Passed)
            return Problems.BadRequest("notAdoptingBallot",
                "议事规则须由本社区业主表决通过：所指定的表决须是本社区已结束并通过的、事项类别为“制定和修改业主大会议事规则”的业主表决。",
                "Rules of procedure are adopted by the owners: the ballot named must be a closed, passed owners' ballot of this community of kind "
                    + "rules-of-procedure.");

        // What the owners voted on is the ballot's description: the text recorded is that text, never another one.
        var votedText = ballot.Description?.Trim();
        if (string.IsNullOrEmpty(votedText))
            return Problems.BadRequest("noRulesText", "该表决没有事项说明，无法从中得出业主表决通过的议事规则文本。",
                "The ballot has no description, so there is no text the owners voted on to record as the rules.");
        if (request.Text is { } given && given.Trim() != votedText)
        {
            errors.Add("text", "议事规则文本须与业主表决的事项说明完全一致（可省略，省略时取表决的事项说明）。",
                "The text must be exactly the ballot's description the owners voted on (or be left out, then that description is taken).");
            return errors.ToProblem();
        }
        // A vote adopts rules once: citing it again with other text or settings would rewrite what the owners decided.
        if (await db.RulesOfProcedure.AnyAsync(r => r.BallotId == ballot.Id, ct))
            return Problems.Conflict("ballotAlreadyAdopted", "该表决通过的议事规则已经登记，同一表决不能再次登记。",
                "The rules this ballot adopted are already recorded; a ballot adopts rules once.");

        var now = clock.GetUtcNow();
        var rules = new RulesOfProcedure(Guid.CreateVersion7(now), id, votedText, ballot.Id, ballot.ClosedAt ?? ballot.ClosesAt, noticeDays, deemed,
            request.DeemedCountsTowardParticipation ?? false, request.DeemedCountsTowardThreshold ?? false, raised.ToList(), caller.Id, now);
        db.RulesOfProcedure.Add(rules);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/communities/{id}/rules-of-procedure", View(rules));
    }

    static RulesOfProcedureView View(RulesOfProcedure r) => new(r.Id, r.CommunityId, r.Text, r.BallotId, r.AdoptedAt, r.NoticeDays, r.DeemedConsent,
        r.DeemedCountsTowardParticipation, r.DeemedCountsTowardThreshold, r.RaisedKinds, r.RecordedAt);
}
