namespace EmbedEngine.Models.Mlp;

/// <summary>Settings of the MLP image classifier.</summary>
public sealed record MlpOptions
{
    /// <summary>Sizes of the hidden layers (ReLU after each).</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [1024, 512];

    /// <summary>Passes over the training images.</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>AdamW's peak learning rate (the schedule decays it linearly to zero).</summary>
    public float LearningRate { get; init; } = 2e-3f;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public float WeightDecay { get; init; } = 0.01f;

    /// <summary>Dropout after each hidden layer while training.</summary>
    public float Dropout { get; init; } = 0.3f;

    /// <summary>Threads for the matrix products (0: one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Where to train: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, or <c>emulated</c> (ILGPU's CPU accelerator running the GPU kernels).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Seeds initialization, shuffling and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Everything that decides a run's course on <paramref name="images"/> training images (threads do not: the run is
    /// deterministic on any number), so a checkpoint resumes only the run it came from.
    /// </summary>
    public string Fingerprint(int images) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"hidden {string.Join(',', HiddenSizes)}, epochs {Epochs}, batch {BatchSize}, lr {LearningRate:R}, weight decay {WeightDecay:R}, dropout {Dropout:R}, seed {Seed}, images {images}");

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (HiddenSizes.Count == 0 || HiddenSizes.Any(s => s <= 0 || s > 1 << 16)) throw new ArgumentException("Hidden sizes must be between 1 and 65536, at least one layer.");
        if (Epochs <= 0) throw new ArgumentException($"Epochs must be positive; got {Epochs}.");
        if (BatchSize <= 0 || BatchSize > 1 << 16) throw new ArgumentException($"The batch size must be between 1 and 65536; got {BatchSize}.");
        if (!(LearningRate > 0)) throw new ArgumentException($"The learning rate must be positive; got {LearningRate}.");
        if (WeightDecay < 0) throw new ArgumentException($"Weight decay cannot be negative; got {WeightDecay}.");
        if (Dropout is < 0f or >= 1f) throw new ArgumentException($"Dropout must be in [0, 1); got {Dropout}.");
        if (Threads < 0) throw new ArgumentException($"Threads cannot be negative; got {Threads}.");
    }
}
