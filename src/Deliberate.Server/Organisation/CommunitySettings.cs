using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Organisation;

/// <summary>
/// What each community decides for itself: whether non-voters are deemed to follow the majority
/// (contested in the courts, so off by default), and how residents' ratings are judged.
/// A community without a row uses the defaults.
/// </summary>
public sealed class CommunitySettings
{
    public const decimal DefaultRatingThreshold = 0.8m;
    public const int DefaultRatingDays = 7;

    CommunitySettings() { }

    public CommunitySettings(Guid communityId) => CommunityId = communityId;

    public Guid CommunityId { get; private set; }
    /// <summary>未投票视为同意多数: only when the rules of procedure say so, ballots were delivered with proof, and owners were told.</summary>
    public bool DeemedConsent { get; private set; }
    /// <summary>(满意 + 基本满意) ÷ ratings at or above which a matter closes.</summary>
    public decimal RatingThreshold { get; private set; } = DefaultRatingThreshold;
    public int RatingDays { get; private set; } = DefaultRatingDays;

    public void Change(bool deemedConsent, decimal ratingThreshold, int ratingDays)
    {
        if (ratingThreshold is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(ratingThreshold));
        if (ratingDays is < 1 or > 60) throw new ArgumentOutOfRangeException(nameof(ratingDays));
        DeemedConsent = deemedConsent;
        RatingThreshold = ratingThreshold;
        RatingDays = ratingDays;
    }
}

static class CommunitySettingsModel
{
    public static void Configure(ModelBuilder model) => model.Entity<CommunitySettings>(e =>
    {
        e.ToTable("CommunitySettings");
        e.HasKey(x => x.CommunityId);
        e.Property(x => x.RatingThreshold).HasPrecision(5, 4);
        e.HasOne<OrgUnit>().WithOne().HasForeignKey<CommunitySettings>(x => x.CommunityId);
    });
}
