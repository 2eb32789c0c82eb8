namespace EmbedEngine.Models.GloVe;

/// <summary>Which trained matrix becomes the word vectors (Stanford GloVe's <c>-model</c> flag).</summary>
public enum GloVeOutput
{
    /// <summary>The word vectors W alone (<c>-model 0</c>).</summary>
    WordOnly,
    /// <summary>The context vectors W̃ alone (<c>-model 1</c>).</summary>
    ContextOnly,
    /// <summary>Their sum W + W̃ (<c>-model 2</c>, GloVe's default and usually the best).</summary>
    Sum,
}

/// <summary>
/// GloVe training options. Defaults match Stanford GloVe's glove.c (<c>-vector-size 50 -iter 25 -eta 0.05
/// -x-max 100 -alpha 0.75 -grad-clip 100 -model 2</c>).
/// </summary>
public sealed record GloVeOptions
{
    /// <summary>Vector dimension (<c>-vector-size</c>).</summary>
    public int Dimension { get; init; } = 50;

    /// <summary>Passes over the nonzero co-occurrences (<c>-iter</c>).</summary>
    public int Epochs { get; init; } = 25;

    /// <summary>AdaGrad's initial learning rate (<c>-eta</c>).</summary>
    public float LearningRate { get; init; } = 0.05f;

    /// <summary>Cut-off of the weighting function f(x) = min(1, (x/xMax)^α) (<c>-x-max</c>).</summary>
    public float XMax { get; init; } = 100f;

    /// <summary>Exponent of the weighting function (<c>-alpha</c>).</summary>
    public float Alpha { get; init; } = 0.75f;

    /// <summary>Bound on each gradient component of the word and context rows (<c>-grad-clip</c>), against blow-ups at large learning rates.</summary>
    public float GradientClip { get; init; } = 100f;

    /// <summary>Worker threads (<c>-threads</c>); training is lock-free (Hogwild) across them.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the initial weights and the shuffles; with one thread the whole run is deterministic.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Which matrix is returned as the word vectors (<c>-model</c>).</summary>
    public GloVeOutput Output { get; init; } = GloVeOutput.Sum;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Dimension is > 0 and <= 10_000, $"dimension must be in 1..10000, not {Dimension}");
        Require(Epochs is > 0 and <= 10_000, $"epochs must be in 1..10000, not {Epochs}");
        Require(LearningRate is > 0 and < 10, $"learning rate (eta) must be in (0, 10), not {LearningRate}");
        Require(XMax is > 0 and < float.PositiveInfinity, $"x-max must be positive and finite, not {XMax}");
        Require(Alpha is > 0 and <= 10, $"alpha must be in (0, 10], not {Alpha}");
        Require(GradientClip is > 0 and < float.PositiveInfinity, $"gradient clip must be positive and finite, not {GradientClip}");
        Require(Threads is > 0 and <= 1_024, $"threads must be in 1..1024, not {Threads}");
        Require(Enum.IsDefined(Output), $"output must be word, context or sum, not {Output}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
