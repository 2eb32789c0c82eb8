namespace EmbedEngine.Models.Sentence;

/// <summary>
/// How paragraph vectors train (Le and Mikolov, 2014), PV-DBOW or PV-DM, with gensim's Doc2Vec parameter names in the
/// comments and its defaults: vector_size 100, negative 5, epochs 10, min_count 5, sample 1e-3, alpha 0.025 decaying
/// linearly to min_alpha 0.0001, window 5 (PV-DM's context, and the skip-gram of dbow_words). gensim's default is
/// PV-DM (dm=1); this engine's is PV-DBOW, which scores 6-10 points higher on STS and SICK-R (docs/sentence.md).
/// </summary>
public sealed record Doc2VecOptions
{
    /// <summary>vector_size: floats per document and word vector.</summary>
    public int Dimension { get; init; } = 100;

    /// <summary>negative: noise words per true word.</summary>
    public int Negative { get; init; } = 5;

    /// <summary>epochs: passes over the documents.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>min_count: words seen fewer times are dropped.</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>sample: the subsampling threshold of frequent words (0: none).</summary>
    public double Sample { get; init; } = 1e-3;

    /// <summary>alpha: the starting learning rate.</summary>
    public float LearningRate { get; init; } = 0.025f;

    /// <summary>min_alpha: the learning rate at the end.</summary>
    public float MinLearningRate { get; init; } = 0.0001f;

    /// <summary>
    /// dm: PV-DM instead of PV-DBOW: the mean of the document vector and the vectors of the words within
    /// <see cref="Window"/> (gensim's dm_mean=1, its default) predicts each word, training the word vectors too.
    /// </summary>
    public bool DistributedMemory { get; init; }

    /// <summary>dbow_words: also train word vectors by skip-gram, interleaved with the document vectors (PV-DBOW only).</summary>
    public bool TrainWords { get; init; }

    /// <summary>window: the largest context radius, of PV-DM or of the skip-gram of <see cref="TrainWords"/>.</summary>
    public int Window { get; init; } = 5;

    /// <summary>workers: training threads (0: one per core).</summary>
    public int Threads { get; init; }

    /// <summary>seed: initial vectors, subsampling and noise draws.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Dimension is <= 0 or > 10_000) throw new ArgumentException($"vector_size must be in 1..10000; got {Dimension}.");
        if (Negative is <= 0 or > 100) throw new ArgumentException($"negative must be in 1..100; got {Negative}.");
        if (Epochs is <= 0 or > 10_000) throw new ArgumentException($"epochs must be in 1..10000; got {Epochs}.");
        if (MinCount < 1) throw new ArgumentException($"min_count must be at least 1; got {MinCount}.");
        if (Sample is < 0 or >= 1 || double.IsNaN(Sample)) throw new ArgumentException($"sample must be in [0, 1); got {Sample}.");
        if (!(LearningRate > 0) || !(MinLearningRate >= 0) || MinLearningRate > LearningRate)
            throw new ArgumentException($"alpha must be positive and min_alpha in [0, alpha]; got {LearningRate} and {MinLearningRate}.");
        if (Window is <= 0 or > 1_000) throw new ArgumentException($"window must be in 1..1000; got {Window}.");
        if (DistributedMemory && TrainWords) throw new ArgumentException("dbow_words belongs to PV-DBOW (dm=0); PV-DM trains word vectors anyway.");
        if (Threads is < 0 or > 1_024) throw new ArgumentException($"workers must be in 0..1024; got {Threads}.");
    }
}
