using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Kernels.Research;

/// <summary>
/// The worked example of an experimental variant (docs/kernels.md): Dot on Vector256 with two FMA chains instead of
/// the shipped four, asking whether two hide the FMA latency at word2vec's dims. Not dispatched; the harness checks it
/// against the scalar reference and <c>embed bench speed</c> times it beside the shipped variants.
/// </summary>
public static class DotTwoChains
{
    /// <summary>Its name in the registry.</summary>
    public const string Name = "dot.avx2-2chains";

    /// <summary>Its registry entry.</summary>
    public static ExperimentalVariant Variant { get; } = new("Dot", Name, (DotFn)Dot, Isa.Avx2);

    /// <summary>x · y: two Vector256 accumulators over pairs of blocks, then the tail one element at a time.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) KernelErrors.LengthsDiffer(x.Length, y.Length);
        int width = Vector256<float>.Count, i = 0;
        Vector256<float> even = Vector256<float>.Zero, odd = Vector256<float>.Zero;
        for (; i + 2 * width <= x.Length; i += 2 * width)
        {
            even = Vector256.FusedMultiplyAdd(Vector256.Create(x.Slice(i, width)), Vector256.Create(y.Slice(i, width)), even);
            odd = Vector256.FusedMultiplyAdd(Vector256.Create(x.Slice(i + width, width)), Vector256.Create(y.Slice(i + width, width)), odd);
        }
        float sum = Vector256.Sum(even + odd);
        for (; i < x.Length; i++) sum = MathF.FusedMultiplyAdd(x[i], y[i], sum);
        return sum;
    }
}
