using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Layer normalization over the last dimension of a row-major [rows, columns] matrix:
/// y = (x − μ)·rstd ⊙ γ + β with μ the row mean, rstd = 1/√(σ² + ε) and σ² the biased variance (two passes, so rows
/// with a large mean keep their precision). The forward pass saves μ and rstd per row for the backward pass.
/// </summary>
public static unsafe class LayerNormKernel
{
    /// <summary>Normalizes every row, with the variant chosen at start-up; y may be x.</summary>
    /// <param name="x">Input [rows, columns].</param>
    /// <param name="gamma">Scale γ, one per column.</param>
    /// <param name="beta">Shift β, one per column.</param>
    /// <param name="epsilon">ε added to the variance.</param>
    /// <param name="y">Output [rows, columns].</param>
    /// <param name="mean">Receives μ, one per row.</param>
    /// <param name="rstd">Receives 1/√(σ² + ε), one per row.</param>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
        Span<float> y, Span<float> mean, Span<float> rstd)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: ForwardAvx512(x, gamma, beta, epsilon, y, mean, rstd); break;
            case Isa.Avx2: ForwardAvx2(x, gamma, beta, epsilon, y, mean, rstd); break;
            default: ForwardScalar(x, gamma, beta, epsilon, y, mean, rstd); break;
        }
    }

    /// <summary>
    /// With x̂ = (x − μ)·rstd and g = dy ⊙ γ: dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)) per row, and adds Σ dy ⊙ x̂
    /// into dγ and Σ dy into dβ over the rows. Variant chosen at start-up.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dGamma, Span<float> dBeta)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: BackwardAvx512(x, gamma, mean, rstd, dy, dx, dGamma, dBeta); break;
            case Isa.Avx2: BackwardAvx2(x, gamma, mean, rstd, dy, dx, dGamma, dBeta); break;
            default: BackwardScalar(x, gamma, mean, rstd, dy, dx, dGamma, dBeta); break;
        }
    }

    /// <summary>Reference.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
        Span<float> y, Span<float> mean, Span<float> rstd)
    {
        int columns = gamma.Length, rows = CheckForward(x, gamma, beta, y, mean, rstd);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * columns, columns);
            float sum = 0f;
            for (int c = 0; c < columns; c++) sum += xr[c];
            float mu = sum / columns, squares = 0f;
            for (int c = 0; c < columns; c++) squares += (xr[c] - mu) * (xr[c] - mu);
            float s = 1f / MathF.Sqrt(squares / columns + epsilon);
            for (int c = 0; c < columns; c++) y[r * columns + c] = (xr[c] - mu) * s * gamma[c] + beta[c];
            mean[r] = mu;
            rstd[r] = s;
        }
    }

    /// <summary>Reference.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dGamma, Span<float> dBeta)
    {
        int columns = gamma.Length, rows = CheckBackward(x, gamma, mean, rstd, dy, dx, dGamma, dBeta);
        for (int r = 0; r < rows; r++)
        {
            int start = r * columns;
            float sumG = 0f, sumGx = 0f;
            for (int c = 0; c < columns; c++)
            {
                float xHat = (x[start + c] - mean[r]) * rstd[r], g = dy[start + c] * gamma[c];
                sumG += g;
                sumGx += g * xHat;
                dGamma[c] += dy[start + c] * xHat;
                dBeta[c] += dy[start + c];
            }
            float meanG = sumG / columns, meanGx = sumGx / columns;
            for (int c = 0; c < columns; c++)
            {
                float xHat = (x[start + c] - mean[r]) * rstd[r], g = dy[start + c] * gamma[c];
                dx[start + c] = rstd[r] * (g - meanG - xHat * meanGx);
            }
        }
    }

    /// <summary>Vector256.</summary>
    public static void ForwardAvx2(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
        Span<float> y, Span<float> mean, Span<float> rstd) =>
        Forward<Simd256, Vector256<float>>(x, gamma, beta, epsilon, y, mean, rstd);

    /// <summary>Vector512.</summary>
    public static void ForwardAvx512(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
        Span<float> y, Span<float> mean, Span<float> rstd) =>
        Forward<Simd512, Vector512<float>>(x, gamma, beta, epsilon, y, mean, rstd);

    /// <summary>Vector256.</summary>
    public static void BackwardAvx2(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dGamma, Span<float> dBeta) =>
        Backward<Simd256, Vector256<float>>(x, gamma, mean, rstd, dy, dx, dGamma, dBeta);

    /// <summary>Vector512.</summary>
    public static void BackwardAvx512(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dGamma, Span<float> dBeta) =>
        Backward<Simd512, Vector512<float>>(x, gamma, mean, rstd, dy, dx, dGamma, dBeta);

    private static int CheckForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd)
    {
        int rows = RowMajor.Rows(x.Length, gamma.Length);
        RowMajor.Length("beta", beta.Length, gamma.Length);
        RowMajor.Length("y", y.Length, x.Length);
        RowMajor.Length("mean", mean.Length, rows);
        RowMajor.Length("rstd", rstd.Length, rows);
        return rows;
    }

    private static int CheckBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dGamma, Span<float> dBeta)
    {
        int rows = RowMajor.Rows(x.Length, gamma.Length);
        RowMajor.Length("mean", mean.Length, rows);
        RowMajor.Length("rstd", rstd.Length, rows);
        ElementWise.Check(x.Length, dy.Length, dx.Length);
        RowMajor.Length("dGamma", dGamma.Length, gamma.Length);
        RowMajor.Length("dBeta", dBeta.Length, gamma.Length);
        return rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Forward<TSimd, TVec>(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
        Span<float> y, Span<float> mean, Span<float> rstd)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int columns = gamma.Length, rows = CheckForward(x, gamma, beta, y, mean, rstd);
        fixed (float* px = x, pg = gamma, pb = beta, py = y)
            for (int r = 0; r < rows; r++)
            {
                float* xr = px + (nint)r * columns;
                float mu = SimdLoop<TSimd, TVec>.Sum(xr, columns) / columns;
                float s = 1f / MathF.Sqrt(SimdLoop<TSimd, TVec>.SumOfSquares(xr, columns, mu) / columns + epsilon);
                SimdLoop<TSimd, TVec>.Columns(columns, new ForwardStep<TSimd, TVec>(TSimd.Create(mu), TSimd.Create(s), xr, pg, pb, py + (nint)r * columns));
                mean[r] = mu;
                rstd[r] = s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Backward<TSimd, TVec>(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dGamma, Span<float> dBeta)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int columns = gamma.Length, rows = CheckBackward(x, gamma, mean, rstd, dy, dx, dGamma, dBeta);
        fixed (float* px = x, pg = gamma, pdy = dy, pdx = dx, pdg = dGamma, pdb = dBeta)
            for (int r = 0; r < rows; r++)
            {
                nint start = (nint)r * columns;
                var row = new BackwardRow<TSimd, TVec>(TSimd.Create(mean[r]), TSimd.Create(rstd[r]), px + start, pg, pdy + start);
                nint n = columns, c = 0;
                TVec sumG = TSimd.Zero, sumGx = TSimd.Zero;
                for (; c <= n - TSimd.Count; c += TSimd.Count)
                    row.Accumulate(c, default(AllLanes<TSimd, TVec>), pdg, pdb, ref sumG, ref sumGx);
                if (c < n) row.Accumulate(c, new FirstLanes<TSimd, TVec>((int)(n - c)), pdg, pdb, ref sumG, ref sumGx);
                float meanG = TSimd.Sum(sumG) / columns, meanGx = TSimd.Sum(sumGx) / columns;
                SimdLoop<TSimd, TVec>.Columns(columns, new BackwardStep<TSimd, TVec>(row, TSimd.Create(meanG), TSimd.Create(meanGx), pdx + start));
            }
    }

    private readonly struct ForwardStep<TSimd, TVec>(TVec mean, TVec rstd, float* x, float* gamma, float* beta, float* y) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec xHat = TSimd.Multiply(TSimd.Subtract(lanes.Load(x + column), mean), rstd);
            lanes.Store(y + column, TSimd.MultiplyAdd(xHat, lanes.Load(gamma + column), lanes.Load(beta + column)));
        }
    }

    /// <summary>One row of the backward pass: x̂ and g for any chunk of its columns.</summary>
    private readonly struct BackwardRow<TSimd, TVec>(TVec mean, TVec rstd, float* x, float* gamma, float* dy)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        public TVec Rstd => rstd;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec XHat<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => TSimd.Multiply(TSimd.Subtract(lanes.Load(x + column), mean), rstd);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Dy<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Load(dy + column);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec G<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => TSimd.Multiply(lanes.Load(dy + column), lanes.Load(gamma + column));

        /// <summary>Σg and Σg·x̂ of one chunk, and its dγ and dβ contributions; unused lanes have dy = 0 and add 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Accumulate<TLanes>(nint column, TLanes lanes, float* dGamma, float* dBeta, ref TVec sumG, ref TVec sumGx)
            where TLanes : struct, ILanes<TVec>
        {
            TVec xHat = XHat(column, lanes), d = Dy(column, lanes), g = G(column, lanes);
            sumG = TSimd.Add(sumG, g);
            sumGx = TSimd.MultiplyAdd(g, xHat, sumGx);
            lanes.Store(dGamma + column, TSimd.MultiplyAdd(d, xHat, lanes.Load(dGamma + column)));
            lanes.Store(dBeta + column, TSimd.Add(lanes.Load(dBeta + column), d));
        }
    }

    private readonly struct BackwardStep<TSimd, TVec>(BackwardRow<TSimd, TVec> row, TVec meanG, TVec meanGx, float* dx) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec inner = TSimd.Subtract(TSimd.Subtract(row.G(column, lanes), meanG), TSimd.Multiply(row.XHat(column, lanes), meanGx));
            lanes.Store(dx + column, TSimd.Multiply(row.Rstd, inner));
        }
    }
}
