using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// The output layer on top of the averaged hidden vector: one row per label (softmax, one-vs-all) or per inner
/// node of the label Huffman tree (hierarchical softmax). It trains one example, and turns a hidden vector into
/// a probability per label. The logistic steps use the exact sigmoid (fastText's is a 512-entry table over ±8).
/// A quantized output layer (<c>-qout</c>) only predicts.
/// </summary>
internal sealed unsafe class ClassifierOutput : IDisposable
{
    private readonly HuffmanTree? _tree;
    private readonly NativeMatrix? _weights;

    /// <summary>Wraps <paramref name="weights"/> (shape as <see cref="RowsFor"/> says) for <paramref name="labels"/>.</summary>
    public ClassifierOutput(FastTextLoss loss, Vocabulary labels, NativeMatrix weights)
        : this(loss, labels) => _weights = weights;

    /// <summary>A quantized output layer, for prediction only.</summary>
    public ClassifierOutput(FastTextLoss loss, Vocabulary labels, QuantizedMatrix weights)
        : this(loss, labels) => QuantizedWeights = weights;

    private ClassifierOutput(FastTextLoss loss, Vocabulary labels)
    {
        Loss = loss;
        LabelCount = labels.Count;
        if (loss == FastTextLoss.HierarchicalSoftmax) _tree = new HuffmanTree(labels);
    }

    /// <summary>The kind of output layer.</summary>
    public FastTextLoss Loss { get; }

    /// <summary>How many labels it scores.</summary>
    public int LabelCount { get; }

    /// <summary>The trained rows of a dense layer.</summary>
    /// <exception cref="InvalidOperationException">The layer is quantized: see <see cref="QuantizedWeights"/>.</exception>
    public NativeMatrix Weights => _weights ?? throw new InvalidOperationException("the output layer is quantized");

    /// <summary>The rows of a quantized layer, or null for a dense one.</summary>
    public QuantizedMatrix? QuantizedWeights { get; }

    /// <summary>Longest run of logistic targets one update may need (the scratch size for <see cref="Update"/>).</summary>
    public int MaxTargets => _tree?.MaxCodeLength ?? LabelCount;

    /// <summary>Rows of the output matrix for <paramref name="loss"/> over <paramref name="labelCount"/> labels.</summary>
    public static int RowsFor(FastTextLoss loss, int labelCount) =>
        loss == FastTextLoss.HierarchicalSoftmax ? Math.Max(1, labelCount - 1) : labelCount;

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
            {
                ReadOnlySpan<byte> codes = _tree!.Codes(target);
                Span<float> branchLabels = scratch.Labels.AsSpan(0, codes.Length);
                for (int d = 0; d < codes.Length; d++) branchLabels[d] = 1 - codes[d];
                return LogisticUpdateKernel.Update(hidden, Weights.Data, Weights.Stride, _tree.Points(target),
                    branchLabels, learningRate, hiddenGrad, exactSigmoid: true);
            }
            case FastTextLoss.OneVsAll:
            {
                Span<float> isGold = scratch.Labels.AsSpan(0, LabelCount);
                isGold.Clear();
                foreach (int label in labels) isGold[label] = 1f;
                return LogisticUpdateKernel.Update(hidden, Weights.Data, Weights.Stride, scratch.AllLabels, isGold,
                    learningRate, hiddenGrad, exactSigmoid: true);
            }
            default:
                return SoftmaxUpdateKernel.Update(hidden, Weights.Data, Weights.Stride, target, learningRate, hiddenGrad, scratch.Scores);
        }
    }

    /// <summary>Writes the probability of every label given <paramref name="hidden"/> into <paramref name="probabilities"/>.</summary>
    public void Probabilities(ReadOnlySpan<float> hidden, Span<float> probabilities)
    {
        switch (Loss)
        {
            case FastTextLoss.HierarchicalSoftmax:
                for (int label = 0; label < LabelCount; label++) probabilities[label] = PathProbability(hidden, label);
                break;
            case FastTextLoss.OneVsAll:
                for (int label = 0; label < LabelCount; label++) probabilities[label] = Sigmoid.Exact(Score(hidden, label));
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
    }

    /// <summary>The product of the branch probabilities on the label's path from the root.</summary>
    private float PathProbability(ReadOnlySpan<float> hidden, int label)
    {
        ReadOnlySpan<int> points = _tree!.Points(label);
        ReadOnlySpan<byte> codes = _tree.Codes(label);
        float probability = 1f;
        for (int d = 0; d < points.Length; d++)
        {
            float towardsZero = Sigmoid.Exact(Score(hidden, points[d]));
            probability *= codes[d] == 0 ? towardsZero : 1f - towardsZero;
        }
        return probability;
    }

    private float Score(ReadOnlySpan<float> hidden, int row) =>
        _weights is not null ? DotKernel.Dot(hidden, _weights.Row(row)) : QuantizedWeights!.DotRow(row, hidden);

    /// <summary>Frees a dense layer's rows.</summary>
    public void Dispose() => _weights?.Dispose();

    /// <summary>A worker's scratch space for <see cref="Update"/>, allocated once.</summary>
    internal sealed class Scratch(ClassifierOutput output)
    {
        public readonly float[] Scores = new float[output.LabelCount];
        public readonly float[] Labels = new float[Math.Max(output.MaxTargets, output.LabelCount)];
        public readonly int[] AllLabels = Enumerable.Range(0, output.LabelCount).ToArray();
    }
}
