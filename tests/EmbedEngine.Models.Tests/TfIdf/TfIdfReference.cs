using System.Text;
using System.Text.RegularExpressions;
using EmbedEngine.Models.Count;

namespace EmbedEngine.Models.Tests.TfIdf;

/// <summary>
/// TF-IDF computed the plain way, straight from scikit-learn's documented definitions, with dictionaries and
/// loops and a regular expression for words: the specification the model is held to.
/// </summary>
internal static class TfIdfReference
{
    /// <summary>Each document's weight per feature, and the vocabulary (null when hashing).</summary>
    public static (List<Dictionary<int, double>> Rows, List<string>? Vocabulary) Compute(IReadOnlyList<string> documents, TfIdfOptions options)
    {
        var termCounts = new List<Dictionary<string, int>>();
        foreach (string document in documents)
        {
            var counts = new Dictionary<string, int>();
            foreach (string term in Analyze(options.Lowercase ? document.ToLowerInvariant() : document, options))
                counts[term] = counts.GetValueOrDefault(term) + 1;
            termCounts.Add(counts);
        }

        // Feature of every term: its place in the pruned, sorted vocabulary, or its hash bucket.
        var featureOf = new Dictionary<string, int>();
        List<string>? vocabulary = null;
        if (options.HashFeatures > 0)
        {
            foreach (var counts in termCounts)
                foreach (string term in counts.Keys)
                    featureOf[term] = (int)(Math.Abs((long)MurmurHash3.Hash32(Encoding.UTF8.GetBytes(term))) % options.HashFeatures);
        }
        else
        {
            var df = new Dictionary<string, int>();
            var total = new Dictionary<string, int>();
            foreach (var counts in termCounts)
            {
                foreach (var (term, count) in counts)
                {
                    df[term] = df.GetValueOrDefault(term) + 1;
                    total[term] = total.GetValueOrDefault(term) + count;
                }
            }
            double low = options.MinDf.IsFraction ? options.MinDf.Value * documents.Count : options.MinDf.Value;
            double high = options.MaxDf.IsFraction ? options.MaxDf.Value * documents.Count : options.MaxDf.Value;
            vocabulary = df.Keys.Where(t => df[t] >= low && df[t] <= high).Order(StringComparer.Ordinal).ToList();
            // Binary counts sum to document frequencies, so max-features ranks by them.
            if (options.MaxFeatures > 0)
                vocabulary = vocabulary.OrderByDescending(t => options.BinaryTf ? df[t] : total[t]).Take(options.MaxFeatures).Order(StringComparer.Ordinal).ToList();
            for (int i = 0; i < vocabulary.Count; i++) featureOf[vocabulary[i]] = i;
        }

        var rawRows = new List<Dictionary<int, double>>();
        foreach (var counts in termCounts)
        {
            var row = new Dictionary<int, double>();
            foreach (var (term, count) in counts)
                if (featureOf.TryGetValue(term, out int feature)) row[feature] = row.GetValueOrDefault(feature) + count;
            rawRows.Add(row);
        }
        var featureDf = new Dictionary<int, int>();
        foreach (var row in rawRows)
            foreach (int feature in row.Keys) featureDf[feature] = featureDf.GetValueOrDefault(feature) + 1;

        int n = documents.Count;
        var rows = new List<Dictionary<int, double>>();
        foreach (var raw in rawRows)
        {
            var row = new Dictionary<int, double>();
            foreach (var (feature, tf) in raw)
            {
                double count = options.BinaryTf ? 1 : tf;
                double weight = options.SublinearTf ? 1 + Math.Log(count) : count;
                int d = featureDf[feature];
                if (options.Idf == IdfWeighting.Smooth) weight *= Math.Log((1.0 + n) / (1.0 + d)) + 1;
                if (options.Idf == IdfWeighting.Plain) weight *= Math.Log((double)n / d) + 1;
                row[feature] = weight;
            }
            if (options.L2Normalize)
            {
                double norm = Math.Sqrt(row.Values.Sum(w => w * w));
                foreach (int feature in row.Keys.ToList()) row[feature] /= norm;
            }
            rows.Add(row);
        }
        return (rows, vocabulary);
    }

    private static List<string> Analyze(string document, TfIdfOptions options)
    {
        var terms = new List<string>();
        if (options.Analyzer == TfIdfAnalyzer.Word)
        {
            var words = Regex.Matches(document, @"\b\w\w+\b").Select(m => m.Value).ToList();
            for (int n = options.MinN; n <= options.MaxN; n++)
                for (int i = 0; i + n <= words.Count; i++) terms.Add(string.Join(" ", words.Skip(i).Take(n)));
        }
        else if (options.Analyzer == TfIdfAnalyzer.CharWordBounded)
        {
            foreach (string word in document.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string padded = " " + word + " ";
                for (int n = options.MinN; n <= options.MaxN; n++)
                {
                    if (padded.Length <= n)
                    {
                        terms.Add(padded);
                        break;
                    }
                    for (int i = 0; i + n <= padded.Length; i++) terms.Add(padded.Substring(i, n));
                }
            }
        }
        else
        {
            string text = string.Join(" ", document.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            for (int n = options.MinN; n <= options.MaxN; n++)
                for (int i = 0; i + n <= text.Length; i++) terms.Add(text.Substring(i, n));
        }
        return terms;
    }
}
