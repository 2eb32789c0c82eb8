using System.Runtime.InteropServices;
using EmbedEngine.Kernels;

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

    /// <summary>
    /// The weighted vector of one document (its whitespace-separated words), as a matrix of one row and
    /// <see cref="Features"/> columns; unknown terms are ignored.
    /// </summary>
    public CsrMatrix Transform(IReadOnlyList<string> words) => Transform([words]);

    /// <summary>The weighted vectors of many documents, one row each, in order.</summary>
    public CsrMatrix Transform(IEnumerable<IReadOnlyList<string>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var analyzer = new TermAnalyzer(Options);
        var rows = new CsrMatrixBuilder(Features);
        var counts = new Dictionary<int, int>();
        var features = new List<int>();
        var occurrences = new List<double>();
        foreach (IReadOnlyList<string> words in documents)
        {
            // Hashed terms may collide: their counts add up, as in scikit-learn's HashingVectorizer.
            counts.Clear();
            analyzer.Count(words, Index, counts);
            features.Clear();
            occurrences.Clear();
            foreach ((int feature, int count) in counts)
            {
                features.Add(feature);
                occurrences.Add(count);
            }
            AppendWeighed(rows, CollectionsMarshal.AsSpan(features), CollectionsMarshal.AsSpan(occurrences));
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

    /// <summary>
    /// Appends one document to <paramref name="rows"/> as a row: its <paramref name="counts"/> of
    /// <paramref name="features"/> (in any order; both spans are reordered and overwritten) weighed in double,
    /// then stored as float like every <see cref="CsrMatrix"/>.
    /// </summary>
    internal void AppendWeighed(CsrMatrixBuilder rows, Span<int> features, Span<double> counts)
    {
        features.Sort(counts);
        int kept = TfIdfWeighting.Weigh(features, counts, _idf, Options);
        for (int i = 0; i < kept; i++) rows.Append(features[i], (float)counts[i]);
        rows.EndRow();
    }
}
