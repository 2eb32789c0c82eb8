using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>Reductions of a span, Σx, Σx² and max x, and the column sums of a row-major matrix (a bias's gradient).</summary>
public static unsafe class ReductionKernel
{
    /// <summary>Σ x, with the variant chosen at start-up.</summary>
    public static float Sum(ReadOnlySpan<float> x) => IsaDispatch.Active switch
    {
        Isa.Avx512 => SumAvx512(x),
        Isa.Avx2 => SumAvx2(x),
        _ => SumScalar(x),
    };

    /// <summary>Σ x², with the variant chosen at start-up.</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x) => IsaDispatch.Active switch
    {
        Isa.Avx512 => SumOfSquaresAvx512(x),
        Isa.Avx2 => SumOfSquaresAvx2(x),
        _ => SumOfSquaresScalar(x),
    };

    /// <summary>max x (−∞ for an empty span), with the variant chosen at start-up.</summary>
    public static float Max(ReadOnlySpan<float> x) => IsaDispatch.Active switch
    {
        Isa.Avx512 => MaxAvx512(x),
        Isa.Avx2 => MaxAvx2(x),
        _ => MaxScalar(x),
    };

    /// <summary>Adds the column sums of x [rows, columns] into <paramref name="sums"/>, with the variant chosen at start-up.</summary>
    public static void AddColumnSums(ReadOnlySpan<float> x, Span<float> sums)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: AddColumnSumsAvx512(x, sums); break;
            case Isa.Avx2: AddColumnSumsAvx2(x, sums); break;
            default: AddColumnSumsScalar(x, sums); break;
        }
    }

    /// <summary>Reference.</summary>
    public static float SumScalar(ReadOnlySpan<float> x)
    {
        float sum = 0f;
        foreach (float v in x) sum += v;
        return sum;
    }

    /// <summary>Reference.</summary>
    public static float SumOfSquaresScalar(ReadOnlySpan<float> x)
    {
        float sum = 0f;
        foreach (float v in x) sum += v * v;
        return sum;
    }

    /// <summary>Reference.</summary>
    public static float MaxScalar(ReadOnlySpan<float> x)
    {
        float max = float.NegativeInfinity;
        foreach (float v in x) max = Math.Max(max, v);
        return max;
    }

    /// <summary>Reference.</summary>
    public static void AddColumnSumsScalar(ReadOnlySpan<float> x, Span<float> sums)
    {
        int columns = sums.Length, rows = RowMajor.Rows(x.Length, columns);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) sums[c] += x[r * columns + c];
    }

    /// <summary>Vector256.</summary>
    public static float SumAvx2(ReadOnlySpan<float> x)
    {
        fixed (float* p = x) return SimdLoop<Simd256, Vector256<float>>.Sum(p, x.Length);
    }

    /// <summary>Vector512.</summary>
    public static float SumAvx512(ReadOnlySpan<float> x)
    {
        fixed (float* p = x) return SimdLoop<Simd512, Vector512<float>>.Sum(p, x.Length);
    }

    /// <summary>Vector256.</summary>
    public static float SumOfSquaresAvx2(ReadOnlySpan<float> x)
    {
        fixed (float* p = x) return SimdLoop<Simd256, Vector256<float>>.SumOfSquares(p, x.Length, 0f);
    }

    /// <summary>Vector512.</summary>
    public static float SumOfSquaresAvx512(ReadOnlySpan<float> x)
    {
        fixed (float* p = x) return SimdLoop<Simd512, Vector512<float>>.SumOfSquares(p, x.Length, 0f);
    }

    /// <summary>Vector256.</summary>
    public static float MaxAvx2(ReadOnlySpan<float> x)
    {
        fixed (float* p = x) return SimdLoop<Simd256, Vector256<float>>.Max(p, x.Length);
    }

    /// <summary>Vector512.</summary>
    public static float MaxAvx512(ReadOnlySpan<float> x)
    {
        fixed (float* p = x) return SimdLoop<Simd512, Vector512<float>>.Max(p, x.Length);
    }

    /// <summary>Vector256.</summary>
    public static void AddColumnSumsAvx2(ReadOnlySpan<float> x, Span<float> sums) =>
        AddColumnSums<Simd256, Vector256<float>>(x, sums);

    /// <summary>Vector512.</summary>
    public static void AddColumnSumsAvx512(ReadOnlySpan<float> x, Span<float> sums) =>
        AddColumnSums<Simd512, Vector512<float>>(x, sums);

    /// <summary>Row by row, each added to the sums with one vector add per chunk (the sums stay in L1).</summary>
    private static void AddColumnSums<TSimd, TVec>(ReadOnlySpan<float> x, Span<float> sums)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int columns = sums.Length, rows = RowMajor.Rows(x.Length, columns);
        TVec one = TSimd.Create(1f);
        fixed (float* px = x, ps = sums)
            for (int r = 0; r < rows; r++)
                SimdLoop<TSimd, TVec>.Columns(columns, new AxpyKernel.Step<TSimd, TVec>(one, px + (nint)r * columns, ps));
    }
}
