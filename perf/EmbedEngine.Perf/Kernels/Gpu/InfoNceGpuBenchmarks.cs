using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Perf.Kernels.InfoNce;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Perf.Kernels.Gpu;

/// <summary>
/// <see cref="InfoNceGpu"/> (the tiled kernel: no N × N matrix) against the naive CLIP loss gradients built from
/// cuBLAS GEMMs (<see cref="GemmGpu"/>) and <see cref="SoftmaxGpu"/> over materialized N × N logits:
/// L = s·I·Tᵀ and Lᵀ = s·T·Iᵀ, row softmaxes P = softmax(L) and Q = softmax(Lᵀ), then with G = (P + Qᵀ − 2·Id) / 2N
/// dI = s·G·T = s/2N·(P·T + Qᵀ·T − 2T) and dT = s·Gᵀ·I = s/2N·(Pᵀ·I + Q·I − 2I), each term a GEMM accumulated with
/// β = 1 and the identity terms by <see cref="AxpyGpu"/>. The naive side leaves out the loss itself (N diagonal reads)
/// and dt, so its time is a lower bound. Each call waits for the device. Runs only with <c>EMBED_DEVICE=cuda</c>.
/// </summary>
[Config(typeof(GpuBenchmarkConfig))]
public unsafe class InfoNceGpuBenchmarks : GpuBenchmarkBuffers
{
    private const int Dimension = 512;

    /// <summary>Pairs in the batch.</summary>
    [Params(4096, 16384)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        long rows = (long)N * Dimension, square = (long)N * N;
        // image, text, dImage, dText; scratch, loss, dt; the naive path's L, Lᵀ (then P, Q in place).
        Open([.. Enumerable.Range(0, 4).Select(i => (rows, $"InfoNCE operand {i}")), (InfoNceGpu.ScratchLength(N), "scratch"), (1, "loss"),
            (1, "dt"), (square, "logits"), (square, "transposed logits")]);
        // The CPU benchmarks' unit rows, uploaded.
        using var host = new InfoNceOperands(N, Dimension);
        View(0).CopyFromCPU(new ReadOnlySpan<float>(host.Image, (int)rows));
        View(1).CopyFromCPU(new ReadOnlySpan<float>(host.Text, (int)rows));
    }

    [Benchmark(Baseline = true)]
    public void NaiveGemmSoftmax()
    {
        GpuDevice device = Device;
        ArrayView<float> image = View(0), text = View(1), dImage = View(2), dText = View(3), rowSide = View(7), columnSide = View(8);
        float scale = InfoNceKernel.Scale(InfoNceOperands.InitialLogScale, InfoNceKernel.ClipMaxScale), half = scale / (2f * N);
        GemmGpu.Multiply(device, false, true, N, N, Dimension, scale, image, Dimension, text, Dimension, 0f, rowSide, N);
        GemmGpu.Multiply(device, false, true, N, N, Dimension, scale, text, Dimension, image, Dimension, 0f, columnSide, N);
        SoftmaxGpu.Softmax.Forward(device, rowSide, rowSide, N);
        SoftmaxGpu.Softmax.Forward(device, columnSide, columnSide, N);
        GemmGpu.Multiply(device, false, false, N, Dimension, N, half, rowSide, N, text, Dimension, 0f, dImage, Dimension);
        GemmGpu.Multiply(device, true, false, N, Dimension, N, half, columnSide, N, text, Dimension, 1f, dImage, Dimension);
        AxpyGpu.Axpy(device, -2f * half, text, dImage);
        GemmGpu.Multiply(device, true, false, N, Dimension, N, half, rowSide, N, image, Dimension, 0f, dText, Dimension);
        GemmGpu.Multiply(device, false, false, N, Dimension, N, half, columnSide, N, image, Dimension, 1f, dText, Dimension);
        AxpyGpu.Axpy(device, -2f * half, image, dText);
        device.Synchronize();
    }

    [Benchmark]
    public void Tiled()
    {
        GpuDevice device = Device;
        InfoNceGpu.Compute(device, View(0), View(1), N, 0, Dimension, InfoNceOperands.InitialLogScale, InfoNceKernel.ClipMaxScale, View(4),
            View(5), View(2), View(3), View(6));
        device.Synchronize();
    }
}
