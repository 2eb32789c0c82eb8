using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Tensors.Optimizers;

/// <summary>Adam, or AdamW when the settings decouple the weight decay (<see cref="AdamSettings.AdamW"/>).</summary>
public sealed class Adam(IReadOnlyList<Tensor> parameters, AdamSettings settings) : Optimizer(parameters)
{
    private readonly Tensor[] _first = ZerosLike(parameters);
    private readonly Tensor[] _second = ZerosLike(parameters);

    /// <summary>The hyperparameters; the learning rate may change between steps (schedules).</summary>
    public AdamSettings Settings { get; set; } = settings;

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> weights, ReadOnlySpan<float> gradient) =>
        AdamKernel.Update(weights, gradient, _first[index].AsSpan(), _second[index].AsSpan(), Settings, Steps);

    /// <inheritdoc/>
    protected override void DisposeState() => DisposeAll(_first, _second);
}
