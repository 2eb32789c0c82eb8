using System.Runtime.InteropServices;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// One thread's packing buffers, 64-byte aligned and kept between calls, so a steady stream of products allocates
/// nothing. A buffer only grows; the memory goes back when the thread ends and its buffers are collected.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    [ThreadStatic]
    private static GemmBuffers? s_current;

    private float* _a, _b, _sums, _partials;
    private nint _aCapacity, _bCapacity, _sumsCapacity, _partialsCapacity;

    private GemmBuffers()
    {
    }

    ~GemmBuffers()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
        NativeMemory.AlignedFree(_sums);
        NativeMemory.AlignedFree(_partials);
    }

    /// <summary>The calling thread's buffers.</summary>
    public static GemmBuffers ForThisThread => s_current ??= new GemmBuffers();

    /// <summary>Room for at least <paramref name="floats"/> floats of packed A.</summary>
    public float* A(nint floats) => Ensure(ref _a, ref _aCapacity, floats);

    /// <summary>Room for at least <paramref name="floats"/> floats of packed B.</summary>
    public float* B(nint floats) => Ensure(ref _b, ref _bCapacity, floats);

    /// <summary>Room for the partial products of a depth split.</summary>
    public float* Partials(nint floats) => Ensure(ref _partials, ref _partialsCapacity, floats);

    /// <summary>Room for one register tile's sums.</summary>
    public float* Sums(nint floats) => Ensure(ref _sums, ref _sumsCapacity, floats);

    private static float* Ensure(ref float* buffer, ref nint capacity, nint floats)
    {
        if (floats <= capacity) return buffer;
        NativeMemory.AlignedFree(buffer);
        // Emptied first, so a failed allocation leaves no stale capacity behind.
        buffer = null;
        capacity = 0;
        buffer = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), NativeMatrix.Alignment);
        capacity = floats;
        return buffer;
    }
}
