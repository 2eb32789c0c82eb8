using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// The output layer on top of the averaged hidden vector: one row per label (for hierarchical softmax, rows
/// 0..labels-2 are the inner nodes of the label Huffman tree and the last is unused, as in fastText). It trains one
/// example, and scores every label as fastText's predict reports it. Training's logistic steps use the exact sigmoid.
/// A quantized layer (<c>quantize -qout</c>) only scores.
/// </summary>
internal sealed unsafe class ClassifierOutput
{
    /// <summary>fastText ranks labels by log(p + 1e-5) (std_log) and reports its exponential; so do we.</summary>
    private const double LogSmoothing = 1e-5;

    /// <summary>
    /// Whether a label scored <paramref name="probability"/> (as <see cref="Probabilities"/> reports it) passes
    /// <paramref name="threshold"/> as in fastText: p itself must reach it for softmax and one-vs-all, and for
    /// hierarchical softmax the smoothed path must reach log(threshold + 1e-5); both read reported ≥ threshold + 1e-5.
    /// </summary>
    public static bool Reaches(float probability, float threshold) => probability >= threshold + LogSmoothing;

    private readonly HuffmanTree? _tree;
    private readonly NativeMatrix? _weights;

    /// <summary>Wraps <paramref name="weights"/> (one row per label) for labels with <paramref name="labelCounts"/>.</summary>
    public ClassifierOutput(FastTextLoss loss, IReadOnlyList<long> labelCounts, NativeMatrix weights)
        : this(loss, labelCounts) => _weights = weights;

    /// <summary>Wraps quantized rows (one per label), for prediction only.</summary>
    public ClassifierOutput(FastTextLoss loss, IReadOnlyList<long> labelCounts, QuantizedMatrix weights)
        : this(loss, labelCounts) => QuantizedWeights = weights;

    private ClassifierOutput(FastTextLoss loss, IReadOnlyList<long> labelCounts)
    {
        Loss = loss;
        LabelCount = labelCounts.Count;
        if (loss == FastTextLoss.HierarchicalSoftmax) _tree = new HuffmanTree(labelCounts);
    }

    /// <summary>The kind of output layer.</summary>
    public FastTextLoss Loss { get; }

    /// <summary>How many labels it scores.</summary>
    public int LabelCount { get; }

    /// <summary>The trained rows of a dense layer.</summary>
    /// <exception cref="InvalidOperationException">The layer is quantized: see <see cref="QuantizedWeights"/>.</exception>
    public NativeMatrix Weights => _weights ?? throw new InvalidOperationException("the output layer is quantized; it cannot be trained");

    /// <summary>The rows of a quantized layer, or null for a dense one.</summary>
    public QuantizedMatrix? QuantizedWeights { get; }

    /// <summary>
    /// One gradient step towards <paramref name="target"/> (softmax, hierarchical softmax) or towards all of
    /// <paramref name="labels"/> (one-vs-all); the gradient of the hidden vector is added to <paramref name="hiddenGrad"/>.
    /// </summary>
    /// <returns>The loss of the example before the step.</returns>
    public float Update(ReadOnlySpan<float> hidden, ReadOnlySpan<int> labels, int target, float learningRate,
        Span<float> hiddenGrad, Scratch scratch)
    {
        switch (Loss)
        {
            case FastTextLoss.HierarchicalSoftmax:
                return scratch.Tree!.Update(hidden, Weights, target, learningRate, hiddenGrad, SigmoidMode.Exact, out _);
            case FastTextLoss.OneVsAll:
            {
                Span<float> isGold = scratch.Labels.AsSpan(0, LabelCount);
                isGold.Clear();
                foreach (int label in labels) isGold[label] = 1f;
                return LogisticUpdateKernel.Update(hidden, OutputRows.Of(Weights), scratch.AllLabels, isGold,
                    learningRate, hiddenGrad, SigmoidMode.Exact);
            }
            default:
                return SoftmaxUpdateKernel.Update(hidden, Weights.Data, Weights.Stride, target, learningRate, hiddenGrad, scratch.Scores);
        }
    }

    /// <summary>
    /// Writes every label's probability given <paramref name="hidden"/> into <paramref name="probabilities"/>, as
    /// fastText's predict-prob reports it: p + 1e-5 for softmax and one-vs-all (whose sigmoid is fastText's table), and
    /// for hierarchical softmax the product of (branch probability + 1e-5) down the label's path.
    /// </summary>
    public void Probabilities(ReadOnlySpan<float> hidden, Span<float> probabilities)
    {
        switch (Loss)
        {
            case FastTextLoss.HierarchicalSoftmax:
                for (int label = 0; label < LabelCount; label++) probabilities[label] = PathProbability(hidden, label);
                break;
            case FastTextLoss.OneVsAll:
                for (int label = 0; label < LabelCount; label++)
                    probabilities[label] = Smoothed(FastTextSigmoidTable.Sigmoid(Score(hidden, label)));
                break;
            default:
                Softmax(hidden, probabilities);
                break;
        }
    }

    private void Softmax(ReadOnlySpan<float> hidden, Span<float> probabilities)
    {
        probabilities = probabilities[..LabelCount];
        for (int label = 0; label < LabelCount; label++) probabilities[label] = Score(hidden, label);
        SoftmaxUpdateKernel.Normalize(probabilities);
        foreach (ref float probability in probabilities) probability = Smoothed(probability);
    }

    /// <summary>The product of the smoothed branch probabilities on the label's path from the root.</summary>
    private float PathProbability(ReadOnlySpan<float> hidden, int label)
    {
        ReadOnlySpan<int> points = _tree!.Points(label);
        ReadOnlySpan<byte> codes = _tree.Codes(label);
        double probability = 1;
        for (int d = 0; d < points.Length; d++)
        {
            float towardsOne = Sigmoid.Exact(Score(hidden, points[d]));
            probability *= (codes[d] == 1 ? towardsOne : 1.0 - towardsOne) + LogSmoothing;
        }
        return (float)probability;
    }

    private static float Smoothed(float probability) => (float)(probability + LogSmoothing);

    private float Score(ReadOnlySpan<float> hidden, int row) =>
        _weights is not null ? DotKernel.Dot(hidden, _weights.Row(row)) : QuantizedWeights!.DotRow(row, hidden);

    /// <summary>A worker's scratch space for <see cref="Update"/>, allocated once.</summary>
    internal sealed class Scratch(ClassifierOutput output)
    {
        public readonly float[] Scores = new float[output.LabelCount];
        public readonly float[] Labels = new float[output.LabelCount];

        /// <summary>The label tree's paths with fastText's branch convention, for hierarchical softmax.</summary>
        public readonly TreePath? Tree = output._tree is null ? null : new TreePath(output._tree, fastTextBranches: true);
        public readonly int[] AllLabels = Enumerable.Range(0, output.LabelCount).ToArray();
    }
}
