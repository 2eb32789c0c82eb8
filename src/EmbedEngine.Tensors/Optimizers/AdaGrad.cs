using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;

namespace EmbedEngine.Tensors.Optimizers;

/// <summary>AdaGrad: each weight's step shrinks with the root of its summed squared gradients.</summary>
public sealed class AdaGrad(IReadOnlyList<Tensor> parameters, float learningRate = 0.01f, float epsilon = 1e-10f) : Optimizer(parameters)
{
    private readonly Tensor[] _squareSums = ZerosLike(parameters);

    /// <summary>The step size.</summary>
    public float LearningRate { get; set; } = learningRate;

    /// <inheritdoc/>
    protected override void Update(int index, Tensor weights, Tensor gradient)
    {
        if (weights.Device.Gpu is GpuDevice gpu)
            AdaGradGpu.Update(gpu, weights.DeviceView("AdaGrad"), gradient.DeviceView("AdaGrad"), _squareSums[index].DeviceView("AdaGrad"), LearningRate, epsilon);
        else AdaGradKernel.Update(weights.AsSpan(), gradient.AsSpan(), _squareSums[index].AsSpan(), LearningRate, epsilon);
    }

    /// <inheritdoc/>
    protected override void DisposeState() => DisposeAll(_squareSums);

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Tensor>> NamedState() => Named("adagrad.square_sums", _squareSums);
}
