using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

public class IsaDispatchTests
{
    [Theory]
    [InlineData("scalar", Isa.Scalar)]
    [InlineData("Scalar", Isa.Scalar)]
    [InlineData(" SCALAR ", Isa.Scalar)]
    public void Choose_parses_names_case_insensitively(string requested, Isa expected) =>
        Assert.Equal(expected, IsaDispatch.Choose(requested));

    [Theory]
    [InlineData("avx2", Isa.Avx2)]
    [InlineData("AVX512", Isa.Avx512)]
    public void Choose_accepts_each_supported_variant_and_rejects_the_others(string requested, Isa isa)
    {
        if (IsaDispatch.IsSupported(isa))
        {
            Assert.Equal(isa, IsaDispatch.Choose(requested));
        }
        else
        {
            var e = Assert.Throws<InvalidOperationException>(() => IsaDispatch.Choose(requested));
            Assert.Contains("does not support", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Choose_picks_the_best_supported_variant_when_nothing_is_requested(string? requested) =>
        Assert.Equal(IsaDispatch.Best, IsaDispatch.Choose(requested));

    [Theory]
    [InlineData("sse")]
    [InlineData("avx")]
    [InlineData("3")]
    [InlineData("-1")]
    public void Choose_rejects_unknown_names_naming_the_variable_and_the_choices(string requested)
    {
        var e = Assert.Throws<InvalidOperationException>(() => IsaDispatch.Choose(requested));
        Assert.Equal($"EMBED_ISA='{requested}' is not one of scalar, avx2, avx512.", e.Message);
    }

    [Fact]
    public void Supported_starts_with_the_reference_and_ends_with_the_best()
    {
        Assert.Equal(Isa.Scalar, IsaDispatch.Supported[0]);
        Assert.Equal(IsaDispatch.Best, IsaDispatch.Supported[^1]);
        Assert.All(IsaDispatch.Supported, isa => Assert.True(IsaDispatch.IsSupported(isa)));
        Assert.Contains(IsaDispatch.Active, IsaDispatch.Supported);
    }

    [Fact]
    public void Active_honours_the_environment_variable()
    {
        string? forced = Environment.GetEnvironmentVariable(IsaDispatch.EnvironmentVariable);
        Assert.Equal(IsaDispatch.Choose(forced), IsaDispatch.Active);
    }
}
