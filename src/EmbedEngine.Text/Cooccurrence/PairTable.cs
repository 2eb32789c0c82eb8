using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace EmbedEngine.Text;

/// <summary>
/// Accumulates weights of (row, column) pairs in an open-addressing hash table keyed by row &lt;&lt; 32 | column,
/// with linear probing: two arrays, 16 bytes a slot, no per-entry objects. Sums are doubles, so the order in
/// which partial sums from threads and spilled runs are combined cannot change the float the matrix stores.
/// The table grows by doubling up to a slot limit; past it, it reports itself full so its owner can spill it.
/// Not thread-safe.
/// </summary>
internal sealed class PairTable
{
    /// <summary>Bytes per slot: an 8-byte key and an 8-byte sum.</summary>
    public const int BytesPerSlot = sizeof(ulong) + sizeof(double);

    /// <summary>The smallest table; also the smallest slot limit.</summary>
    public const int MinimumSlots = 1 << 10;

    /// <summary>Marks a free slot; no key equals it, as rows and columns are below 2^31.</summary>
    private const ulong Empty = ulong.MaxValue;

    /// <summary>The largest power of two an array may hold.</summary>
    private const int MaxSlots = 1 << 30;

    private readonly int _slotLimit;
    private ulong[] _keys;
    private double[] _sums;
    private int _shift;
    private int _count;
    private int _fullAt;

    /// <summary>Creates an empty table.</summary>
    /// <param name="slotLimit">The most slots the table may grow to, rounded down to a power of two.</param>
    /// <param name="initialSlots">Slots to start with (at most the limit); small in tests so growth is exercised.</param>
    public PairTable(long slotLimit, int initialSlots = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotLimit, MinimumSlots);
        _slotLimit = 1 << BitOperations.Log2((ulong)Math.Min(slotLimit, MaxSlots));
        Allocate(Math.Clamp((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(initialSlots, 2)), MinimumSlots, _slotLimit));
    }

    /// <summary>How many distinct pairs the table holds.</summary>
    public int Count => _count;

    /// <summary>Slots allocated now.</summary>
    public int Slots => _keys.Length;

    /// <summary>
    /// Adds <paramref name="weight"/> to the pair (<paramref name="row"/>, <paramref name="column"/>).
    /// </summary>
    /// <returns>True when the table has reached its limit and must be emptied before more pairs are added.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(int row, int column, double weight)
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
                _sums[slot] += weight;
                return false;
            }
            if (existing == Empty) break;
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        _sums[slot] = weight;
        return ++_count >= _fullAt && GrowOrReportFull();
    }

    /// <summary>
    /// Moves the pairs to the front of the arrays, sorted by key (row, then column), and returns views of them.
    /// The table must be <see cref="Clear"/>ed before it is used again.
    /// </summary>
    public (ulong[] Keys, double[] Sums, int Count) Sort()
    {
        ulong[] keys = _keys;
        double[] sums = _sums;
        int count = 0;
        for (int slot = 0; slot < keys.Length; slot++)
        {
            if (keys[slot] == Empty) continue;
            keys[count] = keys[slot];
            sums[count] = sums[slot];
            count++;
        }
        Array.Sort(keys, sums, 0, count);
        return (keys, sums, count);
    }

    /// <summary>Empties the table, keeping its arrays.</summary>
    public void Clear()
    {
        Array.Fill(_keys, Empty);
        _count = 0;
    }

    /// <summary>Drops the arrays, leaving an empty table of the smallest size.</summary>
    public void Release() => Allocate(MinimumSlots);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    [MemberNotNull(nameof(_keys), nameof(_sums))]
    private void Allocate(int slots)
    {
        _keys = new ulong[slots];
        Array.Fill(_keys, Empty);
        _sums = new double[slots];
        _shift = 64 - BitOperations.Log2((uint)slots);
        _count = 0;
        // Linear probing stays short below half full; at the limit, three quarters use the memory better.
        _fullAt = slots < _slotLimit ? slots / 2 : slots / 4 * 3;
    }

    private bool GrowOrReportFull()
    {
        if (_keys.Length >= _slotLimit) return true;
        ulong[] oldKeys = _keys;
        double[] oldSums = _sums;
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
            _sums[slot] = oldSums[i];
        }
        _count = count;
        return false;
    }
}
