using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;

namespace EmbedEngine.Tensors.Optimizers;

/// <summary>SGD with (optionally Nesterov) momentum, as PyTorch defines it; momentum 0 is plain SGD.</summary>
public sealed class Sgd(IReadOnlyList<Tensor> parameters, float learningRate, float momentum = 0f, bool nesterov = false) : Optimizer(parameters)
{
    private readonly Tensor[] _velocity = ZerosLike(parameters);

    /// <summary>The step size.</summary>
    public float LearningRate { get; set; } = learningRate;

    /// <inheritdoc/>
    protected override void Update(int index, Tensor weights, Tensor gradient)
    {
        if (weights.Device.Gpu is GpuDevice gpu)
            SgdGpu.Update(gpu, weights.DeviceView("Sgd"), gradient.DeviceView("Sgd"), _velocity[index].DeviceView("Sgd"), LearningRate, momentum, nesterov);
        else SgdKernel.Update(weights.AsSpan(), gradient.AsSpan(), _velocity[index].AsSpan(), LearningRate, momentum, nesterov);
    }

    /// <inheritdoc/>
    protected override void DisposeState() => DisposeAll(_velocity);

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Tensor>> NamedState() => Named("sgd.velocity", _velocity);
}
