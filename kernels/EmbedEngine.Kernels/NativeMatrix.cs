using System.Runtime.InteropServices;

namespace EmbedEngine.Kernels;

/// <summary>
/// A row-major float32 matrix in 64-byte aligned native memory, or a view over memory someone else owns
/// (a memory-mapped file). Native memory keeps large weight matrices off the GC heap and lets kernels
/// take raw row pointers without pinning.
/// </summary>
public sealed unsafe class NativeMatrix : IDisposable
{
    /// <summary>Alignment of the allocation and, when padded, of every row: one cache line, one Vector512.</summary>
    public const int Alignment = 64;

    private readonly IDisposable? _owner;
    private readonly bool _ownsMemory;
    private float* _data;

    private NativeMatrix(float* data, int rows, int columns, int stride, bool ownsMemory, IDisposable? owner)
    {
        _data = data;
        Rows = rows;
        Columns = columns;
        Stride = stride;
        _ownsMemory = ownsMemory;
        _owner = owner;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of used columns per row.</summary>
    public int Columns { get; }

    /// <summary>Distance in floats between the starts of consecutive rows (at least <see cref="Columns"/>).</summary>
    public int Stride { get; }

    /// <summary>Pointer to row 0.</summary>
    public float* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(NativeMatrix));

    /// <summary>Allocates a zeroed matrix.</summary>
    /// <param name="rows">Row count.</param>
    /// <param name="columns">Column count.</param>
    /// <param name="padRows">Round the stride up to a multiple of 16 floats so every row starts on a cache line.</param>
    public static NativeMatrix Allocate(int rows, int columns, bool padRows = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int floatsPerLine = Alignment / sizeof(float);
        int stride = padRows ? (columns + floatsPerLine - 1) / floatsPerLine * floatsPerLine : columns;
        nuint bytes = (nuint)Math.Max(1L, (long)rows * stride * sizeof(float));
        var data = (float*)NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(data, bytes);
        return new NativeMatrix(data, rows, columns, stride, ownsMemory: true, owner: null);
    }

    /// <summary>Wraps memory owned elsewhere; <paramref name="owner"/> (if any) is disposed with the view.</summary>
    public static NativeMatrix Wrap(float* data, int rows, int columns, int stride, IDisposable? owner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, columns);
        return new NativeMatrix(data, rows, columns, stride, ownsMemory: false, owner);
    }

    /// <summary>Pointer to the start of row <paramref name="row"/>.</summary>
    public float* RowPointer(int row) => Data + (nint)row * Stride;

    /// <summary>The used columns of row <paramref name="row"/>.</summary>
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
        return new Span<float>(RowPointer(row), Columns);
    }

    /// <summary>Frees owned memory, or releases the owner of wrapped memory.</summary>
    public void Dispose()
    {
        if (_data == null) return;
        if (_ownsMemory) NativeMemory.AlignedFree(_data);
        _data = null;
        _owner?.Dispose();
    }
}
