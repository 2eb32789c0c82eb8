using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>One retrieved candidate.</summary>
/// <param name="Index">Its row in the candidate matrix.</param>
/// <param name="Cosine">Its cosine similarity with the query.</param>
public readonly record struct RetrievalHit(int Index, float Cosine);

public static partial class CrossModalRetrieval
{
    /// <summary>
    /// The <paramref name="k"/> candidates closest in cosine to <paramref name="query"/>, best first, ties to the lower
    /// index (fewer when there are fewer candidates). Candidates are normalized a block at a time, not copied whole.
    /// </summary>
    /// <param name="query">One embedding of <paramref name="candidates"/>' dimension (an image to find captions for, or a caption).</param>
    /// <param name="candidates">The embeddings to search, N × d.</param>
    /// <param name="k">How many to return, at least 1.</param>
    /// <exception cref="ArgumentException">The query's length differs from the dimension, something is empty or not finite, or k is below 1.</exception>
    public static RetrievalHit[] TopK(ReadOnlySpan<float> query, EmbeddingMatrix candidates, int k)
    {
        MultimodalChecks.NonEmptyFinite(candidates, nameof(candidates));
        if (query.Length != candidates.Dimension)
            throw new ArgumentException($"The query has {query.Length} floats; the candidates have dimension {candidates.Dimension}.",
                nameof(query));
        if (k < 1) throw new ArgumentException($"k must be at least 1, not {k}.", nameof(k));
        var queryMatrix = new EmbeddingMatrix(query.ToArray(), 1, query.Length);
        MultimodalChecks.NonEmptyFinite(queryMatrix, nameof(query));
        float[] queryUnit = CosineScores.Normalized(queryMatrix);

        int n = candidates.Rows, d = candidates.Dimension, block = CosineScores.DefaultBlockRows;
        var scores = new float[n];
        var blockUnit = new float[Math.Min(block, n) * d];
        var norms = new float[block];
        for (int start = 0; start < n; start += block)
        {
            int rows = Math.Min(block, n - start);
            Span<float> unit = blockUnit.AsSpan(0, rows * d);
            L2NormalizeKernel.Forward(candidates.Data.AsSpan(start * d, rows * d), L2NormalizeKernel.DefaultEpsilon, unit,
                norms.AsSpan(0, rows));
            // One query row against this block's candidates: a 1 × rows slice of the scores.
            CosineScores.Block(queryUnit, unit, rows, d, scores.AsSpan(start, rows));
        }
        k = Math.Min(k, n);
        var rowsFound = new int[k];
        var best = new float[k];
        int found = TopKCosineKernel.SelectTopK(scores, k, rowsFound, best);
        var hits = new RetrievalHit[found];
        for (int i = 0; i < found; i++) hits[i] = new RetrievalHit(rowsFound[i], best[i]);
        return hits;
    }
}
