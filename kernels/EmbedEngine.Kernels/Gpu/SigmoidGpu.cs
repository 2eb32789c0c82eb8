using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>
/// σ inside a GPU kernel, as <see cref="Sigmoid"/> takes it on the CPU: the same tables (copied to the device once per
/// accelerator, so a table lookup gives the CPU's value bit for bit), the same saturation rules per
/// <see cref="SigmoidMode"/>, and the exact function through the device's exp and log.
/// </summary>
public readonly struct SigmoidGpu
{
    private static readonly ConditionalWeakTable<Accelerator, MemoryBuffer1D<float, Stride1D.Dense>[]> Tables = [];

    private readonly ArrayView<float> _sigmoid;
    private readonly ArrayView<float> _logSigmoid;
    private readonly SigmoidMode _mode;

    private SigmoidGpu(ArrayView<float> sigmoid, ArrayView<float> logSigmoid, SigmoidMode mode)
    {
        _sigmoid = sigmoid;
        _logSigmoid = logSigmoid;
        _mode = mode;
    }

    /// <summary>σ in <paramref name="mode"/> on <paramref name="device"/>; its tables are uploaded on first use.</summary>
    public static SigmoidGpu On(GpuDevice device, SigmoidMode mode)
    {
        MemoryBuffer1D<float, Stride1D.Dense>[] tables = Tables.GetValue(device.Accelerator, _ =>
        {
            var sigmoid = device.Allocate<float>(Sigmoid.TableSize, "the sigmoid table");
            var logSigmoid = device.Allocate<float>(Sigmoid.TableSize, "the log-sigmoid table");
            sigmoid.View.CopyFromCPU(Sigmoid.SigmoidTable);
            logSigmoid.View.CopyFromCPU(Sigmoid.LogSigmoidTable);
            return [sigmoid, logSigmoid];
        });
        return new SigmoidGpu(tables[0].View, tables[1].View, mode);
    }

    /// <summary><see cref="Sigmoid.Residual"/> on the device: label − σ(x), or 0 where the mode skips.</summary>
    public float Residual(float x, float label)
    {
        if (_mode == SigmoidMode.Exact) return label - 1f / (1f + MathF.Exp(-x));
        if (x >= Sigmoid.MaxInput) return _mode == SigmoidMode.Table ? label - 1f : 0f;
        if (x <= -Sigmoid.MaxInput) return _mode == SigmoidMode.Table ? label : 0f;
        return label - _sigmoid[Sigmoid.Index(x)];
    }

    /// <summary><see cref="Sigmoid.Loss"/> on the device: the logistic loss of one prediction.</summary>
    public float Loss(float x, float label)
    {
        float z = label > 0.5f ? x : -x;
        if (_mode == SigmoidMode.Exact) return MathF.Log(1f + MathF.Exp(-z));
        if (z >= Sigmoid.MaxInput) return 0f;
        if (z <= -Sigmoid.MaxInput) return Sigmoid.SaturatedLoss;
        return _logSigmoid[Sigmoid.Index(z)];
    }
}
