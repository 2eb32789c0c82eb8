using System.Runtime.InteropServices;
using EmbedEngine.Kernels;
using EmbedEngine.Vectors.IO;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// Reads word2vec's binary layout: a "count dim\n" header, then per word its bytes, a space and dim
/// little-endian float32 values, usually followed by "\n". Like word2vec's own distance.c, whitespace before a
/// word is skipped, so files whose writers omit the "\n" after each vector read the same.
/// </summary>
internal static class Word2VecBinaryReader
{
    /// <summary>Longest header line accepted: two 64-bit numbers need well under this.</summary>
    private const int MaxHeaderBytes = 256;

    /// <summary>
    /// Longest word accepted. word2vec itself truncates at 100 bytes; a longer run without a space means the
    /// offsets have drifted (a wrong dimension in the header) or the file is not word2vec binary.
    /// </summary>
    private const int MaxWordBytes = 4096;

    public static KeyedVectors Read(string path)
    {
        using FileStream stream = VectorFileStreams.OpenRead(path);
        if (stream.Length == 0)
            throw VectorFormatException.InFile(path, "the file is empty; expected a header line 'count dim'.");
        var shape = VectorShape.ParseHeader(path, ReadHeaderLine(path, stream), lineNumber: null, offset: 0);
        long rowBytes = (long)shape.Dimension * sizeof(float);
        shape.CheckFits(path, stream.Length - stream.Position, rowBytes + 2,
            "a word, a space and 4 bytes per value, per row", lineNumber: null, offset: 0);

        var vocabulary = new VocabularyBuilder(shape.Count);
        var matrix = NativeMatrix.Allocate(shape.Count, shape.Dimension);
        try
        {
            var word = new byte[MaxWordBytes];
            for (int row = 0; row < shape.Count; row++)
            {
                long wordOffset = SkipWhitespace(stream);
                if (wordOffset < 0)
                    throw VectorFormatException.AtOffset(path, stream.Position,
                        $"the file ends after {row} of the {shape.Count} announced words; it is truncated.");
                int wordLength = ReadWord(path, stream, wordOffset, word);
                if (vocabulary.TryAdd(word.AsSpan(0, wordLength)) is { } problem)
                    throw VectorFormatException.AtOffset(path, wordOffset, problem);
                ReadVector(path, stream, matrix.Row(row), word.AsSpan(0, wordLength));
            }
            long extra = SkipWhitespace(stream);
            if (extra >= 0)
                throw VectorFormatException.AtOffset(path, extra,
                    $"the header announces {shape.Count} words, but more data follows them.");
            return vocabulary.Build(matrix);
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
    }

    private static byte[] ReadHeaderLine(string path, FileStream stream)
    {
        var header = new List<byte>();
        for (int b = stream.ReadByte(); b != '\n'; b = stream.ReadByte())
        {
            if (b < 0 || header.Count == MaxHeaderBytes)
                throw VectorFormatException.AtOffset(path, 0,
                    $"expected a header line 'count dim' ending in a newline within the first {MaxHeaderBytes} bytes.");
            header.Add((byte)b);
        }
        return [.. header];
    }

    /// <summary>Skips whitespace; returns the offset of the next byte (left unread), or -1 at the end of the file.</summary>
    private static long SkipWhitespace(FileStream stream)
    {
        int b;
        do b = stream.ReadByte(); while (b >= 0 && Tokens.IsWhitespace((byte)b));
        if (b < 0) return -1;
        stream.Position--;
        return stream.Position;
    }

    /// <summary>Reads the bytes up to the space that ends a word into <paramref name="word"/>; returns their count.</summary>
    private static int ReadWord(string path, FileStream stream, long wordOffset, byte[] word)
    {
        int length = 0;
        for (int b = stream.ReadByte(); b != ' '; b = stream.ReadByte())
        {
            if (b < 0)
                throw VectorFormatException.AtOffset(path, wordOffset,
                    "the file ends inside a word; expected the word, a space and its vector.");
            if (length == word.Length)
                throw VectorFormatException.AtOffset(path, wordOffset,
                    $"no space within {word.Length} bytes of this word's start; the header's dimension does not "
                    + "match the data, or this is not a word2vec binary file.");
            word[length++] = (byte)b;
        }
        return length;
    }

    private static void ReadVector(string path, FileStream stream, Span<float> vector, ReadOnlySpan<byte> word)
    {
        long vectorOffset = stream.Position;
        Span<byte> bytes = MemoryMarshal.AsBytes(vector);
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
            throw VectorFormatException.AtOffset(path, vectorOffset,
                $"the file ends inside the vector of '{Tokens.Show(word)}': expected {bytes.Length} bytes, found {read}.");
        int bad = FiniteCheck.IndexOfNonFinite(vector);
        if (bad >= 0)
            throw VectorFormatException.AtOffset(path, vectorOffset + bad * sizeof(float),
                $"value {bad + 1} of '{Tokens.Show(word)}' is {vector[bad]}; expected a finite float32.");
    }
}
