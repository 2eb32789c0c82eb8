using EmbedEngine.Text;

namespace EmbedEngine.Models.Count;

/// <summary>Chooses the vocabulary from every term seen, by document frequency and corpus frequency.</summary>
internal static class VocabularyPruning
{
    /// <summary>
    /// Keeps the terms whose document frequency lies within [min-df, max-df], then, when more than max-features
    /// remain, the max-features terms most frequent over the corpus (ties to the earlier term in code point
    /// order); returns the kept ones' positions in <paramref name="terms"/>, sorted by term in code point order.
    /// </summary>
    /// <exception cref="CorpusException">No term remains, or min-df asks for more documents than max-df allows.</exception>
    public static int[] Select(IReadOnlyList<string> terms, IReadOnlyList<long> documentFrequencies,
        IReadOnlyList<long> totalCounts, int documents, TfIdfOptions options, string source)
    {
        double minDocuments = options.MinDf.Resolve(documents);
        double maxDocuments = options.MaxDf.Resolve(documents);
        if (maxDocuments < minDocuments)
            throw new CorpusException(
                $"For {source}, max-df {options.MaxDf} allows {maxDocuments} of its {documents} documents, fewer than the {minDocuments} min-df {options.MinDf} asks for.");
        var kept = new List<int>();
        for (int i = 0; i < terms.Count; i++)
        {
            long df = documentFrequencies[i];
            if (df >= minDocuments && df <= maxDocuments) kept.Add(i);
        }
        kept.Sort((a, b) => CodePointOrder.Instance.Compare(terms[a], terms[b]));
        if (options.MaxFeatures > 0 && kept.Count > options.MaxFeatures)
        {
            // A stable sort by count keeps equal counts in term order.
            int[] mostFrequent = [.. kept.OrderByDescending(i => totalCounts[i]).Take(options.MaxFeatures)];
            Array.Sort(mostFrequent, (a, b) => CodePointOrder.Instance.Compare(terms[a], terms[b]));
            kept = [.. mostFrequent];
        }
        if (kept.Count == 0)
            throw new CorpusException(terms.Count == 0
                ? $"{source} holds no terms: no document yields a {options.Analyzer} term (words need two or more letters or digits)."
                : $"After pruning, no terms of {source} remain ({terms.Count} seen in {documents} documents; min-df {options.MinDf}, max-df {options.MaxDf}): lower min-df or raise max-df.");
        return [.. kept];
    }
}
