using EmbedEngine.Kernels.Gemm;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// y = x·Wᵀ + b, W [out, in], initialized uniform in ±1/√in as PyTorch does. In evaluation mode W is packed once for
/// the GEMM kernel, and no-grad forward passes skip repacking it on every call.
/// </summary>
public sealed unsafe class Linear : Module
{
    private PackedB? _packedWeight;

    /// <summary>A layer from <paramref name="inputs"/> to <paramref name="outputs"/> features.</summary>
    public Linear(int inputs, int outputs, Random random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        float bound = 1f / MathF.Sqrt(inputs);
        Weight = Parameter("weight", Initialization.Uniform(bound, random, outputs, inputs));
        Bias = bias ? Parameter("bias", Initialization.Uniform(bound, random, outputs)) : null;
    }

    /// <summary>W [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>b [out], if any.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, relu: false);

    /// <summary>max(0, <see cref="Forward(Tensor)"/>(input)) in one product (<see cref="Ops.LinearRelu"/>), as a following ReLU layer would give.</summary>
    public Tensor ForwardRelu(Tensor input) => Forward(input, relu: true);

    /// <summary>The packed weight when nothing is recorded, W itself otherwise.</summary>
    private Tensor Forward(Tensor input, bool relu) =>
        _packedWeight != null && !Graph.Current.IsRecording ? Ops.Linear(input, _packedWeight, Bias, relu) : Ops.Linear(input, Weight, Bias, relu);

    /// <inheritdoc/>
    protected override void OnModeSet(bool training)
    {
        _packedWeight?.Dispose();
        // The packed copy is a CPU kernel's layout; a weight on a GPU is read as it is.
        _packedWeight = training || Weight.Device.Kind != DeviceKind.Cpu ? null : SgemmKernel.PackB(transposeB: true, Weight.Shape[1], Weight.Shape[0], Weight.Data, Weight.Shape[1]);
    }
}
