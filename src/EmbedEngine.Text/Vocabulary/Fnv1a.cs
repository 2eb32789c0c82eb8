using System.Runtime.CompilerServices;

namespace EmbedEngine.Text;

/// <summary>
/// 32-bit FNV-1a over bytes: a few cycles per byte for the short keys words are, and stable across processes
/// (unlike <see cref="HashCode"/>), so hash-dependent behaviour is reproducible.
/// </summary>
internal static class Fnv1a
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(ReadOnlySpan<byte> bytes)
    {
        uint hash = OffsetBasis;
        foreach (byte value in bytes) hash = (hash ^ value) * Prime;
        return hash;
    }
}
