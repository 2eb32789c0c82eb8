namespace EmbedEngine.Tensors;

/// <summary>
/// A block of floats shared by a tensor and its views. Counted references let a view outlive the tensor it was
/// taken from; the block goes back to its pool when the last one is released.
/// </summary>
internal sealed unsafe class TensorStorage
{
    private TensorMemoryPool _pool = null!;
    private int _references;
    private nint _block;
    private int _capacity;

    /// <summary>Floats usable by tensors.</summary>
    public int Length { get; private set; }

    /// <summary>The first float; throws once the block has been returned.</summary>
    public float* Pointer => _block != 0 ? (float*)_block : throw new ObjectDisposedException(nameof(Tensor), "The tensor's memory has been released.");

    /// <summary>Whether the block is still held.</summary>
    public bool IsAlive => _block != 0;

    /// <summary>A block of <paramref name="length"/> floats from <paramref name="pool"/>, zeroed when asked.</summary>
    public static TensorStorage Rent(TensorMemoryPool pool, int length, bool zero)
    {
        var storage = new TensorStorage();
        storage.Reuse(pool, length, zero);
        return storage;
    }

    /// <summary>Gives a released storage object a new block, so a graph can recycle the object itself.</summary>
    public void Reuse(TensorMemoryPool pool, int length, bool zero)
    {
        if (_block != 0) throw new InvalidOperationException("The storage still holds its block.");
        (nint block, int capacity) = pool.Rent(length);
        if (zero) new Span<float>((void*)block, length).Clear();
        _pool = pool;
        _block = block;
        _capacity = capacity;
        Length = length;
        _references = 1;
    }

    /// <summary>One more tensor refers to this block.</summary>
    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>One tensor less; the last one returns the block to the pool.</summary>
    /// <returns>Whether this was the last reference, so the object may be reused.</returns>
    public bool Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return false;
        nint block = Interlocked.Exchange(ref _block, 0);
        if (block != 0) _pool.Return(block, _capacity);
        return true;
    }
}
