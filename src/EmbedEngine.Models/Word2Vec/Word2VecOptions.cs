using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Word2Vec;

/// <summary>word2vec's two architectures.</summary>
public enum Word2VecArchitecture
{
    /// <summary>Continuous bag of words: the context average predicts the centre word (word2vec.c's default).</summary>
    Cbow,
    /// <summary>Skip-gram: each context word predicts the centre word.</summary>
    SkipGram,
}

/// <summary>
/// Training options. The flags' defaults are word2vec.c's (<c>-size 100 -window 5 -sample 1e-3 -negative 5 -hs 0
/// -min-count 5 -iter 5 -cbow 1</c>); how training runs is gensim's, whose vectors scored higher with the same flags
/// (docs/word2vec-gensim.md): saturated scores skipped, starting vectors in ±1/dim, threads moving through the corpus
/// together, the rate falling with sentences, sentences up to 10,000 words. <see cref="WithWord2VecCTraining"/> gives
/// word2vec.c's way back, for users who want its results.
/// </summary>
public sealed record Word2VecOptions
{
    /// <summary>Architecture (<c>-cbow</c>).</summary>
    public Word2VecArchitecture Architecture { get; init; } = Word2VecArchitecture.Cbow;

    /// <summary>Vector dimension (<c>-size</c>).</summary>
    public int Dimension { get; init; } = 100;

    /// <summary>Maximum distance between the centre and a context word (<c>-window</c>); each position draws a smaller one.</summary>
    public int Window { get; init; } = 5;

    /// <summary>Subsampling threshold for frequent words (<c>-sample</c>); 0 disables it.</summary>
    public double Sample { get; init; } = 1e-3;

    /// <summary>Negative samples per positive (<c>-negative</c>); 0 disables negative sampling.</summary>
    public int Negative { get; init; } = 5;

    /// <summary>Use hierarchical softmax (<c>-hs</c>).</summary>
    public bool HierarchicalSoftmax { get; init; }

    /// <summary>Discard words seen fewer times (<c>-min-count</c>).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Keep at most this many most frequent words; 0 keeps all.</summary>
    public int MaxVocabularySize { get; init; }

    /// <summary>Passes over the corpus (<c>-iter</c>).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Starting learning rate (<c>-alpha</c>); null picks word2vec's 0.05 for CBOW and 0.025 for skip-gram.</summary>
    public float? LearningRate { get; init; }

    /// <summary>Worker threads (<c>-threads</c>); training is lock-free (Hogwild) across them.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of every random choice; with one thread the whole run is deterministic.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// How the logistic function is taken: gensim's table that skips saturated scores (the default), word2vec.c's
    /// clamped table, or the exact function.
    /// </summary>
    public SigmoidMode Sigmoid { get; init; } = SigmoidMode.SkipSaturated;

    /// <summary>
    /// Skip-gram only: the context words of one window share the centre word's negatives, so each window is one
    /// small matrix product (Ji et al. 2016) instead of per-pair updates.
    /// </summary>
    public bool SharedNegatives { get; init; }

    /// <summary>
    /// With more than one thread, each thread trains a private copy of the output rows of this many most frequent
    /// words and merges its changes into the shared rows now and then (<see cref="Training.StagedRows"/>: every million
    /// row updates for skip-gram, every 40,000 for CBOW), so the cores stop passing those rows back and forth on every
    /// update; 0 trains every row in place, as word2vec.c and gensim do. Null: for skip-gram as many as the copies'
    /// memory budget allows (<see cref="Training.StagedRows.Affordable"/>, every row of a vocabulary up to ~20,000 words
    /// at 200 dimensions on 2 threads), for CBOW the top 2,000 (within that budget).
    /// </summary>
    public int? StagedRows { get; init; }

    /// <summary>
    /// Input vectors start uniform in ±InitialRange/dim: gensim's (and fastText's) 1 by default, which scored
    /// 0.3 analogy points higher than word2vec.c's 0.5 at equal similarity scores (docs/word2vec-gensim.md).
    /// </summary>
    public float InitialRange { get; init; } = 1f;

    /// <summary>
    /// Blocks per thread: the corpus is cut into T·Interleave equal byte ranges, dealt in corpus order to whichever
    /// thread is free, so the threads move through the corpus together, as gensim's workers share its jobs, and a
    /// corpus whose parts differ (eras, sources) is not trained part against part; 1 gives each thread one contiguous
    /// part, as word2vec.c does. With 2 threads 64 scored as one thread does and 1–3 Spearman points above 1
    /// (docs/word2vec-gensim.md). A gzip corpus is always dealt out line by line.
    /// </summary>
    public int Interleave { get; init; } = 64;

    /// <summary>
    /// What the learning rate's linear fall counts: sentences (gensim's usual call, the default) or words (word2vec.c).
    /// Where lines differ in length, as speeches beside paragraphs, sentences keep long lines at a higher rate.
    /// </summary>
    public LearningRateDecay Decay { get; init; } = LearningRateDecay.Sentences;

    /// <summary>Longest sentence, in words, trained as one unit (word2vec.c's MAX_SENTENCE_LENGTH; gensim's is 10,000).</summary>
    public int MaxSentenceLength { get; init; } = 10_000;

    /// <summary>
    /// These options trained as word2vec.c trains: its clamped sigmoid table, starting vectors in ±0.5/dim, one
    /// contiguous part of the corpus per thread, the rate falling with words, sentences cut at 1,000 words.
    /// </summary>
    public Word2VecOptions WithWord2VecCTraining() => this with
    {
        Sigmoid = SigmoidMode.Table,
        InitialRange = 0.5f,
        Interleave = 1,
        Decay = LearningRateDecay.Words,
        MaxSentenceLength = 1000,
    };

    /// <summary>The learning rate actually used at the start.</summary>
    public float StartingLearningRate => LearningRate ?? (Architecture == Word2VecArchitecture.Cbow ? 0.05f : 0.025f);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Dimension is > 0 and <= 10_000, $"dimension must be in 1..10000, not {Dimension}");
        Require(Window is > 0 and <= 1_000, $"window must be in 1..1000, not {Window}");
        Require(Sample is >= 0 and < 1, $"sample must be in [0, 1), not {Sample}");
        Require(Negative is >= 0 and <= 1_000, $"negative must be in 0..1000, not {Negative}");
        Require(Negative > 0 || HierarchicalSoftmax, "choose negative sampling (negative > 0), hierarchical softmax, or both");
        Require(MinCount >= 1, $"min-count must be at least 1, not {MinCount}");
        Require(MaxVocabularySize >= 0, $"max vocabulary size must not be negative, not {MaxVocabularySize}");
        Require(Epochs is > 0 and <= 10_000, $"epochs must be in 1..10000, not {Epochs}");
        Require(StartingLearningRate is > 0 and < 10, $"learning rate must be in (0, 10), not {StartingLearningRate}");
        Require(Threads is > 0 and <= 1_024, $"threads must be in 1..1024, not {Threads}");
        Require(InitialRange is > 0 and <= 100, $"initial range must be in (0, 100], not {InitialRange}");
        Require(Interleave is > 0 and <= 1_000_000, $"interleave must be in 1..1000000, not {Interleave}");
        Require(StagedRows is null or >= 0, $"staged rows must not be negative, not {StagedRows}");
        Require(MaxSentenceLength > 0, $"max sentence length must be positive, not {MaxSentenceLength}");
        Require(!SharedNegatives || (Architecture == Word2VecArchitecture.SkipGram && Negative > 0 && !HierarchicalSoftmax),
            "shared negatives work with skip-gram and negative sampling only (no hierarchical softmax)");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
