namespace EmbedEngine.Tensors.Modules;

/// <summary>Layer normalization over the last dimension, with γ = 1 and β = 0 to start.</summary>
public sealed class LayerNorm : Module
{
    private readonly float _epsilon;

    /// <summary>Normalizes vectors of <paramref name="dimension"/>.</summary>
    public LayerNorm(int dimension, float epsilon = 1e-5f)
    {
        _epsilon = epsilon;
        Gamma = Parameter("weight", Tensor.Full(1f, dimension));
        Beta = Parameter("bias", Tensor.Zeros(dimension));
    }

    /// <summary>γ.</summary>
    public Tensor Gamma { get; }

    /// <summary>β.</summary>
    public Tensor Beta { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.LayerNorm(input, Gamma, Beta, _epsilon);
}
