using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// Trained PV-DBOW paragraph vectors: a vector per training document, the output (negative-sampling) rows of the
/// vocabulary, and the word vectors the interleaved skip-gram trained (their starting values without it). A new
/// text's vector is inferred as gensim's infer_vector does: gradient steps on a fresh vector with every trained
/// weight frozen.
/// </summary>
public sealed class Doc2VecModel : IDisposable
{
    internal Doc2VecModel(Doc2VecOptions options, Vocabulary vocabulary, NativeMatrix documents, NativeMatrix words, NativeMatrix output, NoiseSampler noise)
    {
        Options = options;
        Vocabulary = vocabulary;
        DocumentVectors = documents;
        WordVectors = words;
        Output = output;
        Noise = noise;
        _subsampler = new Subsampler(vocabulary, options.Sample);
    }

    private readonly Subsampler _subsampler;

    /// <summary>How it was trained.</summary>
    public Doc2VecOptions Options { get; }

    /// <summary>The words kept (min_count), most frequent first.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>One row per training document, in order.</summary>
    public NativeMatrix DocumentVectors { get; }

    /// <summary>The word vectors (trained only with dbow_words).</summary>
    public NativeMatrix WordVectors { get; }

    /// <summary>The output rows of the vocabulary.</summary>
    public NativeMatrix Output { get; }

    internal NoiseSampler Noise { get; }

    /// <summary>Floats per vector.</summary>
    public int Dimension => Options.Dimension;

    /// <summary>
    /// Infers the vector of <paramref name="words"/> into <paramref name="vector"/>: it starts as gensim starts a new
    /// document vector (uniform in ±0.5/dim, from <paramref name="seed"/>), then takes <paramref name="epochs"/>
    /// passes of PV-DBOW steps over the known words (subsampled as in training) with the learning rate decaying
    /// linearly from alpha to min_alpha, the output rows left unchanged. A text with no known word keeps its starting vector. Returns how many of the
    /// words are known.
    /// </summary>
    public int Infer(IReadOnlyList<string> words, Span<float> vector, int epochs = 0, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, Dimension);
        epochs = epochs > 0 ? epochs : Options.Epochs;
        var random = new FastRandom(seed);
        for (int c = 0; c < vector.Length; c++) vector[c] = (random.NextFloat() - 0.5f) / Dimension;
        var ids = new List<int>(words.Count);
        foreach (string word in words)
        {
            int id = Vocabulary.IdOf(word);
            if (id >= 0) ids.Add(id);
        }
        if (ids.Count == 0) return 0;
        var grad = new float[Dimension];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            float lr = Options.LearningRate - (Options.LearningRate - Options.MinLearningRate) * epoch / epochs;
            foreach (int word in ids)
            {
                if (!_subsampler.Keep(word, random.NextFloat())) continue; // as in training, and as gensim infers
                grad.AsSpan().Clear();
                FrozenStep(vector, word, 1f, lr, grad);
                for (int n = 0; n < Options.Negative; n++)
                {
                    int noise = Noise.Sample(random.NextULong());
                    if (noise != word) FrozenStep(vector, noise, 0f, lr, grad);
                }
                AxpyKernel.Axpy(1f, grad, vector);
            }
        }
        return ids.Count;
    }

    /// <summary>One logistic step from <paramref name="hidden"/> to output row <paramref name="target"/> that leaves the row unchanged.</summary>
    private void FrozenStep(ReadOnlySpan<float> hidden, int target, float label, float lr, Span<float> grad)
    {
        ReadOnlySpan<float> row = Output.Row(target);
        float g = (label - Sigmoid.Exact(DotKernel.Dot(hidden, row))) * lr;
        AxpyKernel.Axpy(g, row, grad);
    }

    /// <summary>Frees the matrices.</summary>
    public void Dispose()
    {
        DocumentVectors.Dispose();
        WordVectors.Dispose();
        Output.Dispose();
    }
}
