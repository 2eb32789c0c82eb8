using System.Buffers;
using System.Runtime.CompilerServices;

namespace EmbedEngine.Text;

/// <summary>
/// The bytes that separate tokens: ASCII space, \t, \n, \v, \f, \r — the C locale's <c>isspace</c>, which is
/// what word2vec-style tools split on. Bytes above 0x7F never separate, so UTF-8 text needs no decoding to split.
/// </summary>
internal static class AsciiWhitespace
{
    /// <summary>The separator set, vectorized by <see cref="SearchValues"/> for finding the end of a token.</summary>
    public static readonly SearchValues<byte> Bytes = SearchValues.Create(" \t\n\v\f\r"u8);

    /// <summary>Whether <paramref name="value"/> separates tokens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Is(byte value) => value == (byte)' ' || (uint)(value - '\t') <= '\r' - '\t';
}
