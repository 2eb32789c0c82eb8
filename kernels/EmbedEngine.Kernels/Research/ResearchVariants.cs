using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Kernels.Research;

/// <summary>The experimental variants this folder ships; adding one to <see cref="ExperimentalVariants"/> is one line here.</summary>
internal static class ResearchVariants
{
    /// <summary>Every variant in <c>Research/</c>.</summary>
    public static readonly ExperimentalVariant[] All = [DotTwoChains.Variant];
}
