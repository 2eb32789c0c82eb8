using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Kernels.Simd;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// One attention problem for the harness. Q, K and V are strided views: each its own buffer with padding after every
/// row, or, when <paramref name="Fused"/>, read in place from one [batch, time, 3·heads·headDim + pad] buffer (and the
/// gradients written into one such buffer), as the tensor layer's fused QKV projection lays them out.
/// <paramref name="LargeLogits"/> picks the scale so the largest |s·q·k| is 80. Outputs start as NaN, so an element a
/// variant leaves unwritten fails; the padding must stay as it is. The GPU twin (<see cref="AttentionGpu"/>) runs on
/// the same buffers with the same tolerances: its sums run in other orders, which the bounds below allow for.
/// </summary>
/// <remarks>
/// Tolerances (one evaluation's error bound, doubled for two evaluations, doubled again by <c>ToTolerance</c> for
/// second-order terms), per query row i with scores s_ij = s·q_i·k_j:
/// e_i = γ(d+2)·max_j s·Σ|q_i||k_j| bounds a score's error (a d-term dot product and the scale);
/// r_i = 2(e_i + 8u·max_j|s_ij|) + E + γ(4T + 4) bounds the relative error of one evaluation's P_ij: the scores
/// enter numerator and denominator, the max-subtracted arguments round at their magnitude, E is the vector exp's
/// stated error (<see cref="SimdMath.ExpNonPositiveRelativeError"/>, above MathF's), and the T-term sum, the online
/// rescales (one per tile, at most T) and the division add their roundings.
/// O_ic: 2(r_i + γ(T))·Σ_j P_ij|v_jc|; lse_i: 2(e_i + r_i) + 4u|lse_i|.
/// Backward, with O and lse exact (rounded once) as inputs: P's error is ρ_i = 2r_i + 4u|lse_i| (the variant's
/// e^(s − lse) and the reference's softmax); dP_ij = dO_i·v_j within δdP = 2γ(d)·Σ|dO_i||v_j|; D_i = dO_i·O_i
/// (variant) and Σ_j P_ij dP_ij (reference) within δD = Σ_j P_ij(ρ_i|dP_ij| + δdP_ij) + 2γ(T)·Σ_j P_ij|dP_ij| +
/// 2γ(d+1)·Σ|dO_i||O_i|; dS_ij = P_ij(dP_ij − D_i) within δdS = P_ij((ρ_i + 4u)|dP_ij − D_i| + δdP_ij + δD_i).
/// dV_jc: Σ_i (ρ_i + 2γ(T))·P_ij|dO_ic|; dQ_ic: s·Σ_j (δdS_ij + 2γ(T + 1)|dS_ij|)|k_jc|; dK_jc likewise over i with |q_ic|.
/// Every bound adds T·2⁻¹²⁶·max|v| (or |dO|, |k|, |q|) for weights the vector exp flushes to zero.
/// </remarks>
public sealed record AttentionCase(int Batch, int Heads, int Queries, int Keys, int HeadDim, bool Causal,
    int[]? KeyLengths = null, bool Fused = false, bool LargeLogits = false, int Threads = 1)
{
    private const double U = Bounds.U;

    /// <inheritdoc/>
    public override string ToString() =>
        $"B {Batch} H {Heads} Tq {Queries} Tk {Keys} d {HeadDim}{(Causal ? " causal" : "")}" +
        $"{(KeyLengths == null ? "" : $" key lengths [{string.Join(", ", KeyLengths)}]")}{(Fused ? " fused QKV" : "")}" +
        $"{(LargeLogits ? " logits ±80" : "")}, {Threads} threads";

    /// <summary>The forward problem (O and lse) or the backward one (dQ, dK, dV), drawn from <paramref name="rng"/>.</summary>
    public unsafe Problem Build(Random rng, bool backward)
    {
        if (Fused && Queries != Keys) throw new ArgumentException("A fused QKV buffer holds as many queries as keys.");
        var layout = new AttentionLayout(this, rng.Next(0, 4), rng.Next(0, 4), rng.Next(0, 4), rng.Next(0, 4));
        int hd = Heads * HeadDim;
        float[] q, k, v;
        if (Fused)
            q = k = v = layout.Fill(Keys, layout.FusedStride, 3 * hd, () => Uniform(rng));
        else
        {
            q = layout.Fill(Queries, layout.QStride, hd, () => Uniform(rng));
            k = layout.Fill(Keys, layout.KStride, hd, () => Uniform(rng));
            v = layout.Fill(Keys, layout.VStride, hd, () => Uniform(rng));
        }
        AttentionView vq = layout.Q(q), vk = layout.K(k), vv = layout.V(v);
        float scale = LargeLogits ? (float)(80 / AttentionExact.MaxAbsDot(this, vq, vk)) : 1f / MathF.Sqrt(HeadDim);
        var shape = new AttentionShape(Batch, Heads, Queries, Keys, HeadDim, Causal, scale);
        var exact = new AttentionExact(this, shape, vq, vk, vv);
        var problem = new Problem();
        int hq = problem.Add(Fused ? "qkv" : "q", q), hk = Fused ? hq : problem.Add("k", k), hv = Fused ? hq : problem.Add("v", v);
        if (!backward)
        {
            float[] o = layout.Fill(Queries, layout.OStride, hd, () => float.NaN);
            var lse = new float[Batch * Heads * Queries];
            Array.Fill(lse, float.NaN);
            var tolO = new double[o.Length];
            layout.O(o).Scatter(exact.OutputTolerance(), tolO);
            int ho = problem.Add("O", o, KernelCases.ToTolerance(tolO));
            int hl = problem.Add("lse", lse, KernelCases.ToTolerance(exact.LogSumExpTolerance()));
            problem.Run = (isa, m) =>
            {
                KernelCases.Pick<AttentionForwardFn>(isa, AttentionKernel.Forward, ForwardScalar, AttentionKernel.ForwardAvx2,
                    AttentionKernel.ForwardAvx512)(shape, layout.Q(m, hq), layout.K(m, hk), layout.V(m, hv), layout.O(m, ho),
                    m.Pointer(hl), KeyLengths, Threads);
                return 0f;
            };
            problem.Gpu = d => OnDevice(d, lengths => AttentionGpu.Forward(d.Device, shape, layout.Device(d, hq, layout.Q([])),
                layout.Device(d, hk, layout.K([])), layout.Device(d, hv, layout.V([])), layout.Device(d, ho, layout.O([])), d.View(hl), lengths));
            return problem;
        }

        float[] output = layout.Fill(Queries, layout.OStride, hd, () => 0f), dOut = layout.Fill(Queries, layout.OStride, hd, () => Uniform(rng));
        var logSumExp = new float[Batch * Heads * Queries];
        exact.WriteForward(layout.O(output), logSumExp);
        var (tolQ, tolK, tolV) = exact.GradientTolerances(layout.O(dOut), layout.O(output), logSumExp);
        int hO = problem.Add("O", output), hdo = problem.Add("dO", dOut), hl2 = problem.Add("lse", logSumExp);
        int hdq, hdk, hdv;
        if (Fused)
        {
            float[] grads = layout.Fill(Keys, layout.FusedStride, 3 * hd, () => float.NaN);
            var tol = new double[grads.Length];
            layout.Q(grads).Scatter(tolQ, tol);
            layout.K(grads).Scatter(tolK, tol);
            layout.V(grads).Scatter(tolV, tol);
            hdq = hdk = hdv = problem.Add("dQKV", grads, KernelCases.ToTolerance(tol));
        }
        else
        {
            hdq = AddGradient(problem, "dQ", layout, Queries, layout.QStride, d => layout.Q(d), tolQ);
            hdk = AddGradient(problem, "dK", layout, Keys, layout.KStride, d => layout.K(d), tolK);
            hdv = AddGradient(problem, "dV", layout, Keys, layout.VStride, d => layout.V(d), tolV);
        }
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<AttentionBackwardFn>(isa, AttentionKernel.Backward, BackwardScalar, AttentionKernel.BackwardAvx2,
                AttentionKernel.BackwardAvx512)(shape, layout.Q(m, hq), layout.K(m, hk), layout.V(m, hv), layout.O(m, hO),
                layout.O(m, hdo), m.Pointer(hl2), KeyLengths, layout.Q(m, hdq), layout.K(m, hdk), layout.V(m, hdv), Threads);
            return 0f;
        };
        problem.Gpu = d => OnDevice(d, lengths => AttentionGpu.Backward(d.Device, shape, layout.Device(d, hq, layout.Q([])),
            layout.Device(d, hk, layout.K([])), layout.Device(d, hv, layout.V([])), layout.Device(d, hO, layout.O([])),
            layout.Device(d, hdo, layout.O([])), d.View(hl2), lengths, layout.Device(d, hdq, layout.Q([])), layout.Device(d, hdk, layout.K([])),
            layout.Device(d, hdv, layout.V([]))));
        return problem;
    }

    /// <summary>
    /// Runs <paramref name="call"/> with the key lengths copied to the device (an empty view when every key is valid)
    /// and waits for it, so the lengths' buffer outlives the kernels that read it.
    /// </summary>
    private float OnDevice(DeviceArena d, Action<ArrayView<int>> call)
    {
        if (KeyLengths == null)
        {
            call(default);
            return 0f;
        }
        using MemoryBuffer1D<int, Stride1D.Dense> lengths = d.Device.Allocate<int>(KeyLengths.Length, "key lengths");
        lengths.View.CopyFromCPU(KeyLengths);
        call(lengths.View);
        d.Device.Synchronize();
        return 0f;
    }

    private static int AddGradient(Problem problem, string name, AttentionLayout layout, int rows, int stride,
        Func<float[], AttentionView> view, double[] packedTolerance)
    {
        float[] data = layout.Fill(rows, stride, layout.Case.Heads * layout.Case.HeadDim, () => float.NaN);
        var tol = new double[data.Length];
        view(data).Scatter(packedTolerance, tol);
        return problem.Add(name, data, KernelCases.ToTolerance(tol));
    }

    private static unsafe void ForwardScalar(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, float* logSumExp, ReadOnlySpan<int> keyLengths, int threads) =>
        AttentionKernel.ForwardScalar(shape, q, k, v, output, logSumExp, keyLengths);

    private static unsafe void BackwardScalar(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, AttentionOperand dOutput, float* logSumExp, ReadOnlySpan<int> keyLengths,
        AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, int threads) =>
        AttentionKernel.BackwardScalar(shape, q, k, v, dOutput, keyLengths, dq, dk, dv);

    private static float Uniform(Random rng) => (float)(rng.NextDouble() * 2 - 1);
}
