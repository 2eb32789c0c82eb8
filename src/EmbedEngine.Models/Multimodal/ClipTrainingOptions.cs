namespace EmbedEngine.Models.Multimodal;

/// <summary>How a CLIP-like model is trained: AdamW with CLIP's betas and ε, linear warm-up then cosine decay, shuffled full batches.</summary>
public sealed record ClipTrainingOptions
{
    /// <summary>Passes over the training images.</summary>
    public int Epochs { get; init; } = 25;

    /// <summary>
    /// Image–caption pairs per step, up to the whole training set (the contrastive loss's N). The default favours
    /// steps: 8k images at 256 a step gave the vision transformer too few updates to learn in 25 epochs.
    /// </summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>AdamW's peak learning rate.</summary>
    public float LearningRate { get; init; } = 3e-3f;

    /// <summary>The rate the cosine decay ends at.</summary>
    public float MinLearningRate { get; init; }

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>AdamW's decoupled weight decay on weight matrices and embeddings (not biases, norms or the logit scale).</summary>
    public float WeightDecay { get; init; } = 0.1f;

    /// <summary>AdamW's β1.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>AdamW's β2 (CLIP's 0.98).</summary>
    public float Beta2 { get; init; } = 0.98f;

    /// <summary>AdamW's ε (CLIP's 1e-6).</summary>
    public float Epsilon { get; init; } = 1e-6f;

    /// <summary>Training images move by up to this many pixels on each axis (0: none).</summary>
    public int MaxShift { get; init; } = 2;

    /// <summary>
    /// Each training caption word is replaced by the unknown token with this probability, so the text encoder learns
    /// to read past words it does not know: test captions use frames and words never seen in training.
    /// </summary>
    public float UnknownWordRate { get; init; } = 0.1f;

    /// <summary>Threads for the kernels (0: one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Seeds initialization, shuffling and shifts.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the model trains: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, or <c>emulated</c> (ILGPU's CPU accelerator running the GPU kernels).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentException($"Epochs must be positive; got {Epochs}.");
        if (BatchSize < 2) throw new ArgumentException($"A contrastive batch needs at least 2 pairs; got {BatchSize}.");
        if (!(LearningRate > 0)) throw new ArgumentException($"The learning rate must be positive; got {LearningRate}.");
        if (!(MinLearningRate >= 0) || MinLearningRate > LearningRate) throw new ArgumentException($"The minimum learning rate must be in [0, {LearningRate}]; got {MinLearningRate}.");
        if (WarmupSteps < 0) throw new ArgumentException($"Warm-up steps cannot be negative; got {WarmupSteps}.");
        if (WeightDecay < 0) throw new ArgumentException($"Weight decay cannot be negative; got {WeightDecay}.");
        if (Beta1 is < 0f or >= 1f || Beta2 is < 0f or >= 1f) throw new ArgumentException($"Adam's betas must be in [0, 1); got {Beta1} and {Beta2}.");
        if (!(Epsilon > 0)) throw new ArgumentException($"Adam's epsilon must be positive; got {Epsilon}.");
        if (UnknownWordRate is < 0f or >= 1f) throw new ArgumentException($"The unknown-word rate must be in [0, 1); got {UnknownWordRate}.");
        if (MaxShift < 0) throw new ArgumentException($"The shift cannot be negative; got {MaxShift}.");
        if (Threads < 0) throw new ArgumentException($"Threads cannot be negative; got {Threads}.");
        if (string.IsNullOrWhiteSpace(Device)) throw new ArgumentException("The device must be named: cpu, cuda, cuda:N or emulated.");
    }
}
