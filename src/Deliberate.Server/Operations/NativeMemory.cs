using System.Runtime.InteropServices;

namespace Deliberate.Server.Operations;

/// <summary>
/// glibc gives each thread that allocates at the same moment as another its own malloc arena, up to eight per core,
/// and an arena's freed memory is seldom handed back. Under steady load the thread pool's threads take turns on
/// arenas (SQLite, Npgsql's TLS and the runtime all allocate natively), and the process keeps growing. In the load
/// bench's 10-minute soak, MALLOC_ARENA_MAX=2 cut the nodes' RSS growth from 11.2 and 3.7 to 4.0 and 1.6 MB/min;
/// this sets the same limit from inside, so that every way of starting the server gets it. The environment
/// variable, when set, wins: glibc has read it before this runs.
/// </summary>
public static class NativeMemory
{
    const int ArenaMaxOption = -8; // M_ARENA_MAX in glibc's malloc.h

    public static void LimitMallocArenas(int arenas = 2)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return;
        try
        {
            mallopt(ArenaMaxOption, arenas);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, say): its allocator has no arenas to limit.
        }
    }

    /// <summary>Hands the free pages of every malloc arena back to the system; false where there is no glibc.</summary>
    public static bool TrimMalloc()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            malloc_trim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    static extern int mallopt(int option, int value);

    [DllImport("libc", ExactSpelling = true)]
    static extern int malloc_trim(nuint pad);
}

/// <summary>
/// Trims glibc's malloc once a minute. glibc returns an arena's free memory to the system only from the top of
/// the arena, so the holes that native allocations leave between live ones stay resident; under the load bench
/// each node's arenas grew by about 1.7 MB a minute that way. The runtime's own threads have made several arenas
/// before <see cref="NativeMemory.LimitMallocArenas"/> runs, so the cap alone cannot stop it. A trim holds each
/// arena's lock in turn; under that load it took about 4 ms.
/// </summary>
public sealed class MallocTrimmer(ILogger<MallocTrimmer> logger) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (!NativeMemory.TrimMalloc()) return;
            logger.LogDebug("malloc_trim took {Milliseconds:F2} ms", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
