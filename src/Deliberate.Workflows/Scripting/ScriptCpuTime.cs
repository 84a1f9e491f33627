using System.Diagnostics;
using System.Runtime.InteropServices;
using Jint;

namespace Deliberate.Workflows.Scripting;

/// <summary>
/// A script's time limit counted in the CPU time of the thread that runs it, not on the wall clock. A wall-clock limit
/// faults an ordinary template on a busy server (a 20 ms script that waits 500 ms for a core: "Script ran longer than
/// 500 ms", and the instance stops with an incident); what the limit is for — a runaway script — burns CPU, and is
/// stopped all the same. Where the thread's CPU time cannot be read (not Linux), the wall clock is used as before.
/// A script stuck inside one built-in is the <see cref="ScriptLimits.HardTimeout"/>'s matter.
/// </summary>
public sealed class ScriptCpuTime(TimeSpan limit) : Constraint
{
    /// <summary>Statements between two readings of the clock (a reading is a system call).</summary>
    const int CheckEvery = 64;
    long start;
    int countdown;

    public override void Reset()
    {
        start = Now();
        countdown = CheckEvery;
    }

    public override void Check()
    {
        if (--countdown > 0) return;
        countdown = CheckEvery;
        if (Now() - start > limit.Ticks) throw new TimeoutException(); // caught by ScriptEngine as "ran longer than"
    }

    /// <summary>The calling thread's CPU time in ticks (wall-clock ticks where it cannot be read).</summary>
    public static long Now()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out var t) == 0)
            return t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100;
        return Stopwatch.GetElapsedTime(0).Ticks;
    }

    const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    static extern int clock_gettime(int clock, out TimeSpec time);
}
