using System.Runtime.InteropServices;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// Trained paragraph vectors (PV-DBOW or PV-DM): a vector per training document, the output (negative-sampling) rows
/// of the vocabulary, and the word vectors that PV-DM or the interleaved skip-gram trained (their starting values
/// otherwise). A new text's vector is inferred as gensim's infer_vector does: gradient steps on a fresh vector with
/// every trained weight frozen.
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

    /// <summary>The word vectors (trained by PV-DM, or by PV-DBOW with dbow_words).</summary>
    public NativeMatrix WordVectors { get; }

    /// <summary>The output rows of the vocabulary.</summary>
    public NativeMatrix Output { get; }

    internal NoiseSampler Noise { get; }

    /// <summary>Floats per vector.</summary>
    public int Dimension => Options.Dimension;

    /// <summary>
    /// Infers the vector of <paramref name="words"/> into <paramref name="vector"/> as gensim's infer_vector does: it
    /// starts as gensim starts a new document vector (uniform in ±0.5/dim, from <paramref name="seed"/>), then takes
    /// <paramref name="epochs"/> passes over the known words (subsampled as in training) of the model's own step:
    /// PV-DBOW's, or PV-DM's from the mean of the vector and the frozen context words' vectors. The learning rate falls
    /// linearly from alpha on the first pass to min_alpha on the last, a score beyond ±6 makes no update (both as
    /// gensim), and the output rows and word vectors are left unchanged. Every draw (start, subsampling, window, noise
    /// words) comes from <paramref name="seed"/>: texts inferred from one seed share their random numbers, texts from
    /// <see cref="TextSeed"/> do not. A text with no known word keeps its starting vector. Returns how many of the
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
        var hidden = new float[Dimension];
        var context = new int[2 * Options.Window];
        var kept = new List<int>(ids.Count);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            // gensim's infer_vector: alpha on the first pass, min_alpha on the last.
            float lr = Options.LearningRate - (Options.LearningRate - Options.MinLearningRate) * epoch / Math.Max(epochs - 1, 1);
            kept.Clear();
            foreach (int word in ids)
                if (_subsampler.Keep(word, random.NextFloat())) kept.Add(word); // as in training, and as gensim infers
            for (int i = 0; i < kept.Count; i++)
            {
                int word = kept[i];
                ReadOnlySpan<float> input = vector;
                if (Options.DistributedMemory)
                {
                    int count = DistributedMemoryInput.Context(CollectionsMarshal.AsSpan(kept), i, 1 + random.NextInt(Options.Window), context);
                    DistributedMemoryInput.Mean(vector, WordVectors, context.AsSpan(0, count), hidden);
                    input = hidden;
                }
                grad.AsSpan().Clear();
                FrozenStep(input, word, 1f, lr, grad);
                for (int n = 0; n < Options.Negative; n++)
                {
                    int noise = Noise.Sample(random.NextULong());
                    if (noise != word) FrozenStep(input, noise, 0f, lr, grad);
                }
                AxpyKernel.Axpy(1f, grad, vector); // only the document vector learns; the context words stay frozen
            }
        }
        return ids.Count;
    }

    /// <summary>
    /// A seed of its own for <paramref name="words"/> (FNV-1a over their UTF-8 bytes, a space between words, mixed with
    /// <paramref name="seed"/>): equal texts get equal seeds, different texts unrelated ones, as gensim seeds a text's
    /// starting vector from its words.
    /// </summary>
    public static ulong TextSeed(IReadOnlyList<string> words, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(words);
        ulong hash = 14695981039346656037UL ^ seed;
        Span<byte> buffer = stackalloc byte[256];
        for (int w = 0; w < words.Count; w++)
        {
            if (w > 0) hash = (hash ^ (byte)' ') * 1099511628211UL;
            string word = words[w];
            int max = System.Text.Encoding.UTF8.GetMaxByteCount(word.Length);
            Span<byte> bytes = max <= buffer.Length ? buffer : new byte[max];
            int length = System.Text.Encoding.UTF8.GetBytes(word, bytes);
            foreach (byte b in bytes[..length]) hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>One logistic step from <paramref name="hidden"/> to output row <paramref name="target"/> that leaves the row unchanged; none for a score beyond ±6, as gensim.</summary>
    private void FrozenStep(ReadOnlySpan<float> hidden, int target, float label, float lr, Span<float> grad)
    {
        ReadOnlySpan<float> row = Output.Row(target);
        float g = Sigmoid.Residual(DotKernel.Dot(hidden, row), label, SigmoidMode.SkipSaturated) * lr;
        if (g != 0f) AxpyKernel.Axpy(g, row, grad);
    }

    /// <summary>Frees the matrices.</summary>
    public void Dispose()
    {
        DocumentVectors.Dispose();
        WordVectors.Dispose();
        Output.Dispose();
    }
}
