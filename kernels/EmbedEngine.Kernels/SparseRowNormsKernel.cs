using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>The Euclidean norm of every row of a CSR matrix: norms[r] = √(Σ_j values[j]²) over row r's nonzeros.</summary>
public static unsafe class SparseRowNormsKernel
{
    /// <summary>Fills <paramref name="norms"/> (one per row) with the variant chosen at start-up.</summary>
    /// <param name="rowStarts">CSR row starts (rows + 1 entries, the last at most the length of <paramref name="values"/>).</param>
    /// <param name="values">CSR values.</param>
    /// <param name="norms">Receives one norm per row; an empty row gets 0.</param>
    public static void Norms(ReadOnlySpan<long> rowStarts, ReadOnlySpan<float> values, Span<float> norms)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(rowStarts, values, norms); break;
            case Isa.Avx2: Avx2(rowStarts, values, norms); break;
            default: Scalar(rowStarts, values, norms); break;
        }
    }

    /// <summary>Reference: one sequential sum of squares per row.</summary>
    public static void Scalar(ReadOnlySpan<long> rowStarts, ReadOnlySpan<float> values, Span<float> norms)
    {
        CheckShape(rowStarts, values, norms);
        for (int r = 0; r < norms.Length; r++)
        {
            float sum = 0f;
            for (long j = rowStarts[r]; j < rowStarts[r + 1]; j++) sum += values[(int)j] * values[(int)j];
            norms[r] = MathF.Sqrt(sum);
        }
    }

    /// <summary>Vector256: each row's sum of squares with the shared four-chain dot loop and a masked tail.</summary>
    public static void Avx2(ReadOnlySpan<long> rowStarts, ReadOnlySpan<float> values, Span<float> norms) =>
        Vectorized<Simd256, Vector256<float>>(rowStarts, values, norms);

    /// <summary>Vector512: as <see cref="Avx2"/>.</summary>
    public static void Avx512(ReadOnlySpan<long> rowStarts, ReadOnlySpan<float> values, Span<float> norms) =>
        Vectorized<Simd512, Vector512<float>>(rowStarts, values, norms);

    private static void Vectorized<TSimd, TVec>(ReadOnlySpan<long> rowStarts, ReadOnlySpan<float> values, Span<float> norms)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        CheckShape(rowStarts, values, norms);
        fixed (float* pv = values)
        {
            for (int r = 0; r < norms.Length; r++)
            {
                float* row = pv + rowStarts[r];
                norms[r] = MathF.Sqrt(SimdLoop<TSimd, TVec>.Dot(row, row, (int)(rowStarts[r + 1] - rowStarts[r])));
            }
        }
    }

    private static void CheckShape(ReadOnlySpan<long> rowStarts, ReadOnlySpan<float> values, Span<float> norms)
    {
        if (norms.Length + 1 != rowStarts.Length) SparseKernelErrors.NormsLength(norms.Length, rowStarts.Length - 1);
        if (norms.Length > 0 && rowStarts[norms.Length] > values.Length)
            SparseKernelErrors.RowsOutside(0, norms.Length, norms.Length);
    }
}
