using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// Native buffers for the dense benchmarks. The variant-by-variant ones take [<see cref="Rows"/>, <see cref="Columns"/>]
/// matrices: BERT-base width over 64 rows, 192 KiB each, so the inputs stay in L2 and the comparison is of the
/// arithmetic, not of memory.
/// </summary>
public abstract unsafe class DenseBenchmarkBase : IDisposable
{
    /// <summary>Rows of every matrix.</summary>
    protected const int Rows = SpeedShapes.DenseRows;

    /// <summary>Columns of every matrix.</summary>
    protected const int Columns = SpeedShapes.DenseColumns;

    /// <summary>Floats per matrix.</summary>
    protected const int Length = Rows * Columns;

    private DenseBuffers? _buffers;

    /// <summary>Allocates a matrix of values in ±<paramref name="scale"/>.</summary>
    protected float* Matrix(float scale = 1f) => (_buffers ??= new DenseBuffers()).Allocate(Length, scale);

    /// <summary>Allocates a vector of <paramref name="length"/> values in ±<paramref name="scale"/>.</summary>
    protected float* Vector(int length, float scale = 1f) => (_buffers ??= new DenseBuffers()).Allocate(length, scale);

    /// <summary>The variant of a kernel for <paramref name="isa"/>.</summary>
    protected static T Pick<T>(Isa isa, T scalar, T avx2, T avx512) => isa switch
    {
        Isa.Avx512 => avx512,
        Isa.Avx2 => avx2,
        _ => scalar,
    };

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
