namespace EmbedEngine.Models.Contextual;

/// <summary>
/// How a language model trains; the defaults are nanoGPT's CPU recipe for Tiny Shakespeare: AdamW
/// (β 0.9/0.99, decay 0.1 on matrices only), gradient norm clipped to 1, 100 warm-up iterations then cosine decay
/// from 1e-3 to 1e-4, batches of 12 random windows, validation every 500 iterations.
/// </summary>
public sealed record ContextualTrainingOptions
{
    /// <summary>
    /// The defaults of a character-level LSTM model: Adam (no weight decay) at 2e-3, as char-rnn's, decaying to 2e-4,
    /// batches of 32 windows; the rest as above.
    /// </summary>
    public static ContextualTrainingOptions CharacterLstm { get; } = new() { BatchSize = 32, LearningRate = 2e-3f, MinLearningRate = 2e-4f, WeightDecay = 0f };

    /// <summary>Optimizer steps.</summary>
    public int Iterations { get; init; } = 2000;

    /// <summary>Windows per step.</summary>
    public int BatchSize { get; init; } = 12;

    /// <summary>Peak learning rate, reached at the end of the warm-up.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>The learning rate the cosine decay ends at, on the last iteration.</summary>
    public float MinLearningRate { get; init; } = 1e-4f;

    /// <summary>Iterations of linear warm-up.</summary>
    public int WarmupIterations { get; init; } = 100;

    /// <summary>AdamW's decoupled weight decay, applied to weight matrices and embeddings only.</summary>
    public float WeightDecay { get; init; } = 0.1f;

    /// <summary>AdamW's β₁.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>AdamW's β₂.</summary>
    public float Beta2 { get; init; } = 0.99f;

    /// <summary>AdamW's ε.</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>The global gradient norm is clipped to this before each step.</summary>
    public float ClipNorm { get; init; } = 1f;

    /// <summary>Validation loss every this many iterations (and after the last).</summary>
    public int EvalInterval { get; init; } = 500;

    /// <summary>The share of a BERT window's tokens chosen for prediction.</summary>
    public float MaskProbability { get; init; } = 0.15f;

    /// <summary>Threads for the tensor kernels (0: one per core); results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Where the model trains: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, or <c>emulated</c> (ILGPU's CPU accelerator
    /// running the GPU kernels).
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Seeds initialization, the windows, masking and dropout.</summary>
    public int Seed { get; init; } = 1337;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Iterations <= 0) throw new ArgumentException($"Iterations must be positive; got {Iterations}.");
        if (BatchSize is <= 0 or > ContextualConfig.MaxSize) throw new ArgumentException($"The batch size must be between 1 and {ContextualConfig.MaxSize}; got {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be positive; got {LearningRate}.");
        if (!(MinLearningRate >= 0) || MinLearningRate > LearningRate) throw new ArgumentException($"The minimum learning rate must be in [0, {LearningRate}]; got {MinLearningRate}.");
        if (WarmupIterations < 0) throw new ArgumentException($"Warm-up iterations cannot be negative; got {WarmupIterations}.");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"Weight decay cannot be negative; got {WeightDecay}.");
        if (Beta1 is < 0f or >= 1f || Beta2 is < 0f or >= 1f) throw new ArgumentException($"Adam's betas must be in [0, 1); got {Beta1} and {Beta2}.");
        if (!(Epsilon > 0)) throw new ArgumentException($"Adam's epsilon must be positive; got {Epsilon}.");
        if (!(ClipNorm > 0)) throw new ArgumentException($"The clipping norm must be positive; got {ClipNorm}.");
        if (EvalInterval <= 0) throw new ArgumentException($"The evaluation interval must be positive; got {EvalInterval}.");
        if (!(MaskProbability > 0) || MaskProbability >= 1) throw new ArgumentException($"The mask probability must be in (0, 1); got {MaskProbability}.");
        if (Threads < 0) throw new ArgumentException($"Threads cannot be negative; got {Threads}.");
        if (string.IsNullOrWhiteSpace(Device)) throw new ArgumentException("The device must be named: cpu, cuda, cuda:N or emulated.");
    }
}
