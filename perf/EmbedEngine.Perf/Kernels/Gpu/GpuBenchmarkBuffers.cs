using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Gpu;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Perf.Kernels.Gpu;

/// <summary>What every GPU benchmark holds: the device <c>EMBED_DEVICE</c> names and the buffers its setup allocates, freed at cleanup.</summary>
public abstract class GpuBenchmarkBuffers : IDisposable
{
    private GpuDevice? _device;
    private MemoryBuffer1D<float, Stride1D.Dense>[] _buffers = [];

    /// <summary>The device, once <see cref="Open"/> has run.</summary>
    protected GpuDevice Device => _device ?? throw new InvalidOperationException("The benchmark's setup has not opened the device.");

    /// <summary>Opens the device and allocates one buffer per (length, purpose), numbered in order for <see cref="View"/>.</summary>
    protected void Open(params (long Length, string What)[] buffers)
    {
        _device = GpuDevice.FromEnvironment();
        _buffers = [.. buffers.Select(b => _device.Allocate<float>(b.Length, b.What))];
    }

    /// <summary>Buffer <paramref name="buffer"/>, whole.</summary>
    protected ArrayView<float> View(int buffer) => _buffers[buffer].View;

    /// <summary>Frees the buffers and the device.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
        _buffers = [];
        _device?.Dispose();
        _device = null;
        GC.SuppressFinalize(this);
    }
}
