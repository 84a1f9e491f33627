using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>
/// A community's rules of procedure (业主大会议事规则) as the owners adopted them by a passed owners' ballot of kind
/// <see cref="ProposalKinds.RulesOfProcedure"/>: the text, and what the text decides that the system applies — the
/// notice period, deemed consent, and kinds raised to the major rule. The latest adoption is in force.
/// </summary>
public sealed class RulesOfProcedure
{
    /// <summary>民法典 and the property rules: owners are told 15 days before; the rules may ask more, never less.</summary>
    public const int LawNoticeDays = 15;

    RulesOfProcedure() { }

    public RulesOfProcedure(Guid id, Guid communityId, string text, Guid ballotId, DateTimeOffset adoptedAt, int noticeDays, bool deemedConsent,
        bool deemedCountsTowardParticipation, bool deemedCountsTowardThreshold, IReadOnlyCollection<string> majorRuleKinds, Guid recordedById,
        DateTimeOffset recordedAt)
    {
        if (noticeDays < LawNoticeDays) throw new ArgumentOutOfRangeException(nameof(noticeDays));
        Id = id;
        CommunityId = communityId;
        Text = text;
        BallotId = ballotId;
        AdoptedAt = adoptedAt;
        NoticeDays = noticeDays;
        DeemedConsent = deemedConsent;
        DeemedCountsTowardParticipation = deemedConsent && deemedCountsTowardParticipation;
        DeemedCountsTowardThreshold = deemedConsent && deemedCountsTowardThreshold;
        MajorRuleKinds = string.Join(",", majorRuleKinds.Distinct().Order(StringComparer.Ordinal));
        RecordedById = recordedById;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid CommunityId { get; private set; }
    public string Text { get; private set; } = "";
    /// <summary>The passed owners' ballot that adopted the text.</summary>
    public Guid BallotId { get; private set; }
    /// <summary>When that ballot closed.</summary>
    public DateTimeOffset AdoptedAt { get; private set; }
    /// <summary>Days of notice before an owners' vote opens; at least <see cref="LawNoticeDays"/>.</summary>
    public int NoticeDays { get; private set; }
    /// <summary>未投票视为同意多数.</summary>
    public bool DeemedConsent { get; private set; }
    public bool DeemedCountsTowardParticipation { get; private set; }
    public bool DeemedCountsTowardThreshold { get; private set; }
    /// <summary>Kinds the rules put under the major rule besides the law's (comma-separated codes).</summary>
    public string MajorRuleKinds { get; private set; } = "";
    public Guid RecordedById { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    public IReadOnlyList<string> RaisedKinds => MajorRuleKinds.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The rules in force in a community: the latest adopted, or null.</summary>
    public static Task<RulesOfProcedure?> CurrentAsync(DeliberateDbContext db, Guid communityId, CancellationToken ct) =>
        db.RulesOfProcedure.AsNoTracking().Where(r => r.CommunityId == communityId)
            .OrderByDescending(r => r.RecordedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    /// <summary>The notice an owners' vote needs in this community: 15 days, or more if the adopted rules say so.</summary>
    public static async Task<int> MinimumNoticeDays(DeliberateDbContext db, Guid communityId, CancellationToken ct = default) =>
        Math.Max(LawNoticeDays, (await CurrentAsync(db, communityId, ct))?.NoticeDays ?? LawNoticeDays);
}

static class RulesOfProcedureModel
{
    public static void Configure(ModelBuilder model) => model.Entity<RulesOfProcedure>(e =>
    {
        e.ToTable("RulesOfProcedure");
        e.Property(x => x.Text).HasMaxLength(100_000);
        e.Property(x => x.MajorRuleKinds).HasMaxLength(400);
        e.HasIndex(x => new { x.CommunityId, x.RecordedAt });
        e.HasIndex(x => x.BallotId).IsUnique(); // a ballot adopts rules once
        e.HasOne<Organisation.OrgUnit>().WithMany().HasForeignKey(x => x.CommunityId);
        e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Restrict);
    });
}
