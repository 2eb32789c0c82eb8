using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// A trained text classifier: the dictionary, the input matrix (a row per word and per n-gram bucket) and the
/// output layer. A line's hidden vector is the average of its feature rows; the output layer scores the labels.
/// Either matrix may be dense or product-quantized (fastText's <c>.ftz</c>).
/// </summary>
public sealed class ClassifierModel : IDisposable
{
    private readonly NativeMatrix? _input;

    internal ClassifierModel(ClassifierDictionary dictionary, FastTextLoss loss, NativeMatrix input, NativeMatrix output)
    {
        Dictionary = dictionary;
        _input = input;
        Output = new ClassifierOutput(loss, dictionary.Labels, output);
    }

    /// <summary>A quantized model: a quantized input matrix and a dense or quantized output layer.</summary>
    internal ClassifierModel(ClassifierDictionary dictionary, QuantizedMatrix input, ClassifierOutput output)
    {
        Dictionary = dictionary;
        QuantizedInput = input;
        Output = output;
    }

    /// <summary>Words, labels and the n-gram hashing.</summary>
    public ClassifierDictionary Dictionary { get; }

    /// <summary>The output layer kind.</summary>
    public FastTextLoss Loss => Output.Loss;

    /// <summary>Dimension of the hidden vector.</summary>
    public int Dimension => _input?.Columns ?? QuantizedInput!.Columns;

    /// <summary>One row per word, then one per n-gram bucket (dense models only).</summary>
    /// <exception cref="InvalidOperationException">The model is quantized: see <see cref="QuantizedInput"/>.</exception>
    public NativeMatrix Input => _input ?? throw new InvalidOperationException("the model's input matrix is quantized");

    /// <summary>The quantized input matrix, or null for a dense model.</summary>
    public QuantizedMatrix? QuantizedInput { get; }

    /// <summary>Rows of the input matrix, dense or quantized.</summary>
    public int InputRows => _input?.Rows ?? QuantizedInput!.Rows;

    internal ClassifierOutput Output { get; }

    /// <summary>
    /// The <paramref name="k"/> most probable labels of <paramref name="line"/> whose probability is at least
    /// <paramref name="threshold"/>, most probable first; none when the line has no known word.
    /// </summary>
    public IReadOnlyList<LabelPrediction> Predict(string line, int k = 1, float threshold = 0f)
    {
        ArgumentNullException.ThrowIfNull(line);
        var features = new List<int>();
        Dictionary.Encode(line, features, []);
        var ranked = new List<(int Label, float Probability)>();
        Predict(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(features), k, threshold, new Predictor(this), ranked);
        return ranked.Select(p => new LabelPrediction(Dictionary.Labels[p.Label], p.Probability)).ToList();
    }

    /// <summary>Fills <paramref name="ranked"/> with the top labels of an encoded line.</summary>
    internal void Predict(ReadOnlySpan<int> features, int k, float threshold, Predictor scratch, List<(int Label, float Probability)> ranked)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ranked.Clear();
        if (features.IsEmpty) return;
        if (_input is not null)
        {
            unsafe
            {
                CbowKernel.Average(_input.Data, _input.Stride, features, scratch.Hidden);
            }
        }
        else QuantizedInput!.Average(features, scratch.Hidden);
        Output.Probabilities(scratch.Hidden, scratch.Probabilities);
        for (int label = 0; label < scratch.Probabilities.Length; label++)
        {
            float probability = scratch.Probabilities[label];
            if (probability >= threshold) ranked.Add((label, probability));
        }
        // Ties go to the more frequent label (the lower id), so the order never depends on the sort.
        ranked.Sort((a, b) => a.Probability != b.Probability ? b.Probability.CompareTo(a.Probability) : a.Label.CompareTo(b.Label));
        if (ranked.Count > k) ranked.RemoveRange(k, ranked.Count - k);
    }

    /// <summary>Frees the native matrices.</summary>
    public void Dispose()
    {
        _input?.Dispose();
        Output.Dispose();
    }

    /// <summary>Scratch space for predicting many lines without allocating per line.</summary>
    internal sealed class Predictor(ClassifierModel model)
    {
        public readonly float[] Hidden = new float[model.Dimension];
        public readonly float[] Probabilities = new float[model.Dictionary.Labels.Count];
    }
}
