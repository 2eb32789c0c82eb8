using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Perf.Kernels.Attention;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Perf.Kernels.Gpu;

/// <summary>
/// <see cref="AttentionGpu"/> (flash-style, forward and backward) against the naive attention built from cuBLAS GEMMs
/// (<see cref="GemmGpu"/>) and <see cref="SoftmaxGpu"/>, which stores the T × T scores and probabilities of every
/// (sequence, head): forward S = Q·Kᵀ/√d, P = softmax(S), O = P·V; backward dV = Pᵀ·dO, dP = dO·Vᵀ,
/// dS = softmax'(P, dP), dQ = dS·K/√d, dK = dSᵀ·Q/√d. B 8, H 8, d 64, no mask (the naive path has no mask kernel).
/// Each call waits for the device. Runs only with <c>EMBED_DEVICE=cuda</c> (<see cref="GpuBenchmarkConfig"/>).
/// </summary>
[Config(typeof(GpuBenchmarkConfig))]
public unsafe class AttentionGpuBenchmarks : GpuBenchmarkBuffers
{
    private const int Batch = 8, Heads = 8, HeadDim = 64, Dimension = Heads * HeadDim;

    private AttentionShape _shape;

    /// <summary>Sequence length (queries = keys).</summary>
    [Params(256, 1024, 4096)]
    public int T { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shape = new AttentionShape(Batch, Heads, T, T, HeadDim, causal: false);
        long operand = (long)Batch * T * Dimension, scores = (long)Batch * Heads * T * T;
        // q, k, v, o, dO, dq, dk, dv; log-sum-exp; the naive path's S (then dS), P and dP.
        Open([.. Enumerable.Range(0, 8).Select(i => (operand, $"attention operand {i}")), ((long)Batch * Heads * T, "log-sum-exp"),
            (scores, "scores"), (scores, "probabilities"), (scores, "dP")]);
        // The CPU benchmarks' operands, uploaded: q, k, v, then dO into buffer 4.
        using var host = new AttentionOperands(Batch, Heads, T, HeadDim, causal: false);
        AttentionOperand[] inputs = [host.Q, host.K, host.V, host.O, host.DOut];
        foreach (int i in (int[])[0, 1, 2, 4]) View(i).CopyFromCPU(new ReadOnlySpan<float>(inputs[i].Data, (int)operand));
    }

    [Benchmark(Baseline = true)]
    public void NaiveGemmSoftmax()
    {
        GpuDevice device = Device;
        float scale = _shape.Scale;
        for (int b = 0; b < Batch; b++)
            for (int h = 0; h < Heads; h++)
            {
                ArrayView<float> q = Head(0, b, h), k = Head(1, b, h), v = Head(2, b, h), o = Head(3, b, h), dO = Head(4, b, h);
                ArrayView<float> dq = Head(5, b, h), dk = Head(6, b, h), dv = Head(7, b, h);
                ArrayView<float> s = Square(9, b, h), p = Square(10, b, h), dp = Square(11, b, h);
                GemmGpu.Multiply(device, false, true, T, T, HeadDim, scale, q, Dimension, k, Dimension, 0f, s, T);
                SoftmaxGpu.Softmax.Forward(device, s, p, T);
                GemmGpu.Multiply(device, false, false, T, HeadDim, T, 1f, p, T, v, Dimension, 0f, o, Dimension);
                GemmGpu.Multiply(device, true, false, T, HeadDim, T, 1f, p, T, dO, Dimension, 0f, dv, Dimension);
                GemmGpu.Multiply(device, false, true, T, T, HeadDim, 1f, dO, Dimension, v, Dimension, 0f, dp, T);
                SoftmaxGpu.Softmax.Backward(device, p, dp, s, T);
                GemmGpu.Multiply(device, false, false, T, HeadDim, T, scale, s, T, k, Dimension, 0f, dq, Dimension);
                GemmGpu.Multiply(device, true, false, T, HeadDim, T, scale, s, T, q, Dimension, 0f, dk, Dimension);
            }
        device.Synchronize();
    }

    [Benchmark]
    public void Flash()
    {
        GpuDevice device = Device;
        AttentionGpuOperand Packed(int buffer) => AttentionGpuOperand.Packed(View(buffer), T, Heads, HeadDim);
        AttentionGpu.Forward(device, _shape, Packed(0), Packed(1), Packed(2), Packed(3), View(8), default);
        AttentionGpu.Backward(device, _shape, Packed(0), Packed(1), Packed(2), Packed(3), Packed(4), View(8), default,
            Packed(5), Packed(6), Packed(7));
        device.Synchronize();
    }

    /// <summary>Head <paramref name="h"/> of sequence <paramref name="b"/> in operand <paramref name="buffer"/>: T rows of d at row stride H·d.</summary>
    private ArrayView<float> Head(int buffer, int b, int h) =>
        View(buffer).SubView((long)b * T * Dimension + (long)h * HeadDim, (long)(T - 1) * Dimension + HeadDim);

    /// <summary>The T × T matrix of (sequence, head) (b, h) in the naive path's buffer <paramref name="buffer"/>.</summary>
    private ArrayView<float> Square(int buffer, int b, int h) => View(buffer).SubView(((long)b * Heads + h) * T * T, (long)T * T);
}
