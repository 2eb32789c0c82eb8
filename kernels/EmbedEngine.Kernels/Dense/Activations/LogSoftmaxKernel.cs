using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Log-softmax over the last dimension of a row-major [rows, columns] matrix, y = (x − max) − ln Σ e^(x − max) per
/// row, and its backward pass dx = dy − e^y · Σ dy.
/// </summary>
public static unsafe class LogSoftmaxKernel
{
    /// <summary>
    /// y = log softmax(x) row by row, with the variant chosen at start-up. y must not overlap x: the vectorized
    /// variants keep e^(x − max) in y before they write the result.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int columns) =>
        Dispatch.Pick<RowsKernel>(ForwardScalar, ForwardAvx2, ForwardAvx512)(x, y, columns);

    /// <summary>
    /// dx = dy − e^y · Σ dy row by row, with the variant chosen at start-up; dx may be dy. y holds log-probabilities
    /// (≤ 0), whose exp the vectorized variants take with the softmax family's short exp.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns) =>
        Dispatch.Pick<RowsBackwardKernel>(BackwardScalar, BackwardAvx2, BackwardAvx512)(y, dy, dx, columns);

    /// <summary>Reference.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y, int columns)
    {
        int rows = SoftmaxKernel.Check(x.Length, y.Length, columns);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * columns, columns);
            Span<float> yr = y.Slice(r * columns, columns);
            float max = float.NegativeInfinity;
            for (int c = 0; c < columns; c++) max = Math.Max(max, xr[c]);
            float sum = 0f;
            for (int c = 0; c < columns; c++) sum += MathF.Exp(xr[c] - max);
            float logSum = MathF.Log(sum);
            for (int c = 0; c < columns; c++) yr[c] = xr[c] - max - logSum;
        }
    }

    /// <summary>Reference.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns)
    {
        int rows = SoftmaxKernel.CheckBackward(y.Length, dy.Length, dx.Length, columns);
        for (int r = 0; r < rows; r++)
        {
            int start = r * columns;
            float sum = 0f;
            for (int c = 0; c < columns; c++) sum += dy[start + c];
            for (int c = 0; c < columns; c++) dx[start + c] = dy[start + c] - MathF.Exp(y[start + c]) * sum;
        }
    }

    /// <summary>Vector256.</summary>
    public static void ForwardAvx2(ReadOnlySpan<float> x, Span<float> y, int columns) =>
        Forward<Simd256, Vector256<float>>(x, y, columns);

    /// <summary>Vector512.</summary>
    public static void ForwardAvx512(ReadOnlySpan<float> x, Span<float> y, int columns) =>
        Forward<Simd512, Vector512<float>>(x, y, columns);

    /// <summary>Vector256.</summary>
    public static void BackwardAvx2(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns) =>
        Backward<Simd256, Vector256<float>>(y, dy, dx, columns);

    /// <summary>Vector512.</summary>
    public static void BackwardAvx512(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns) =>
        Backward<Simd512, Vector512<float>>(y, dy, dx, columns);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Forward<TSimd, TVec>(ReadOnlySpan<float> x, Span<float> y, int columns)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int rows = SoftmaxKernel.Check(x.Length, y.Length, columns);
        fixed (float* px = x, py = y)
            for (int r = 0; r < rows; r++)
            {
                float* xr = px + (nint)r * columns, yr = py + (nint)r * columns;
                float max = SimdLoop<TSimd, TVec>.Max(xr, columns);
                float logSum = MathF.Log(SimdLoop<TSimd, TVec>.StoreExpAndSum(xr, yr, columns, max));
                SimdLoop<TSimd, TVec>.Columns(columns, new ShiftStep<TSimd, TVec>(TSimd.Create(max), TSimd.Create(logSum), xr, yr));
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Backward<TSimd, TVec>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int rows = SoftmaxKernel.CheckBackward(y.Length, dy.Length, dx.Length, columns);
        fixed (float* py = y, pdy = dy, pdx = dx)
            for (int r = 0; r < rows; r++)
            {
                nint start = (nint)r * columns;
                float sum = SimdLoop<TSimd, TVec>.Sum(pdy + start, columns);
                SimdLoop<TSimd, TVec>.Columns(columns, new BackwardStep<TSimd, TVec>(TSimd.Create(sum), py + start, pdy + start, pdx + start));
            }
    }

    /// <summary>y = (x − max) − ln Σ, in the reference's order.</summary>
    private readonly struct ShiftStep<TSimd, TVec>(TVec max, TVec logSum, float* x, float* y) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(y + column, TSimd.Subtract(TSimd.Subtract(lanes.Load(x + column), max), logSum));
    }

    private readonly struct BackwardStep<TSimd, TVec>(TVec sum, float* y, float* dy, float* dx) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(dx + column, TSimd.Subtract(lanes.Load(dy + column),
                TSimd.Multiply(SimdMath.ExpNonPositive<TSimd, TVec>(lanes.Load(y + column)), sum)));
    }
}
