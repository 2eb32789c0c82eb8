using System.Globalization;
using EmbedEngine.Kernels;
using EmbedEngine.Vectors.IO;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// Reads the text layouts: word2vec text and fastText .vec ("count dim" header) and GloVe (no header, the
/// dimension taken from the first row). Lenient about spacing (any run of ASCII whitespace separates values,
/// "\r\n" line ends and blank lines are accepted), strict about content: every row must hold exactly one word
/// and dim finite numbers, and the file must hold exactly the announced number of rows.
/// </summary>
internal static class TextVectorReader
{
    /// <summary>The fewest bytes a row can take: a one-byte word, then a separator and a digit per value.</summary>
    private static long MinimumRowBytes(int dimension) => 1 + 2L * dimension;

    /// <summary>Reads a file with a "count dim" header line.</summary>
    public static KeyedVectors ReadWithHeader(string path)
    {
        using FileStream stream = VectorFileStreams.OpenRead(path);
        SkipByteOrderMark(stream);
        var lines = new Utf8LineReader(stream, path);
        if (!lines.TryReadNonBlankLine(out ReadOnlySpan<byte> header))
            throw VectorFormatException.InFile(path, "the file is empty or blank; expected a header line 'count dim'.");
        var shape = VectorShape.ParseHeader(path, header, lines.LineNumber, offset: null);
        // Every row but the last also ends in a newline, hence the extra byte per row and the + 1 of slack.
        shape.CheckFits(path, stream.Length - lines.Position + 1, MinimumRowBytes(shape.Dimension) + 1,
            "a word, then a separator and a digit per value, per line", lines.LineNumber, offset: null);
        return ReadRows(path, lines, shape);
    }

    /// <summary>Reads a GloVe file: no header; the row count is found by a first pass over the lines.</summary>
    public static KeyedVectors ReadHeaderless(string path)
    {
        using FileStream stream = VectorFileStreams.OpenRead(path);
        SkipByteOrderMark(stream);
        long start = stream.Position;
        var counter = new Utf8LineReader(stream, path);
        if (!counter.TryReadNonBlankLine(out ReadOnlySpan<byte> first))
            throw VectorFormatException.InFile(path, "the file is empty or blank; expected lines 'word v1 ... vn'.");
        long firstLine = counter.LineNumber;
        int tokens = Tokens.Count(first);
        if (tokens < 2)
            throw VectorFormatException.AtLine(path, firstLine,
                $"expected a word followed by its values, found '{Tokens.Show(first)}'.");
        long rows = 1;
        while (counter.TryReadNonBlankLine(out _)) rows++;
        var shape = VectorShape.Check(path, rows, tokens - 1, firstLine, offset: null);
        stream.Position = start;
        return ReadRows(path, new Utf8LineReader(stream, path), shape);
    }

    private static KeyedVectors ReadRows(string path, Utf8LineReader lines, VectorShape shape)
    {
        var vocabulary = new VocabularyBuilder(shape.Count);
        var matrix = NativeMatrix.Allocate(shape.Count, shape.Dimension);
        try
        {
            for (int row = 0; row < shape.Count; row++)
            {
                if (!lines.TryReadNonBlankLine(out ReadOnlySpan<byte> line))
                    throw VectorFormatException.AtLine(path, lines.LineNumber + 1,
                        $"the file ends after {row} of the {shape.Count} announced words; it is truncated.");
                ParseRow(path, lines.LineNumber, line, vocabulary, matrix.Row(row));
            }
            if (lines.TryReadNonBlankLine(out _))
                throw VectorFormatException.AtLine(path, lines.LineNumber,
                    $"the header announces {shape.Count} words, but another row follows them.");
            return vocabulary.Build(matrix);
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
    }

    private static void ParseRow(string path, long lineNumber, ReadOnlySpan<byte> line, VocabularyBuilder vocabulary,
        Span<float> vector)
    {
        int position = 0;
        Tokens.TryNext(line, ref position, out ReadOnlySpan<byte> word);
        if (vocabulary.TryAdd(word) is { } problem) throw VectorFormatException.AtLine(path, lineNumber, problem);
        for (int i = 0; i < vector.Length; i++)
        {
            if (!Tokens.TryNext(line, ref position, out ReadOnlySpan<byte> token))
                throw VectorFormatException.AtLine(path, lineNumber,
                    $"expected {vector.Length} values after '{Tokens.Show(word)}', found {i}.");
            if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                throw VectorFormatException.AtLine(path, lineNumber,
                    $"value {i + 1} of '{Tokens.Show(word)}' is '{Tokens.Show(token)}'; expected a number.");
            if (!float.IsFinite(value))
                throw VectorFormatException.AtLine(path, lineNumber,
                    $"value {i + 1} of '{Tokens.Show(word)}' is '{Tokens.Show(token)}'; expected a finite float32.");
            vector[i] = value;
        }
        if (Tokens.TryNext(line, ref position, out _))
            throw VectorFormatException.AtLine(path, lineNumber,
                $"expected {vector.Length} values after '{Tokens.Show(word)}', found {vector.Length + 1 + Tokens.Count(line[position..])}.");
    }

    /// <summary>Steps over a UTF-8 byte order mark, which some Windows tools put in front of text files.</summary>
    private static void SkipByteOrderMark(FileStream stream)
    {
        Span<byte> prefix = stackalloc byte[3];
        int read = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        stream.Position = read == 3 && prefix.SequenceEqual("\uFEFF"u8) ? 3 : 0;
    }
}
