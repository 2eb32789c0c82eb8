using System.Runtime.InteropServices;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// op(B) packed once into the panels one variant's register tile reads, for a right-hand matrix that takes part in
/// many products (a layer's weights while it evaluates): <see cref="SgemmKernel.MultiplyPacked"/> then skips packing
/// B, which for a small batch costs as much as the arithmetic. The scalar variant keeps op(B) row by row.
/// Immutable once made; safe to share between threads.
/// </summary>
public sealed unsafe class PackedB : IDisposable
{
    private float* _data;

    internal PackedB(Isa isa, int k, int n, int panelColumns)
    {
        Isa = isa;
        K = k;
        N = n;
        PaddedColumns = (n + panelColumns - 1) / panelColumns * panelColumns;
        nuint floats = (nuint)Math.Max(1L, (long)PaddedColumns * k);
        _data = (float*)NativeMemory.AlignedAlloc(floats * sizeof(float), NativeMatrix.Alignment);
    }

    /// <summary>The variant whose layout this is.</summary>
    public Isa Isa { get; }

    /// <summary>Rows of op(B): the depth of the products.</summary>
    public int K { get; }

    /// <summary>Columns of op(B).</summary>
    public int N { get; }

    /// <summary>Columns rounded up to whole panels: every depth block holds this many.</summary>
    internal int PaddedColumns { get; }

    /// <summary>The first float.</summary>
    internal float* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(PackedB));

    /// <summary>Frees the panels.</summary>
    public void Dispose()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
    }
}
