using System.Runtime.InteropServices;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Fits TF-IDF in one pass over the documents: each document's term counts are kept under provisional feature
/// numbers, so once the vocabulary is chosen the fitted documents are weighed without reading them again.
/// </summary>
public static class TfIdfFitter
{
    /// <summary>Learns a model from <paramref name="documents"/> and weighs them with it.</summary>
    /// <param name="documents">Each document as its whitespace-separated words (see <see cref="TfIdfDocuments"/>).</param>
    /// <param name="options">How to cut and weigh terms.</param>
    /// <param name="source">Names the documents in error messages, e.g. the input path.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="CorpusException">There are no documents, or no term survives pruning.</exception>
    public static TfIdfFit Fit(IEnumerable<IReadOnlyList<string>> documents, TfIdfOptions options, string source)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var counts = new ProvisionalCounts(options);
        foreach (IReadOnlyList<string> words in documents) counts.AddDocument(words);
        if (counts.Documents == 0) throw new CorpusException($"{source} holds no documents.");

        TermIndex index;
        int[] finalFeature;
        long[] documentFrequencies;
        if (options.UsesHashing)
        {
            index = TermIndex.ForHashing(options.HashFeatures);
            finalFeature = [.. Enumerable.Range(0, options.HashFeatures)];
            documentFrequencies = [.. counts.DocumentFrequencies];
        }
        else
        {
            int[] kept = VocabularyPruning.Select(counts.Terms, counts.DocumentFrequencies, counts.TotalCounts,
                counts.Documents, options, source);
            finalFeature = new int[counts.Terms.Count];
            Array.Fill(finalFeature, -1);
            string[] vocabulary = new string[kept.Length];
            documentFrequencies = new long[kept.Length];
            for (int feature = 0; feature < kept.Length; feature++)
            {
                finalFeature[kept[feature]] = feature;
                vocabulary[feature] = counts.Terms[kept[feature]];
                documentFrequencies[feature] = counts.DocumentFrequencies[kept[feature]];
            }
            index = TermIndex.ForVocabulary(vocabulary);
        }
        var model = new TfIdfModel(options, counts.Documents, index, documentFrequencies);
        return new TfIdfFit(model, counts.Weigh(model, finalFeature));
    }

    /// <summary>Every document's term counts under provisional features, and each feature's totals.</summary>
    private sealed class ProvisionalCounts(TfIdfOptions options)
    {
        private readonly TermAnalyzer _analyzer = new(options);
        private readonly TermIndex? _hashing = options.UsesHashing ? TermIndex.ForHashing(options.HashFeatures) : null;
        private readonly Dictionary<string, int> _documentTerms = new(StringComparer.Ordinal);
        private readonly Dictionary<int, int> _documentFeatures = [];
        private readonly Dictionary<string, int> _provisional = new(StringComparer.Ordinal);
        private readonly List<long> _rowStarts = [0];
        private readonly List<int> _features = [];
        private readonly List<int> _counts = [];
        private readonly List<long> _documentFrequencies = options.UsesHashing ? [.. new long[options.HashFeatures]] : [];

        public int Documents => _rowStarts.Count - 1;

        /// <summary>The terms seen, by provisional feature (empty when hashing).</summary>
        public List<string> Terms { get; } = [];

        public List<long> DocumentFrequencies => _documentFrequencies;

        /// <summary>Occurrences over the corpus, by provisional feature (vocabulary only).</summary>
        public List<long> TotalCounts { get; } = [];

        public void AddDocument(IReadOnlyList<string> words)
        {
            _documentTerms.Clear();
            _analyzer.Count(words, _documentTerms);
            if (_hashing is not null) AddHashed(_hashing);
            else AddTerms();
            _rowStarts.Add(_features.Count);
        }

        private void AddTerms()
        {
            foreach ((string term, int count) in _documentTerms)
            {
                ref int feature = ref CollectionsMarshal.GetValueRefOrAddDefault(_provisional, term, out bool seen);
                if (!seen)
                {
                    feature = Terms.Count;
                    Terms.Add(term);
                    _documentFrequencies.Add(0);
                    TotalCounts.Add(0);
                }
                _documentFrequencies[feature]++;
                TotalCounts[feature] += count;
                _features.Add(feature);
                _counts.Add(count);
            }
        }

        private void AddHashed(TermIndex index)
        {
            _documentFeatures.Clear();
            foreach ((string term, int count) in _documentTerms)
            {
                index.TryGetFeature(term, out int feature);
                CollectionsMarshal.GetValueRefOrAddDefault(_documentFeatures, feature, out _) += count;
            }
            foreach ((int feature, int count) in _documentFeatures)
            {
                _documentFrequencies[feature]++;
                _features.Add(feature);
                _counts.Add(count);
            }
        }

        /// <summary>Each document's counts under the final features, weighed by <paramref name="model"/>.</summary>
        public SparseMatrix Weigh(TfIdfModel model, int[] finalFeature)
        {
            var rows = new SparseMatrixBuilder(model.Features);
            var features = new List<int>();
            var weights = new List<double>();
            for (int row = 0; row < Documents; row++)
            {
                features.Clear();
                weights.Clear();
                for (int i = (int)_rowStarts[row]; i < (int)_rowStarts[row + 1]; i++)
                {
                    int feature = finalFeature[_features[i]];
                    if (feature < 0) continue;
                    features.Add(feature);
                    weights.Add(_counts[i]);
                }
                Span<int> featureSpan = CollectionsMarshal.AsSpan(features);
                Span<double> weightSpan = CollectionsMarshal.AsSpan(weights);
                featureSpan.Sort(weightSpan);
                int kept = model.Weigh(featureSpan, weightSpan);
                rows.AddRow(featureSpan[..kept], weightSpan[..kept]);
            }
            return rows.Build();
        }
    }
}
