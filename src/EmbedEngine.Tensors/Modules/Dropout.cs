namespace EmbedEngine.Tensors.Modules;

/// <summary>Inverted dropout while training, the identity while evaluating. Each call draws a fresh mask.</summary>
public sealed class Dropout(float probability, uint seed = 1) : Module
{
    /// <summary>The counter the next mask is drawn from, one step per training call; checkpoints save and restore it.</summary>
    public uint Counter { get; set; } = seed;

    /// <summary>The chance an element is dropped.</summary>
    public float Probability { get; } = probability is >= 0f and < 1f
        ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), "Dropout probability must be in [0, 1).");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        IsTraining && Probability > 0f ? Ops.Dropout(input, Probability, unchecked(Counter++ * 0x9E3779B9u)) : input;
}
