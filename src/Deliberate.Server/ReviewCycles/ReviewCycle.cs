using System.Globalization;
using Deliberate.Server.Identity;
using Deliberate.Server.Meetings;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Deliberate.Server.ReviewCycles;

/// <summary>
/// A recurring review (日联、周会、月商、季研、年总) of one community: a Quartz cron expression in a time zone, dates to
/// skip (holidays), and who convenes. Each firing drafts a meeting with an agenda made from what is open.
/// </summary>
public sealed class ReviewCycle
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    ReviewCycle() { }

    public ReviewCycle(Guid id, Guid communityId, Guid createdById, DateTimeOffset now)
    {
        Id = id;
        CommunityId = communityId;
        CreatedById = createdById;
        CreatedAt = now.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid CommunityId { get; private set; }
    public string Name { get; private set; } = "";
    public MeetingType MeetingType { get; private set; }
    /// <summary>A Quartz cron expression (seconds first), e.g. <c>0 0 15 ? * TUE#1</c>: the first Tuesday of each month at 15:00.</summary>
    public string Cron { get; private set; } = "";
    /// <summary>An IANA time zone id; the cron's times are wall-clock times there.</summary>
    public string TimeZone { get; private set; } = DefaultTimeZone;
    /// <summary>Local dates on which the cycle does not fire, as yyyy-MM-dd separated by commas.</summary>
    public string SkipDatesText { get; private set; } = "";
    public Guid? ConvenerUserId { get; private set; }
    /// <summary>When no user convenes: the holders of this role at the community do.</summary>
    public Role? ConvenerRole { get; private set; }
    public bool Paused { get; private set; }
    public Guid CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The scheduled moment of the last firing handled (made a meeting or skipped): a firing repeated after a crash does nothing.</summary>
    public DateTimeOffset? LastFiredFor { get; private set; }
    public Guid? LastMeetingId { get; private set; }
    public int Revision { get; private set; }

    public IReadOnlyList<DateOnly> SkipDates =>
        SkipDatesText.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();

    public void Edit(string name, MeetingType type, string cron, string timeZone, IEnumerable<DateOnly> skipDates,
        Guid? convenerUserId, Role? convenerRole)
    {
        Name = name;
        MeetingType = type;
        Cron = cron;
        TimeZone = timeZone;
        SkipDatesText = string.Join(",", skipDates.Distinct().Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        ConvenerUserId = convenerUserId;
        ConvenerRole = convenerRole;
        Revision++;
    }

    public void Pause()
    {
        Paused = true;
        Revision++;
    }

    public void Resume()
    {
        Paused = false;
        Revision++;
    }

    /// <summary>Takes the firing scheduled for <paramref name="firedFor"/>; false when it was already handled.</summary>
    public bool TakeFiring(DateTimeOffset firedFor)
    {
        if (LastFiredFor is { } last && last >= firedFor) return false;
        LastFiredFor = firedFor.ToUniversalTime();
        Revision++;
        return true;
    }

    public void MadeMeeting(Guid meetingId) => LastMeetingId = meetingId;

    /// <summary>Whether Quartz reads the text as a cron expression that fires at all.</summary>
    public static bool IsValidCron(string cron)
    {
        try
        {
            return new CronExpression(cron).GetNextValidTimeAfter(DateTimeOffset.UnixEpoch) is not null;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>At most one firing a day; 23 hours, so that a daily time across a daylight-saving change still counts as daily.</summary>
    public static readonly TimeSpan MinimumGap = TimeSpan.FromHours(23);

    /// <summary>The shortest gap between the next dozen firings after <paramref name="after"/> (null when it fires fewer than twice).</summary>
    public static TimeSpan? ShortestGap(string cron, TimeZoneInfo zone, DateTimeOffset after, int firings = 12)
    {
        var expression = new CronExpression(cron, zone);
        TimeSpan? shortest = null;
        var previous = expression.GetNextValidTimeAfter(after);
        for (var i = 1; i < firings && previous is { } at; i++)
        {
            var next = expression.GetNextValidTimeAfter(at);
            if (next is { } n && (shortest is null || n - at < shortest)) shortest = n - at;
            previous = next;
        }
        return shortest;
    }

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool Skips(DateTimeOffset at) => SkipDates.Contains(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime));

    /// <summary>The next <paramref name="count"/> firings after <paramref name="after"/>, skip dates left out, in the cycle's time zone.</summary>
    public IReadOnlyList<DateTimeOffset> NextFirings(DateTimeOffset after, int count)
    {
        var expression = new CronExpression(Cron, Zone);
        var firings = new List<DateTimeOffset>();
        var at = after;
        for (var guard = 0; firings.Count < count && guard < 1000; guard++)
        {
            if (expression.GetNextValidTimeAfter(at) is not { } next) break;
            at = next;
            if (!Skips(next)) firings.Add(TimeZoneInfo.ConvertTime(next, Zone));
        }
        return firings;
    }
}

static class ReviewCyclesModel
{
    public static void Configure(ModelBuilder model) => model.Entity<ReviewCycle>(e =>
    {
        e.ToTable("ReviewCycles");
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.MeetingType).HasConversion<string>().HasMaxLength(30);
        e.Property(x => x.Cron).HasMaxLength(120);
        e.Property(x => x.TimeZone).HasMaxLength(64);
        e.Property(x => x.SkipDatesText).HasMaxLength(4000);
        e.Property(x => x.ConvenerRole).HasConversion<string>().HasMaxLength(30);
        e.Property(x => x.Revision).IsConcurrencyToken();
        e.Ignore(x => x.SkipDates);
        e.Ignore(x => x.Zone);
        e.HasIndex(x => x.CommunityId);
        e.HasOne<Organisation.OrgUnit>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
    });
}
