namespace EmbedEngine.Tensors.Modules;

/// <summary>The element-wise activations as modules.</summary>
public enum ActivationKind
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>GELU (tanh approximation).</summary>
    Gelu,

    /// <summary>tanh.</summary>
    Tanh,

    /// <summary>The logistic sigmoid.</summary>
    Sigmoid,
}

/// <summary>An activation layer.</summary>
public sealed class Activation(ActivationKind kind) : Module
{
    /// <summary>Which function.</summary>
    public ActivationKind Kind { get; } = kind;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Kind switch
    {
        ActivationKind.Relu => Ops.Relu(input),
        ActivationKind.Gelu => Ops.Gelu(input),
        ActivationKind.Tanh => Ops.Tanh(input),
        _ => Ops.Sigmoid(input),
    };
}
