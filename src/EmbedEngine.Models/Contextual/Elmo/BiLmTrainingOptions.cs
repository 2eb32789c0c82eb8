namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>
/// How a bidirectional language model trains: Adam (β 0.9/0.999) on the mean of both directions' losses, the
/// global gradient norm clipped, linear warm-up then cosine decay, batches of random windows.
/// </summary>
public sealed record BiLmTrainingOptions
{
    /// <summary>Optimizer steps.</summary>
    public int Iterations { get; init; } = 2000;

    /// <summary>Windows per step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate, reached at the end of the warm-up.</summary>
    public float LearningRate { get; init; } = 2e-3f;

    /// <summary>The learning rate the cosine decay ends at, on the last iteration.</summary>
    public float MinLearningRate { get; init; } = 2e-4f;

    /// <summary>Iterations of linear warm-up.</summary>
    public int WarmupIterations { get; init; } = 100;

    /// <summary>The global gradient norm is clipped to this before each step.</summary>
    public float ClipNorm { get; init; } = 5f;

    /// <summary>Validation every this many iterations (and after the last).</summary>
    public int EvalInterval { get; init; } = 500;

    /// <summary>Threads for the tensor kernels (0: one per core); results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Seeds initialization, the windows and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the model trains: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, or <c>emulated</c> (ILGPU's CPU accelerator running the GPU kernels).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Iterations <= 0) throw new ArgumentException($"Iterations must be positive; got {Iterations}.");
        if (BatchSize is <= 0 or > BiLmConfig.MaxSize) throw new ArgumentException($"The batch size must be between 1 and {BiLmConfig.MaxSize}; got {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be positive; got {LearningRate}.");
        if (!(MinLearningRate >= 0) || MinLearningRate > LearningRate) throw new ArgumentException($"The minimum learning rate must be in [0, {LearningRate}]; got {MinLearningRate}.");
        if (WarmupIterations < 0) throw new ArgumentException($"Warm-up iterations cannot be negative; got {WarmupIterations}.");
        if (!(ClipNorm > 0)) throw new ArgumentException($"The clipping norm must be positive; got {ClipNorm}.");
        if (EvalInterval <= 0) throw new ArgumentException($"The evaluation interval must be positive; got {EvalInterval}.");
        if (Threads < 0) throw new ArgumentException($"Threads cannot be negative; got {Threads}.");
        if (string.IsNullOrWhiteSpace(Device)) throw new ArgumentException("The device must be named: cpu, cuda, cuda:N or emulated.");
    }
}
