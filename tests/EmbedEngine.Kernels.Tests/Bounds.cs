using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// Forward error bounds for float32, from which every tolerance in the harness is derived. Two evaluations of the
/// same formula in different orders (or with and without FMA) each stay within the bound of the exact value,
/// so they differ by at most twice it.
/// </summary>
public static class Bounds
{
    /// <summary>Unit roundoff of float32, 2⁻²⁴.</summary>
    public const double U = 1.0 / (1 << 24);

    /// <summary>Distance between table points of word2vec's sigmoid tables.</summary>
    public const double TableStep = 2.0 * Sigmoid.MaxInput / Sigmoid.TableSize;

    /// <summary>γₙ = nu/(1 − nu): the relative bound of an n-term sum or dot product, in any order.</summary>
    public static double Gamma(int n) => n * U / (1 - n * U);

    /// <summary>Allowed difference of two n-term sums whose terms have absolute sum <paramref name="absSum"/>.</summary>
    public static double Sum(int n, double absSum) => 2 * Gamma(Math.Max(n, 1)) * absSum;

    /// <summary>
    /// How far σ (or l − σ) can move when its argument f is known only to ±<paramref name="df"/>. Exact σ has
    /// slope ≤ 1/4; the table is piecewise constant, so each table point crossed moves it by at most 1/4 of a step,
    /// and beyond ±6 it is saturated on both sides. Skipping drops l − σ to 0 at ±6, so an f that may lie on either
    /// side of ±6 may move it by up to 1.
    /// </summary>
    public static double SigmoidSpread(double f, double df, SigmoidMode mode)
    {
        if (mode == SigmoidMode.Exact) return 0.25 * df + 4 * U;
        if (f - df >= Sigmoid.MaxInput || f + df <= -Sigmoid.MaxInput) return 0;
        if (mode == SigmoidMode.SkipSaturated && Math.Abs(f) + df >= Sigmoid.MaxInput) return 1;
        return 0.25 * TableStep * (1 + df / TableStep);
    }

    /// <summary>As <see cref="SigmoidSpread"/> for the logistic loss, whose slope is at most 1 (both table modes report the table's loss).</summary>
    public static double LossSpread(double f, double df, SigmoidMode mode)
    {
        if (mode == SigmoidMode.Exact) return df + 8 * U * (1 + Math.Abs(f));
        if (Math.Abs(f) - df >= Sigmoid.MaxInput) return 0;
        return TableStep * (1 + df / TableStep);
    }
}
