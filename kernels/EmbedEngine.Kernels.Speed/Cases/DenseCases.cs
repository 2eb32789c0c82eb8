using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>
/// The neural-model kernels, counted in bytes moved: softmax, GELU and layer norm over
/// <see cref="SpeedShapes.DenseRows"/>×<see cref="SpeedShapes.DenseColumns"/> (in L2, so their GB/s may pass the
/// memory bandwidth), and Adam over <see cref="SpeedShapes.OptimizerParameters"/> (past the caches).
/// </summary>
internal static unsafe class DenseCases
{
    private const int Length = SpeedShapes.DenseRows * SpeedShapes.DenseColumns;

    private static readonly string Shape = $"{SpeedShapes.DenseRows}x{SpeedShapes.DenseColumns}";

    /// <summary>Row-wise softmax: reads x, writes y.</summary>
    public static SpeedCase Softmax()
    {
        var operands = new Operands();
        float* x = operands.Vector(Length, 4f), y = operands.Vector(Length, 0f);
        return SpeedCase.Of<RowsKernel>("Softmax", Shape, Work.Bytes(8.0 * Length),
            (SoftmaxKernel.ForwardScalar, SoftmaxKernel.ForwardAvx2, SoftmaxKernel.ForwardAvx512),
            softmax => () => softmax(new ReadOnlySpan<float>(x, Length), new Span<float>(y, Length), SpeedShapes.DenseColumns), operands);
    }

    /// <summary>GELU forward: reads x, writes y.</summary>
    public static SpeedCase Gelu()
    {
        var operands = new Operands();
        float* x = operands.Vector(Length, 4f), y = operands.Vector(Length, 0f);
        return SpeedCase.Of<MapKernel>("Gelu", Shape, Work.Bytes(8.0 * Length),
            (GeluKernel.ForwardScalar, GeluKernel.ForwardAvx2, GeluKernel.ForwardAvx512),
            gelu => () => gelu(new ReadOnlySpan<float>(x, Length), new Span<float>(y, Length)), operands);
    }

    /// <summary>Layer norm forward: reads x, writes y (γ, β and the per-row statistics are a rounding error).</summary>
    public static SpeedCase LayerNorm()
    {
        const int rows = SpeedShapes.DenseRows, columns = SpeedShapes.DenseColumns;
        var operands = new Operands();
        float* x = operands.Vector(Length), y = operands.Vector(Length, 0f);
        float* gamma = operands.Vector(columns), beta = operands.Vector(columns);
        float* mean = operands.Vector(rows, 0f), rstd = operands.Vector(rows, 0f);
        return SpeedCase.Of<LayerNormFn>("LayerNorm", Shape, Work.Bytes(8.0 * Length),
            (LayerNormKernel.ForwardScalar, LayerNormKernel.ForwardAvx2, LayerNormKernel.ForwardAvx512),
            norm => () => norm(new ReadOnlySpan<float>(x, Length), new ReadOnlySpan<float>(gamma, columns), new ReadOnlySpan<float>(beta, columns),
                1e-5f, new Span<float>(y, Length), new Span<float>(mean, rows), new Span<float>(rstd, rows)),
            operands);
    }

    /// <summary>Adam: reads w, g, m, v and writes w, m, v, 28 bytes a parameter.</summary>
    public static SpeedCase Adam()
    {
        const int n = SpeedShapes.OptimizerParameters;
        var operands = new Operands();
        float* w = operands.Vector(n), g = operands.Vector(n, 1e-3f), m = operands.Vector(n, 0f), v = operands.Vector(n, 0f);
        var settings = new AdamSettings();
        int step = 0;
        return SpeedCase.Of<AdamFn>("Adam", $"{n / (1 << 20)}Mi", Work.Bytes(28.0 * n), (AdamKernel.Scalar, AdamKernel.Avx2, AdamKernel.Avx512),
            adam => () => adam(new Span<float>(w, n), new ReadOnlySpan<float>(g, n), new Span<float>(m, n), new Span<float>(v, n), settings, ++step),
            operands);
    }
}
