using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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

    // x·s + t with s just below 1 converges to t/(1 − s) = 1: no overflow, no denormals, however long it runs.
    private const float Scale = 0.999f, Shift = 0.001f;

    /// <summary><paramref name="steps"/> steps of Vector256 FMAs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // A caller that drops the result must not let the JIT drop the work.
    public static Vector256<float> Avx2(int steps)
    {
        Vector256<float> s = Vector256.Create(Scale), t = Vector256.Create(Shift);
        Vector256<float> c0 = Vector256.Create(0.10f), c1 = Vector256.Create(0.11f), c2 = Vector256.Create(0.12f), c3 = Vector256.Create(0.13f),
            c4 = Vector256.Create(0.14f), c5 = Vector256.Create(0.15f), c6 = Vector256.Create(0.16f), c7 = Vector256.Create(0.17f),
            c8 = Vector256.Create(0.18f), c9 = Vector256.Create(0.19f), c10 = Vector256.Create(0.20f), c11 = Vector256.Create(0.21f);
        for (int i = 0; i < steps; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, s, t); c1 = Vector256.FusedMultiplyAdd(c1, s, t);
            c2 = Vector256.FusedMultiplyAdd(c2, s, t); c3 = Vector256.FusedMultiplyAdd(c3, s, t);
            c4 = Vector256.FusedMultiplyAdd(c4, s, t); c5 = Vector256.FusedMultiplyAdd(c5, s, t);
            c6 = Vector256.FusedMultiplyAdd(c6, s, t); c7 = Vector256.FusedMultiplyAdd(c7, s, t);
            c8 = Vector256.FusedMultiplyAdd(c8, s, t); c9 = Vector256.FusedMultiplyAdd(c9, s, t);
            c10 = Vector256.FusedMultiplyAdd(c10, s, t); c11 = Vector256.FusedMultiplyAdd(c11, s, t);
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
    }

    /// <summary><paramref name="steps"/> steps of Vector512 FMAs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Vector512<float> Avx512(int steps)
    {
        Vector512<float> s = Vector512.Create(Scale), t = Vector512.Create(Shift);
        Vector512<float> c0 = Vector512.Create(0.10f), c1 = Vector512.Create(0.11f), c2 = Vector512.Create(0.12f), c3 = Vector512.Create(0.13f),
            c4 = Vector512.Create(0.14f), c5 = Vector512.Create(0.15f), c6 = Vector512.Create(0.16f), c7 = Vector512.Create(0.17f),
            c8 = Vector512.Create(0.18f), c9 = Vector512.Create(0.19f), c10 = Vector512.Create(0.20f), c11 = Vector512.Create(0.21f);
        for (int i = 0; i < steps; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, s, t); c1 = Vector512.FusedMultiplyAdd(c1, s, t);
            c2 = Vector512.FusedMultiplyAdd(c2, s, t); c3 = Vector512.FusedMultiplyAdd(c3, s, t);
            c4 = Vector512.FusedMultiplyAdd(c4, s, t); c5 = Vector512.FusedMultiplyAdd(c5, s, t);
            c6 = Vector512.FusedMultiplyAdd(c6, s, t); c7 = Vector512.FusedMultiplyAdd(c7, s, t);
            c8 = Vector512.FusedMultiplyAdd(c8, s, t); c9 = Vector512.FusedMultiplyAdd(c9, s, t);
            c10 = Vector512.FusedMultiplyAdd(c10, s, t); c11 = Vector512.FusedMultiplyAdd(c11, s, t);
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
    }
}
