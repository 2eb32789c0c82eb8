using EmbedEngine.Kernels.Gpu;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// Device copies of an <see cref="Arena"/>'s buffers, each copied whole (guards and offset included) so a GPU
/// kernel sees the same fenced layout a CPU variant does; <see cref="CopyBack"/> brings every block home.
/// </summary>
public sealed class DeviceArena : IDisposable
{
    private readonly Arena _arena;
    private readonly List<MemoryBuffer1D<float, Stride1D.Dense>> _buffers = [];

    /// <summary>Copies every buffer of <paramref name="arena"/> to <paramref name="device"/>.</summary>
    public DeviceArena(GpuDevice device, Arena arena)
    {
        Device = device;
        _arena = arena;
        for (int h = 0; h < arena.Count; h++)
        {
            Span<float> block = arena.Block(h);
            var buffer = device.Allocate<float>(block.Length, $"test buffer {h}");
            buffer.View.CopyFromCPU(block.ToArray());
            _buffers.Add(buffer);
        }
    }

    /// <summary>The device the copies live on.</summary>
    public GpuDevice Device { get; }

    /// <summary>Buffer <paramref name="handle"/>'s contents on the device (the guards lie outside the view).</summary>
    public ArrayView<float> View(int handle)
    {
        var (start, length) = _arena.Placement(handle);
        return _buffers[handle].View.SubView(start, length);
    }

    /// <summary>Waits for the device and copies every block, guards included, back into the arena.</summary>
    public void CopyBack()
    {
        Device.Synchronize();
        for (int h = 0; h < _buffers.Count; h++)
        {
            _buffers[h].View.BaseView.CopyToCPU(_arena.Block(h));
        }
    }

    /// <summary>Frees the device copies.</summary>
    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
        _buffers.Clear();
    }
}
