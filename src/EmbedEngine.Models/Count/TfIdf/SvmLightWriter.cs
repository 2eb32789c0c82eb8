using System.Globalization;
using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Writes document vectors in the svmlight / libsvm text format, one line per document:
/// <c>label index:value index:value …</c> with 1-based indices ascending (libsvm's convention; scikit-learn's
/// load_svmlight_file reads them with its default zero_based="auto") and values in the shortest form that reads
/// back to the same float32. Every label is 0, since TF-IDF documents carry none.
/// </summary>
public static class SvmLightWriter
{
    /// <summary>Writes <paramref name="documents"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, CsrMatrix documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            Write(writer, documents);
        });
    }

    /// <summary>Writes <paramref name="documents"/> to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, CsrMatrix documents)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(documents);
        Span<char> number = stackalloc char[32];
        for (int row = 0; row < documents.Rows; row++)
        {
            ReadOnlySpan<int> columns = documents.RowColumnIndices(row);
            ReadOnlySpan<float> values = documents.RowValues(row);
            writer.Write('0');
            for (int i = 0; i < columns.Length; i++)
            {
                writer.Write(' ');
                // 1-based; a column is below int.MaxValue, so + 1 cannot overflow.
                (columns[i] + 1).TryFormat(number, out int written, default, CultureInfo.InvariantCulture);
                writer.Write(number[..written]);
                writer.Write(':');
                values[i].TryFormat(number, out written, "R", CultureInfo.InvariantCulture);
                writer.Write(number[..written]);
            }
            writer.WriteLine();
        }
    }
}
