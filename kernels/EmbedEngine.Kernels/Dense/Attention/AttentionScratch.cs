using System.Runtime.InteropServices;

namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// One thread's working memory for the fused attention kernels (the packed operands of one head), 64-byte aligned
/// and kept between calls, so a stream of calls allocates nothing. It only grows, to O(length · head dim) floats;
/// the memory goes back when the thread ends and its scratch is collected.
/// </summary>
internal sealed unsafe class AttentionScratch
{
    [ThreadStatic]
    private static AttentionScratch? s_current;

    private float* _buffer;
    private long _capacity;

    private AttentionScratch()
    {
    }

    ~AttentionScratch() => NativeMemory.AlignedFree(_buffer);

    /// <summary>Room for at least <paramref name="floats"/> floats on the calling thread; its contents are undefined.</summary>
    public static float* Rent(long floats)
    {
        AttentionScratch scratch = s_current ??= new AttentionScratch();
        if (floats > scratch._capacity)
        {
            NativeMemory.AlignedFree(scratch._buffer);
            // Emptied first, so a failed allocation leaves no stale capacity behind.
            scratch._buffer = null;
            scratch._capacity = 0;
            scratch._buffer = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), NativeMatrix.Alignment);
            scratch._capacity = floats;
        }
        return scratch._buffer;
    }
}
