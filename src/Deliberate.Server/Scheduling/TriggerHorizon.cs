namespace Deliberate.Server.Scheduling;

/// <summary>
/// How far ahead timers and deadlines are Quartz triggers (<c>Scheduling:TriggerHorizon</c>, default one hour).
/// Most deadlines are days away and most are cancelled before they come (a task done, a bookmark resumed):
/// setting and cancelling a trigger for each took Quartz's cluster-wide lock twice per task, and under load the
/// queue of changes grew without end. Farther moments stay in their own tables until the reconcilers bring them
/// within the horizon; the trigger then fires at the exact moment, as before.
/// </summary>
public sealed class TriggerHorizon(TimeProvider clock, TimeSpan length)
{
    public TimeSpan Length => length;

    /// <summary>Whether a trigger for this moment is set now (false: a reconciler sets it when it comes near).</summary>
    public bool Covers(DateTimeOffset at) => at <= clock.GetUtcNow() + length;
}

/// <summary>What one reconciler pass gives a trigger: waiting things due at or before <see cref="Until"/> that are new
/// to the horizon since the last pass (due after <see cref="CoveredUntil"/>), or overdue (due before <see cref="OverdueBefore"/>).</summary>
public readonly record struct TriggerWindow(DateTimeOffset Until, DateTimeOffset? CoveredUntil, DateTimeOffset? OverdueBefore)
{
    public bool Needs(DateTimeOffset at) =>
        at <= Until && (CoveredUntil is not { } covered || at > covered || (OverdueBefore is { } before && at < before));
}
