using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>
/// fastText's skip-gram step on a word's subword rows: after each prediction the gradient is added to every row
/// (in full, not divided by the count, as fastText does for its unsupervised models) and the next prediction needs
/// the average of the updated rows. Fusing both walks each column chunk of the rows once while it is in cache,
/// instead of a scatter pass and a second gather pass. Gathering the first average is <see cref="CbowKernel.Average"/>.
/// </summary>
public static unsafe class SubwordKernel
{
    /// <summary>Adds <paramref name="grad"/> to each of <paramref name="rows"/> (a repeated row gets it once per listing), then average ← their mean.</summary>
    public static void ScatterThenAverage(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad, Span<float> average)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(input, stride, rows, grad, average); break;
            case Isa.Avx2: Avx2(input, stride, rows, grad, average); break;
            default: Scalar(input, stride, rows, grad, average); break;
        }
    }

    /// <summary>Reference: the scatter, then the average, each by its own reference.</summary>
    public static void Scalar(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad, Span<float> average)
    {
        Check(rows, grad, average);
        CbowKernel.ScatterScalar(input, stride, rows, grad);
        CbowKernel.AverageScalar(input, stride, rows, average);
    }

    /// <summary>Vector256: per column chunk, every row is updated, then summed while the chunk is still in L1.</summary>
    public static void Avx2(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad, Span<float> average) =>
        Vectorized<Simd256, Vector256<float>>(input, stride, rows, grad, average);

    /// <summary>Vector512; as <see cref="Avx2"/>.</summary>
    public static void Avx512(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad, Span<float> average) =>
        Vectorized<Simd512, Vector512<float>>(input, stride, rows, grad, average);

    private static void Check(ReadOnlySpan<int> rows, ReadOnlySpan<float> grad, Span<float> average)
    {
        if (rows.IsEmpty) KernelErrors.EmptyContext(nameof(rows));
        if (grad.Length != average.Length) KernelErrors.GradientLength(grad.Length, average.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vectorized<TSimd, TVec>(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad, Span<float> average)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Check(rows, grad, average);
        fixed (int* pr = rows)
        fixed (float* pg = grad, pa = average)
        {
            var step = new Step<TSimd, TVec>(input, stride, pr, rows.Length, pg, TSimd.Create(1f / rows.Length), pa);
            SimdLoop<TSimd, TVec>.Columns(average.Length, step);
        }
    }

    /// <summary>
    /// CBOW's scatter step, then its average step, on the same column chunk: the sum reads the rows after all
    /// updates, so a row listed twice contributes its doubly updated value twice, exactly as the separate passes would.
    /// </summary>
    private readonly struct Step<TSimd, TVec>(float* input, nint stride, int* rows, int rowCount, float* grad, TVec inverse, float* average)
        : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            new CbowKernel.ScatterStep<TSimd, TVec>(input, stride, rows, rowCount, grad).Invoke(column, lanes);
            new CbowKernel.AverageStep<TSimd, TVec>(input, stride, rows, rowCount, inverse, average).Invoke(column, lanes);
        }
    }
}
