using Deliberate.Server.Api;
using Deliberate.Server.Execution;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notices;

public enum NoticeKind { Decision, BallotResult, RatingResult, MeetingNotice, ExecutionResult, Other, BallotAnnouncement }

/// <summary>
/// A public posting (公示) in a community for a period — a decision within 3 days of it, for 5–7 days;
/// a ballot's result; a rating's result. Residents of the community read the current ones.
/// </summary>
public sealed class Notice
{
    Notice() { }

    public Notice(Guid id, Guid orgUnitId, NoticeKind kind, string title, string body, DateTimeOffset postedAt, DateTimeOffset postedUntil,
        Guid? matterId, Guid? meetingId, Guid? ballotId, Guid? postedById)
    {
        if (postedUntil <= postedAt) throw new ArgumentException("A notice must stay up for some time.");
        Id = id;
        OrgUnitId = orgUnitId;
        Kind = kind;
        Title = title;
        Body = body;
        PostedAt = postedAt.ToUniversalTime(); // PostgreSQL keeps instants in UTC
        PostedUntil = postedUntil.ToUniversalTime();
        MatterId = matterId;
        MeetingId = meetingId;
        BallotId = ballotId;
        PostedById = postedById;
    }

    public Guid Id { get; private set; }
    /// <summary>Where it is posted: a community (or a street).</summary>
    public Guid OrgUnitId { get; private set; }
    public NoticeKind Kind { get; private set; }
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DateTimeOffset PostedAt { get; private set; }
    public DateTimeOffset PostedUntil { get; private set; }
    public Guid? MatterId { get; private set; }
    public Guid? MeetingId { get; private set; }
    public Guid? BallotId { get; private set; }
    /// <summary>Null when a workflow posted it.</summary>
    public Guid? PostedById { get; private set; }

    public bool IsUpAt(DateTimeOffset now) => now >= PostedAt && now < PostedUntil;

    /// <summary>
    /// 公示期 as an owner reads it: whole days, the day of posting counted as the first, both ends inclusive — a 7-day
    /// posting from 6 Dec runs 自12月6日至12月12日，共7日. One rule for every notice: <see cref="LastDay"/> is the China date
    /// of the last instant it is up, so what is printed and what is shown agree. Every document and page prints these three.
    /// </summary>
    public int PostingDays => LastDay.DayNumber - FirstDay.DayNumber + 1;
    public DateOnly FirstDay => ChinaTime.Today(PostedAt);
    public DateOnly LastDay => ChinaTime.Today(PostedUntil.AddTicks(-1));

    /// <summary>
    /// When a posting of <paramref name="days"/> whole days comes down: the end of its last day in China (00:00 of the
    /// next), the day of posting counted as the first — not "posted at + n × 24 h", which would leave it up into an extra day.
    /// </summary>
    public static DateTimeOffset EndOfDays(DateTimeOffset postedAt, int days) => ChinaTime.EndOf(ChinaTime.Today(postedAt).AddDays(days - 1));
}

static class NoticesModel
{
    public static void Configure(ModelBuilder model) => model.Entity<Notice>(e =>
    {
        e.ToTable("Notices");
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Body).HasMaxLength(8000);
        e.HasIndex(x => new { x.OrgUnitId, x.PostedUntil });
        e.HasIndex(x => x.MatterId);
    });
}
