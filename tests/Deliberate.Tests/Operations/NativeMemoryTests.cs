using System.Runtime.InteropServices;
using NativeMemory = Deliberate.Server.Operations.NativeMemory;

namespace Deliberate.Tests.Operations;

public sealed class NativeMemoryTests
{
    [Fact]
    public void On_Linux_the_malloc_trim_binds_to_glibc_and_runs_after_native_memory_was_freed_elsewhere_it_does_nothing()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(NativeMemory.TrimMalloc());
            return;
        }
        // Leave holes in the arenas: many small blocks, every other one freed, then the rest.
        var blocks = Enumerable.Range(0, 10_000).Select(_ => Marshal.AllocHGlobal(1024)).ToList();
        for (var i = 0; i < blocks.Count; i += 2) Marshal.FreeHGlobal(blocks[i]);
        Assert.True(NativeMemory.TrimMalloc());
        for (var i = 1; i < blocks.Count; i += 2) Marshal.FreeHGlobal(blocks[i]);
        Assert.True(NativeMemory.TrimMalloc());
    }
}
