using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels;

/// <summary>
/// Argument errors of the sparse kernels, thrown out of line for the reason <see cref="KernelErrors"/> gives: the
/// message formatting must not be inlined into the vectorized variants.
/// </summary>
internal static class SparseKernelErrors
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void RowsOutside(int firstRow, int rowCount, int rows) =>
        throw new ArgumentException($"Rows {firstRow}..{(long)firstRow + rowCount} are not all inside a sparse matrix of {rows} rows and its nonzeros.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void StrideTooSmall(int width, nint denseStride, nint outputStride) =>
        throw new ArgumentException($"Width {width} must be at least 0 and at most both strides (dense {denseStride}, output {outputStride}).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NormsLength(int norms, int rows) =>
        throw new ArgumentException($"Norms hold {norms} floats; the sparse matrix has {rows} rows.");
}
