using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// What a problem runs: the public entry point (no instruction set), a shipped variant, or an experimental one from
/// <see cref="ExperimentalVariants"/>. An <see cref="Isa"/> converts to it, so cases written for instruction sets take
/// experimental variants unchanged through <see cref="KernelCases.Pick{T}"/>.
/// </summary>
/// <param name="Isa">The shipped variant; null with no experimental one: the entry point.</param>
/// <param name="Experimental">The experimental variant, which takes the place of the shipped ones.</param>
public readonly record struct Variant(Isa? Isa, ExperimentalVariant? Experimental = null)
{
    /// <summary>A shipped variant, or the entry point for null.</summary>
    public static implicit operator Variant(Isa? isa) => new(isa);

    /// <inheritdoc/>
    public override string ToString() => Experimental?.Name ?? Isa?.ToString() ?? "entry point";
}
