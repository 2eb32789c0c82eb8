using EmbedEngine.Kernels;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Training;

/// <summary>The checks every model that learns from a co-occurrence matrix makes of it.</summary>
internal static class CooccurrenceInput
{
    /// <summary>A co-occurrence matrix has one row and one column per word.</summary>
    /// <exception cref="ArgumentException">The matrix is not square.</exception>
    public static void EnsureSquare(CsrMatrix counts)
    {
        if (counts.Rows != counts.Columns)
            throw new ArgumentException($"a co-occurrence matrix is square, but this one is {counts.Rows} × {counts.Columns}");
    }

    /// <summary>The matrix is square and its words are <paramref name="vocabulary"/>'s.</summary>
    /// <exception cref="ArgumentException">The matrix is not square or has another number of words.</exception>
    public static void EnsureFits(CsrMatrix counts, Vocabulary vocabulary)
    {
        EnsureSquare(counts);
        if (vocabulary.Count != counts.Rows)
            throw new ArgumentException(
                $"the vocabulary has {vocabulary.Count} words but the co-occurrence matrix has {counts.Rows} rows; use the vocabulary the matrix was counted with");
    }
}
