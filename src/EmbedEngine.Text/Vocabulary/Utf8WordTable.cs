using System.Runtime.CompilerServices;

namespace EmbedEngine.Text;

/// <summary>
/// An open-addressing hash table from UTF-8 words to dense indices 0..Count-1, each with a count. Words live back
/// to back in one byte array (no object per word), so millions of words cost little more than their bytes, and
/// a lookup of a token span allocates nothing.
/// </summary>
/// <remarks>
/// Linear probing over a power-of-two slot array at most half full; the slot is picked from the FNV-1a hash by
/// Fibonacci hashing (multiply by 2^32/φ, keep the top bits), which spreads hashes whose low bits collide.
/// A slot holds the word's full hash next to its index, so a lookup touches the word's bytes only when the
/// hashes match: one cache miss for the slot and, on a hit, one or two for the bytes.
/// </remarks>
internal sealed class Utf8WordTable
{
    private const int MinimumSlots = 16;
    private const uint FibonacciMultiplier = 2654435769; // 2^32 / golden ratio

    private byte[] _bytes;
    private int _byteCount;
    private int[] _starts;   // word i is _bytes[_starts[i] .. _starts[i + 1]]
    private uint[] _hashes;
    private long[] _counts;
    private ulong[] _slots;  // hash << 32 | (entry index + 1); 0 = empty
    private int _slotShift;

    public Utf8WordTable(int expectedWords = 1024)
    {
        int entries = Math.Max(expectedWords, 1);
        _bytes = new byte[Math.Max(entries * 8, 64)];
        _starts = new int[entries + 1];
        _hashes = new uint[entries];
        _counts = new long[entries];
        (_slots, _slotShift) = NewSlots(entries);
    }

    /// <summary>How many words the table holds.</summary>
    public int Count { get; private set; }

    /// <summary>How many bytes the words take together.</summary>
    public long ByteCount => _byteCount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Word(int index) => _bytes.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);

    public long CountOf(int index) => _counts[index];

    /// <summary>The index of <paramref name="word"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(ReadOnlySpan<byte> word)
    {
        uint hash = Fnv1a.Hash(word);
        return EntryIn(_slots[FindSlot(word, hash)]);
    }

    /// <summary>Adds one occurrence of <paramref name="word"/>.</summary>
    /// <returns>Whether the word was new.</returns>
    public bool Increment(ReadOnlySpan<byte> word)
    {
        uint hash = Fnv1a.Hash(word);
        int slot = FindSlot(word, hash);
        int entry = EntryIn(_slots[slot]);
        if (entry >= 0)
        {
            _counts[entry]++;
            return false;
        }
        Insert(slot, word, hash, 1);
        return true;
    }

    /// <summary>Adds a word that is not in the table yet and returns its index.</summary>
    public int Add(ReadOnlySpan<byte> word, long count)
    {
        uint hash = Fnv1a.Hash(word);
        int slot = FindSlot(word, hash);
        if (_slots[slot] != 0) throw new InvalidOperationException("The word is already in the table.");
        return Insert(slot, word, hash, count);
    }

    /// <summary>Drops every word counted fewer than <paramref name="minimumCount"/> times; indices are renumbered in order.</summary>
    public void RemoveBelow(long minimumCount)
    {
        int kept = 0;
        int keptBytes = 0;
        for (int index = 0; index < Count; index++)
        {
            int start = _starts[index];
            int end = _starts[index + 1];
            if (_counts[index] < minimumCount) continue;
            // Moves left over itself; span copies behave like memmove.
            _bytes.AsSpan(start, end - start).CopyTo(_bytes.AsSpan(keptBytes));
            _hashes[kept] = _hashes[index];
            _counts[kept] = _counts[index];
            _starts[kept] = keptBytes;
            keptBytes += end - start;
            _starts[kept + 1] = keptBytes;
            kept++;
        }
        Count = kept;
        _byteCount = keptBytes;
        Rehash(_slots.Length);
    }

    /// <summary>The slot holding <paramref name="word"/>, or the empty slot where it would go.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindSlot(ReadOnlySpan<byte> word, uint hash)
    {
        ulong[] slots = _slots;
        int mask = slots.Length - 1;
        int slot = SlotOf(hash, _slotShift);
        while (true)
        {
            ulong content = slots[slot];
            if (content == 0) return slot;
            if ((uint)(content >> 32) == hash && Word(EntryIn(content)).SequenceEqual(word)) return slot;
            slot = (slot + 1) & mask;
        }
    }

    private int Insert(int slot, ReadOnlySpan<byte> word, uint hash, long count)
    {
        int index = Count;
        if (index == _hashes.Length) GrowEntries();
        if (_byteCount + word.Length > _bytes.Length) GrowBytes(word.Length);
        word.CopyTo(_bytes.AsSpan(_byteCount));
        _hashes[index] = hash;
        _counts[index] = count;
        _starts[index] = _byteCount;
        _byteCount += word.Length;
        _starts[index + 1] = _byteCount;
        _slots[slot] = SlotContent(hash, index);
        Count = index + 1;
        // Keeping the load at most 1/2 keeps linear-probe runs short.
        if (Count * 2L > _slots.Length) Rehash(_slots.Length * 2);
        return index;
    }

    private void GrowEntries()
    {
        int capacity = (int)Math.Min(_hashes.Length * 2L, Array.MaxLength - 1);
        if (capacity <= _hashes.Length) throw new InvalidOperationException("The word table cannot hold more words.");
        Array.Resize(ref _hashes, capacity);
        Array.Resize(ref _counts, capacity);
        Array.Resize(ref _starts, capacity + 1);
    }

    private void GrowBytes(int needed)
    {
        long capacity = Math.Min(Math.Max(_bytes.Length * 2L, (long)_byteCount + needed), Array.MaxLength);
        if (capacity < (long)_byteCount + needed)
            throw new InvalidOperationException("The words take more bytes than one array can hold.");
        Array.Resize(ref _bytes, (int)capacity);
    }

    private void Rehash(int slotCount)
    {
        (_slots, _slotShift) = NewSlots(slotCount / 2);
        int mask = _slots.Length - 1;
        for (int index = 0; index < Count; index++)
        {
            int slot = SlotOf(_hashes[index], _slotShift);
            while (_slots[slot] != 0) slot = (slot + 1) & mask;
            _slots[slot] = SlotContent(_hashes[index], index);
        }
    }

    /// <summary>A slot array for <paramref name="words"/> words at load at most 1/2, and its Fibonacci shift.</summary>
    private static (ulong[] Slots, int Shift) NewSlots(int words)
    {
        int slots = (int)Math.Max(MinimumSlots, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)words * 2));
        return (new ulong[slots], 32 - System.Numerics.BitOperations.Log2((uint)slots));
    }

    private static ulong SlotContent(uint hash, int index) => (ulong)hash << 32 | (uint)(index + 1);

    /// <summary>The entry index a slot holds, or -1 for an empty slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EntryIn(ulong content) => (int)(uint)content - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SlotOf(uint hash, int shift) => (int)((hash * FibonacciMultiplier) >> shift);
}
