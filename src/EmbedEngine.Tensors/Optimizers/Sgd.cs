using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Tensors.Optimizers;

/// <summary>SGD with (optionally Nesterov) momentum, as PyTorch defines it; momentum 0 is plain SGD.</summary>
public sealed class Sgd(IReadOnlyList<Tensor> parameters, float learningRate, float momentum = 0f, bool nesterov = false) : Optimizer(parameters)
{
    private readonly Tensor[] _velocity = ZerosLike(parameters);

    /// <summary>The step size.</summary>
    public float LearningRate { get; set; } = learningRate;

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> weights, ReadOnlySpan<float> gradient) =>
        SgdKernel.Update(weights, gradient, _velocity[index].AsSpan(), LearningRate, momentum, nesterov);

    /// <inheritdoc/>
    protected override void DisposeState() => DisposeAll(_velocity);

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Tensor>> NamedState() => Named("sgd.velocity", _velocity);
}
