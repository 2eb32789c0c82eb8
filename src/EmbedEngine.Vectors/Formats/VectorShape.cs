using System.Globalization;
using EmbedEngine.Vectors.IO;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// The word count and dimension a file announces, checked against hard limits and against the bytes the file
/// actually has before anything is allocated, so a lying header fails fast instead of allocating gigabytes.
/// </summary>
internal readonly record struct VectorShape(int Count, int Dimension)
{
    /// <summary>Largest accepted dimension; real embeddings stay below a few thousand.</summary>
    public const int MaxDimension = 1_000_000;

    /// <summary>
    /// Parses a "count dim" header line (word2vec and fastText). <paramref name="lineNumber"/> and
    /// <paramref name="offset"/> locate it for errors (text formats report the line, binary ones the offset).
    /// </summary>
    public static VectorShape ParseHeader(string path, ReadOnlySpan<byte> line, long? lineNumber, long? offset)
    {
        int position = 0;
        bool hasCount = Tokens.TryNext(line, ref position, out ReadOnlySpan<byte> countToken);
        bool hasDimension = Tokens.TryNext(line, ref position, out ReadOnlySpan<byte> dimensionToken);
        if (!hasCount || !hasDimension || Tokens.TryNext(line, ref position, out _)
            || !TryParseInteger(countToken, out long count) || !TryParseInteger(dimensionToken, out long dimension))
        {
            throw Fail(path, lineNumber, offset,
                $"expected a header line 'count dim' of two whole numbers, found '{Tokens.Show(line.TrimEnd((byte)'\r'))}'.");
        }
        return Check(path, count, dimension, lineNumber, offset);
    }

    /// <summary>Checks a count and dimension against the limits of this library.</summary>
    public static VectorShape Check(string path, long count, long dimension, long? lineNumber, long? offset)
    {
        if (count < 0) throw Fail(path, lineNumber, offset, $"the word count {count} is negative.");
        if (dimension < 1) throw Fail(path, lineNumber, offset, $"the dimension {dimension} is not positive.");
        if (dimension > MaxDimension)
            throw Fail(path, lineNumber, offset, $"the dimension {dimension} exceeds the limit of {MaxDimension}.");
        if (count > Array.MaxLength)
            throw Fail(path, lineNumber, offset, $"the word count {count} exceeds the limit of {Array.MaxLength}.");
        return new VectorShape((int)count, (int)dimension);
    }

    /// <summary>
    /// Refuses a shape whose rows cannot fit in <paramref name="availableBytes"/> when each row needs at least
    /// <paramref name="minimumBytesPerRow"/> bytes.
    /// </summary>
    public void CheckFits(string path, long availableBytes, long minimumBytesPerRow, string rowLayout,
        long? lineNumber, long? offset)
    {
        // Both factors are bounded (count < 2^31, bytes per row < 2^23), so the product cannot overflow a long.
        long needed = Count * minimumBytesPerRow;
        if (needed > availableBytes)
            throw Fail(path, lineNumber, offset,
                $"the header announces {Count} words of dimension {Dimension}, which need at least {needed} bytes "
                + $"({rowLayout}), but only {availableBytes} follow; the file is truncated or the header is wrong.");
    }

    private static bool TryParseInteger(ReadOnlySpan<byte> token, out long value) =>
        long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static VectorFormatException Fail(string path, long? lineNumber, long? offset, string problem) =>
        lineNumber is { } line ? VectorFormatException.AtLine(path, line, problem)
        : VectorFormatException.AtOffset(path, offset ?? 0, problem);
}
