using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>CLIP's InfoNCE loss fused with its backward pass, on one thread, at <see cref="SpeedShapes.InfoNceBatch"/> pairs of <see cref="SpeedShapes.InfoNceDim"/>.</summary>
internal static unsafe class LossCases
{
    /// <summary>
    /// Three N × N × d products: the logits I·Tᵀ, dI = G·T and dT = Gᵀ·I, 6N²d flops; the softmaxes are O(N²) beside them.
    /// </summary>
    public static SpeedCase InfoNce()
    {
        const int n = SpeedShapes.InfoNceBatch, d = SpeedShapes.InfoNceDim;
        var operands = new Operands();
        (NativeMatrix imageRows, NativeMatrix textRows) = BenchmarkData.CaptionedPairs(n, d);
        float* image = operands.Own(imageRows).Data, text = operands.Own(textRows).Data;
        float* imageGrad = operands.Vector(n * d, 0f), textGrad = operands.Vector(n * d, 0f), logScaleGrad = operands.Vector(1, 0f);
        float logScale = BenchmarkData.ClipInitialLogScale;
        return SpeedCase.Of<InfoNceFn>("InfoNce", $"N={n}, d={d}", Work.Flops(6.0 * n * n * d),
            ((image, text, count, negatives, dimension, logScale, maxScale, imageGrad, textGrad, logScaleGrad, threads) =>
                InfoNceKernel.Scalar(image, text, count, negatives, dimension, logScale, maxScale, imageGrad, textGrad, logScaleGrad), // one thread, no count
             InfoNceKernel.Avx2, InfoNceKernel.Avx512),
            loss => () => Sink.Result = loss(image, text, n, 0, d, logScale, InfoNceKernel.ClipMaxScale, imageGrad, textGrad, logScaleGrad, 1),
            operands);
    }
}
