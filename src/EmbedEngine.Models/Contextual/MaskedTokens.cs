using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// BERT's masking of one window: of the positions after [CLS], round(p·n) (at least one) are chosen uniformly
/// without replacement; a chosen token becomes [MASK] 80% of the time, a uniformly random token 10%, and stays
/// 10%. Only chosen positions have a target (their original token); the rest get the cross-entropy's ignore index.
/// </summary>
internal static class MaskedTokens
{
    /// <summary>Chance a chosen token becomes [MASK].</summary>
    private const float MaskShare = 0.8f;

    /// <summary>Chance a chosen token becomes [MASK] or a random token (the last 10% keep it).</summary>
    private const float MaskOrRandomShare = 0.9f;

    /// <summary>The target of a position that is not predicted.</summary>
    public const int Ignored = CrossEntropyKernel.DefaultIgnoreIndex;

    /// <summary>
    /// Masks <paramref name="inputs"/> (a window starting with [CLS]) in place and writes <paramref name="targets"/>;
    /// <paramref name="positions"/> is scratch of at least the window's length.
    /// </summary>
    public static void Apply(Span<int> inputs, Span<int> targets, ContextualConfig config, float probability, ref FastRandom random, int[] positions)
    {
        int candidates = inputs.Length - 1;
        targets.Fill(Ignored);
        if (candidates == 0) return;
        int chosen = Math.Max(1, (int)MathF.Round(probability * candidates));
        for (int i = 0; i < candidates; i++) positions[i] = i + 1;
        for (int i = 0; i < chosen; i++)
        {
            // Partial Fisher–Yates: the first `chosen` slots end up a uniform sample without replacement.
            int j = i + random.NextInt(candidates - i);
            (positions[i], positions[j]) = (positions[j], positions[i]);
            int position = positions[i];
            targets[position] = inputs[position];
            float draw = random.NextFloat();
            if (draw < MaskShare) inputs[position] = config.MaskToken;
            else if (draw < MaskOrRandomShare) inputs[position] = random.NextInt(config.VocabularySize);
        }
    }
}
