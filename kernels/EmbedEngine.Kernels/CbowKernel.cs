using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>CBOW's hidden layer: the average of the context rows, and the gradient scattered back to them.</summary>
public static unsafe class CbowKernel
{
    /// <summary>average ← mean of the rows <paramref name="rows"/> of <paramref name="input"/>.</summary>
    public static void Average(float* input, nint stride, ReadOnlySpan<int> rows, Span<float> average)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: AverageAvx512(input, stride, rows, average); break;
            case Isa.Avx2: AverageAvx2(input, stride, rows, average); break;
            default: AverageScalar(input, stride, rows, average); break;
        }
    }

    /// <summary>Adds <paramref name="grad"/> to each row in <paramref name="rows"/> (word2vec.c does not divide by the count).</summary>
    public static void Scatter(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: ScatterAvx512(input, stride, rows, grad); break;
            case Isa.Avx2: ScatterAvx2(input, stride, rows, grad); break;
            default: ScatterScalar(input, stride, rows, grad); break;
        }
    }

    /// <summary>Reference for <see cref="Average"/>.</summary>
    public static void AverageScalar(float* input, nint stride, ReadOnlySpan<int> rows, Span<float> average)
    {
        if (rows.IsEmpty) throw new ArgumentException("CBOW needs at least one context row.", nameof(rows));
        average.Clear();
        foreach (int r in rows)
        {
            float* row = input + r * stride;
            for (int c = 0; c < average.Length; c++) average[c] += row[c];
        }
        float inverse = 1f / rows.Length;
        for (int c = 0; c < average.Length; c++) average[c] *= inverse;
    }

    /// <summary>Reference for <see cref="Scatter"/>.</summary>
    public static void ScatterScalar(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad)
    {
        foreach (int r in rows)
        {
            float* row = input + r * stride;
            for (int c = 0; c < grad.Length; c++) row[c] += grad[c];
        }
    }

    /// <summary><see cref="Average"/> with Vector256: each column chunk is summed over all rows in a register.</summary>
    public static void AverageAvx2(float* input, nint stride, ReadOnlySpan<int> rows, Span<float> average) =>
        AverageVectorized<Simd256, Vector256<float>>(input, stride, rows, average);

    /// <summary><see cref="Average"/> with Vector512.</summary>
    public static void AverageAvx512(float* input, nint stride, ReadOnlySpan<int> rows, Span<float> average) =>
        AverageVectorized<Simd512, Vector512<float>>(input, stride, rows, average);

    /// <summary><see cref="Scatter"/> with Vector256: each gradient chunk is loaded once for all rows.</summary>
    public static void ScatterAvx2(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad) =>
        ScatterVectorized<Simd256, Vector256<float>>(input, stride, rows, grad);

    /// <summary><see cref="Scatter"/> with Vector512.</summary>
    public static void ScatterAvx512(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad) =>
        ScatterVectorized<Simd512, Vector512<float>>(input, stride, rows, grad);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AverageVectorized<TSimd, TVec>(float* input, nint stride, ReadOnlySpan<int> rows, Span<float> average)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        if (rows.IsEmpty) KernelErrors.EmptyContext(nameof(rows));
        fixed (int* pr = rows)
        fixed (float* pa = average)
        {
            var step = new AverageStep<TSimd, TVec>(input, stride, pr, rows.Length, TSimd.Create(1f / rows.Length), pa);
            SimdLoop<TSimd, TVec>.Columns(average.Length, step);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterVectorized<TSimd, TVec>(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        fixed (int* pr = rows)
        fixed (float* pg = grad)
            SimdLoop<TSimd, TVec>.Columns(grad.Length, new ScatterStep<TSimd, TVec>(input, stride, pr, rows.Length, pg));
    }

    private readonly struct AverageStep<TSimd, TVec>(float* input, nint stride, int* rows, int rowCount, TVec inverse, float* average)
        : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec sum = TSimd.Zero;
            for (int i = 0; i < rowCount; i++) sum = TSimd.Add(sum, lanes.Load(input + rows[i] * stride + column));
            lanes.Store(average + column, TSimd.Multiply(sum, inverse));
        }
    }

    private readonly struct ScatterStep<TSimd, TVec>(float* input, nint stride, int* rows, int rowCount, float* grad)
        : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec g = lanes.Load(grad + column);
            for (int i = 0; i < rowCount; i++)
            {
                float* p = input + rows[i] * stride + column;
                lanes.Store(p, TSimd.Add(lanes.Load(p), g));
            }
        }
    }
}
