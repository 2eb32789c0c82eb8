using System.Text;
using System.Text.Unicode;

namespace EmbedEngine.Text;

/// <summary>
/// Turns the raw bytes of one token into valid UTF-8 of at most <see cref="CorpusReader.MaxTokenBytes"/> bytes:
/// each maximal invalid subsequence (the Unicode "substitution of maximal subparts" practice) becomes U+FFFD,
/// and a token that is too long is cut before the first character that would not fit, never inside one.
/// </summary>
internal sealed class Utf8TokenCleaner
{
    /// <summary>
    /// How many raw bytes of a token decide its cleaned form. A replacement is never shorter than what it replaces,
    /// so no character starting at or after raw byte <see cref="CorpusReader.MaxTokenBytes"/> can fit; one starting
    /// just before it needs at most 3 more bytes to be decoded.
    /// </summary>
    public const int RawBytesNeeded = CorpusReader.MaxTokenBytes + 3;

    private static ReadOnlySpan<byte> ReplacementCharacter => "\uFFFD"u8;

    private readonly byte[] _cleaned = new byte[CorpusReader.MaxTokenBytes];

    /// <summary>How many invalid sequences were replaced in the tokens returned so far.</summary>
    public long InvalidSequences { get; private set; }

    /// <summary>
    /// Returns <paramref name="raw"/> itself when it is already short, valid UTF-8 (the common case, no copy),
    /// otherwise a cleaned copy that stays valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Clean(ReadOnlySpan<byte> raw)
    {
        if (raw.Length <= CorpusReader.MaxTokenBytes && Utf8.IsValid(raw)) return raw;
        return Repair(raw);
    }

    private ReadOnlySpan<byte> Repair(ReadOnlySpan<byte> raw)
    {
        Span<byte> output = _cleaned;
        int written = 0;
        int read = 0;
        while (read < raw.Length)
        {
            // Done: one whole character. InvalidData: a maximal invalid subpart. NeedMoreData: a character cut
            // off by the end of the token, which is just as invalid. bytesConsumed is right in all three cases.
            bool valid = Rune.DecodeFromUtf8(raw[read..], out _, out int consumed) == System.Buffers.OperationStatus.Done;
            ReadOnlySpan<byte> piece = valid ? raw.Slice(read, consumed) : ReplacementCharacter;
            if (written + piece.Length > output.Length) break;
            piece.CopyTo(output[written..]);
            written += piece.Length;
            read += consumed;
            if (!valid) InvalidSequences++;
        }
        return output[..written];
    }
}
