using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Softmax over the last dimension of a row-major [rows, columns] matrix, y = e^(x − max) / Σ e^(x − max) per row
/// (subtracting the row's maximum keeps every exp in range), and its backward pass dx = y ⊙ (dy − Σ dy ⊙ y).
/// </summary>
public static unsafe class SoftmaxKernel
{
    /// <summary>y = softmax(x) row by row, with the variant chosen at start-up; y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int columns) =>
        Dispatch.Pick<RowsKernel>(ForwardScalar, ForwardAvx2, ForwardAvx512)(x, y, columns);

    /// <summary>dx = y ⊙ (dy − Σ dy ⊙ y) row by row, with the variant chosen at start-up; dx may be dy.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns) =>
        Dispatch.Pick<RowsBackwardKernel>(BackwardScalar, BackwardAvx2, BackwardAvx512)(y, dy, dx, columns);

    /// <summary>Reference.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y, int columns)
    {
        int rows = Check(x.Length, y.Length, columns);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * columns, columns);
            Span<float> yr = y.Slice(r * columns, columns);
            float max = float.NegativeInfinity;
            for (int c = 0; c < columns; c++) max = Math.Max(max, xr[c]);
            float sum = 0f;
            for (int c = 0; c < columns; c++)
            {
                yr[c] = MathF.Exp(xr[c] - max);
                sum += yr[c];
            }
            for (int c = 0; c < columns; c++) yr[c] /= sum;
        }
    }

    /// <summary>Reference.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns)
    {
        int rows = CheckBackward(y.Length, dy.Length, dx.Length, columns);
        for (int r = 0; r < rows; r++)
        {
            int start = r * columns;
            float dot = 0f;
            for (int c = 0; c < columns; c++) dot += dy[start + c] * y[start + c];
            for (int c = 0; c < columns; c++) dx[start + c] = y[start + c] * (dy[start + c] - dot);
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

    internal static int Check(int x, int y, int columns)
    {
        RowMajor.Length("y", y, x);
        return RowMajor.Rows(x, columns);
    }

    internal static int CheckBackward(int y, int dy, int dx, int columns)
    {
        ElementWise.Check(y, dy, dx);
        return RowMajor.Rows(y, columns);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Forward<TSimd, TVec>(ReadOnlySpan<float> x, Span<float> y, int columns)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int rows = Check(x.Length, y.Length, columns);
        fixed (float* px = x, py = y)
            for (int r = 0; r < rows; r++)
            {
                float* xr = px + (nint)r * columns, yr = py + (nint)r * columns;
                float sum = SimdLoop<TSimd, TVec>.StoreExpAndSum(xr, yr, columns, SimdLoop<TSimd, TVec>.Max(xr, columns));
                SimdLoop<TSimd, TVec>.Columns(columns, new ScaleKernel.Step<TSimd, TVec>(TSimd.Create(1f / sum), yr));
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Backward<TSimd, TVec>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int columns)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int rows = CheckBackward(y.Length, dy.Length, dx.Length, columns);
        fixed (float* py = y, pdy = dy, pdx = dx)
            for (int r = 0; r < rows; r++)
            {
                nint start = (nint)r * columns;
                float dot = SimdLoop<TSimd, TVec>.Dot(pdy + start, py + start, columns);
                SimdLoop<TSimd, TVec>.Columns(columns, new BackwardStep<TSimd, TVec>(TSimd.Create(dot), py + start, pdy + start, pdx + start));
            }
    }

    private readonly struct BackwardStep<TSimd, TVec>(TVec dot, float* y, float* dy, float* dx) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(dx + column, TSimd.Multiply(lanes.Load(y + column), TSimd.Subtract(lanes.Load(dy + column), dot)));
    }
}
