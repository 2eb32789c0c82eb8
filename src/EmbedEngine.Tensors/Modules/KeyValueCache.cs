namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// The keys and values of every attention layer for the positions generated so far, so that generating token t
/// projects only the new position and attends over the t cached ones: O(t) work per token instead of O(t²).
/// Each layer's keys and values are [batch, capacity, dimension]; the first <see cref="Length"/> positions are valid.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>Room for <paramref name="capacity"/> positions of <paramref name="batch"/> sequences in <paramref name="layers"/> layers.</summary>
    public KeyValueCache(int layers, int batch, int capacity, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Capacity = capacity;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (int layer = 0; layer < layers; layer++)
        {
            _keys[layer] = Tensor.Zeros(batch, capacity, dimension);
            _values[layer] = Tensor.Zeros(batch, capacity, dimension);
        }
    }

    /// <summary>Positions held.</summary>
    public int Length { get; private set; }

    /// <summary>Positions the cache has room for.</summary>
    public int Capacity { get; }

    /// <summary>Layers cached.</summary>
    public int Layers => _keys.Length;

    /// <summary>
    /// Stores layer <paramref name="layer"/>'s keys and values [batch, new, dimension] of the positions after the
    /// <see cref="Length"/> held, and returns views of all held and new positions, [batch, Length + new, dimension].
    /// </summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        Tensor keyTable = _keys[layer], valueTable = _values[layer];
        int added = keys.Shape[1];
        if (keys.Shape[0] != keyTable.Shape[0] || keys.Shape[2] != keyTable.Shape[2])
            throw new ArgumentException($"The cache holds [{keyTable.Shape[0]}, ·, {keyTable.Shape[2]}] keys; got {keys.Shape}.");
        if (Length + added > Capacity)
            throw new ArgumentException($"The cache holds {Length} of {Capacity} positions; {added} more do not fit.");
        keyTable.Slice(1, Length, added).CopyFrom(keys.Contiguous().AsSpan());
        valueTable.Slice(1, Length, added).CopyFrom(values.Contiguous().AsSpan());
        return (keyTable.Slice(1, 0, Length + added), valueTable.Slice(1, 0, Length + added));
    }

    /// <summary>Marks <paramref name="positions"/> more as held; call once every layer has appended them.</summary>
    public void Advance(int positions)
    {
        if (positions < 0 || Length + positions > Capacity)
            throw new ArgumentOutOfRangeException(nameof(positions), $"The cache holds {Length} of {Capacity} positions; cannot advance by {positions}.");
        Length += positions;
    }

    /// <summary>Forgets every position (the memory is kept for the next sequence).</summary>
    public void Clear() => Length = 0;

    /// <summary>Frees the tables.</summary>
    public void Dispose()
    {
        foreach (Tensor tensor in _keys) tensor.Dispose();
        foreach (Tensor tensor in _values) tensor.Dispose();
    }
}
