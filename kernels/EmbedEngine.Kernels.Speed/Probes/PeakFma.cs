using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Speed.Probes;

/// <summary>
/// This core's peak fp32 rate: twelve independent FMA chains, more than latency (4–5 cycles) × FMA pipes (2), so the
/// pipes never wait on a result, and few enough that every chain stays in a register even with AVX2's sixteen.
/// Each step of each chain is 2 flops per lane.
/// </summary>
public static class PeakFma
{
    /// <summary>Independent chains per step.</summary>
    public const int Chains = 12;

    /// <summary>Flops of <paramref name="steps"/> steps on vectors of <paramref name="lanes"/> floats.</summary>
    public static double Flops(int steps, int lanes) => 2.0 * steps * Chains * lanes;

    /// <summary><paramref name="steps"/> steps of Vector256 FMAs; returns the sum of every chain.</summary>
    public static float Avx2(int steps) => Run<Simd256, Vector256<float>>(steps);

    /// <summary><paramref name="steps"/> steps of Vector512 FMAs; returns the sum of every chain.</summary>
    public static float Avx512(int steps) => Run<Simd512, Vector512<float>>(steps);

    // A caller that drops the result must not let the JIT inline this and drop the work with it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run<TSimd, TVec>(int steps)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        // x·s + t with s just below 1 converges to t/(1 − s) = 1: no overflow, no denormals, however long it runs.
        TVec s = TSimd.Create(0.999f), t = TSimd.Create(0.001f);
        TVec c0 = TSimd.Create(0.10f), c1 = TSimd.Create(0.11f), c2 = TSimd.Create(0.12f), c3 = TSimd.Create(0.13f),
            c4 = TSimd.Create(0.14f), c5 = TSimd.Create(0.15f), c6 = TSimd.Create(0.16f), c7 = TSimd.Create(0.17f),
            c8 = TSimd.Create(0.18f), c9 = TSimd.Create(0.19f), c10 = TSimd.Create(0.20f), c11 = TSimd.Create(0.21f);
        for (int i = 0; i < steps; i++)
        {
            c0 = TSimd.MultiplyAdd(c0, s, t); c1 = TSimd.MultiplyAdd(c1, s, t);
            c2 = TSimd.MultiplyAdd(c2, s, t); c3 = TSimd.MultiplyAdd(c3, s, t);
            c4 = TSimd.MultiplyAdd(c4, s, t); c5 = TSimd.MultiplyAdd(c5, s, t);
            c6 = TSimd.MultiplyAdd(c6, s, t); c7 = TSimd.MultiplyAdd(c7, s, t);
            c8 = TSimd.MultiplyAdd(c8, s, t); c9 = TSimd.MultiplyAdd(c9, s, t);
            c10 = TSimd.MultiplyAdd(c10, s, t); c11 = TSimd.MultiplyAdd(c11, s, t);
        }
        TVec sum = TSimd.Add(TSimd.Add(TSimd.Add(c0, c1), TSimd.Add(c2, c3)), TSimd.Add(TSimd.Add(c4, c5), TSimd.Add(c6, c7)));
        return TSimd.Sum(TSimd.Add(sum, TSimd.Add(TSimd.Add(c8, c9), TSimd.Add(c10, c11))));
    }
}
