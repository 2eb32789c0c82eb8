using EmbedEngine.Text;

namespace EmbedEngine.Models.Training;

/// <summary>Subsampling as the static-vector workers apply it: once per sentence, before the windows are walked.</summary>
internal static class SubsamplerExtensions
{
    /// <summary>Copies the words of <paramref name="sentence"/> that survive subsampling into <paramref name="kept"/>; returns them.</summary>
    public static ReadOnlySpan<int> Subsample(this Subsampler subsampler, ReadOnlySpan<int> sentence, ref FastRandom random, Span<int> kept)
    {
        int length = 0;
        foreach (int id in sentence)
            if (subsampler.Keep(id, random.NextFloat())) kept[length++] = id;
        return kept[..length];
    }
}
