using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// GPT-2's pre-tokenization: text is cut into contractions, runs of letters, of digits and of other symbols (each
/// with an optional leading space) and runs of whitespace, and merges never cross a cut.
/// </summary>
/// <remarks>
/// The pattern is GPT-2's, run by .NET's regex engine, whose classes see UTF-16 code units: a letter or digit
/// outside the Basic Multilingual Plane counts as a symbol (Python's engine calls it a letter), and \s is .NET's
/// ([\f\n\r\t\v\x85\p{Z}], without Python's U+001C–U+001F). Microsoft.ML.Tokenizers runs the same pattern the same
/// way. A surrogate pair always lands whole in one symbol run, so no pre-token splits a character.
/// </remarks>
internal static partial class Gpt2PreTokenizer
{
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Cuts well-formed <paramref name="text"/> into pre-tokens.</summary>
    public static void Split(ReadOnlySpan<char> text, IPieceSink sink)
    {
        foreach (ValueMatch match in Pattern().EnumerateMatches(text)) sink.Text(text.Slice(match.Index, match.Length));
    }

    /// <summary>
    /// Cuts arbitrary bytes into pre-tokens: each maximal run of well-formed UTF-8 is pre-tokenized as text, and
    /// each ill-formed subsequence between them (a maximal subpart, as the Unicode standard defines it for U+FFFD
    /// replacement) is a pre-token of its own.
    /// </summary>
    public static void SplitUtf8(ReadOnlySpan<byte> bytes, IPieceSink sink)
    {
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(bytes.Length, 1));
        try
        {
            while (!bytes.IsEmpty)
            {
                OperationStatus status = Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false);
                Split(chars.AsSpan(0, written), sink);
                bytes = bytes[read..];
                if (status == OperationStatus.Done) break;
                Rune.DecodeFromUtf8(bytes, out _, out int invalid);
                sink.InvalidBytes(bytes[..invalid]);
                bytes = bytes[invalid..];
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Throws if <paramref name="text"/> is not well-formed UTF-16: a lone surrogate has no UTF-8 form.</summary>
    /// <exception cref="ArgumentException">The text holds a lone surrogate; the message gives it and its position.</exception>
    public static void ThrowOnLoneSurrogate(string text, string parameterName)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else throw new ArgumentException($"The text holds a lone surrogate U+{(int)text[i]:X4} at position {i}; it has no UTF-8 form.", parameterName);
        }
    }
}
