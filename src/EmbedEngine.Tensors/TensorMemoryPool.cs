using System.Numerics;
using System.Runtime.InteropServices;

namespace EmbedEngine.Tensors;

/// <summary>
/// 64-byte aligned native blocks in power-of-two size classes, kept for reuse once returned, so that a training
/// step that needs the same sizes as the step before takes every block from the pool and allocates nothing.
/// Thread-safe.
/// </summary>
public sealed unsafe class TensorMemoryPool : IDisposable
{
    /// <summary>Alignment of every block: one cache line, one Vector512.</summary>
    public const int Alignment = 64;

    /// <summary>The smallest block, in floats (one cache line).</summary>
    private const int SmallestClass = 4;

    private readonly Stack<nint>[] _free = new Stack<nint>[32];
    private readonly Lock _lock = new();
    private long _bytesOutstanding;
    private long _bytesHeld;

    /// <summary>The pool shared by all tensors unless told otherwise.</summary>
    public static TensorMemoryPool Shared { get; } = new();

    /// <summary>Bytes in blocks handed out and not yet returned.</summary>
    public long BytesInUse => Interlocked.Read(ref _bytesOutstanding);

    /// <summary>Bytes the pool holds, in use or free.</summary>
    public long BytesHeld => Interlocked.Read(ref _bytesHeld);

    /// <summary>A block of at least <paramref name="floats"/> floats; its contents are undefined.</summary>
    /// <returns>The block and the capacity of its size class in floats.</returns>
    public (nint Block, int Capacity) Rent(int floats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(floats);
        int sizeClass = SizeClass(floats);
        int capacity = 1 << sizeClass;
        long bytes = (long)capacity * sizeof(float);
        lock (_lock)
        {
            Stack<nint>? free = _free[sizeClass];
            if (free is { Count: > 0 })
            {
                _bytesOutstanding += bytes;
                return (free.Pop(), capacity);
            }
            _bytesOutstanding += bytes;
            _bytesHeld += bytes;
        }
        return ((nint)NativeMemory.AlignedAlloc((nuint)bytes, Alignment), capacity);
    }

    /// <summary>Gives a block back for reuse.</summary>
    public void Return(nint block, int capacity)
    {
        int sizeClass = BitOperations.Log2((uint)capacity);
        lock (_lock)
        {
            (_free[sizeClass] ??= new Stack<nint>()).Push(block);
            _bytesOutstanding -= (long)capacity * sizeof(float);
        }
    }

    /// <summary>Frees the blocks that are not in use.</summary>
    public void Trim()
    {
        lock (_lock)
        {
            for (int sizeClass = 0; sizeClass < _free.Length; sizeClass++)
            {
                Stack<nint>? free = _free[sizeClass];
                if (free == null) continue;
                while (free.Count > 0)
                {
                    NativeMemory.AlignedFree((void*)free.Pop());
                    _bytesHeld -= (1L << sizeClass) * sizeof(float);
                }
            }
        }
    }

    /// <summary>Frees the free blocks; blocks still in use are freed by nobody, so dispose only an idle pool.</summary>
    public void Dispose() => Trim();

    private static int SizeClass(int floats)
    {
        int sizeClass = floats <= 1 << SmallestClass ? SmallestClass : BitOperations.Log2((uint)floats - 1) + 1;
        if (sizeClass > 30) throw new ArgumentOutOfRangeException(nameof(floats), $"{floats} floats is more than one block can hold.");
        return sizeClass;
    }
}
