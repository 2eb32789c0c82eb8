using EmbedEngine.Kernels.Gemm;

namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// The loss of multinomial logistic regression and its gradient, for L-BFGS. The parameters are W (d × C, row-major)
/// followed by b (C); with logits Z = X·W + b,
/// L = (1/N) Σᵢ [log Σ_c exp Zᵢc − Zᵢyᵢ] + (λ/2)‖W‖², ∂L/∂Z = (softmax(Z) − onehot(y)) / N,
/// ∂L/∂W = Xᵀ·∂L/∂Z + λW, ∂L/∂b = Σᵢ ∂L/∂Zᵢ. The two N×d·d×C products run through SGEMM in float; the
/// softmax, the sums and the parameters stay in double.
/// </summary>
internal sealed class SoftmaxRegressionObjective
{
    private readonly float[] _features;
    private readonly int[] _labels;
    private readonly float[] _weights;
    private readonly float[] _logits;
    private readonly float[] _weightGradient;

    /// <param name="features">N × d standardized features, row-major.</param>
    /// <param name="rows">N.</param>
    /// <param name="dimension">d.</param>
    /// <param name="labels">N labels in [0, C).</param>
    /// <param name="classes">C.</param>
    /// <param name="l2">λ.</param>
    public SoftmaxRegressionObjective(float[] features, int rows, int dimension, int[] labels, int classes, double l2)
    {
        (_features, _labels, Rows, Dimension, Classes, L2) = (features, labels, rows, dimension, classes, l2);
        _weights = new float[dimension * classes];
        _weightGradient = new float[dimension * classes];
        _logits = new float[rows * classes];
    }

    public int Rows { get; }

    public int Dimension { get; }

    public int Classes { get; }

    public double L2 { get; }

    /// <summary>(d + 1)·C: the weights, then the biases.</summary>
    public int ParameterCount => (Dimension + 1) * Classes;

    /// <summary>The loss at <paramref name="parameters"/>; writes its gradient to <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        int n = Rows, d = Dimension, c = Classes, weightCount = d * c;
        for (int i = 0; i < weightCount; i++) _weights[i] = (float)parameters[i];
        SgemmKernel.Multiply(false, false, n, c, d, 1f, _features, d, _weights, c, 0f, _logits, c);

        ReadOnlySpan<double> bias = parameters.Slice(weightCount, c);
        Span<double> biasGradient = gradient.Slice(weightCount, c);
        biasGradient.Clear();
        double crossEntropy = 0;
        for (int i = 0; i < n; i++)
        {
            // In place: the row's logits become its ∂L/∂Z, the right-hand side of the weight-gradient product.
            Span<float> row = _logits.AsSpan(i * c, c);
            double max = double.NegativeInfinity;
            for (int j = 0; j < c; j++) max = Math.Max(max, row[j] + bias[j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.Exp(row[j] + bias[j] - max);
            double logSumExp = max + Math.Log(sum);
            crossEntropy += logSumExp - (row[_labels[i]] + bias[_labels[i]]);
            for (int j = 0; j < c; j++)
            {
                double dz = (Math.Exp(row[j] + bias[j] - logSumExp) - (j == _labels[i] ? 1 : 0)) / n;
                biasGradient[j] += dz;
                row[j] = (float)dz;
            }
        }
        SgemmKernel.Multiply(true, false, d, c, n, 1f, _features, d, _logits, c, 0f, _weightGradient, c);

        double squares = 0;
        for (int i = 0; i < weightCount; i++)
        {
            squares += parameters[i] * parameters[i];
            gradient[i] = _weightGradient[i] + L2 * parameters[i];
        }
        return crossEntropy / n + 0.5 * L2 * squares;
    }
}
