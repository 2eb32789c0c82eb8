using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Row-wise L2 normalization of a row-major [rows, columns] matrix, y = x / r with r = max(‖x‖, ε) as PyTorch's
/// F.normalize computes it (an all-zero row stays zero), and its backward pass: dx = (dy − y·(y·dy)) / r where
/// ‖x‖ > ε, dx = dy / ε where the floor holds (x / ε is linear). The forward pass saves r per row. CLIP normalizes
/// both encoders' outputs this way before the InfoNCE loss.
/// </summary>
public static unsafe class L2NormalizeKernel
{
    /// <summary>PyTorch's default floor on the norm.</summary>
    public const float DefaultEpsilon = 1e-12f;

    /// <summary>Normalizes every row and saves its divisor, with the variant chosen at start-up; y may be x.</summary>
    /// <param name="x">Input [rows, columns].</param>
    /// <param name="epsilon">The floor on the norm.</param>
    /// <param name="y">Output [rows, columns].</param>
    /// <param name="norms">Receives r = max(‖x‖, ε), one per row.</param>
    public static void Forward(ReadOnlySpan<float> x, float epsilon, Span<float> y, Span<float> norms)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: ForwardAvx512(x, epsilon, y, norms); break;
            case Isa.Avx2: ForwardAvx2(x, epsilon, y, norms); break;
            default: ForwardScalar(x, epsilon, y, norms); break;
        }
    }

    /// <summary>dx from dy, the output y and the divisors the forward pass saved, with the variant chosen at start-up.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> norms, float epsilon, ReadOnlySpan<float> dy, Span<float> dx)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: BackwardAvx512(y, norms, epsilon, dy, dx); break;
            case Isa.Avx2: BackwardAvx2(y, norms, epsilon, dy, dx); break;
            default: BackwardScalar(y, norms, epsilon, dy, dx); break;
        }
    }

    /// <summary>Reference.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, float epsilon, Span<float> y, Span<float> norms)
    {
        int rows = norms.Length, columns = CheckForward(x.Length, epsilon, y.Length, norms.Length);
        for (int r = 0; r < rows; r++)
        {
            float squares = 0f;
            for (int c = 0; c < columns; c++) squares += x[r * columns + c] * x[r * columns + c];
            float norm = MathF.Max(MathF.Sqrt(squares), epsilon);
            norms[r] = norm;
            for (int c = 0; c < columns; c++) y[r * columns + c] = x[r * columns + c] / norm;
        }
    }

    /// <summary>Reference.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> norms, float epsilon, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int rows = norms.Length, columns = CheckBackward(y.Length, norms.Length, epsilon, dy.Length, dx.Length);
        for (int r = 0; r < rows; r++)
        {
            float dot = 0f;
            if (norms[r] > epsilon)
                for (int c = 0; c < columns; c++) dot += y[r * columns + c] * dy[r * columns + c];
            for (int c = 0; c < columns; c++) dx[r * columns + c] = (dy[r * columns + c] - y[r * columns + c] * dot) / norms[r];
        }
    }

    /// <summary>Vector256.</summary>
    public static void ForwardAvx2(ReadOnlySpan<float> x, float epsilon, Span<float> y, Span<float> norms) =>
        ForwardVectorized<Simd256, Vector256<float>>(x, epsilon, y, norms);

    /// <summary>Vector512.</summary>
    public static void ForwardAvx512(ReadOnlySpan<float> x, float epsilon, Span<float> y, Span<float> norms) =>
        ForwardVectorized<Simd512, Vector512<float>>(x, epsilon, y, norms);

    /// <summary>Vector256.</summary>
    public static void BackwardAvx2(ReadOnlySpan<float> y, ReadOnlySpan<float> norms, float epsilon, ReadOnlySpan<float> dy, Span<float> dx) =>
        BackwardVectorized<Simd256, Vector256<float>>(y, norms, epsilon, dy, dx);

    /// <summary>Vector512.</summary>
    public static void BackwardAvx512(ReadOnlySpan<float> y, ReadOnlySpan<float> norms, float epsilon, ReadOnlySpan<float> dy, Span<float> dx) =>
        BackwardVectorized<Simd512, Vector512<float>>(y, norms, epsilon, dy, dx);

    /// <summary>The forward pass's checks on the lengths of x, y and the norms (the GPU twin's too); returns the columns.</summary>
    internal static int CheckForward(int x, float epsilon, int y, int norms)
    {
        CheckEpsilon(epsilon);
        int columns = Columns(x, norms);
        RowMajor.Length("y", y, x);
        return columns;
    }

    /// <summary>The backward pass's checks on the lengths of y, the norms, dy and dx (the GPU twin's too); returns the columns.</summary>
    internal static int CheckBackward(int y, int norms, float epsilon, int dy, int dx)
    {
        CheckEpsilon(epsilon);
        int columns = Columns(y, norms);
        RowMajor.Length("dy", dy, y);
        RowMajor.Length("dx", dx, y);
        return columns;
    }

    private static void CheckEpsilon(float epsilon)
    {
        if (!(epsilon > 0) || !float.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The floor on the norm must be positive and finite.");
    }

    /// <summary>Columns per row of a matrix of <paramref name="length"/> floats with one norm per row.</summary>
    private static int Columns(int length, int rows)
    {
        if (rows == 0 ? length != 0 : length % rows != 0)
            throw new ArgumentException($"{length} floats are not {rows} rows of equal length (one norm per row).");
        return rows == 0 ? 0 : length / rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardVectorized<TSimd, TVec>(ReadOnlySpan<float> x, float epsilon, Span<float> y, Span<float> norms)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int rows = norms.Length, columns = CheckForward(x.Length, epsilon, y.Length, norms.Length);
        fixed (float* px = x, py = y)
            for (int r = 0; r < rows; r++)
            {
                float* xr = px + (nint)r * columns, yr = py + (nint)r * columns;
                float norm = MathF.Max(MathF.Sqrt(SimdLoop<TSimd, TVec>.SumOfSquares(xr, columns, 0f)), epsilon);
                norms[r] = norm;
                SimdLoop<TSimd, TVec>.Columns(columns, new DivideStep<TSimd, TVec>(TSimd.Create(norm), xr, yr));
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BackwardVectorized<TSimd, TVec>(ReadOnlySpan<float> y, ReadOnlySpan<float> norms, float epsilon,
        ReadOnlySpan<float> dy, Span<float> dx)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int rows = norms.Length, columns = CheckBackward(y.Length, norms.Length, epsilon, dy.Length, dx.Length);
        fixed (float* py = y, pdy = dy, pdx = dx)
            for (int r = 0; r < rows; r++)
            {
                nint start = (nint)r * columns;
                float dot = norms[r] > epsilon ? SimdLoop<TSimd, TVec>.Dot(py + start, pdy + start, columns) : 0f;
                SimdLoop<TSimd, TVec>.Columns(columns,
                    new BackwardStep<TSimd, TVec>(TSimd.Create(dot), TSimd.Create(norms[r]), py + start, pdy + start, pdx + start));
            }
    }

    /// <summary>y = x / r, divided as the reference divides (not multiplied by 1/r, which rounds twice).</summary>
    private readonly struct DivideStep<TSimd, TVec>(TVec norm, float* x, float* y) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(y + column, TSimd.Divide(lanes.Load(x + column), norm));
    }

    /// <summary>dx = (dy − y·dot) / r.</summary>
    private readonly struct BackwardStep<TSimd, TVec>(TVec dot, TVec norm, float* y, float* dy, float* dx) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(dx + column, TSimd.Divide(TSimd.Subtract(lanes.Load(dy + column), TSimd.Multiply(lanes.Load(y + column), dot)), norm));
    }
}
