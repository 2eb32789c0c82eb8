namespace EmbedEngine.Tests.Shared;

/// <summary>Checks that steady-state steps allocate no managed memory on the calling thread.</summary>
internal static class SteadyAllocation
{
    /// <summary>
    /// Runs <paramref name="step"/> in windows of <paramref name="steps"/> calls until a window allocates nothing (at
    /// most <paramref name="windows"/> windows) and fails if none did: the runtime may allocate once on the thread
    /// (tiered compilation swapping in optimized code, thread-static storage), while an allocation per step shows in
    /// every window.
    /// </summary>
    public static void AssertNone(Action step, int steps = 10, int windows = 5)
    {
        var allocated = new List<long>();
        for (int window = 0; window < windows && (allocated.Count == 0 || allocated[^1] != 0); window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < steps; i++) step();
            allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(allocated[^1] == 0, $"Bytes allocated per window of {steps} steps: {string.Join(", ", allocated)}.");
    }
}
