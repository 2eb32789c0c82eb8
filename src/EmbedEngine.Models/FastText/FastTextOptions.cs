using EmbedEngine.Kernels;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// fastText's unsupervised training options. Defaults match its flags (<c>-dim 100 -ws 5 -epoch 5 -minCount 5
/// -neg 5 -lr 0.05 -minn 3 -maxn 6 -bucket 2000000 -t 1e-4</c>), so results are what users of that tool expect.
/// </summary>
public sealed record FastTextOptions
{
    /// <summary>fastText draws negatives from the unigram distribution raised to this power (word2vec uses 0.75).</summary>
    public const double NoisePower = 0.5;

    /// <summary>skipgram or cbow.</summary>
    public Word2VecArchitecture Architecture { get; init; } = Word2VecArchitecture.SkipGram;

    /// <summary>The loss (<c>-loss</c>): negative sampling or hierarchical softmax.</summary>
    public FastTextLoss Loss { get; init; } = FastTextLoss.NegativeSampling;

    /// <summary>Vector dimension (<c>-dim</c>).</summary>
    public int Dimension { get; init; } = 100;

    /// <summary>Largest context radius (<c>-ws</c>); each position draws one uniformly in [1, ws].</summary>
    public int Window { get; init; } = 5;

    /// <summary>Passes over the corpus (<c>-epoch</c>).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Discard words seen fewer times (<c>-minCount</c>).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Negative samples per prediction (<c>-neg</c>); unused with hierarchical softmax.</summary>
    public int Negative { get; init; } = 5;

    /// <summary>Starting learning rate (<c>-lr</c>); it falls linearly to nearly zero.</summary>
    public float LearningRate { get; init; } = 0.05f;

    /// <summary>Shortest character n-gram (<c>-minn</c>).</summary>
    public int MinN { get; init; } = 3;

    /// <summary>Longest character n-gram (<c>-maxn</c>); 0 trains whole words only.</summary>
    public int MaxN { get; init; } = 6;

    /// <summary>Hash buckets for the n-grams (<c>-bucket</c>).</summary>
    public int Buckets { get; init; } = 2_000_000;

    /// <summary>Subsampling threshold for frequent words (<c>-t</c>); 0 disables it.</summary>
    public double Sample { get; init; } = 1e-4;

    /// <summary>Worker threads (<c>-thread</c>); training is lock-free (Hogwild) across them.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of every random choice; with one thread the whole run is deterministic.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>How the logistic function is taken; fastText's clamped lookup table unless asked otherwise.</summary>
    public SigmoidMode Sigmoid { get; init; } = SigmoidMode.Table;

    /// <summary>Longest sentence, in words, trained as one unit.</summary>
    public int MaxSentenceLength { get; init; } = SentenceReader.DefaultMaxSentenceLength;

    /// <summary>The n-gram scheme these options describe.</summary>
    public CharacterNgrams Ngrams() => new(MinN, MaxN, InputBuckets);

    /// <summary>Bucket rows the input matrix gets: none when maxn is 0 turns n-grams off.</summary>
    private int InputBuckets => MaxN == 0 ? 0 : Buckets;

    /// <summary>The settings as fastText's .bin stores them (no n-gram rows at all when maxn is 0).</summary>
    public FastTextArgs ToArgs() => new()
    {
        Dimension = Dimension,
        WindowSize = Window,
        Epochs = Epochs,
        MinCount = MinCount,
        NegativeSamples = Negative,
        Loss = Loss,
        Model = Architecture == Word2VecArchitecture.Cbow ? FastTextModelKind.Cbow : FastTextModelKind.SkipGram,
        Buckets = InputBuckets,
        MinN = MinN,
        MaxN = MaxN,
        SamplingThreshold = Sample,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Dimension is > 0 and <= 10_000, $"dim must be in 1..10000, not {Dimension}");
        Require(Window is > 0 and <= 1_000, $"ws must be in 1..1000, not {Window}");
        Require(Epochs is > 0 and <= 10_000, $"epoch must be in 1..10000, not {Epochs}");
        Require(MinCount >= 1, $"minCount must be at least 1, not {MinCount}");
        Require(Loss is FastTextLoss.NegativeSampling or FastTextLoss.HierarchicalSoftmax, $"word vectors train with ns or hs, not {Loss}");
        Require(Loss == FastTextLoss.HierarchicalSoftmax || Negative is > 0 and <= 1_000, $"neg must be in 1..1000, not {Negative}");
        Require(LearningRate is > 0 and < 10, $"lr must be in (0, 10), not {LearningRate}");
        Require(MaxN == 0 || Buckets is > 0 and <= 100_000_000, $"bucket must be in 1..100000000, not {Buckets}");
        _ = Ngrams(); // the n-gram scheme checks minn and maxn itself
        Require(Sample is >= 0 and < 1, $"t must be in [0, 1), not {Sample}");
        Require(Threads is > 0 and <= 1_024, $"thread must be in 1..1024, not {Threads}");
        Require(MaxSentenceLength > 0, $"max sentence length must be positive, not {MaxSentenceLength}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
