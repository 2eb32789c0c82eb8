namespace EmbedEngine.Kernels.Dense;

/// <summary>Adam's hyperparameters, defaulting to PyTorch's (and the paper's).</summary>
/// <param name="LearningRate">lr.</param>
/// <param name="Beta1">Decay of the first-moment average.</param>
/// <param name="Beta2">Decay of the second-moment average.</param>
/// <param name="Epsilon">ε added to √v̂.</param>
/// <param name="WeightDecay">λ: added to the gradient as λw (Adam), or applied to the weights directly (AdamW).</param>
/// <param name="Decoupled">AdamW (Loshchilov &amp; Hutter): w ← w − lr·λ·w, apart from the gradient.</param>
public readonly record struct AdamSettings(float LearningRate = 1e-3f, float Beta1 = 0.9f, float Beta2 = 0.999f,
    float Epsilon = 1e-8f, float WeightDecay = 0f, bool Decoupled = false)
{
    /// <summary>AdamW's settings with PyTorch's default decay of 0.01.</summary>
    public static AdamSettings AdamW(float learningRate = 1e-3f, float weightDecay = 0.01f) =>
        new(learningRate, WeightDecay: weightDecay, Decoupled: true);
}
