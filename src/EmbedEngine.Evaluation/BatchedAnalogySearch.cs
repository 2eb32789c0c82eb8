using System.Numerics;
using EmbedEngine.Kernels;
using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation;

/// <summary>
/// Ranks the candidate answers of many analogy questions at once.
/// <para>
/// Scoring: query vectors are scored against the considered rows in tiles (a batch of queries against a block of
/// rows that stays in cache), so the matrix is read from memory once per batch of queries rather than once per
/// query, and tiles run in parallel.
/// </para>
/// <para>
/// Reuse: benchmark files ask about few distinct words (questions-words.txt: 19,544 questions over about 900
/// words), and both methods only need each word's cosines with every candidate: 3CosAdd ranks by
/// cos(w, b) - cos(w, a) + cos(w, c) (the same order as the cosine with the normalised b - a + c) and 3CosMul
/// combines the same three cosines. So when the questions have fewer distinct words than questions, each word is
/// scored once and every question combines three cached rows. Otherwise (3CosAdd over mostly distinct words)
/// each question is scored with its own b - a + c query, one query per question instead of three.
/// </para>
/// </summary>
internal static class BatchedAnalogySearch
{
    /// <summary>Memory for cached score rows, per chunk of questions: 128 MiB holds 1,100 words × 30,000 candidates.</summary>
    public const long DefaultScoreBudgetBytes = 128L << 20;

    /// <summary>Queries per tile: 64 queries of 300 floats take 77 KB, small beside a core's L2.</summary>
    private const int QueriesPerTile = 64;

    /// <summary>Rows per cache block: 256 rows of 300 floats take 300 KB, which stays in L2 while a tile's queries pass.</summary>
    private const int RowsPerBlock = 256;

    /// <summary>Rows per tile: enough blocks that a tile's work dwarfs the cost of scheduling it.</summary>
    private const int RowsPerTile = 16 * RowsPerBlock;

    /// <summary>
    /// For each question, the <paramref name="candidates"/> best rows among the first <paramref name="rows"/>, best
    /// first, in a flat array (question i at [i·candidates, (i+1)·candidates), padded with -1).
    /// </summary>
    public static int[] TopRows(KeyedVectors vectors, int rows, IReadOnlyList<(int A, int B, int C)> questions,
        AnalogyMethod method, int candidates, long scoreBudgetBytes = DefaultScoreBudgetBytes)
    {
        var best = new int[questions.Count * candidates];
        best.AsSpan().Fill(-1);
        if (rows == 0 || questions.Count == 0) return best;
        bool byWord = method == AnalogyMethod.CosMul || DistinctWords(questions) < questions.Count;
        // At least one question's three words must fit, whatever the budget.
        int maxQueries = (int)Math.Clamp(scoreBudgetBytes / ((long)rows * sizeof(float)), 3, questions.Count * 3L);
        var scores = new float[(long)maxQueries * rows];
        var queries = new float[(long)maxQueries * vectors.Dimension];
        var chunk = new AnalogyChunk(byWord);
        for (int start = 0; start < questions.Count; start += chunk.Questions.Count)
        {
            chunk.Fill(questions, start, maxQueries);
            for (int q = 0; q < chunk.QueryCount; q++)
            {
                Span<float> query = queries.AsSpan(q * vectors.Dimension, vectors.Dimension);
                if (byWord)
                {
                    vectors.UnitVector(chunk.Words[q], query);
                }
                else
                {
                    var (a, b, c) = chunk.Questions[q];
                    vectors.CombineUnitVectors([b, c], [a], query);
                }
            }
            ScoreAll(vectors, rows, queries, chunk.QueryCount, scores);
            RankAll(rows, method, candidates, chunk, scores, best.AsSpan(start * candidates, chunk.Questions.Count * candidates));
        }
        return best;
    }

    /// <summary>scores[q·rows + r] = cosine of row r with query q, tile by tile in parallel.</summary>
    private static void ScoreAll(KeyedVectors vectors, int rows, float[] queries, int queryCount, float[] scores)
    {
        int dimension = vectors.Dimension;
        int queryTiles = (queryCount + QueriesPerTile - 1) / QueriesPerTile;
        int rowTiles = (rows + RowsPerTile - 1) / RowsPerTile;
        Parallel.For(0, queryTiles * rowTiles, tile =>
        {
            int firstQuery = tile / rowTiles * QueriesPerTile, lastQuery = Math.Min(queryCount, firstQuery + QueriesPerTile);
            int firstRow = tile % rowTiles * RowsPerTile, lastRow = Math.Min(rows, firstRow + RowsPerTile);
            for (int blockStart = firstRow; blockStart < lastRow; blockStart += RowsPerBlock)
            {
                int blockRows = Math.Min(RowsPerBlock, lastRow - blockStart);
                for (int q = firstQuery; q < lastQuery; q++)
                    vectors.CosineScores(queries.AsSpan(q * dimension, dimension), blockStart,
                        scores.AsSpan(q * rows + blockStart, blockRows));
            }
        });
    }

    /// <summary>Combines each question's score rows and selects its best candidates, questions in parallel.</summary>
    private static void RankAll(int rows, AnalogyMethod method, int candidates, AnalogyChunk chunk, float[] scores, Span<int> best)
    {
        int[] bestOfChunk = new int[best.Length];
        Parallel.For(0, chunk.Questions.Count,
            () => new RankBuffers(chunk.ByWord ? rows : 0, candidates),
            (i, _, buffers) =>
            {
                ReadOnlySpan<float> ranking;
                if (!chunk.ByWord)
                {
                    ranking = scores.AsSpan(i * rows, rows);
                }
                else
                {
                    var (a, b, c) = chunk.QuestionSlots[i];
                    ReadOnlySpan<float> toA = scores.AsSpan(a * rows, rows), toB = scores.AsSpan(b * rows, rows),
                        toC = scores.AsSpan(c * rows, rows);
                    if (method == AnalogyMethod.CosAdd) CosAdd(toA, toB, toC, buffers.Combined);
                    else CosMul(toA, toB, toC, buffers.Combined);
                    ranking = buffers.Combined;
                }
                int found = TopKCosineKernel.SelectTopK(ranking, candidates, buffers.BestRows, buffers.BestScores);
                buffers.BestRows.AsSpan(0, found).CopyTo(bestOfChunk.AsSpan(i * candidates, candidates));
                bestOfChunk.AsSpan(i * candidates + found, candidates - found).Fill(-1);
                return buffers;
            },
            _ => { });
        bestOfChunk.CopyTo(best);
    }

    /// <summary>cos(w, b) - cos(w, a) + cos(w, c): ranks like the cosine with the normalised b - a + c.</summary>
    private static void CosAdd(ReadOnlySpan<float> toA, ReadOnlySpan<float> toB, ReadOnlySpan<float> toC, Span<float> combined)
    {
        int r = 0;
        for (; r <= combined.Length - Vector<float>.Count; r += Vector<float>.Count)
            (new Vector<float>(toB[r..]) - new Vector<float>(toA[r..]) + new Vector<float>(toC[r..])).CopyTo(combined[r..]);
        for (; r < combined.Length; r++) combined[r] = toB[r] - toA[r] + toC[r];
    }

    /// <summary>
    /// Levy &amp; Goldberg's 3CosMul from the cosines with a, b and c, the same formula as
    /// <see cref="KeyedVectors.MostSimilarCosMul"/>.
    /// </summary>
    private static void CosMul(ReadOnlySpan<float> toA, ReadOnlySpan<float> toB, ReadOnlySpan<float> toC, Span<float> combined)
    {
        var one = Vector<float>.One;
        var half = new Vector<float>(0.5f);
        var epsilon = new Vector<float>(KeyedVectors.CosMulEpsilon);
        int r = 0;
        for (; r <= combined.Length - Vector<float>.Count; r += Vector<float>.Count)
        {
            Vector<float> shiftedA = (one + new Vector<float>(toA[r..])) * half;
            Vector<float> shiftedB = (one + new Vector<float>(toB[r..])) * half;
            Vector<float> shiftedC = (one + new Vector<float>(toC[r..])) * half;
            (shiftedB * shiftedC / (shiftedA + epsilon)).CopyTo(combined[r..]);
        }
        for (; r < combined.Length; r++)
        {
            float shiftedA = (1f + toA[r]) * 0.5f, shiftedB = (1f + toB[r]) * 0.5f, shiftedC = (1f + toC[r]) * 0.5f;
            combined[r] = shiftedB * shiftedC / (shiftedA + KeyedVectors.CosMulEpsilon);
        }
    }

    private static int DistinctWords(IReadOnlyList<(int A, int B, int C)> questions)
    {
        var words = new HashSet<int>();
        foreach (var (a, b, c) in questions)
        {
            words.Add(a);
            words.Add(b);
            words.Add(c);
        }
        return words.Count;
    }

    /// <summary>One worker's buffers for combining and selecting, reused across the questions it ranks.</summary>
    private sealed class RankBuffers(int combinedLength, int candidates)
    {
        public float[] Combined { get; } = new float[combinedLength];

        public int[] BestRows { get; } = new int[candidates];

        public float[] BestScores { get; } = new float[candidates];
    }
}
