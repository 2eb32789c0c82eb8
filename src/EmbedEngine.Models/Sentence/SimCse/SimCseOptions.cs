namespace EmbedEngine.Models.Sentence.SimCse;

/// <summary>
/// How a BERT-like encoder is fine-tuned contrastively (Gao et al., 2021): in-batch negatives at temperature 0.05,
/// dropout as the only augmentation of the unsupervised kind, AdamW at a linear warm-up then cosine-decayed rate.
/// </summary>
public sealed record SimCseOptions
{
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Examples per step: the contrastive loss's N (each anchor's candidates are the batch's N positives and its hard negatives).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>τ: the logits are cosines divided by it (SimCSE's 0.05).</summary>
    public float Temperature { get; init; } = 0.05f;

    /// <summary>
    /// Dropout in the encoder while training, whatever the checkpoint was pre-trained with: the two passes of a
    /// sentence differ only by their dropout masks, so unsupervised SimCSE needs it above 0 (SimCSE's 0.1).
    /// </summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>A sentence is cut to this many tokens ([CLS] included) for training.</summary>
    public int MaxTokens { get; init; } = 32;

    /// <summary>AdamW's peak learning rate.</summary>
    public float LearningRate { get; init; } = 1e-4f;

    /// <summary>The rate the cosine decay ends at.</summary>
    public float MinLearningRate { get; init; }

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; init; } = 50;

    /// <summary>AdamW's decoupled weight decay on weight matrices and embeddings.</summary>
    public float WeightDecay { get; init; } = 0.01f;

    /// <summary>Gradients are scaled down to this global norm at most (0: no clipping).</summary>
    public float ClipNorm { get; init; } = 1f;

    /// <summary>Threads for the kernels (0: one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Seeds the batches and the dropout masks.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the model trains: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, or <c>emulated</c> (ILGPU's CPU accelerator running the GPU kernels).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Steps <= 0) throw new ArgumentException($"Steps must be positive; got {Steps}.");
        if (BatchSize < 2) throw new ArgumentException($"A contrastive batch needs at least 2 examples; got {BatchSize}.");
        if (!(Temperature > 0) || !float.IsFinite(Temperature)) throw new ArgumentException($"The temperature must be positive; got {Temperature}.");
        if (Dropout is < 0f or >= 1f) throw new ArgumentException($"Dropout must be in [0, 1); got {Dropout}.");
        if (MaxTokens < 2) throw new ArgumentException($"A sentence needs room for [CLS] and a token; got at most {MaxTokens} tokens.");
        if (!(LearningRate > 0)) throw new ArgumentException($"The learning rate must be positive; got {LearningRate}.");
        if (!(MinLearningRate >= 0) || MinLearningRate > LearningRate) throw new ArgumentException($"The minimum learning rate must be in [0, {LearningRate}]; got {MinLearningRate}.");
        if (WarmupSteps < 0) throw new ArgumentException($"Warm-up steps cannot be negative; got {WarmupSteps}.");
        if (WeightDecay < 0) throw new ArgumentException($"Weight decay cannot be negative; got {WeightDecay}.");
        if (!(ClipNorm >= 0)) throw new ArgumentException($"The clipping norm cannot be negative; got {ClipNorm}.");
        if (Threads < 0) throw new ArgumentException($"Threads cannot be negative; got {Threads}.");
        if (string.IsNullOrWhiteSpace(Device)) throw new ArgumentException("The device must be named: cpu, cuda, cuda:N or emulated.");
    }
}
