using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Count;

/// <summary>The leading singular values and left singular vectors of a matrix.</summary>
public sealed class TruncatedSvd : IDisposable
{
    internal TruncatedSvd(NativeMatrix leftVectors, float[] singularValues)
    {
        LeftVectors = leftVectors;
        SingularValues = singularValues;
    }

    /// <summary>
    /// The left singular vectors, one per row (rank rows × matrix-rows columns), in the order of
    /// <see cref="SingularValues"/>; owned by this instance.
    /// </summary>
    public NativeMatrix LeftVectors { get; }

    /// <summary>The singular values, largest first.</summary>
    public IReadOnlyList<float> SingularValues { get; }

    /// <summary>Frees <see cref="LeftVectors"/>.</summary>
    public void Dispose() => LeftVectors.Dispose();
}
