using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// Options of the text classifier. Defaults are fastText's for <c>supervised</c> (<c>-dim 100 -lr 0.1 -epoch 5
/// -wordNgrams 1 -minCount 1 -loss softmax -bucket 2000000</c>), so a user moving over gets the results they know.
/// </summary>
public sealed record ClassifierOptions
{
    /// <summary>What every classifier's stored settings share: the model kind and the learning-rate update rate.</summary>
    private static readonly FastTextArgs SupervisedArgs = new()
    {
        Model = FastTextModelKind.Supervised, LearningRateUpdateRate = ClassifierTrainer.TokenPublishStep,
    };

    /// <summary>fastText's default size of the word n-gram hash table (<c>-bucket</c>).</summary>
    public const int DefaultBuckets = 2_000_000;

    /// <summary>Dimension of the word vectors and the hidden layer (<c>-dim</c>).</summary>
    public int Dimension { get; init; } = 100;

    /// <summary>Starting learning rate (<c>-lr</c>); it falls linearly to zero over the run.</summary>
    public float LearningRate { get; init; } = 0.1f;

    /// <summary>Passes over the training file (<c>-epoch</c>).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Longest word n-gram used as a feature (<c>-wordNgrams</c>); 1 uses single words only.</summary>
    public int WordNgrams { get; init; } = 1;

    /// <summary>Words seen fewer times are dropped (<c>-minCount</c>).</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>Labels seen fewer times are dropped (<c>-minCountLabel</c>).</summary>
    public int MinCountLabel { get; init; }

    /// <summary>
    /// Rows of the n-gram hash table (<c>-bucket</c>), shared by word and character n-grams; unused, and taken as 0,
    /// when <see cref="WordNgrams"/> is 1 and <see cref="MaxN"/> is 0.
    /// </summary>
    public int Buckets { get; init; } = DefaultBuckets;

    /// <summary>Shortest character n-gram (<c>-minn</c>); fastText's supervised default uses none.</summary>
    public int MinN { get; init; }

    /// <summary>Longest character n-gram (<c>-maxn</c>); 0, the supervised default, turns them off.</summary>
    public int MaxN { get; init; }

    /// <summary>The output layer (<c>-loss</c>).</summary>
    public FastTextLoss Loss { get; init; } = FastTextLoss.Softmax;

    /// <summary>Tokens that start with this are labels (<c>-label</c>).</summary>
    public string LabelPrefix { get; init; } = "__label__";

    /// <summary>Worker threads (<c>-thread</c>); training is lock-free (Hogwild) across them.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the initial weights and of every random choice; with one thread the run is deterministic.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The hash table size actually allocated: fastText allocates none when no word or character n-gram is used.</summary>
    public int EffectiveBuckets => WordNgrams > 1 || MaxN > 0 ? Buckets : 0;

    /// <summary>
    /// The settings fastText's .bin stores for such a classifier, as fastText's <c>supervised</c> fills them, with
    /// its defaults for what the classifier does not use (window, negatives, sampling).
    /// </summary>
    internal FastTextArgs ToArgs() => SupervisedArgs with
    {
        Dimension = Dimension, Epochs = Epochs, MinCount = MinCount, WordNgrams = WordNgrams, Loss = Loss, Buckets = EffectiveBuckets,
        MinN = MinN, MaxN = MaxN,
    };

    /// <summary>The character n-gram scheme these options describe (none when maxn is 0).</summary>
    public CharacterNgrams Ngrams() => new(MinN, MaxN, EffectiveBuckets);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Dimension is > 0 and <= 10_000, $"dim must be in 1..10000, not {Dimension}");
        Require(LearningRate is > 0 and < 100, $"lr must be in (0, 100), not {LearningRate}");
        Require(Epochs is > 0 and <= 10_000, $"epoch must be in 1..10000, not {Epochs}");
        Require(WordNgrams is > 0 and <= 100, $"wordNgrams must be in 1..100, not {WordNgrams}");
        Require(MinCount >= 1, $"minCount must be at least 1, not {MinCount}");
        Require(MinCountLabel >= 0, $"minCountLabel must not be negative, not {MinCountLabel}");
        Require(Buckets is >= 0 and <= 100_000_000, $"bucket must be in 0..100000000, not {Buckets}");
        Require(EffectiveBuckets > 0 || (WordNgrams == 1 && MaxN == 0), "wordNgrams above 1 or maxn above 0 needs a bucket count above 0");
        _ = Ngrams(); // the n-gram scheme checks minn and maxn itself
        Require(!string.IsNullOrEmpty(LabelPrefix) && !LabelPrefix.Any(char.IsWhiteSpace),
            $"the label prefix must be non-empty and hold no whitespace, not '{LabelPrefix}'");
        Require(Threads is > 0 and <= 1_024, $"thread must be in 1..1024, not {Threads}");
        Require(Loss is FastTextLoss.Softmax or FastTextLoss.HierarchicalSoftmax or FastTextLoss.OneVsAll,
            $"a classifier's loss must be softmax, hs or ova, not {Loss}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
