using BenchmarkDotNet.Attributes;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// A [rows, columns] problem for the variant-by-variant dense benchmarks: BERT-base width over 64 rows, 192 KiB per
/// matrix, so the inputs stay in L2 and the comparison is of the arithmetic, not of memory.
/// </summary>
public abstract unsafe class DenseBenchmarkBase : IDisposable
{
    /// <summary>Rows of every matrix.</summary>
    protected const int Rows = 64;

    /// <summary>Columns of every matrix.</summary>
    protected const int Columns = 768;

    /// <summary>Floats per matrix.</summary>
    protected const int Length = Rows * Columns;

    private DenseBuffers? _buffers;

    /// <summary>Allocates a matrix of values in ±<paramref name="scale"/>.</summary>
    protected float* Matrix(float scale = 1f) => (_buffers ??= new DenseBuffers()).Allocate(Length, scale);

    /// <summary>Allocates a vector of <paramref name="length"/> values in ±<paramref name="scale"/>.</summary>
    protected float* Vector(int length, float scale = 1f) => (_buffers ??= new DenseBuffers()).Allocate(length, scale);

    [GlobalCleanup]
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the buffers.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _buffers?.Dispose();
    }
}
