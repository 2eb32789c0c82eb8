using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gemm;

namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// Cosine scores between embeddings: rows are L2-normalized (as F.normalize: an all-zero row stays zero and scores 0
/// against everything), then a block of queries meets all candidates in one SGEMM, so the full query × candidate
/// matrix never has to exist at once.
/// </summary>
internal static class CosineScores
{
    /// <summary>Query rows per SGEMM block: a 256 × 10k block of scores is 10 MB.</summary>
    public const int DefaultBlockRows = 256;

    /// <summary>A copy of <paramref name="matrix"/> with unit rows.</summary>
    public static float[] Normalized(EmbeddingMatrix matrix)
    {
        var normalized = new float[matrix.Data.Length];
        L2NormalizeKernel.Forward(matrix.Data, L2NormalizeKernel.DefaultEpsilon, normalized, new float[matrix.Rows]);
        return normalized;
    }

    /// <summary>
    /// scores[r, j] = queries[r] · candidates[j] for the <c>scores.Length / candidateRows</c> query rows given, where
    /// both sides are row-major with <paramref name="dimension"/> columns and already normalized.
    /// </summary>
    public static void Block(ReadOnlySpan<float> queries, ReadOnlySpan<float> candidates, int candidateRows, int dimension,
        Span<float> scores)
    {
        int queryRows = queries.Length / dimension;
        SgemmKernel.Multiply(transposeA: false, transposeB: true, queryRows, candidateRows, dimension, 1f,
            queries, dimension, candidates, dimension, 0f, scores[..(queryRows * candidateRows)], candidateRows);
    }
}
