using System.Buffers.Binary;
using System.Numerics;

namespace EmbedEngine.Models.Count;

/// <summary>
/// MurmurHash3_x86_32 (Austin Appleby, public domain), the hash scikit-learn's HashingVectorizer applies to a
/// term's UTF-8 bytes; the same function gives the same feature numbers, so hashed vectors compare directly.
/// </summary>
internal static class MurmurHash3
{
    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    /// <summary>The 32-bit hash of <paramref name="data"/>, read as a signed number as scikit-learn does.</summary>
    public static int Hash32(ReadOnlySpan<byte> data, uint seed = 0)
    {
        uint h = seed;
        int blocks = data.Length / 4;
        for (int i = 0; i < blocks; i++)
        {
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]);
            h ^= Scramble(k);
            h = BitOperations.RotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        ReadOnlySpan<byte> tail = data[(blocks * 4)..];
        uint last = 0;
        for (int i = tail.Length - 1; i >= 0; i--) last = (last << 8) | tail[i];
        if (tail.Length > 0) h ^= Scramble(last);
        h ^= (uint)data.Length;
        return (int)Mix(h);
    }

    /// <summary>
    /// The feature of a hash among <paramref name="features"/>: |hash| mod n, where |int.MinValue| is 2^31 as
    /// scikit-learn defines it.
    /// </summary>
    public static int Feature(int hash, int features) => (int)((ulong)Math.Abs((long)hash) % (ulong)features);

    private static uint Scramble(uint k) => BitOperations.RotateLeft(k * C1, 15) * C2;

    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
