using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>
/// Nearest rows of a matrix whose rows are unit length: scores = M·q (the vectorized part), then a bounded
/// min-heap selects the k best (ties broken by the lower row index, so results are deterministic).
/// </summary>
public static unsafe class TopKCosineKernel
{
    /// <summary>scores[r] = M[r]·query for every row, with the variant chosen at start-up.</summary>
    public static void Scores(float* matrix, nint stride, int rows, ReadOnlySpan<float> query, Span<float> scores)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: ScoresAvx512(matrix, stride, rows, query, scores); break;
            case Isa.Avx2: ScoresAvx2(matrix, stride, rows, query, scores); break;
            default: ScoresScalar(matrix, stride, rows, query, scores); break;
        }
    }

    /// <summary>Reference for <see cref="Scores"/>.</summary>
    public static void ScoresScalar(float* matrix, nint stride, int rows, ReadOnlySpan<float> query, Span<float> scores)
    {
        if (scores.Length < rows) throw new ArgumentException($"Scores hold {scores.Length}; {rows} rows.");
        for (int r = 0; r < rows; r++)
        {
            float* row = matrix + r * stride;
            float s = 0f;
            for (int c = 0; c < query.Length; c++) s += row[c] * query[c];
            scores[r] = s;
        }
    }

    /// <summary><see cref="Scores"/> with Vector256: four rows per pass share each load of the query.</summary>
    public static void ScoresAvx2(float* matrix, nint stride, int rows, ReadOnlySpan<float> query, Span<float> scores) =>
        ScoresVectorized<Simd256, Vector256<float>>(matrix, stride, rows, query, scores);

    /// <summary><see cref="Scores"/> with Vector512.</summary>
    public static void ScoresAvx512(float* matrix, nint stride, int rows, ReadOnlySpan<float> query, Span<float> scores) =>
        ScoresVectorized<Simd512, Vector512<float>>(matrix, stride, rows, query, scores);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoresVectorized<TSimd, TVec>(float* matrix, nint stride, int rows, ReadOnlySpan<float> query, Span<float> scores)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        if (scores.Length < rows) KernelErrors.ScoresTooShort(scores.Length, rows);
        int dim = query.Length, r = 0;
        fixed (float* q = query, s = scores)
        {
            for (; r <= rows - 4; r += 4)
            {
                float* row = matrix + r * stride;
                SimdLoop<TSimd, TVec>.Dot4(q, row, row + stride, row + 2 * stride, row + 3 * stride, dim,
                    out s[r], out s[r + 1], out s[r + 2], out s[r + 3]);
            }
            for (; r < rows; r++) s[r] = SimdLoop<TSimd, TVec>.Dot(q, matrix + r * stride, dim);
        }
    }

    /// <summary>
    /// The <paramref name="k"/> best rows among the first <paramref name="rows"/>, best first, skipping rows for
    /// which <paramref name="exclude"/> returns true. Returns how many were written (fewer when rows run out).
    /// </summary>
    public static int Search(float* matrix, nint stride, int rows, ReadOnlySpan<float> query, int k,
        Span<int> bestRows, Span<float> bestScores, Func<int, bool>? exclude = null)
    {
        var scores = new float[rows];
        Scores(matrix, stride, rows, query, scores);
        return SelectTopK(scores, k, bestRows, bestScores, exclude);
    }

    /// <summary>Selects the k largest scores, best first; ties go to the lower index.</summary>
    public static int SelectTopK(ReadOnlySpan<float> scores, int k, Span<int> bestRows, Span<float> bestScores,
        Func<int, bool>? exclude = null)
    {
        k = Math.Min(k, Math.Min(bestRows.Length, bestScores.Length));
        if (k <= 0) return 0;
        // Min-heap on (score, -index): its root is the weakest of the current best.
        int count = 0;
        for (int r = 0; r < scores.Length; r++)
        {
            if (exclude != null && exclude(r)) continue;
            float s = scores[r];
            if (float.IsNaN(s)) continue;
            if (count < k)
            {
                bestRows[count] = r;
                bestScores[count] = s;
                SiftUp(bestRows, bestScores, count++);
            }
            else if (Better(s, r, bestScores[0], bestRows[0]))
            {
                bestRows[0] = r;
                bestScores[0] = s;
                SiftDown(bestRows, bestScores, count);
            }
        }
        // Heap-sort in place: repeatedly move the weakest to the end.
        for (int end = count - 1; end > 0; end--)
        {
            (bestRows[0], bestRows[end]) = (bestRows[end], bestRows[0]);
            (bestScores[0], bestScores[end]) = (bestScores[end], bestScores[0]);
            SiftDown(bestRows, bestScores, end);
        }
        return count;
    }

    private static bool Better(float s, int r, float otherScore, int otherRow) =>
        s > otherScore || (s == otherScore && r < otherRow);

    private static void SiftUp(Span<int> rows, Span<float> scores, int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Better(scores[parent], rows[parent], scores[i], rows[i])) break;
            (rows[parent], rows[i]) = (rows[i], rows[parent]);
            (scores[parent], scores[i]) = (scores[i], scores[parent]);
            i = parent;
        }
    }

    private static void SiftDown(Span<int> rows, Span<float> scores, int count)
    {
        int i = 0;
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, weakest = i;
            if (left < count && Better(scores[weakest], rows[weakest], scores[left], rows[left])) weakest = left;
            if (right < count && Better(scores[weakest], rows[weakest], scores[right], rows[right])) weakest = right;
            if (weakest == i) return;
            (rows[weakest], rows[i]) = (rows[i], rows[weakest]);
            (scores[weakest], scores[i]) = (scores[i], scores[weakest]);
            i = weakest;
        }
    }
}
