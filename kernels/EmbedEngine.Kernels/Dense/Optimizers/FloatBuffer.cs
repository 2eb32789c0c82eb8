namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// A run of floats in native memory, as a tensor's storage hands it out: unlike a span it can sit in an array, so
/// one call can take every gradient of a model.
/// </summary>
/// <param name="data">First float.</param>
/// <param name="length">Floats in the run.</param>
public readonly unsafe struct FloatBuffer(float* data, int length)
{
    /// <summary>First float.</summary>
    public float* Data { get; } = data;

    /// <summary>Floats in the run.</summary>
    public int Length { get; } = length;

    /// <summary>The run as a span.</summary>
    public Span<float> Span => new(Data, Length);
}
