namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// Image–text retrieval on paired embeddings (image i goes with caption i): each image queries all captions and each
/// caption all images by cosine, and Recall@K is the share of queries whose partner ranks within the first K.
/// <para>
/// Ties are broken at random, in expectation: a partner that h candidates beat and t others tie with sits at each of
/// ranks h + 1 … h + t + 1 with equal chance, so its Recall@K is the share of those ranks within K and its rank is
/// their mean. A model that maps many inputs to one point is then scored as a guess among them, not as a hit (a
/// text encoder that reads only the class word ties every caption of a class).
/// </para>
/// Scores are computed 256 queries at a time through SGEMM, so memory grows with 256·N, never N² (10k pairs need a
/// 10 MB block).
/// </summary>
public static partial class CrossModalRetrieval
{
    /// <summary>The cut-offs reported when none are given: Recall@1, @5 and @10.</summary>
    public static IReadOnlyList<int> DefaultKs { get; } = [1, 5, 10];

    /// <summary>Recall@K both ways over N image–caption pairs.</summary>
    /// <param name="images">Image embeddings, N × d; row i pairs with row i of <paramref name="texts"/>.</param>
    /// <param name="texts">Caption embeddings, N × d.</param>
    /// <param name="ks">The cut-offs K (each at least 1), in the order to report them; default <see cref="DefaultKs"/>.</param>
    /// <exception cref="ArgumentException">A matrix is empty or not finite, the shapes differ, or a K is below 1.</exception>
    public static RetrievalReport Evaluate(EmbeddingMatrix images, EmbeddingMatrix texts, IReadOnlyList<int>? ks = null) =>
        Evaluate(images, texts, ks, CosineScores.DefaultBlockRows);

    /// <summary>
    /// For every query i, the expected rank of candidate i among all candidates by cosine (1 is best; ties broken at
    /// random, as in the class summary).
    /// </summary>
    /// <param name="queries">Query embeddings, N × d.</param>
    /// <param name="candidates">Candidate embeddings, N × d; row i is the right answer for query i.</param>
    /// <exception cref="ArgumentException">A matrix is empty or not finite, or the shapes differ.</exception>
    public static double[] Ranks(EmbeddingMatrix queries, EmbeddingMatrix candidates)
    {
        CheckPairs(queries, nameof(queries), candidates, nameof(candidates));
        return [.. Places(CosineScores.Normalized(queries), CosineScores.Normalized(candidates), queries.Rows, queries.Dimension,
            CosineScores.DefaultBlockRows).Select(p => p.ExpectedRank)];
    }

    internal static RetrievalReport Evaluate(EmbeddingMatrix images, EmbeddingMatrix texts, IReadOnlyList<int>? ks, int blockRows)
    {
        CheckPairs(images, nameof(images), texts, nameof(texts));
        int[] cutoffs = [.. ks ?? DefaultKs];
        if (cutoffs.Length == 0) throw new ArgumentException("No cut-offs K were given.", nameof(ks));
        foreach (int k in cutoffs)
            if (k < 1) throw new ArgumentException($"Recall@K needs K ≥ 1, not {k}.", nameof(ks));
        int n = images.Rows, d = images.Dimension;
        float[] imageUnit = CosineScores.Normalized(images), textUnit = CosineScores.Normalized(texts);
        Place[] imageToText = Places(imageUnit, textUnit, n, d, blockRows);
        Place[] textToImage = Places(textUnit, imageUnit, n, d, blockRows);
        return new RetrievalReport(n, cutoffs, [.. cutoffs.Select(k => Recall(imageToText, k))],
            [.. cutoffs.Select(k => Recall(textToImage, k))], MedianRank(imageToText), MedianRank(textToImage));
    }

    /// <summary>Where a query's partner stands: beaten by <see cref="Higher"/> candidates, tied with <see cref="Tied"/> others.</summary>
    internal readonly record struct Place(int Higher, int Tied)
    {
        /// <summary>The mean of the ranks the ties allow.</summary>
        public double ExpectedRank => 1 + Higher + Tied / 2.0;

        /// <summary>The chance that a random order of the ties puts the partner within the first <paramref name="k"/>.</summary>
        public double WithinRank(int k) => Math.Clamp((double)(k - Higher) / (Tied + 1), 0, 1);
    }

    internal static Place[] Places(float[] queryUnit, float[] candidateUnit, int n, int d, int blockRows)
    {
        var scores = new float[Math.Min(blockRows, n) * n];
        var places = new Place[n];
        for (int start = 0; start < n; start += blockRows)
        {
            int rows = Math.Min(blockRows, n - start);
            CosineScores.Block(queryUnit.AsSpan(start * d, rows * d), candidateUnit, n, d, scores);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> row = scores.AsSpan(r * n, n);
                float partner = row[start + r];
                int higher = 0, equal = 0;
                foreach (float score in row)
                {
                    if (score > partner) higher++;
                    else if (score == partner) equal++;
                }
                places[start + r] = new Place(higher, equal - 1);
            }
        }
        return places;
    }

    private static double Recall(Place[] places, int k) => places.Sum(p => p.WithinRank(k)) / places.Length;

    private static double MedianRank(Place[] places)
    {
        double[] sorted = [.. places.Select(p => p.ExpectedRank)];
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    private static void CheckPairs(EmbeddingMatrix first, string firstName, EmbeddingMatrix second, string secondName)
    {
        MultimodalChecks.NonEmptyFinite(first, firstName);
        MultimodalChecks.NonEmptyFinite(second, secondName);
        MultimodalChecks.SameDimension(first, firstName, second, secondName);
        MultimodalChecks.SameRows(first, firstName, second, secondName);
    }
}
