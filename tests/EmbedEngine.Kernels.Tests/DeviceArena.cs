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
    private readonly List<IDisposable> _extras = [];

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

    /// <summary>
    /// <paramref name="lists"/> on the device, as a kernel's index lists (kept until the arena is disposed, after the
    /// kernels that read them have finished).
    /// </summary>
    public RowListsView Lists(params int[][] lists)
    {
        var rowLists = new RowLists("test lists");
        _extras.Add(rowLists);
        foreach (int[] list in lists)
        {
            rowLists.Add(list);
            rowLists.EndList();
        }
        return rowLists.Upload(Device);
    }

    /// <summary>A device copy of <paramref name="values"/> (not compared: inputs the kernel only reads).</summary>
    public ArrayView<T> Upload<T>(params T[] values)
        where T : unmanaged
    {
        var buffer = Device.Allocate<T>(Math.Max(values.Length, 1), "test values");
        _extras.Add(buffer);
        ArrayView<T> view = buffer.View.SubView(0, values.Length);
        view.CopyFromCPU(values);
        return view;
    }

    /// <summary>A device float that starts at zero, for a kernel's summed result; see <see cref="Read"/>.</summary>
    public ArrayView<float> Sum() => Upload(0f);

    /// <summary>Waits for the device and returns <paramref name="sum"/>'s value.</summary>
    public float Read(ArrayView<float> sum)
    {
        Device.Synchronize();
        var value = new float[1];
        sum.CopyToCPU(value);
        return value[0];
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
        foreach (IDisposable extra in _extras) extra.Dispose();
        _extras.Clear();
    }
}
