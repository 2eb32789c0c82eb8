using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// The dense kernels' cases for the shared harness. The shape's length is the column count; each case draws one to
/// four rows. Large values become logits of ±80 with one row all equal (softmax, cross-entropy) or rows with a
/// large mean and one of zero variance (layer norm). Tolerances come from the operation's error analysis: where a
/// variant uses the vector exp, tanh or σ, from their stated relative errors in <see cref="SimdMath"/>; results
/// under the smallest normal float may flush to zero (<see cref="Floor"/>).
/// </summary>
public static partial class DenseKernelCases
{
    /// <summary>Every dense case.</summary>
    public static readonly KernelCase[] All =
    [
        new("Softmax.Forward", SoftmaxForward),
        new("Softmax.Backward", SoftmaxBackward),
        new("LogSoftmax.Forward", LogSoftmaxForward),
        new("LogSoftmax.Backward", LogSoftmaxBackward),
        new("Gelu.Forward", GeluForward),
        new("Gelu.Backward", GeluBackward),
        new("Tanh.Forward", TanhForward),
        new("Tanh.Backward", TanhBackward),
        new("SigmoidKernel.Forward", SigmoidForward),
        new("SigmoidKernel.Backward", SigmoidBackward),
        new("Relu.Forward", ReluForward),
        new("Relu.Backward", ReluBackward),
        new("Dropout", Dropout),
        new("LayerNorm.Forward", LayerNormForward),
        new("LayerNorm.Backward", LayerNormBackward),
        new("L2Normalize.Forward", L2NormalizeForward),
        new("L2Normalize.Backward", L2NormalizeBackward),
        new("LstmCell.Forward", LstmForward),
        new("LstmCell.Backward", LstmBackward),
        new("Embedding.Gather", EmbeddingGather),
        new("Embedding.ScatterAdd", EmbeddingScatterAdd),
        new("EmbeddingBag.Mean", EmbeddingBagMean),
        new("EmbeddingBag.MeanBackward", EmbeddingBagMeanBackward),
        new("CrossEntropy", CrossEntropy),
        new("Reduction.Sum", s => Reduction(s, ReductionKind.Sum)),
        new("Reduction.SumOfSquares", s => Reduction(s, ReductionKind.SumOfSquares)),
        new("Reduction.Max", s => Reduction(s, ReductionKind.Max)),
        new("Reduction.AddColumnSums", AddColumnSums),
        new("Sgd.Momentum", s => Sgd(s, nesterov: false)),
        new("Sgd.Nesterov", s => Sgd(s, nesterov: true)),
        new("AdaGrad", AdaGrad),
        new("Adam", s => Adam(s, decoupled: false)),
        new("AdamW", s => Adam(s, decoupled: true)),
        new("GradientClip", GradientClip),
    ];

    /// <summary>The magnitude under which a vector result may be 0 where the reference keeps a subnormal.</summary>
    private const double Floor = SimdMath.SmallestNormal;

    private const double U = Bounds.U;

    /// <summary>How far two evaluations of e^(x − max) / Σ may differ, relatively: exp (vector or MathF), the n-term sum, two roundings.</summary>
    private static double SoftmaxSpread(int n) => 2 * (SimdMath.ExpNonPositiveRelativeError + Bounds.Gamma(Math.Max(n, 1)) + 2 * U);

    private static int Rows(Shape s) => 1 + s.Rng.Next(4);

    /// <summary>Logits; large values are scaled to ±80, and row 0 is then all one value.</summary>
    private static float[] Logits(Shape s, int rows)
    {
        float[] x = s.Vector(rows * s.Length);
        if (s.Values != Values.Large) return x;
        for (int i = 0; i < x.Length; i++) x[i] *= 10f;
        Array.Fill(x, x.Length > 0 ? x[0] : 0f, 0, s.Length);
        return x;
    }

    /// <summary>Row r's softmax in double, and its max and ln Σ e^(x − max).</summary>
    private static (double[] P, double Max, double LogSum) Softmax(float[] x, int r, int n)
    {
        double max = double.NegativeInfinity, sum = 0;
        for (int c = 0; c < n; c++) max = Math.Max(max, x[r * n + c]);
        var p = new double[n];
        for (int c = 0; c < n; c++) sum += p[c] = Math.Exp(x[r * n + c] - max);
        for (int c = 0; c < n; c++) p[c] /= sum;
        return (p, max, Math.Log(sum));
    }
}
