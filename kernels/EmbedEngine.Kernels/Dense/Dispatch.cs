namespace EmbedEngine.Kernels.Dense;

/// <summary>Signature of a forward pass y = f(x) (element-wise).</summary>
public delegate void MapKernel(ReadOnlySpan<float> x, Span<float> y);

/// <summary>Signature of an element-wise backward pass from the saved input or output and dy.</summary>
public delegate void MapBackwardKernel(ReadOnlySpan<float> saved, ReadOnlySpan<float> dy, Span<float> dx);

/// <summary>Signature of a row-wise forward pass over [rows, columns].</summary>
public delegate void RowsKernel(ReadOnlySpan<float> x, Span<float> y, int columns);

/// <summary>Signature of a row-wise backward pass over [rows, columns].</summary>
public delegate void RowsBackwardKernel(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns);

/// <summary>
/// The variant choice the dense entry points share: one switch on <see cref="IsaDispatch.Active"/>, once per call
/// (static method groups are cached delegates, so nothing is allocated).
/// </summary>
internal static class Dispatch
{
    /// <summary>The variant for the active instruction set.</summary>
    public static T Pick<T>(T scalar, T avx2, T avx512) => IsaDispatch.Active switch
    {
        Isa.Avx512 => avx512,
        Isa.Avx2 => avx2,
        _ => scalar,
    };
}
