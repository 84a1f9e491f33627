using System.Collections.Concurrent;
using System.Diagnostics;

namespace Deliberate.Workflows.Scripting;

/// <summary>
/// The threads that scripts run on. A stack overflow cannot be caught in .NET: it ends the process. So scripts
/// do not run on the request's or the scheduler's thread (1.5 MB of stack on Linux, which a 1,500-deep nested
/// array turned into text exhausts inside a Jint built-in), but on a few dedicated threads with a 256 MB stack.
/// The guards (<see cref="ScriptGuards"/>, Jint's recursion limit and its stack probe) stop a script long before
/// that much is used; the size is the margin for what recurses natively without passing a guard (a prototype
/// chain as long as the memory limit allows is ~50 MB deep). The stack is reserved address space: only the
/// pages a script touches are committed, and a thread whose script failed, or ran past its time, is retired
/// (its stack unmapped) and replaced, so a deep run leaves no memory behind.
/// </summary>
internal static class ScriptThreads
{
    public const int StackBytes = 256 * 1024 * 1024;

    static readonly BlockingCollection<Work> queue = new(new ConcurrentQueue<Work>());
    // Two per core, at least four: a script held at its time limit does not hold up every other instance's script.
    static readonly int size = Math.Max(4, 2 * Environment.ProcessorCount);
    static int started;

    [ThreadStatic] static bool onScriptThread;

    /// <summary>Scripts retired so far, and those given up while still running (for tests and the docs' figures).</summary>
    public static int Retired, Abandoned;

    /// <summary>
    /// Runs <paramref name="run"/> on a script thread and returns its result, or throws what it threw. When it has
    /// run longer than <paramref name="hardLimit"/> (stuck inside a native built-in that no limit reaches), the
    /// caller stops waiting: <paramref name="cancel"/> is cancelled so that the script stops at its next statement,
    /// and its thread is replaced and retires once the script ends.
    /// </summary>
    public static T Run<T>(Func<T> run, TimeSpan hardLimit, CancellationTokenSource cancel)
    {
        if (onScriptThread) return run(); // already on one (nothing nests today, but it must not deadlock)
        EnsureStarted();
        var work = new Work(() => run());
        queue.Add(work);
        while (!work.Done.Wait(hardLimit))
        {
            if (work.StartedAt is not { } startedAt || Stopwatch.GetElapsedTime(startedAt) < hardLimit) continue;
            if (Interlocked.Exchange(ref work.Abandoned, 1) == 0)
            {
                cancel.Cancel();
                Interlocked.Increment(ref Abandoned);
                StartThread(); // the stuck thread retires when its script ends; the pool keeps its size
            }
            throw new ScriptException($"Script ran longer than {hardLimit.TotalMilliseconds:0} ms inside a built-in and was abandoned.");
        }
        if (work.Error is { } error) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return (T)work.Result!;
    }

    static void EnsureStarted()
    {
        if (Volatile.Read(ref started) >= size) return;
        lock (queue)
            while (started < size)
            {
                StartThread();
                started++;
            }
    }

    static void StartThread()
    {
        var thread = new Thread(Loop, StackBytes) { IsBackground = true, Name = "deliberate-script" };
        thread.Start();
    }

    static void Loop()
    {
        onScriptThread = true;
        foreach (var work in queue.GetConsumingEnumerable())
        {
            work.StartedAt = Stopwatch.GetTimestamp();
            try { work.Result = work.Run(); }
            catch (Exception e) { work.Error = e; }
            var retire = work.Error is not null || Volatile.Read(ref work.Abandoned) == 1;
            work.Done.Set();
            if (retire)
            {
                // A failed script may have run its stack deep: give those pages back by ending the thread. An
                // abandoned one already has its replacement; otherwise start one before going.
                Interlocked.Increment(ref Retired);
                if (Volatile.Read(ref work.Abandoned) == 0) StartThread();
                return;
            }
        }
    }

    sealed class Work(Func<object?> run)
    {
        public readonly Func<object?> Run = run;
        public readonly ManualResetEventSlim Done = new();
        public long? StartedAt;
        public object? Result;
        public Exception? Error;
        public int Abandoned;
    }
}
