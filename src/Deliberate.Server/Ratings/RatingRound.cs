using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Ratings;

public enum RatingChoice { Satisfied, BasicallySatisfied, Dissatisfied }

public enum RatingStatus { Open, Closed }

/// <summary>How a round ended: at or above the threshold, below it, or with nobody rating.</summary>
public enum RatingOutcome { Satisfied, Dissatisfied, NoRatings }

/// <summary>
/// A round of 群众评事: the residents affected by a matter rate the result within a window, one rating
/// each. At or above the threshold (default 80 % 满意 + 基本满意) the matter closes; below it, the
/// matter goes back to execution and a new round follows the rework.
/// </summary>
public sealed class RatingRound
{
    RatingRound() { }

    public RatingRound(Guid id, Guid matterId, Guid scopeId, decimal threshold, DateTimeOffset opensAt, DateTimeOffset closesAt, int round)
    {
        if (threshold is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold is a fraction in (0, 1].");
        Id = id;
        MatterId = matterId;
        ScopeId = scopeId;
        Threshold = threshold;
        OpensAt = opensAt;
        ClosesAt = closesAt;
        Round = round;
    }

    public Guid Id { get; private set; }
    public Guid MatterId { get; private set; }
    /// <summary>Whose residents rate: the matter's building, or its grid.</summary>
    public Guid ScopeId { get; private set; }
    public int Round { get; private set; }
    public decimal Threshold { get; private set; }
    public DateTimeOffset OpensAt { get; private set; }
    public DateTimeOffset ClosesAt { get; private set; }
    public RatingStatus Status { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public int Satisfied { get; private set; }
    public int BasicallySatisfied { get; private set; }
    public int Dissatisfied { get; private set; }
    public RatingOutcome? Outcome { get; private set; }

    public bool IsOpenAt(DateTimeOffset now) => Status == RatingStatus.Open && now >= OpensAt && now < ClosesAt;

    /// <summary>(满意 + 基本满意) ÷ all ratings; null when nobody rated.</summary>
    public decimal? Rate => Satisfied + BasicallySatisfied + Dissatisfied is var all and > 0 ? (decimal)(Satisfied + BasicallySatisfied) / all : null;

    public const int MaxCommentLength = 1000;

    /// <summary>A resident's rating, if the round takes it now. (One per resident: the database holds that line.)</summary>
    public Rating Accept(Guid userId, RatingChoice choice, string? comment, DateTimeOffset now)
    {
        if (!Enum.IsDefined(choice)) throw new ArgumentOutOfRangeException(nameof(choice));
        if (comment is { Length: > MaxCommentLength })
            throw new ArgumentException($"A comment is at most {MaxCommentLength} characters.", nameof(comment));
        if (Status == RatingStatus.Closed)
            throw new RatingRuleException("roundClosed", "本轮评价已经结束。", "This round of rating has closed.");
        if (now < OpensAt)
            throw new RatingRuleException("notYetOpen", "评价尚未开始。", "Rating has not opened yet.");
        if (now >= ClosesAt)
            throw new RatingRuleException("windowEnded", "评价时间已过。", "The time for rating has passed.");
        return new Rating(Guid.CreateVersion7(now), Id, userId, choice, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), now);
    }

    /// <summary>Counts the ratings and decides: an exact fraction compared with the threshold, no rounding.</summary>
    public RatingOutcome Close(IReadOnlyCollection<RatingChoice> ratings, DateTimeOffset now)
    {
        if (Status == RatingStatus.Closed) return Outcome!.Value;
        Satisfied = ratings.Count(r => r == RatingChoice.Satisfied);
        BasicallySatisfied = ratings.Count(r => r == RatingChoice.BasicallySatisfied);
        Dissatisfied = ratings.Count(r => r == RatingChoice.Dissatisfied);
        var all = ratings.Count;
        Outcome = all == 0 ? RatingOutcome.NoRatings
            : Satisfied + BasicallySatisfied >= Threshold * all ? RatingOutcome.Satisfied
            : RatingOutcome.Dissatisfied;
        Status = RatingStatus.Closed;
        ClosedAt = now;
        return Outcome.Value;
    }
}

/// <summary>A rating the round refuses (closed, outside its window); answered 409.</summary>
public sealed class RatingRuleException(string code, string messageZh, string messageEn) : Api.DomainRuleException(code, messageZh, messageEn);

/// <summary>One resident's rating in one round; the database allows one per resident per round.</summary>
public sealed class Rating
{
    Rating() { }

    public Rating(Guid id, Guid roundId, Guid userId, RatingChoice choice, string? comment, DateTimeOffset at)
    {
        Id = id;
        RoundId = roundId;
        UserId = userId;
        Choice = choice;
        Comment = comment;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid RoundId { get; private set; }
    public Guid UserId { get; private set; }
    public RatingChoice Choice { get; private set; }
    public string? Comment { get; private set; }
    public DateTimeOffset At { get; private set; }
}

static class RatingsModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<RatingRound>(e =>
        {
            e.ToTable("RatingRounds");
            e.Property(x => x.Threshold).HasPrecision(5, 4);
            // Closing is guarded: the last rating and the deadline may try at the same moment, and only one may post the result.
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
            e.Ignore(x => x.Rate);
            e.HasIndex(x => new { x.MatterId, x.Round }).IsUnique();
        });
        model.Entity<Rating>(e =>
        {
            e.ToTable("Ratings");
            e.Property(x => x.Choice).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Comment).HasMaxLength(1000);
            e.HasIndex(x => new { x.RoundId, x.UserId }).IsUnique(); // one rating per resident per round
            e.HasOne<RatingRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
