using System.Globalization;
using System.Text;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// Writes the text layouts byte for byte as the original tools do:
/// <list type="bullet">
/// <item>word2vec.c: "%lld %lld\n", then per word "%s " and "%lf " per value, then "\n";</item>
/// <item>fastText: the same header, then the word, " ", each value with setprecision(5) followed by ' ', "\n";</item>
/// <item>GloVe: no header; the word, then " %lf" per value, then "\n".</item>
/// </list>
/// </summary>
internal static class TextVectorWriter
{
    /// <summary>Longest "%lf" or "%.5g" rendering of a finite float32, with room to spare.</summary>
    private const int MaxValueBytes = 64;

    public static void WriteWord2Vec(Stream stream, KeyedVectors vectors) =>
        Write(stream, vectors, writeHeader: true, valueSeparatorFirst: false, FormatFixedSix);

    public static void WriteFastText(Stream stream, KeyedVectors vectors) =>
        Write(stream, vectors, writeHeader: true, valueSeparatorFirst: false, FastTextNumberFormat.Format);

    public static void WriteGloVe(Stream stream, KeyedVectors vectors) =>
        Write(stream, vectors, writeHeader: false, valueSeparatorFirst: true, FormatFixedSix);

    private delegate int ValueFormatter(float value, Span<byte> destination);

    /// <summary>One word a line, then its values: GloVe puts the space before each value (<paramref name="valueSeparatorFirst"/>), word2vec and fastText after it.</summary>
    private static void Write(Stream stream, KeyedVectors vectors, bool writeHeader, bool valueSeparatorFirst,
        ValueFormatter format)
    {
        if (writeHeader) stream.Write(Encoding.ASCII.GetBytes($"{vectors.Count} {vectors.Dimension}\n"));
        var line = new byte[vectors.Dimension * (MaxValueBytes + 1) + 1];
        for (int row = 0; row < vectors.Count; row++)
        {
            stream.Write(Encoding.UTF8.GetBytes(vectors.Words[row]));
            if (!valueSeparatorFirst) stream.WriteByte((byte)' ');
            int length = 0;
            foreach (float value in vectors.Vector(row))
            {
                if (valueSeparatorFirst) line[length++] = (byte)' ';
                length += format(value, line.AsSpan(length));
                if (!valueSeparatorFirst) line[length++] = (byte)' ';
            }
            line[length++] = (byte)'\n';
            stream.Write(line, 0, length);
        }
    }

    /// <summary>C's "%lf": the float promoted to double, six decimals.</summary>
    private static int FormatFixedSix(float value, Span<byte> destination)
    {
        ((double)value).TryFormat(destination, out int written, "F6", CultureInfo.InvariantCulture);
        return written;
    }
}
