using System.Runtime.InteropServices;
using EmbedEngine.Kernels;
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
            int[] kept = VocabularyPruning.Select(counts.Terms, counts.DocumentFrequencies,
                options.BinaryTf ? counts.DocumentFrequencies : counts.TotalCounts, counts.Documents, options, source);
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

    /// <summary>Every document's feature counts under provisional features, and each feature's totals.</summary>
    private sealed class ProvisionalCounts(TfIdfOptions options)
    {
        private readonly TermAnalyzer _analyzer = new(options);
        private readonly ITermFeatures _features = options.UsesHashing ? TermIndex.ForHashing(options.HashFeatures) : new GrowingVocabulary();
        private readonly Dictionary<int, int> _documentCounts = [];
        private readonly List<long> _rowStarts = [0];
        private readonly List<int> _rowFeatures = [];
        private readonly List<int> _rowCounts = [];

        public int Documents => _rowStarts.Count - 1;

        /// <summary>The terms seen, by provisional feature (empty when hashing).</summary>
        public List<string> Terms => (_features as GrowingVocabulary)?.Terms ?? [];

        /// <summary>How many documents hold each provisional feature.</summary>
        public List<long> DocumentFrequencies { get; } = options.UsesHashing ? [.. new long[options.HashFeatures]] : [];

        /// <summary>Occurrences over the corpus, by provisional feature.</summary>
        public List<long> TotalCounts { get; } = options.UsesHashing ? [.. new long[options.HashFeatures]] : [];

        public void AddDocument(IReadOnlyList<string> words)
        {
            _documentCounts.Clear();
            _analyzer.Count(words, _features, _documentCounts);
            foreach ((int feature, int count) in _documentCounts)
            {
                // A vocabulary grows while fitting; hashed features are all there from the start.
                while (feature >= DocumentFrequencies.Count)
                {
                    DocumentFrequencies.Add(0);
                    TotalCounts.Add(0);
                }
                DocumentFrequencies[feature]++;
                TotalCounts[feature] += count;
                _rowFeatures.Add(feature);
                _rowCounts.Add(count);
            }
            _rowStarts.Add(_rowFeatures.Count);
        }

        /// <summary>Each document's counts under the final features, weighed by <paramref name="model"/>.</summary>
        public CsrMatrix Weigh(TfIdfModel model, int[] finalFeature)
        {
            var rows = new CsrMatrixBuilder(model.Features);
            var features = new List<int>();
            var counts = new List<double>();
            for (int row = 0; row < Documents; row++)
            {
                features.Clear();
                counts.Clear();
                for (int i = (int)_rowStarts[row]; i < (int)_rowStarts[row + 1]; i++)
                {
                    int feature = finalFeature[_rowFeatures[i]];
                    if (feature < 0) continue;
                    features.Add(feature);
                    counts.Add(_rowCounts[i]);
                }
                model.AppendWeighed(rows, CollectionsMarshal.AsSpan(features), CollectionsMarshal.AsSpan(counts));
            }
            return rows.Build();
        }
    }
}
