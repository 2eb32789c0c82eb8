using System.Collections.ObjectModel;
using System.Numerics;
using EmbedEngine.Kernels;

namespace EmbedEngine.Vectors;

/// <summary>
/// A vocabulary and one vector per word (row i of the matrix belongs to word i), with nearest-neighbour and
/// analogy search. The vocabulary is expected in frequency order, as word2vec, GloVe and fastText write it, so
/// "the first n words" means "the n most frequent". Read-only after construction and safe to query from
/// several threads at once.
/// </summary>
/// <remarks>
/// Search divides each row's dot product by the row's norm instead of keeping a unit-normalised copy of the
/// matrix: the norms cost four bytes per word, where a copy would double the memory and would defeat a
/// memory-mapped matrix larger than RAM. The norms are computed once, lazily, with the dot kernel.
/// </remarks>
public sealed partial class KeyedVectors : IDisposable
{
    private readonly string[] _words;
    private readonly Dictionary<string, int> _indexByWord;
    private readonly NativeMatrix _matrix;
    private readonly Lazy<float[]> _inverseNorms;

    /// <summary>Wraps <paramref name="vectors"/>, whose row i is the vector of <paramref name="words"/>[i].</summary>
    /// <param name="words">The vocabulary, most frequent first; words must be distinct.</param>
    /// <param name="vectors">
    /// One row per word. On success this instance owns it and disposes it; if the constructor throws, the caller
    /// still owns it.
    /// </param>
    /// <exception cref="ArgumentException">The row count differs from the word count, a word is null, or a word repeats.</exception>
    public KeyedVectors(IReadOnlyList<string> words, NativeMatrix vectors)
        : this(CopyWords(words), vectors)
    {
    }

    /// <summary>Copies managed rows into a new instance: the way to build vectors that came from elsewhere.</summary>
    /// <exception cref="ArgumentException">There are no rows, or the rows differ in length.</exception>
    public static KeyedVectors FromRows(IReadOnlyList<(string Word, float[] Vector)> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("There are no rows.", nameof(rows));
        int dimension = rows[0].Vector.Length;
        var matrix = NativeMatrix.Allocate(rows.Count, dimension);
        try
        {
            var words = new string[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                if (rows[i].Vector.Length != dimension)
                    throw new ArgumentException(
                        $"Row {i} ('{rows[i].Word}') has {rows[i].Vector.Length} values; the first has {dimension}.", nameof(rows));
                rows[i].Vector.CopyTo(matrix.Row(i));
                words[i] = rows[i].Word;
            }
            return new KeyedVectors(words, matrix);
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
    }

    private KeyedVectors(string[] words, NativeMatrix vectors)
        : this(words, BuildIndex(words), vectors)
    {
    }

    /// <summary>For loaders that already built (and checked) the index while reading.</summary>
    internal KeyedVectors(string[] words, Dictionary<string, int> indexByWord, NativeMatrix vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Rows != words.Length)
            throw new ArgumentException(
                $"The matrix has {vectors.Rows} rows but there are {words.Length} words.", nameof(vectors));
        _words = words;
        _indexByWord = indexByWord;
        _matrix = vectors;
        Words = new ReadOnlyCollection<string>(_words);
        _inverseNorms = new Lazy<float[]>(ComputeInverseNorms, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Number of words.</summary>
    public int Count => _words.Length;

    /// <summary>Length of every vector.</summary>
    public int Dimension => _matrix.Columns;

    /// <summary>The vocabulary in row order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Row of <paramref name="word"/> (exact, case-sensitive match), or -1 if it is not in the vocabulary.</summary>
    public int IndexOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return _indexByWord.TryGetValue(word, out int index) ? index : -1;
    }

    /// <summary>The vector in row <paramref name="index"/>, as stored (not normalised).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<float> Vector(int index) => _matrix.Row(index);

    /// <summary>The vector of <paramref name="word"/>, as stored (not normalised).</summary>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public ReadOnlySpan<float> Vector(string word) => _matrix.Row(RequireIndex(word));

    /// <summary>Writes the unit-length direction of row <paramref name="index"/> (zeros for a zero vector).</summary>
    public void UnitVector(int index, Span<float> destination)
    {
        CheckQueryLength(destination.Length, nameof(destination));
        Vector(index).CopyTo(destination);
        ScaleKernel.Scale(InverseNorms[index], destination);
    }

    /// <summary>
    /// Writes the unit-length direction of (sum of the unit vectors of <paramref name="positive"/>) minus
    /// (sum of those of <paramref name="negative"/>): the 3CosAdd query of gensim's most_similar.
    /// </summary>
    public void CombineUnitVectors(ReadOnlySpan<int> positive, ReadOnlySpan<int> negative, Span<float> destination)
    {
        CheckQueryLength(destination.Length, nameof(destination));
        destination.Clear();
        float[] inverseNorms = InverseNorms;
        foreach (int row in positive) AddScaledRow(row, 1f, inverseNorms, destination);
        foreach (int row in negative) AddScaledRow(row, -1f, inverseNorms, destination);
        ScaleToUnitLength(destination);
    }

    /// <summary>Scales <paramref name="vector"/> to unit length; a zero vector stays zero.</summary>
    private static void ScaleToUnitLength(Span<float> vector)
    {
        float norm = MathF.Sqrt(DotKernel.Dot(vector, vector));
        if (norm > 0f) ScaleKernel.Scale(1f / norm, vector);
    }

    /// <summary>
    /// scores[i] = cosine between row <paramref name="firstRow"/> + i and <paramref name="unitQuery"/>, for every
    /// i in scores (the query must already have unit length). The building block of batched searches: a caller
    /// that scores many queries against one block of rows at a time keeps that block in cache.
    /// </summary>
    /// <exception cref="ArgumentException">The query length is not <see cref="Dimension"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rows run past <see cref="Count"/>.</exception>
    public unsafe void CosineScores(ReadOnlySpan<float> unitQuery, int firstRow, Span<float> scores)
    {
        CheckQueryLength(unitQuery.Length, nameof(unitQuery));
        if (firstRow < 0 || firstRow > Count - scores.Length)
            throw new ArgumentOutOfRangeException(nameof(firstRow),
                $"Rows {firstRow}..{firstRow + scores.Length} are outside the {Count} rows.");
        if (scores.IsEmpty) return;
        TopKCosineKernel.Scores(_matrix.RowPointer(firstRow), _matrix.Stride, scores.Length, unitQuery, scores);
        MultiplyInPlace(scores, InverseNorms.AsSpan(firstRow, scores.Length));
    }

    /// <summary>Releases the matrix (native memory, or the file mapping it views).</summary>
    public void Dispose() => _matrix.Dispose();

    /// <summary>1/|row| per row (0 for a zero row, whose cosine with anything is then 0).</summary>
    private float[] InverseNorms => _inverseNorms.Value;

    private int RequireIndex(string word)
    {
        int index = IndexOf(word);
        return index >= 0 ? index : throw new KeyNotFoundException($"'{word}' is not in the vocabulary.");
    }

    private void CheckQueryLength(int length, string parameterName)
    {
        if (length != Dimension)
            throw new ArgumentException($"Expected {Dimension} values, got {length}.", parameterName);
    }

    private void AddScaledRow(int row, float sign, float[] inverseNorms, Span<float> destination)
    {
        ReadOnlySpan<float> vector = Vector(row); // first, so a bad row is reported as such
        AxpyKernel.Axpy(sign * inverseNorms[row], vector, destination);
    }

    /// <summary>
    /// values[i] *= factors[i]. Runs once per scored row, so a batched analogy evaluation does it hundreds of millions
    /// of times: vectorized, it costs a few percent of the dot products instead of a fifth.
    /// </summary>
    private static void MultiplyInPlace(Span<float> values, ReadOnlySpan<float> factors)
    {
        int i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(values[i..]) * new Vector<float>(factors[i..])).CopyTo(values[i..]);
        for (; i < values.Length; i++) values[i] *= factors[i];
    }

    private float[] ComputeInverseNorms()
    {
        var inverseNorms = new float[Count];
        for (int row = 0; row < inverseNorms.Length; row++)
        {
            ReadOnlySpan<float> vector = Vector(row);
            float norm = MathF.Sqrt(DotKernel.Dot(vector, vector));
            inverseNorms[row] = norm > 0f ? 1f / norm : 0f;
        }
        return inverseNorms;
    }

    private static string[] CopyWords(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var copy = new string[words.Count];
        for (int i = 0; i < copy.Length; i++)
            copy[i] = words[i] ?? throw new ArgumentException($"Word {i} is null.", nameof(words));
        return copy;
    }

    private static Dictionary<string, int> BuildIndex(string[] words)
    {
        var index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
        {
            if (!index.TryAdd(words[i], i))
                throw new ArgumentException(
                    $"'{words[i]}' appears twice in the vocabulary (rows {index[words[i]]} and {i}).", nameof(words));
        }
        return index;
    }
}
