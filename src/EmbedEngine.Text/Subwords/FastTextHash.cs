namespace EmbedEngine.Text;

/// <summary>
/// fastText's string hash: 32-bit FNV-1a over the UTF-8 bytes, except that each byte is sign-extended before the
/// xor (fastText casts through int8_t), so bytes of 0x80 and above hash differently from textbook FNV-1a. Models
/// trained by fastText only load correctly with this exact function.
/// </summary>
public static class FastTextHash
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    /// <summary>The hash of <paramref name="utf8"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> utf8)
    {
        uint hash = OffsetBasis;
        foreach (byte value in utf8)
        {
            hash ^= (uint)(sbyte)value;
            hash *= Prime;
        }
        return hash;
    }
}
