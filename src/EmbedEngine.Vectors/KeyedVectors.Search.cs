using EmbedEngine.Kernels;

namespace EmbedEngine.Vectors;

public sealed partial class KeyedVectors
{
    /// <summary>
    /// Levy &amp; Goldberg's epsilon for 3CosMul: it keeps the division finite when a word is opposite to every
    /// negative word, and is small against the shifted cosines in [0, 1].
    /// </summary>
    public const float CosMulEpsilon = 1e-3f;

    /// <summary>The <paramref name="topN"/> words closest in cosine to <paramref name="word"/>, closest first.</summary>
    /// <param name="word">The query word; it is never part of the answer.</param>
    /// <param name="topN">How many neighbours to return (fewer when the vocabulary runs out).</param>
    /// <param name="restrictTo">When positive, consider only the first (most frequent) <paramref name="restrictTo"/> words.</param>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public IReadOnlyList<(string Word, float Similarity)> MostSimilar(string word, int topN = 10, int restrictTo = 0) =>
        MostSimilar([word], [], topN, restrictTo);

    /// <summary>
    /// 3CosAdd, as gensim's most_similar: the words closest in cosine to the normalised sum of the unit vectors of
    /// <paramref name="positive"/> minus those of <paramref name="negative"/>. "king" - "man" + "woman" is
    /// positive = [king, woman], negative = [man]. Input words are never part of the answer.
    /// </summary>
    /// <param name="positive">Words that pull the answer towards them.</param>
    /// <param name="negative">Words that push the answer away.</param>
    /// <param name="topN">How many words to return (fewer when the vocabulary runs out).</param>
    /// <param name="restrictTo">When positive, consider only the first (most frequent) <paramref name="restrictTo"/> words.</param>
    /// <returns>(word, cosine with the query), best first.</returns>
    /// <exception cref="ArgumentException">Both lists are empty.</exception>
    /// <exception cref="KeyNotFoundException">An input word is not in the vocabulary.</exception>
    public IReadOnlyList<(string Word, float Similarity)> MostSimilar(IReadOnlyList<string> positive,
        IReadOnlyList<string> negative, int topN = 10, int restrictTo = 0)
    {
        var (positiveRows, negativeRows) = ResolveQuery(positive, negative);
        int rows = SearchedRowCount(topN, restrictTo);
        var query = new float[Dimension];
        CombineUnitVectors(positiveRows, negativeRows, query);
        var scores = new float[rows];
        CosineScores(query, 0, scores);
        return Best(scores, topN, [.. positiveRows, .. negativeRows]);
    }

    /// <summary>
    /// 3CosMul (Levy &amp; Goldberg, 2014): ranks each word w by
    /// Π over positive p of cos'(w, p) / (Π over negative n of cos'(w, n) + <see cref="CosMulEpsilon"/>), where
    /// cos' = (1 + cos) / 2 shifts cosines into [0, 1]. Input words are never part of the answer.
    /// </summary>
    /// <param name="positive">Words that pull the answer towards them.</param>
    /// <param name="negative">Words that push the answer away.</param>
    /// <param name="topN">How many words to return (fewer when the vocabulary runs out).</param>
    /// <param name="restrictTo">When positive, consider only the first (most frequent) <paramref name="restrictTo"/> words.</param>
    /// <returns>(word, 3CosMul score), best first.</returns>
    /// <exception cref="ArgumentException">Both lists are empty.</exception>
    /// <exception cref="KeyNotFoundException">An input word is not in the vocabulary.</exception>
    public IReadOnlyList<(string Word, float Similarity)> MostSimilarCosMul(IReadOnlyList<string> positive,
        IReadOnlyList<string> negative, int topN = 10, int restrictTo = 0)
    {
        var (positiveRows, negativeRows) = ResolveQuery(positive, negative);
        int rows = SearchedRowCount(topN, restrictTo);
        var query = new float[Dimension];
        var cosines = new float[rows];
        var numerator = new float[rows];
        var denominator = new float[rows];
        numerator.AsSpan().Fill(1f);
        denominator.AsSpan().Fill(1f);
        foreach (int row in positiveRows) MultiplyShiftedCosines(row, query, cosines, numerator);
        foreach (int row in negativeRows) MultiplyShiftedCosines(row, query, cosines, denominator);
        for (int i = 0; i < rows; i++) numerator[i] /= denominator[i] + CosMulEpsilon;
        return Best(numerator, topN, [.. positiveRows, .. negativeRows]);
    }

    /// <summary>
    /// The <paramref name="topN"/> rows closest in cosine to <paramref name="query"/> (any vector, not one of the
    /// rows: a sentence's, say), closest first, as (key, cosine); all cosines are 0 for a zero query.
    /// </summary>
    /// <exception cref="ArgumentException">The query length is not <see cref="Dimension"/>.</exception>
    public IReadOnlyList<(string Word, float Similarity)> Nearest(ReadOnlySpan<float> query, int topN = 10)
    {
        CheckQueryLength(query.Length, nameof(query));
        var unit = query.ToArray();
        ScaleToUnitLength(unit);
        var scores = new float[SearchedRowCount(topN, 0)];
        CosineScores(unit, 0, scores);
        return Best(scores, topN, []);
    }

    /// <summary>Cosine similarity of two words' vectors (0 when either vector is zero).</summary>
    /// <exception cref="KeyNotFoundException">A word is not in the vocabulary.</exception>
    public float Similarity(string a, string b)
    {
        int rowA = RequireIndex(a), rowB = RequireIndex(b);
        return DotKernel.Dot(Vector(rowA), Vector(rowB)) * InverseNorms[rowA] * InverseNorms[rowB];
    }

    /// <summary>product[i] *= (1 + cos(row i, <paramref name="row"/>)) / 2.</summary>
    private void MultiplyShiftedCosines(int row, float[] query, float[] cosines, float[] product)
    {
        UnitVector(row, query);
        CosineScores(query, 0, cosines);
        for (int i = 0; i < product.Length; i++) product[i] *= (1f + cosines[i]) * 0.5f;
    }

    private (int[] Positive, int[] Negative) ResolveQuery(IReadOnlyList<string> positive, IReadOnlyList<string> negative)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        if (positive.Count + negative.Count == 0)
            throw new ArgumentException("A query needs at least one positive or negative word.", nameof(positive));
        var positiveRows = new int[positive.Count];
        for (int i = 0; i < positiveRows.Length; i++) positiveRows[i] = RequireIndex(positive[i]);
        var negativeRows = new int[negative.Count];
        for (int i = 0; i < negativeRows.Length; i++) negativeRows[i] = RequireIndex(negative[i]);
        return (positiveRows, negativeRows);
    }

    private int SearchedRowCount(int topN, int restrictTo)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topN);
        ArgumentOutOfRangeException.ThrowIfNegative(restrictTo);
        return restrictTo == 0 ? Count : Math.Min(restrictTo, Count);
    }

    /// <summary>The <paramref name="topN"/> best scores whose rows are not in <paramref name="excluded"/>.</summary>
    private List<(string Word, float Similarity)> Best(ReadOnlySpan<float> scores, int topN, int[] excluded)
    {
        // Asking the kernel for topN + |excluded| candidates and filtering afterwards avoids a per-row callback.
        int candidates = Math.Min(scores.Length, topN + excluded.Length);
        var bestRows = new int[candidates];
        var bestScores = new float[candidates];
        int found = TopKCosineKernel.SelectTopK(scores, candidates, bestRows, bestScores);
        var result = new List<(string Word, float Similarity)>(Math.Min(topN, found));
        for (int i = 0; i < found && result.Count < topN; i++)
        {
            if (Array.IndexOf(excluded, bestRows[i]) < 0) result.Add((_words[bestRows[i]], bestScores[i]));
        }
        return result;
    }
}
