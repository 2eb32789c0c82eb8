using EmbedEngine.Kernels.Gpu;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Tensors;

/// <summary>
/// A block of floats shared by a tensor and its views, in host memory (from a pool) or in a GPU's memory. Counted
/// references let a view outlive the tensor it was taken from; the block is given back when the last one is released.
/// </summary>
internal sealed unsafe class TensorStorage
{
    private TensorMemoryPool _pool = null!;
    private int _references;
    private nint _block;
    private int _capacity;
    private MemoryBuffer1D<float, Stride1D.Dense>? _deviceBuffer;

    /// <summary>Floats usable by tensors.</summary>
    public int Length { get; private set; }

    /// <summary>Where the block lives.</summary>
    public Device Device { get; private set; } = Device.Cpu;

    /// <summary>The first float of a host block; throws once the block has been returned, or for device memory.</summary>
    public float* Pointer => _block != 0 ? (float*)_block
        : _deviceBuffer != null ? throw new InvalidOperationException(
            $"The tensor lives on {Device}, where a CPU kernel cannot read it: the operation has no GPU kernel yet, or its inputs are on different devices. Move tensors with To(device).")
        : throw new ObjectDisposedException(nameof(Tensor), "The tensor's memory has been released.");

    /// <summary>The device memory of a GPU block; throws for host memory or once released.</summary>
    public ArrayView<float> View => _deviceBuffer?.View
        ?? throw (_block != 0
            ? new InvalidOperationException("The tensor lives on cpu; a GPU kernel cannot read it. Move it with To(device).")
            : new ObjectDisposedException(nameof(Tensor), "The tensor's memory has been released."));

    /// <summary>Whether the block is still held.</summary>
    public bool IsAlive => _block != 0 || _deviceBuffer != null;

    /// <summary>A block of <paramref name="length"/> floats from <paramref name="pool"/>, zeroed when asked.</summary>
    public static TensorStorage Rent(TensorMemoryPool pool, int length, bool zero)
    {
        var storage = new TensorStorage();
        storage.Reuse(pool, length, zero);
        return storage;
    }

    /// <summary>A block of <paramref name="length"/> floats on <paramref name="device"/>, zeroed when asked.</summary>
    public static TensorStorage Allocate(Device device, int length, bool zero)
    {
        var storage = new TensorStorage();
        storage.Reuse(device, length, zero);
        return storage;
    }

    /// <summary>Gives a released storage object a new block on <paramref name="device"/> (host blocks from the shared pool).</summary>
    public void Reuse(Device device, int length, bool zero)
    {
        if (device.Gpu is not GpuDevice gpu)
        {
            Reuse(TensorMemoryPool.Shared, length, zero);
            return;
        }
        if (IsAlive) throw new InvalidOperationException("The storage still holds its block.");
        _deviceBuffer = gpu.Allocate<float>(length, $"a tensor of {length:N0} floats");
        if (zero) _deviceBuffer.MemSetToZero();
        Device = device;
        Length = length;
        _references = 1;
    }

    /// <summary>Gives a released storage object a new host block, so a graph can recycle the object itself.</summary>
    public void Reuse(TensorMemoryPool pool, int length, bool zero)
    {
        if (IsAlive) throw new InvalidOperationException("The storage still holds its block.");
        (nint block, int capacity) = pool.Rent(length);
        if (zero) new Span<float>((void*)block, length).Clear();
        _pool = pool;
        _block = block;
        _capacity = capacity;
        Device = Device.Cpu;
        Length = length;
        _references = 1;
    }

    /// <summary>One more tensor refers to this block.</summary>
    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>One tensor less; the last one gives the block back.</summary>
    /// <returns>Whether this was the last reference, so the object may be reused.</returns>
    public bool Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return false;
        nint block = Interlocked.Exchange(ref _block, 0);
        if (block != 0) _pool.Return(block, _capacity);
        Interlocked.Exchange(ref _deviceBuffer, null)?.Dispose();
        return true;
    }
}
