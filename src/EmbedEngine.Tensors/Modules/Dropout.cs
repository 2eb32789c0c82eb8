namespace EmbedEngine.Tensors.Modules;

/// <summary>Inverted dropout while training, the identity while evaluating. Each call draws a fresh mask.</summary>
public sealed class Dropout(float probability, uint seed = 1) : Module
{
    private uint _calls = seed;

    /// <summary>The chance an element is dropped.</summary>
    public float Probability { get; } = probability is >= 0f and < 1f
        ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), "Dropout probability must be in [0, 1).");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        IsTraining && Probability > 0f ? Ops.Dropout(input, Probability, unchecked(_calls++ * 0x9E3779B9u)) : input;
}
