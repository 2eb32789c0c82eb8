namespace EmbedEngine.Models.FastText;

/// <summary>
/// The training settings a fastText binary model stores (fastText's Args block), with fastText's defaults for
/// word vectors. Settings that only steer training and are not stored (learning rate, threads) are not here.
/// </summary>
public sealed record FastTextArgs
{
    /// <summary>Length of every vector (-dim).</summary>
    public int Dimension { get; init; } = 100;

    /// <summary>Context window size in words (-ws).</summary>
    public int WindowSize { get; init; } = 5;

    /// <summary>Passes over the corpus (-epoch).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Words seen fewer times are left out of the dictionary (-minCount).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Negative samples per positive one (-neg).</summary>
    public int NegativeSamples { get; init; } = 5;

    /// <summary>Longest word n-gram the classifier hashes into buckets (-wordNgrams); 1 means single words only.</summary>
    public int WordNgrams { get; init; } = 1;

    /// <summary>The loss (-loss).</summary>
    public FastTextLoss Loss { get; init; } = FastTextLoss.NegativeSampling;

    /// <summary>What the model predicts (cbow, skipgram or supervised).</summary>
    public FastTextModelKind Model { get; init; } = FastTextModelKind.SkipGram;

    /// <summary>Hash buckets shared by character n-grams and word n-grams (-bucket): rows after the words.</summary>
    public int Buckets { get; init; } = 2_000_000;

    /// <summary>Shortest character n-gram (-minn).</summary>
    public int MinN { get; init; } = 3;

    /// <summary>Longest character n-gram (-maxn); 0 turns character n-grams off.</summary>
    public int MaxN { get; init; } = 6;

    /// <summary>Words processed between learning-rate updates (-lrUpdateRate).</summary>
    public int LearningRateUpdateRate { get; init; } = 100;

    /// <summary>Subsampling threshold for frequent words (-t).</summary>
    public double SamplingThreshold { get; init; } = 1e-4;
}
