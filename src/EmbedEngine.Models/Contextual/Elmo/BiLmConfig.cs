namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>
/// The shape of an ELMo-like bidirectional language model (<see cref="BidirectionalLanguageModel"/>); saved beside its
/// parameters as model.json.
/// </summary>
public sealed record BiLmConfig
{
    /// <summary>The largest size of any dimension, layer count, window or bucket count accepted.</summary>
    public const int MaxSize = 1 << 24;

    /// <summary>Width of the token vectors and of every LSTM layer's output, per direction.</summary>
    public int Dimension { get; init; } = 256;

    /// <summary>
    /// Cells of every LSTM layer; when wider than <see cref="Dimension"/>, each layer projects its state down to it
    /// (LSTMP, as ELMo's 4,096 cells project to 512).
    /// </summary>
    public int Cells { get; init; } = 512;

    /// <summary>LSTM layers per direction.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Words per training and evaluation window.</summary>
    public int Context { get; init; } = 64;

    /// <summary>Shortest character n-gram of the token encoder.</summary>
    public int MinN { get; init; } = 3;

    /// <summary>Longest character n-gram of the token encoder.</summary>
    public int MaxN { get; init; } = 6;

    /// <summary>Hash buckets of the character n-grams.</summary>
    public int Buckets { get; init; } = 100_000;

    /// <summary>Dropout on the token vectors and every layer's output while training.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>The words the softmax predicts (and that have a row of their own in the token encoder), most frequent first; id 0 is <see cref="Unknown"/>.</summary>
    public IReadOnlyList<string> Words { get; init; } = [Unknown];

    /// <summary>The target of every word outside <see cref="Words"/>.</summary>
    public const string Unknown = "<unk>";

    /// <summary>Checks the sizes.</summary>
    /// <exception cref="ArgumentException">A size is out of range or the word list is malformed.</exception>
    public void Validate()
    {
        Check(Dimension, "The dimension");
        Check(Cells, "The number of cells");
        if (Cells < Dimension) throw new ArgumentException($"{Cells} cells are fewer than the dimension {Dimension} they project to.");
        Check(Layers, "The number of layers");
        Check(Context, "The context");
        Check(Buckets, "The number of buckets");
        if (MinN < 1 || MaxN < MinN || MaxN > 64) throw new ArgumentException($"n-gram lengths must satisfy 1 <= minn <= maxn <= 64; got minn {MinN}, maxn {MaxN}.");
        if (Dropout is < 0f or >= 1f || float.IsNaN(Dropout)) throw new ArgumentException($"Dropout must be in [0, 1); got {Dropout}.");
        ArgumentNullException.ThrowIfNull(Words);
        if (Words.Count == 0 || Words[0] != Unknown) throw new ArgumentException($"The word list must start with {Unknown}.");
        if (Words.Count > MaxSize) throw new ArgumentException($"{Words.Count} words are more than {MaxSize}.");
        if ((long)(Words.Count + Buckets) * Dimension > int.MaxValue) throw new ArgumentException($"{Words.Count} words and {Buckets} buckets of {Dimension} are too many floats for one table.");
    }

    private static void Check(int value, string what)
    {
        if (value <= 0 || value > MaxSize) throw new ArgumentException($"{what} must be between 1 and {MaxSize}; got {value}.");
    }
}
