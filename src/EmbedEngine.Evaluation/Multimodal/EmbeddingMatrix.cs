namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// Embeddings of one modality as a plain row-major float matrix, <see cref="Rows"/> × <see cref="Dimension"/>: row i
/// is the embedding of item i. Every multimodal evaluation takes these, so any image–text model (whatever computed
/// the vectors, on whatever device) is scored by the same code. The matrix wraps <see cref="Data"/> without copying;
/// the evaluations never write to it.
/// </summary>
public readonly record struct EmbeddingMatrix
{
    private readonly float[]? _data;

    /// <summary>Wraps <paramref name="data"/>, which holds <paramref name="rows"/> rows of <paramref name="dimension"/> floats.</summary>
    /// <exception cref="ArgumentException">The length is not rows × dimension, or a size is out of range.</exception>
    public EmbeddingMatrix(float[] data, int rows, int dimension)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 0) throw new ArgumentException($"The row count must be non-negative, not {rows}.", nameof(rows));
        if (dimension <= 0) throw new ArgumentException($"The dimension must be positive, not {dimension}.", nameof(dimension));
        if (data.Length != (long)rows * dimension)
            throw new ArgumentException($"The data holds {data.Length} floats; {rows} rows × {dimension} = {(long)rows * dimension} expected.",
                nameof(data));
        (_data, Rows, Dimension) = (data, rows, dimension);
    }

    /// <summary>The elements, row after row (empty for the default value).</summary>
    public float[] Data => _data ?? [];

    /// <summary>Number of embeddings.</summary>
    public int Rows { get; }

    /// <summary>Floats per embedding.</summary>
    public int Dimension { get; }

    /// <summary>Embedding <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"The matrix has {Rows} rows.");
        return Data.AsSpan(row * Dimension, Dimension);
    }

    /// <summary>Copies <paramref name="rows"/>, which must all have the same length, into one matrix.</summary>
    /// <exception cref="ArgumentException">There are no rows, or the rows differ in length.</exception>
    public static EmbeddingMatrix FromRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("There are no rows to build an embedding matrix from.", nameof(rows));
        int dimension = rows[0].Length;
        var data = new float[(long)rows.Count * dimension];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != dimension)
                throw new ArgumentException($"Row {i} has {rows[i].Length} floats; row 0 has {dimension}.", nameof(rows));
            rows[i].CopyTo(data, (long)i * dimension);
        }
        return new EmbeddingMatrix(data, rows.Count, dimension);
    }
}
