using System.Diagnostics;
using System.Runtime.InteropServices;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// Trains paragraph vectors (<see cref="Doc2VecOptions"/>) on the fused logistic kernel against negative samples.
/// PV-DBOW: each document's vector predicts each of its (subsampled) words, and with dbow_words a skip-gram step over
/// the same words trains word vectors into the same output rows. PV-DM (gensim's train_document_dm, dm_mean=1): the
/// mean of the document vector and the context words' vectors predicts each word, and the error goes back unscaled
/// to the document and to every context word, as CBOW's does. Hogwild threads take contiguous ranges of documents,
/// and the learning rate decays linearly with the words processed by all of them.
/// </summary>
public static unsafe class Doc2VecTrainer
{
    /// <summary>Trains on <paramref name="documents"/> (each a list of words); progress counts words.</summary>
    /// <exception cref="ArgumentException">The options are invalid or no word reaches min_count.</exception>
    public static Doc2VecModel Train(IReadOnlyList<string[]> documents, Doc2VecOptions options, Action<TrainingProgress>? onProgress = null,
        CancellationToken cancellation = default)
    {
        options.Validate();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string[] document in documents)
            foreach (string word in document) counts[word] = counts.GetValueOrDefault(word) + 1;
        Vocabulary vocabulary = Vocabulary.FromCounts(counts.Select(c => (c.Key, c.Value)), options.MinCount);
        int[][] ids = [.. documents.Select(d => d.Select(vocabulary.IdOf).Where(id => id >= 0).ToArray())];
        int dimension = options.Dimension;
        NativeMatrix documentVectors = UniformMatrix.Create(documents.Count, dimension, dimension, options.Seed);
        NativeMatrix words = UniformMatrix.Create(vocabulary.Count, dimension, dimension, options.Seed + 1);
        NativeMatrix output = NativeMatrix.Allocate(vocabulary.Count, dimension, padRows: true);
        var noise = new NoiseSampler(vocabulary);
        var subsampler = new Subsampler(vocabulary, options.Sample);
        long total = (long)options.Epochs * ids.Sum(d => (long)d.Length), processed = 0;
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        var clock = Stopwatch.StartNew();
        float LearningRate() => Math.Max(options.MinLearningRate,
            options.LearningRate - (options.LearningRate - options.MinLearningRate) * Interlocked.Read(ref processed) / Math.Max(total, 1));
        HogwildThreads.Run(threads, "doc2vec", (shard, stop) =>
        {
            var random = new FastRandom(options.Seed * 7919 + (ulong)shard + 1);
            var targets = new int[options.Negative + 1];
            var labels = new float[options.Negative + 1];
            labels[0] = 1f;
            var grad = new float[dimension];
            var hidden = new float[dimension];
            var context = new int[2 * options.Window];
            var kept = new List<int>();
            int first = (int)((long)ids.Length * shard / threads), end = (int)((long)ids.Length * (shard + 1) / threads);
            for (int epoch = 0; epoch < options.Epochs; epoch++)
                for (int d = first; d < end; d++)
                {
                    stop.ThrowIfCancellationRequested();
                    kept.Clear();
                    foreach (int word in ids[d])
                        if (subsampler.Keep(word, random.NextFloat())) kept.Add(word);
                    float lr = LearningRate();
                    Span<float> document = documentVectors.Row(d);
                    for (int i = 0; i < kept.Count; i++)
                    {
                        if (options.DistributedMemory)
                        {
                            int count = DistributedMemoryInput.Context(CollectionsMarshal.AsSpan(kept), i, 1 + random.NextInt(options.Window), context);
                            ReadOnlySpan<int> around = context.AsSpan(0, count);
                            DistributedMemoryInput.Mean(document, words, around, hidden);
                            Gradient(hidden, kept[i], output, targets, labels, noise, ref random, lr, grad);
                            AxpyKernel.Axpy(1f, grad, document);
                            CbowKernel.Scatter(words.Data, words.Stride, around, grad);
                            continue;
                        }
                        Predict(document, kept[i], output, targets, labels, noise, ref random, lr, grad);
                        if (!options.TrainWords) continue;
                        int reach = 1 + random.NextInt(options.Window);
                        for (int j = Math.Max(0, i - reach); j <= Math.Min(kept.Count - 1, i + reach); j++)
                            if (j != i) Predict(words.Row(kept[j]), kept[i], output, targets, labels, noise, ref random, lr, grad);
                    }
                    Interlocked.Add(ref processed, ids[d].Length);
                }
        }, onProgress == null ? null : () => onProgress(new TrainingProgress(Interlocked.Read(ref processed), total, 0, LearningRate(), double.NaN, clock.Elapsed)),
            TimeSpan.FromSeconds(1), cancellation);
        onProgress?.Invoke(new TrainingProgress(total, total, options.Epochs, options.MinLearningRate, double.NaN, clock.Elapsed));
        return new Doc2VecModel(options, vocabulary, documentVectors, words, output, noise);
    }

    /// <summary>One negative-sampling step: <paramref name="hidden"/> predicts <paramref name="word"/>; hidden moves by the summed gradient afterwards.</summary>
    private static void Predict(Span<float> hidden, int word, NativeMatrix output, int[] targets, float[] labels, NoiseSampler noise,
        ref FastRandom random, float lr, float[] grad)
    {
        Gradient(hidden, word, output, targets, labels, noise, ref random, lr, grad);
        AxpyKernel.Axpy(1f, grad, hidden);
    }

    /// <summary>One negative-sampling step from <paramref name="hidden"/> to <paramref name="word"/>: the output rows move, <paramref name="grad"/> receives the error for the input side.</summary>
    private static void Gradient(ReadOnlySpan<float> hidden, int word, NativeMatrix output, int[] targets, float[] labels, NoiseSampler noise,
        ref FastRandom random, float lr, float[] grad)
    {
        targets[0] = word;
        int count = 1;
        for (int n = 1; n < targets.Length; n++)
        {
            int sample = noise.Sample(random.NextULong());
            if (sample == word) continue;
            targets[count] = sample;
            labels[count++] = 0f;
        }
        grad.AsSpan().Clear();
        // gensim's Doc2Vec, which this trainer follows, makes no update for a score beyond ±6.
        LogisticUpdateKernel.Update(hidden, OutputRows.Of(output), targets.AsSpan(0, count), labels.AsSpan(0, count), lr, grad,
            SigmoidMode.SkipSaturated);
    }
}
