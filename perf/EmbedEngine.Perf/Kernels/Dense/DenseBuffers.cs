using System.Runtime.InteropServices;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// Named 64-byte aligned native buffers for the dense benchmarks, filled with seeded values in ±scale; the same
/// memory is handed to EmbedEngine's kernels and to the native peers.
/// </summary>
internal sealed unsafe class DenseBuffers : IDisposable
{
    private const int Seed = 2016, Alignment = 64;

    private readonly List<nint> _blocks = [];
    private readonly Random _random = new(Seed);

    /// <summary>A new buffer of <paramref name="length"/> floats uniform in ±<paramref name="scale"/> (0: zeros).</summary>
    public float* Allocate(long length, float scale = 1f)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, length) * sizeof(float), Alignment);
        _blocks.Add((nint)p);
        for (long i = 0; i < length; i++) p[i] = (float)((_random.NextDouble() * 2 - 1) * scale);
        return p;
    }

    /// <summary>Frees every buffer.</summary>
    public void Dispose()
    {
        foreach (nint p in _blocks) NativeMemory.AlignedFree((void*)p);
        _blocks.Clear();
    }
}
