namespace Deliberate.Server.Scheduling;

/// <summary>
/// When a reminder goes out before a deadline (Sla:ReminderLead, Sla:ReminderFraction): the shorter of the lead and
/// that fraction of the time given, so a 15-day item is reminded a day ahead and a 1-day task about 5 hours ahead.
/// </summary>
public sealed class SlaOptions
{
    public TimeSpan ReminderLead { get; set; } = TimeSpan.FromHours(24);
    public double ReminderFraction { get; set; } = 0.2;

    /// <summary>The reminder's moment for a window from <paramref name="start"/> to <paramref name="deadline"/>; null when there is no
    /// window.</summary>
    public DateTimeOffset? ReminderAt(DateTimeOffset start, DateTimeOffset deadline)
    {
        var window = deadline - start;
        if (window <= TimeSpan.Zero) return null;
        var lead = TimeSpan.FromTicks(Math.Min(ReminderLead.Ticks, (long)(window.Ticks * ReminderFraction)));
        return lead <= TimeSpan.Zero ? null : deadline - lead;
    }
}
