using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>
/// GloVe's fused weighted-least-squares AdaGrad step for one co-occurrence entry (i, j, x), as Stanford GloVe's
/// glove.c does it today: with w the word row i, c the context row j and their biases bw, bc,
/// diff = w·c + bw + bc − log x; fdiff = (x &gt; xMax ? 1 : (x/xMax)^α)·diff; cost = ½·fdiff·diff;
/// then per column t1 = η·clip(fdiff·c), t2 = η·clip(fdiff·w) (both from the old rows, each gradient component
/// clipped to [−clip, clip]), w −= t1/√gw, c −= t2/√gc, gw += t1², gc += t2²; and bw −= fdiff/√gbw,
/// bc −= fdiff/√gbc, gbw += fdiff², gbc += fdiff². Returns cost. The biases' step is not scaled by η: glove.c
/// has worked so since it added clipping in 2019, and its published results come from that code.
/// The squared-gradient sums start at 1 (as in glove.c), so every square root is of a positive number.
/// The four rows must not overlap (glove.c's word and context rows never do). Unlike glove.c, updates that come
/// out NaN or infinite are applied as they are; the caller checks the returned cost.
/// </summary>
public static unsafe class GloveUpdateKernel
{
    /// <summary>Runs the step with the variant chosen at start-up; returns the entry's cost ½·f(x)·diff².</summary>
    /// <param name="w">The word row (dim floats), updated.</param>
    /// <param name="c">The context row (dim floats), updated.</param>
    /// <param name="gradSqW">AdaGrad's sum of squared gradients for <paramref name="w"/>, updated.</param>
    /// <param name="gradSqC">AdaGrad's sum of squared gradients for <paramref name="c"/>, updated.</param>
    /// <param name="biasW">The word's bias, updated.</param>
    /// <param name="biasC">The context's bias, updated.</param>
    /// <param name="gradSqBiasW">Squared-gradient sum of <paramref name="biasW"/>, updated.</param>
    /// <param name="gradSqBiasC">Squared-gradient sum of <paramref name="biasC"/>, updated.</param>
    /// <param name="dim">Floats per row.</param>
    /// <param name="x">The co-occurrence value, positive.</param>
    /// <param name="xMax">Cut-off of the weighting function (GloVe's -x-max, 100 by default).</param>
    /// <param name="alpha">Exponent of the weighting function (GloVe's -alpha, 0.75 by default).</param>
    /// <param name="eta">Learning rate (GloVe's -eta, 0.05 by default).</param>
    /// <param name="gradClip">Bound on each gradient component of the rows (GloVe's -grad-clip, 100 by default); positive.</param>
    public static float Update(float* w, float* c, float* gradSqW, float* gradSqC, ref float biasW, ref float biasC,
        ref float gradSqBiasW, ref float gradSqBiasC, int dim, float x, float xMax, float alpha, float eta, float gradClip)
        => IsaDispatch.Active switch
        {
            Isa.Avx512 => Avx512(w, c, gradSqW, gradSqC, ref biasW, ref biasC, ref gradSqBiasW, ref gradSqBiasC, dim, x, xMax, alpha, eta, gradClip),
            Isa.Avx2 => Avx2(w, c, gradSqW, gradSqC, ref biasW, ref biasC, ref gradSqBiasW, ref gradSqBiasC, dim, x, xMax, alpha, eta, gradClip),
            _ => Scalar(w, c, gradSqW, gradSqC, ref biasW, ref biasC, ref gradSqBiasW, ref gradSqBiasC, dim, x, xMax, alpha, eta, gradClip),
        };

    /// <summary>Reference: glove.c's loop, line for line.</summary>
    public static float Scalar(float* w, float* c, float* gradSqW, float* gradSqC, ref float biasW, ref float biasC,
        ref float gradSqBiasW, ref float gradSqBiasC, int dim, float x, float xMax, float alpha, float eta, float gradClip)
    {
        float dot = 0f;
        for (int d = 0; d < dim; d++) dot += w[d] * c[d];
        float fdiff = Residual(dot, biasW, biasC, x, xMax, alpha, out float cost);
        for (int d = 0; d < dim; d++)
        {
            float t1 = Math.Clamp(fdiff * c[d], -gradClip, gradClip) * eta;
            float t2 = Math.Clamp(fdiff * w[d], -gradClip, gradClip) * eta;
            w[d] -= t1 / MathF.Sqrt(gradSqW[d]);
            c[d] -= t2 / MathF.Sqrt(gradSqC[d]);
            gradSqW[d] += t1 * t1;
            gradSqC[d] += t2 * t2;
        }
        UpdateBiases(fdiff, ref biasW, ref biasC, ref gradSqBiasW, ref gradSqBiasC);
        return cost;
    }

    /// <summary>Vector256: the dot with four accumulators, then one fused pass over the columns.</summary>
    public static float Avx2(float* w, float* c, float* gradSqW, float* gradSqC, ref float biasW, ref float biasC,
        ref float gradSqBiasW, ref float gradSqBiasC, int dim, float x, float xMax, float alpha, float eta, float gradClip)
        => Vectorized<Simd256, Vector256<float>>(w, c, gradSqW, gradSqC, ref biasW, ref biasC, ref gradSqBiasW,
            ref gradSqBiasC, dim, x, xMax, alpha, eta, gradClip);

    /// <summary>Vector512; as <see cref="Avx2"/>.</summary>
    public static float Avx512(float* w, float* c, float* gradSqW, float* gradSqC, ref float biasW, ref float biasC,
        ref float gradSqBiasW, ref float gradSqBiasC, int dim, float x, float xMax, float alpha, float eta, float gradClip)
        => Vectorized<Simd512, Vector512<float>>(w, c, gradSqW, gradSqC, ref biasW, ref biasC, ref gradSqBiasW,
            ref gradSqBiasC, dim, x, xMax, alpha, eta, gradClip);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Vectorized<TSimd, TVec>(float* w, float* c, float* gradSqW, float* gradSqC,
        ref float biasW, ref float biasC, ref float gradSqBiasW, ref float gradSqBiasC,
        int dim, float x, float xMax, float alpha, float eta, float gradClip)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        float dot = SimdLoop<TSimd, TVec>.Dot(w, c, dim);
        float fdiff = Residual(dot, biasW, biasC, x, xMax, alpha, out float cost);
        SimdLoop<TSimd, TVec>.Columns(dim, new Step<TSimd, TVec>(TSimd.Create(fdiff), TSimd.Create(eta), TSimd.Create(-gradClip), TSimd.Create(gradClip),
            w, c, gradSqW, gradSqC));
        UpdateBiases(fdiff, ref biasW, ref biasC, ref gradSqBiasW, ref gradSqBiasC);
        return cost;
    }

    /// <summary>η·f(x)·diff from the dot product; <paramref name="cost"/> gets ½·f(x)·diff². Shared by every variant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Residual(float dot, float biasW, float biasC, float x, float xMax, float alpha, out float cost)
    {
        float diff = dot + biasW + biasC - MathF.Log(x);
        float fdiff = x > xMax ? diff : MathF.Pow(x / xMax, alpha) * diff;
        cost = 0.5f * fdiff * diff;
        return fdiff;
    }

    /// <summary>AdaGrad on the two biases. Shared by every variant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateBiases(float fdiff, ref float biasW, ref float biasC, ref float gradSqBiasW, ref float gradSqBiasC)
    {
        biasW -= fdiff / MathF.Sqrt(gradSqBiasW);
        biasC -= fdiff / MathF.Sqrt(gradSqBiasC);
        float square = fdiff * fdiff;
        gradSqBiasW += square;
        gradSqBiasC += square;
    }

    /// <summary>
    /// One chunk of columns: both gradients from the old rows, exact square roots and divisions (no rsqrt
    /// estimate), so each column matches the reference within a few roundings. In the masked last chunk the unused
    /// lanes divide 0 by √0 and make NaN, which is never stored.
    /// </summary>
    private readonly struct Step<TSimd, TVec>(TVec fdiff, TVec eta, TVec lowerClip, TVec upperClip, float* w, float* c, float* gradSqW, float* gradSqC)
        : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec wv = lanes.Load(w + column), cv = lanes.Load(c + column);
            TVec gw = lanes.Load(gradSqW + column), gc = lanes.Load(gradSqC + column);
            TVec t1 = TSimd.Multiply(Clip(TSimd.Multiply(fdiff, cv)), eta);
            TVec t2 = TSimd.Multiply(Clip(TSimd.Multiply(fdiff, wv)), eta);
            lanes.Store(w + column, TSimd.Subtract(wv, TSimd.Divide(t1, TSimd.Sqrt(gw))));
            lanes.Store(c + column, TSimd.Subtract(cv, TSimd.Divide(t2, TSimd.Sqrt(gc))));
            lanes.Store(gradSqW + column, TSimd.MultiplyAdd(t1, t1, gw));
            lanes.Store(gradSqC + column, TSimd.MultiplyAdd(t2, t2, gc));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private TVec Clip(TVec gradient) => TSimd.Min(upperClip, TSimd.Max(lowerClip, gradient));
    }
}
