using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>
/// An array filled on the CPU and copied to the device batch after batch: the host array and the device buffer
/// grow as needed and are reused, so streaming work allocates nothing once it has reached its size.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="what">Names the buffer in a device out-of-memory error.</param>
public sealed class StreamedBuffer<T>(string what) : IDisposable
    where T : unmanaged
{
    private T[] _host = new T[256];
    private MemoryBuffer1D<T, Stride1D.Dense>? _device;

    /// <summary>Elements added since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Element <paramref name="index"/>, below <see cref="Count"/>.</summary>
    public T this[int index] => _host[index];

    /// <summary>Appends <paramref name="value"/>.</summary>
    public void Add(T value)
    {
        if (Count == _host.Length) Array.Resize(ref _host, 2 * _host.Length);
        _host[Count++] = value;
    }

    /// <summary>Drops every element, keeping the memory.</summary>
    public void Clear() => Count = 0;

    /// <summary>The elements, in place, for the caller to reorder (a shuffle) before uploading.</summary>
    public Span<T> Elements => _host.AsSpan(0, Count);

    /// <summary>Copies the elements to <paramref name="device"/>, waiting for the kernels queued before; returns them there.</summary>
    public ArrayView<T> Upload(GpuDevice device)
    {
        if (_device == null || _device.Length < Count)
        {
            long length = Math.Max(Math.Max(Count, 1), 2 * (_device?.Length ?? 0));
            _device?.Dispose();
            _device = device.Allocate<T>(length, what);
        }
        ArrayView<T> view = _device.View.SubView(0, Count);
        if (Count > 0) view.CopyFromCPU(new ReadOnlySpan<T>(_host, 0, Count));
        return view;
    }

    /// <summary>Frees the device buffer.</summary>
    public void Dispose() => _device?.Dispose();
}
