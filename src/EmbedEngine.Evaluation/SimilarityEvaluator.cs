using System.Globalization;
using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation;

/// <summary>The result of a word-similarity benchmark.</summary>
/// <param name="Name">The benchmark: its file name without extension.</param>
/// <param name="Pairs">Pairs in the file.</param>
/// <param name="Found">Pairs whose two words both have vectors; only these are scored.</param>
/// <param name="Spearman">Rank correlation between human and cosine scores over the found pairs (NaN below two).</param>
public sealed record SimilarityReport(string Name, int Pairs, int Found, double Spearman);

/// <summary>One pair of a word-similarity file whose two words have vectors.</summary>
/// <param name="Line">The pair's one-based line in the file: the same pair in every model's result.</param>
/// <param name="Human">The score people gave the pair.</param>
/// <param name="Cosine">The cosine of the two words' vectors.</param>
public readonly record struct ScoredPair(int Line, double Human, double Cosine);

/// <summary>The found pairs of a word-similarity benchmark, what its Spearman correlation and a bootstrap are computed on.</summary>
/// <param name="Name">The benchmark: its file name without extension.</param>
/// <param name="Pairs">Pairs in the file.</param>
/// <param name="Found">The pairs whose two words both have vectors, in file order.</param>
public sealed record ScoredPairs(string Name, int Pairs, IReadOnlyList<ScoredPair> Found)
{
    /// <summary>The Spearman correlation over the found pairs, or over those whose line is in <paramref name="onlyLines"/>.</summary>
    /// <param name="onlyLines">Lines to score, e.g. the pairs every compared model found; null for all found pairs.</param>
    public SimilarityReport ToReport(IReadOnlySet<int>? onlyLines = null)
    {
        ScoredPair[] scored = [.. Found.Where(pair => onlyLines is null || onlyLines.Contains(pair.Line))];
        double[] human = [.. scored.Select(pair => pair.Human)];
        double[] cosine = [.. scored.Select(pair => pair.Cosine)];
        return new SimilarityReport(Name, Pairs, scored.Length, Spearman.Correlation(human, cosine));
    }
}

/// <summary>Word-similarity benchmarks (WordSim-353, SimLex-999, MEN, RW...): do cosines rank pairs as people do?</summary>
public static class SimilarityEvaluator
{
    private static readonly char[] Separators = [' ', '\t', ','];

    /// <summary>
    /// Scores <paramref name="vectors"/> on the pairs in <paramref name="path"/>: one "word1 word2 score" per line,
    /// separated by tabs, commas or spaces; blank lines and lines starting with '#' are skipped. A word is looked up
    /// as written, then lowercased; pairs with a word that has no vector are left out of the correlation.
    /// </summary>
    /// <exception cref="EvaluationDataException">The file is missing or a line is not "word1 word2 number".</exception>
    public static SimilarityReport Evaluate(KeyedVectors vectors, string path) => ScorePairs(vectors, path).ToReport();

    /// <summary>
    /// The (human score, cosine) of every pair of <paramref name="path"/> whose words have vectors, read and looked
    /// up as <see cref="Evaluate"/> does: for bootstrap intervals and comparisons on the pairs several models found.
    /// </summary>
    /// <exception cref="EvaluationDataException">The file is missing or a line is not "word1 word2 number".</exception>
    public static ScoredPairs ScorePairs(KeyedVectors vectors, string path)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string[] lines = EvaluationDataException.ReadLines(path);
        var found = new List<ScoredPair>();
        int pairs = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] fields = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3 || !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double score)
                || !double.IsFinite(score))
                throw EvaluationDataException.AtLine(path, i + 1,
                    $"expected 'word1 word2 score' separated by tabs, commas or spaces, found '{line}'.");
            pairs++;
            int first = Find(vectors, fields[0]), second = Find(vectors, fields[1]);
            if (first < 0 || second < 0) continue;
            found.Add(new ScoredPair(i + 1, score, vectors.Similarity(vectors.Words[first], vectors.Words[second])));
        }
        return new ScoredPairs(Path.GetFileNameWithoutExtension(path), pairs, found);
    }

    private static int Find(KeyedVectors vectors, string word)
    {
        int index = vectors.IndexOf(word);
        return index >= 0 ? index : vectors.IndexOf(word.ToLowerInvariant());
    }
}
