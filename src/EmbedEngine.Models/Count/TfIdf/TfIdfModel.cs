namespace EmbedEngine.Models.Count;

/// <summary>
/// A fitted TF-IDF model: the options, the vocabulary (or hashed feature count), and each feature's document
/// frequency, from which it weighs any document. Immutable; <see cref="Transform(IReadOnlyList{string})"/> is
/// thread-safe.
/// </summary>
public sealed class TfIdfModel
{
    private readonly long[] _documentFrequencies;
    private readonly double[] _idf;

    /// <summary>Computed on first use: a model that is never saved or indexed never serializes itself.</summary>
    private uint? _fingerprint;

    internal TfIdfModel(TfIdfOptions options, long documents, TermIndex index, long[] documentFrequencies)
    {
        Options = options;
        Documents = documents;
        Index = index;
        _documentFrequencies = documentFrequencies;
        _idf = new double[documentFrequencies.Length];
        for (int i = 0; i < _idf.Length; i++) _idf[i] = TfIdfWeighting.Idf(options.Idf, documents, documentFrequencies[i]);
    }

    /// <summary>The options the model was fitted with.</summary>
    public TfIdfOptions Options { get; }

    /// <summary>How many documents it was fitted on.</summary>
    public long Documents { get; }

    /// <summary>How many features a document vector has: the vocabulary size, or the hashed feature count.</summary>
    public int Features => _idf.Length;

    /// <summary>The vocabulary in feature order (code point order, as scikit-learn's); null for hashed features.</summary>
    public IReadOnlyList<string>? Vocabulary => Index.Terms;

    /// <summary>How many fitted documents held each feature.</summary>
    public ReadOnlySpan<long> DocumentFrequencies => _documentFrequencies;

    /// <summary>Each feature's idf (1 everywhere when idf is off).</summary>
    public ReadOnlySpan<double> Idf => _idf;

    internal TermIndex Index { get; }

    /// <summary>Learns a model from <paramref name="documents"/> (each given as its whitespace-separated words).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="EmbedEngine.Text.CorpusException">There are no documents, or no term survives pruning.</exception>
    public static TfIdfModel Fit(IEnumerable<IReadOnlyList<string>> documents, TfIdfOptions options) =>
        TfIdfFitter.Fit(documents, options, "the corpus").Model;

    /// <summary>The weighted vector of one document (its whitespace-separated words); unknown terms are ignored.</summary>
    public SparseVector Transform(IReadOnlyList<string> words)
    {
        // Hashed terms may collide: their counts add up, as in scikit-learn's HashingVectorizer.
        var counts = new Dictionary<int, int>();
        new TermAnalyzer(Options).Count(words, Index, counts);
        int[] indices = [.. counts.Keys];
        double[] values = new double[indices.Length];
        Array.Sort(indices);
        for (int i = 0; i < indices.Length; i++) values[i] = counts[indices[i]];
        int kept = Weigh(indices, values);
        return new SparseVector(indices[..kept], values[..kept]);
    }

    /// <summary>The weighted vectors of many documents, one row each, in order.</summary>
    public SparseMatrix Transform(IEnumerable<IReadOnlyList<string>> documents)
    {
        var rows = new SparseMatrixBuilder(Features);
        foreach (IReadOnlyList<string> words in documents)
        {
            SparseVector vector = Transform(words);
            rows.AddRow(vector.Indices, vector.Values);
        }
        return rows.Build();
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically, in the format <see cref="TfIdfModelFile"/> describes.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => TfIdfModelFile.Save(this, path);

    /// <summary>Reads a model written by <see cref="Save"/>, checking its checksum and every field.</summary>
    /// <exception cref="EmbedEngine.Text.CorpusException">The file is missing, unreadable, truncated or forged; the message says which.</exception>
    public static TfIdfModel Load(string path) => TfIdfModelFile.Load(path);

    /// <summary>
    /// The CRC-32C of the model's saved form, which identifies it: an index records the fingerprint of the model
    /// that weighed its documents, so a query is never weighed by a different model.
    /// </summary>
    public uint Fingerprint => _fingerprint ??= TfIdfModelFile.Fingerprint(this);

    /// <summary>Turns counts (features ascending) into weights in place; returns how many remain.</summary>
    internal int Weigh(Span<int> features, Span<double> counts) => TfIdfWeighting.Weigh(features, counts, _idf, Options);
}
