namespace EmbedEngine.Tensors.Modules;

/// <summary>y = x·Wᵀ + b, W [out, in], initialized uniform in ±1/√in as PyTorch does.</summary>
public sealed class Linear : Module
{
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
    public override Tensor Forward(Tensor input) => Ops.Linear(input, Weight, Bias);
}
