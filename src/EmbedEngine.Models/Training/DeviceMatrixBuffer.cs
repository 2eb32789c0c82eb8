using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Models.Training;

/// <summary>
/// A host matrix's copy in device memory, with the host's row stride (its cache-line padding keeps device rows
/// aligned too): uploaded once before training, downloaded once after, so the vectors stay on the device in between.
/// </summary>
internal sealed unsafe class DeviceMatrixBuffer : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _buffer;
    private readonly long _length;

    /// <summary>Copies <paramref name="host"/> to <paramref name="device"/>; <paramref name="what"/> names it if it does not fit.</summary>
    public DeviceMatrixBuffer(GpuDevice device, NativeMatrix host, string what)
    {
        _length = Math.Max(1, (long)host.Rows * host.Stride);
        _buffer = device.Allocate<float>(_length, what);
        View = new DeviceMatrix(_buffer.View, host.Stride);
        ForEachChunk(host, (offset, span) => View.Data.SubView(offset, span.Length).CopyFromCPU((ReadOnlySpan<float>)span));
    }

    /// <summary>The matrix as kernels take it.</summary>
    public DeviceMatrix View { get; }

    /// <summary>Waits for the device and copies the matrix back into <paramref name="host"/>.</summary>
    public void CopyTo(GpuDevice device, NativeMatrix host)
    {
        device.Synchronize();
        ForEachChunk(host, (offset, span) => View.Data.SubView(offset, span.Length).CopyToCPU(span));
    }

    /// <summary>The host matrix in spans a Span can address (2³⁰ floats each).</summary>
    private void ForEachChunk(NativeMatrix host, Action<long, Span<float>> copy)
    {
        const long ChunkFloats = 1L << 30;
        for (long offset = 0; offset < (long)host.Rows * host.Stride; offset += ChunkFloats)
        {
            int length = (int)Math.Min(ChunkFloats, (long)host.Rows * host.Stride - offset);
            copy(offset, new Span<float>(host.Data + offset, length));
        }
    }

    /// <summary>Frees the device copy.</summary>
    public void Dispose() => _buffer.Dispose();
}
