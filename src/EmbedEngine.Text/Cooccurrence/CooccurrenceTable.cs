using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace EmbedEngine.Text;

/// <summary>
/// Accumulates weights of (row, column) pairs in an open-addressing hash table keyed by row &lt;&lt; 32 | column,
/// with linear probing, doubling when more than half full. Two arrays, 12 bytes a slot, no per-entry objects.
/// Not thread-safe.
/// </summary>
internal sealed class CooccurrenceTable
{
    /// <summary>Marks a free slot; no key equals it, as rows and columns are below 2^31.</summary>
    private const ulong Empty = ulong.MaxValue;

    /// <summary>The largest power of two an array may hold.</summary>
    private const int MaxCapacity = 1 << 30;

    private ulong[] _keys;
    private float[] _values;
    private int _shift;
    private int _count;

    /// <summary>Creates an empty table.</summary>
    /// <param name="initialCapacity">Slots to start with, rounded up to a power of two (tests use tiny ones).</param>
    public CooccurrenceTable(int initialCapacity = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialCapacity, MaxCapacity);
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)initialCapacity);
        Allocate(capacity);
    }

    /// <summary>How many distinct pairs the table holds.</summary>
    public int Count => _count;

    /// <summary>Adds <paramref name="weight"/> to the pair (<paramref name="row"/>, <paramref name="column"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int row, int column, float weight)
    {
        ulong key = ((ulong)(uint)row << 32) | (uint)column;
        ulong[] keys = _keys;
        int mask = keys.Length - 1;
        int slot = Slot(key);
        while (true)
        {
            ulong existing = keys[slot];
            if (existing == key)
            {
                _values[slot] += weight;
                return;
            }
            if (existing == Empty) break;
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        _values[slot] = weight;
        if (++_count > keys.Length >> 1) Grow();
    }

    /// <summary>The weight of a pair, 0 when absent.</summary>
    public float Get(int row, int column)
    {
        ulong key = ((ulong)(uint)row << 32) | (uint)column;
        int mask = _keys.Length - 1;
        for (int slot = Slot(key); _keys[slot] != Empty; slot = (slot + 1) & mask)
            if (_keys[slot] == key) return _values[slot];
        return 0f;
    }

    /// <summary>
    /// Builds the CSR matrix of the pairs and empties the table (its arrays are reused for sorting).
    /// </summary>
    /// <param name="rows">Rows (and columns) of the matrix; every pair's row and column must be below it.</param>
    public CooccurrenceMatrix ToMatrix(int rows)
    {
        ulong[] keys = _keys;
        float[] values = _values;
        int count = 0;
        for (int slot = 0; slot < keys.Length; slot++)
        {
            if (keys[slot] == Empty) continue;
            keys[count] = keys[slot];
            values[count] = values[slot];
            count++;
        }
        // Sorting by key sorts by row, then by column.
        Array.Sort(keys, values, 0, count);

        var rowStarts = new long[rows + 1];
        var columns = new int[count];
        var weights = new float[count];
        for (int i = 0; i < count; i++)
        {
            int row = (int)(keys[i] >> 32);
            if ((uint)row >= (uint)rows) throw new InvalidOperationException($"Row {row} is outside the {rows} rows.");
            rowStarts[row + 1]++;
            columns[i] = (int)(uint)keys[i];
            weights[i] = values[i];
        }
        for (int row = 0; row < rows; row++) rowStarts[row + 1] += rowStarts[row];

        Allocate(2);
        return new CooccurrenceMatrix(rowStarts, columns, weights);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    [MemberNotNull(nameof(_keys), nameof(_values))]
    private void Allocate(int capacity)
    {
        _keys = new ulong[capacity];
        Array.Fill(_keys, Empty);
        _values = new float[capacity];
        _shift = 64 - BitOperations.Log2((uint)capacity);
        _count = 0;
    }

    private void Grow()
    {
        if (_keys.Length >= MaxCapacity)
            throw new InvalidOperationException(
                $"More than {_count:N0} distinct word pairs do not fit in memory; use a smaller vocabulary or window.");
        ulong[] oldKeys = _keys;
        float[] oldValues = _values;
        int count = _count;
        Allocate(oldKeys.Length * 2);
        int mask = _keys.Length - 1;
        for (int i = 0; i < oldKeys.Length; i++)
        {
            ulong key = oldKeys[i];
            if (key == Empty) continue;
            int slot = Slot(key);
            while (_keys[slot] != Empty) slot = (slot + 1) & mask;
            _keys[slot] = key;
            _values[slot] = oldValues[i];
        }
        _count = count;
    }
}
