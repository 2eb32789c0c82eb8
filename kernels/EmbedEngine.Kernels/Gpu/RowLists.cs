using ILGPU;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>
/// Lists of row indices built on the CPU and read by a GPU kernel as one compressed pair of arrays: list i is
/// Items[Starts[i]..Starts[i + 1]], both streamed (<see cref="StreamedBuffer{T}"/>).
/// </summary>
public sealed class RowLists : IDisposable
{
    private readonly StreamedBuffer<int> _starts;
    private readonly StreamedBuffer<int> _items;

    /// <summary>Empty lists; <paramref name="what"/> names them in a device out-of-memory error.</summary>
    public RowLists(string what)
    {
        _starts = new StreamedBuffer<int>($"{what} (starts)");
        _items = new StreamedBuffer<int>($"{what} (items)");
        _starts.Add(0);
    }

    /// <summary>Lists closed so far.</summary>
    public int Count => _starts.Count - 1;

    /// <summary>The longest closed list.</summary>
    public int MaxLength { get; private set; }

    /// <summary>Appends <paramref name="item"/> to the open list.</summary>
    public void Add(int item) => _items.Add(item);

    /// <summary>Appends every item of <paramref name="items"/> to the open list.</summary>
    public void Add(ReadOnlySpan<int> items)
    {
        foreach (int item in items) _items.Add(item);
    }

    /// <summary>Closes the open list (it may be empty); the next item starts a new one.</summary>
    public void EndList()
    {
        MaxLength = Math.Max(MaxLength, _items.Count - _starts[Count]);
        _starts.Add(_items.Count);
    }

    /// <summary>Drops every list, keeping the memory.</summary>
    public void Clear()
    {
        _starts.Clear();
        _starts.Add(0);
        _items.Clear();
        MaxLength = 0;
    }

    /// <summary>Copies the lists to <paramref name="device"/> (waiting for the kernels queued before).</summary>
    /// <exception cref="InvalidOperationException">A list is still open.</exception>
    public RowListsView Upload(GpuDevice device)
    {
        if (_items.Count != _starts[Count]) throw new InvalidOperationException("Close the last list (EndList) before uploading.");
        return new RowListsView(_starts.Upload(device), _items.Upload(device), Count, MaxLength);
    }

    /// <summary>Frees the device buffers.</summary>
    public void Dispose()
    {
        _starts.Dispose();
        _items.Dispose();
    }
}

/// <summary><see cref="RowLists"/> on the device, as a kernel reads them.</summary>
public readonly struct RowListsView
{
    /// <summary>Count + 1 offsets into <see cref="Items"/>.</summary>
    public ArrayView<int> Starts { get; }

    /// <summary>Every list's rows, one after the other.</summary>
    public ArrayView<int> Items { get; }

    /// <summary>Lists.</summary>
    public int Count { get; }

    /// <summary>The longest list: sizes the shared memory a kernel stages one list's rows in.</summary>
    public int MaxLength { get; }

    /// <summary>Wraps device arrays laid out as <see cref="RowLists"/> uploads them.</summary>
    public RowListsView(ArrayView<int> starts, ArrayView<int> items, int count, int maxLength)
    {
        Starts = starts;
        Items = items;
        Count = count;
        MaxLength = maxLength;
    }

    /// <summary>Items in list <paramref name="list"/>.</summary>
    public int Length(int list) => Starts[list + 1] - Starts[list];

    /// <summary>Item <paramref name="index"/> of list <paramref name="list"/>.</summary>
    public int Item(int list, int index) => Items[Starts[list] + index];
}
