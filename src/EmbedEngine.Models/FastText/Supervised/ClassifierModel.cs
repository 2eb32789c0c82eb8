using System.Runtime.InteropServices;
using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// A trained text classifier: a supervised <see cref="FastTextModel"/> (settings, words then labels, the input
/// matrix with a row per word and per n-gram bucket, the output matrix) read as a classifier. A line's hidden vector
/// is the average of its feature rows; the output layer scores the labels. It is saved as fastText's .bin, or as
/// its .ftz when quantized (<see cref="ClassifierQuantizer"/>); either matrix may then be product-quantized.
/// </summary>
public sealed class ClassifierModel : IDisposable
{
    /// <summary>The label prefix fastText assumes for a model it loads: its .bin does not store -label.</summary>
    public const string DefaultLabelPrefix = "__label__";

    /// <summary>Reads <paramref name="model"/> as a classifier; on success this owns it.</summary>
    /// <param name="model">A supervised model with softmax, hs or ova loss.</param>
    /// <param name="labelPrefix">What starts a label token the dictionary does not know.</param>
    /// <exception cref="ArgumentException">The model is not such a classifier; the message says why.</exception>
    public ClassifierModel(FastTextModel model, string labelPrefix = DefaultLabelPrefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        FastTextArgs args = model.Args;
        if (args.Model != FastTextModelKind.Supervised)
            throw new ArgumentException($"this is a {args.Model} model of word vectors, not a classifier (a supervised model).");
        if (args.Loss is not (FastTextLoss.Softmax or FastTextLoss.HierarchicalSoftmax or FastTextLoss.OneVsAll))
            throw new ArgumentException($"the classifier's loss is {args.Loss}; only softmax, hs and ova are supported.");
        if (args.WordNgrams < 1) throw new ArgumentException($"wordNgrams is {args.WordNgrams}; expected at least 1.");
        Dictionary = new ClassifierDictionary(model.Dictionary, args.WordNgrams, model.Ngrams, labelPrefix);
        FastText = model;
        Output = model.QuantizedOutput is { } quantizedOutput
            ? new ClassifierOutput(args.Loss, Dictionary.LabelCounts, quantizedOutput)
            : new ClassifierOutput(args.Loss, Dictionary.LabelCounts, model.Output);
    }

    /// <summary>The model as fastText stores it: settings, dictionary, input and output matrices.</summary>
    public FastTextModel FastText { get; }

    /// <summary>Words, labels and the n-gram hashing.</summary>
    public ClassifierDictionary Dictionary { get; }

    /// <summary>The output layer kind.</summary>
    public FastTextLoss Loss => Output.Loss;

    /// <summary>Dimension of the hidden vector.</summary>
    public int Dimension => FastText.Dimension;

    /// <summary>One row per word, then one per n-gram bucket.</summary>
    /// <exception cref="InvalidOperationException">The model is quantized: see <see cref="QuantizedInput"/>.</exception>
    public NativeMatrix Input => FastText.Input;

    /// <summary>The quantized input matrix of a .ftz model, or null for a dense one.</summary>
    public QuantizedMatrix? QuantizedInput => FastText.QuantizedInput;

    internal ClassifierOutput Output { get; }

    /// <summary>Loads a classifier from fastText's .bin, written here or by fastText's <c>supervised</c>.</summary>
    /// <exception cref="VectorFormatException">
    /// The file is not a fastText model, is damaged (see <see cref="FastTextBinaryFile.Load"/>), or is a model of
    /// another kind; the message names the file.
    /// </exception>
    public static ClassifierModel Load(string path)
    {
        FastTextModel model = FastTextBinaryFile.Load(path);
        try
        {
            return new ClassifierModel(model);
        }
        catch (ArgumentException e)
        {
            model.Dispose();
            throw VectorFormatException.InFile(path, e.Message, e);
        }
    }

    /// <summary>Saves the classifier as fastText's .bin, atomically; fastText's predict and test read it.</summary>
    public void Save(string path) => FastTextBinaryFile.Save(FastText, path);

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
        Predict(CollectionsMarshal.AsSpan(features), k, threshold, new Predictor(this), ranked);
        return ranked.Select(p => new LabelPrediction(Dictionary.Labels[p.Label], p.Probability)).ToList();
    }

    /// <summary>
    /// fastText's sentence vector of <paramref name="line"/> for a classifier, as its print-sentence-vectors computes
    /// it: the mean of the input rows of the line's words, word n-grams and character n-grams (and the end of line);
    /// zeros when the line has none.
    /// </summary>
    public void SentenceVector(string line, Span<float> vector)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, Dimension);
        var features = new List<int>();
        Dictionary.Encode(line, features, []);
        vector.Clear();
        if (features.Count == 0) return;
        if (QuantizedInput is { } quantized) quantized.Average(CollectionsMarshal.AsSpan(features), vector);
        else
        {
            unsafe
            {
                CbowKernel.Average(Input.Data, Input.Stride, CollectionsMarshal.AsSpan(features), vector);
            }
        }
    }

    /// <summary>Fills <paramref name="ranked"/> with the top labels of an encoded line.</summary>
    internal void Predict(ReadOnlySpan<int> features, int k, float threshold, Predictor scratch, List<(int Label, float Probability)> ranked)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ranked.Clear();
        if (features.IsEmpty) return;
        if (QuantizedInput is { } quantized) quantized.Average(features, scratch.Hidden);
        else
        {
            unsafe
            {
                CbowKernel.Average(Input.Data, Input.Stride, features, scratch.Hidden);
            }
        }
        Output.Probabilities(scratch.Hidden, scratch.Probabilities);
        for (int label = 0; label < scratch.Probabilities.Length; label++)
        {
            float probability = scratch.Probabilities[label];
            if (ClassifierOutput.Reaches(probability, threshold)) ranked.Add((label, probability));
        }
        // Ties go to the more frequent label (the lower id), so the order never depends on the sort.
        ranked.Sort((a, b) => a.Probability != b.Probability ? b.Probability.CompareTo(a.Probability) : a.Label.CompareTo(b.Label));
        if (ranked.Count > k) ranked.RemoveRange(k, ranked.Count - k);
    }

    /// <summary>Frees both matrices.</summary>
    public void Dispose() => FastText.Dispose();

    /// <summary>Scratch space for predicting many lines without allocating per line.</summary>
    internal sealed class Predictor(ClassifierModel model)
    {
        public readonly float[] Hidden = new float[model.Dimension];
        public readonly float[] Probabilities = new float[model.Dictionary.LabelCount];
    }
}
