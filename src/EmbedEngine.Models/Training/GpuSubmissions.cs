using EmbedEngine.Kernels.Gpu;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Models.Training;

/// <summary>
/// One GPU training run's way onto the device: worker threads build batches on the CPU side by side, and hand them
/// over one at a time (uploads and launch under one lock, on the device's one stream), and the run's summed loss
/// lives on the device, read back when a batch is handed over, when the device is idle anyway.
/// </summary>
internal sealed class GpuSubmissions : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _loss;
    private readonly float[] _lossHost = new float[1];

    public GpuSubmissions(GpuDevice device)
    {
        Device = device;
        _loss = device.Allocate<float>(1, "the loss sum");
        _loss.MemSetToZero();
    }

    /// <summary>The device.</summary>
    public GpuDevice Device { get; }

    /// <summary>
    /// Windows (or entries) a worker gathers before it hands them over: on a GPU enough for a full grid of groups
    /// with several windows each, so launches stay a small share of the time; on the emulator, whose groups run one
    /// after the other, a small batch keeps the staleness of a tiny test vocabulary low.
    /// </summary>
    public int BatchSize => Device.Kind == GpuKind.Cuda ? 1 << 16 : 1 << 10;

    /// <summary>
    /// Runs <paramref name="launch"/>(loss sum) alone on the device; returns the loss the batches queued before it
    /// added, which the uploads have just waited for.
    /// </summary>
    public double Submit(Action<ArrayView<float>> launch)
    {
        lock (_gate)
        {
            // A CUDA context is current per thread; the workers take turns on it.
            Device.Accelerator.Bind();
            double loss = TakeLoss();
            launch(_loss.View);
            return loss;
        }
    }

    /// <summary>Waits for every batch queued and returns the loss they added since the last reading.</summary>
    public double Drain()
    {
        lock (_gate)
        {
            Device.Accelerator.Bind();
            return TakeLoss();
        }
    }

    private double TakeLoss()
    {
        _loss.View.CopyToCPU(_lossHost);
        _loss.MemSetToZero();
        return _lossHost[0];
    }

    /// <summary>Frees the loss sum.</summary>
    public void Dispose() => _loss.Dispose();
}
