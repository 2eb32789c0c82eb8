using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Inverted dropout: element i is kept when <see cref="CounterRandom.Uniform"/>(seed, i) ≥ p and then scaled by
/// 1/(1 − p), so evaluation needs no rescaling. The mask is a function of (seed, i), never stored: the backward pass
/// regenerates it from the same seed. A caller draws a fresh seed per step and tensor.
/// </summary>
public static unsafe class DropoutKernel
{
    /// <summary>y = x ⊙ mask / (1 − p), with the variant chosen at start-up; y may be x.</summary>
    /// <param name="x">The input.</param>
    /// <param name="y">The output, as long as x.</param>
    /// <param name="probability">p in [0, 1]: the chance an element is dropped.</param>
    /// <param name="seed">Selects the mask; the backward pass takes the same one.</param>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed) => Forward(x, y, probability, seed, first: 0);

    /// <summary>
    /// <see cref="Forward(ReadOnlySpan{float}, Span{float}, float, uint)"/> of elements <paramref name="first"/> on of a
    /// longer tensor: element i of x takes the mask of element first + i, so rows dropped one at a time, or on another
    /// process, take the masks they take in the whole tensor.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed, int first)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Vectorized<Simd512, Vector512<float>>(x, y, probability, seed, first); break;
            case Isa.Avx2: Vectorized<Simd256, Vector256<float>>(x, y, probability, seed, first); break;
            default: Scalar(x, y, probability, seed, first); break;
        }
    }

    /// <summary>
    /// dx = dy ⊙ mask / (1 − p) under the forward pass's seed: the same map as the forward pass, because dropout is
    /// linear in its input.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, float probability, uint seed) =>
        Forward(dy, dx, probability, seed);

    /// <summary>The backward pass of <see cref="Forward(ReadOnlySpan{float}, Span{float}, float, uint, int)"/>.</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, float probability, uint seed, int first) =>
        Forward(dy, dx, probability, seed, first);

    /// <summary>Reference.</summary>
    public static void Scalar(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed) => Scalar(x, y, probability, seed, first: 0);

    /// <summary>Reference, from element <paramref name="first"/> of the mask on.</summary>
    public static void Scalar(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed, int first)
    {
        float scale = Check(x.Length, y.Length, probability);
        for (int i = 0; i < x.Length; i++) y[i] = CounterRandom.Uniform(seed, (long)first + i) >= probability ? x[i] * scale : 0f;
    }

    /// <summary>Vector256.</summary>
    public static void Avx2(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed) =>
        Vectorized<Simd256, Vector256<float>>(x, y, probability, seed, first: 0);

    /// <summary>Vector512.</summary>
    public static void Avx512(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed) =>
        Vectorized<Simd512, Vector512<float>>(x, y, probability, seed, first: 0);

    /// <summary>Checks the shapes and p; returns the scale of kept elements (0 when everything is dropped).</summary>
    private static float Check(int x, int y, float probability)
    {
        RowMajor.Length("y", y, x);
        if (!(probability >= 0f && probability <= 1f))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The dropout probability must lie in [0, 1].");
        return probability < 1f ? 1f / (1f - probability) : 0f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vectorized<TSimd, TVec>(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed, int first)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        float scale = Check(x.Length, y.Length, probability);
        fixed (float* px = x, py = y)
            SimdLoop<TSimd, TVec>.Columns(x.Length, new Step<TSimd, TVec>(TSimd.Create(probability), TSimd.Create(scale), seed, first, px, py));
    }

    private readonly struct Step<TSimd, TVec>(TVec probability, TVec scale, uint seed, nint first, float* x, float* y) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec dropped = TSimd.LessThan(TSimd.Uniform(seed, first + column), probability);
            lanes.Store(y + column, TSimd.Select(dropped, TSimd.Zero, TSimd.Multiply(lanes.Load(x + column), scale)));
        }
    }
}
