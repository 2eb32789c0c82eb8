using System.Buffers;
using System.Globalization;
using EmbedEngine.Vectors.IO;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// Tells the layouts apart from the first bytes of a file: the native magic; else a first line of exactly two
/// whole numbers is a word2vec/fastText header, and the bytes after the first word tell text from binary;
/// else a first line of a word and numbers is GloVe.
/// </summary>
internal static class FormatDetector
{
    /// <summary>How much of the file detection reads: enough for the first two lines of any real file.</summary>
    private const int PrefixBytes = 1 << 20;

    /// <summary>Bytes that appear in printed numbers (including "nan" and "inf[inity]") and their separators.</summary>
    private static readonly SearchValues<byte> NumberText = SearchValues.Create("0123456789+-.eE \t\rnNaAiIfFtTyY"u8);

    public static VectorFormat Detect(string path)
    {
        byte[] prefix = ReadPrefix(path);
        ReadOnlySpan<byte> text = prefix;
        if (text.IsEmpty) throw VectorFormatException.InFile(path, "the file is empty; expected word vectors.");
        if (text.StartsWith(Formats.NativeHeader.Magic)) return VectorFormat.Native;
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];

        int newline = text.IndexOf((byte)'\n');
        ReadOnlySpan<byte> firstLine = newline >= 0 ? text[..newline] : text;
        int position = 0;
        Tokens.TryNext(firstLine, ref position, out ReadOnlySpan<byte> first);
        Tokens.TryNext(firstLine, ref position, out ReadOnlySpan<byte> second);
        int tokenCount = Tokens.Count(firstLine);
        if (tokenCount == 2 && IsWholeNumber(first) && IsWholeNumber(second, out long dimension))
        {
            ReadOnlySpan<byte> rest = newline >= 0 ? text[(newline + 1)..] : [];
            return FirstVectorIsText(rest, dimension) ? VectorFormat.Word2VecText : VectorFormat.Word2VecBinary;
        }
        if (tokenCount >= 2) return VectorFormat.GloVeText;
        throw VectorFormatException.AtLine(path, 1,
            $"expected a header 'count dim' or a GloVe row 'word v1 ... vn', found '{Tokens.Show(firstLine)}'.");
    }

    /// <summary>
    /// Whether the bytes after the first word (up to its vector's length in binary, or the end of its line) are
    /// all characters of printed numbers. A binary float32 vector passes this only by extreme coincidence:
    /// the exponent byte of typical values is 0x3C..0x3F or 0xBC..0xBF, neither a digit nor a separator.
    /// </summary>
    private static bool FirstVectorIsText(ReadOnlySpan<byte> rest, long dimension)
    {
        int start = 0;
        while (start < rest.Length && Tokens.IsWhitespace(rest[start])) start++;
        int wordEnd = rest[start..].IndexOfAny((byte)' ', (byte)'\t');
        // No complete first row in view (e.g. "0 100"): both readers see the same thing, so either answer works.
        if (wordEnd < 0) return true;
        ReadOnlySpan<byte> vector = rest[(start + wordEnd + 1)..];
        vector = vector[..(int)Math.Min(vector.Length, dimension * sizeof(float))];
        int lineEnd = vector.IndexOf((byte)'\n');
        if (lineEnd >= 0) vector = vector[..lineEnd];
        return !vector.IsEmpty && !vector.ContainsAnyExcept(NumberText);
    }

    private static bool IsWholeNumber(ReadOnlySpan<byte> token) => IsWholeNumber(token, out _);

    private static bool IsWholeNumber(ReadOnlySpan<byte> token, out long value) =>
        long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static byte[] ReadPrefix(string path)
    {
        using FileStream stream = VectorFileStreams.OpenRead(path, bufferSize: 0);
        var prefix = new byte[(int)Math.Min(stream.Length, PrefixBytes)];
        stream.ReadExactly(prefix);
        return prefix;
    }
}
