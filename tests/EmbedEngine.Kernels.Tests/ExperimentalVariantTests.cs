using EmbedEngine.Kernels.Research;
using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// Experimental variants go through the same harness as the shipped ones, without the dispatch knowing them:
/// registered by name (here, or in kernels/EmbedEngine.Kernels/Research), checked against the scalar reference.
/// <c>EMBED_VARIANT=NAME</c> narrows <see cref="Registered_variant_matches_the_scalar_reference"/> to that one.
/// </summary>
[Collection(RegistryCollection)]
public class ExperimentalVariantTests
{
    /// <summary>
    /// Tests that register variants, or build speed cases from the registry: the speed suite would take up a
    /// throwaway variant while it is registered (a Dot that is an AxpyFn fails its case).
    /// </summary>
    public const string RegistryCollection = "experimental variant registry";

    /// <summary>The variant EMBED_VARIANT names, or every registered one.</summary>
    public static TheoryData<string> Registered() =>
        [.. ExperimentalVariants.Requested is { } requested ? [requested.Name] : ExperimentalVariants.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(Registered))]
    public void Registered_variant_matches_the_scalar_reference(string name)
    {
        ExperimentalVariant variant = ExperimentalVariants.Find(name);
        if (variant.IsSupported) Harness.CheckExperimental(variant);
    }

    /// <summary>The worked example of docs/kernels.md: research code registers a Dot and the harness checks it.</summary>
    [Fact]
    public void A_variant_registered_at_run_time_is_checked_against_the_scalar_reference()
    {
        ExperimentalVariant backwards = ExperimentalVariants.Register<DotFn>("Dot", "test.dot-backwards", (x, y) =>
        {
            if (x.Length != y.Length) throw new ArgumentException($"Vector lengths differ: {x.Length} and {y.Length}.");
            float sum = 0f;
            for (int i = x.Length - 1; i >= 0; i--) sum += x[i] * y[i];
            return sum;
        }, Isa.Scalar);

        Assert.Same(backwards, ExperimentalVariants.Find("test.dot-backwards"));
        Assert.Contains(backwards, ExperimentalVariants.Of("Dot"));
        Harness.CheckExperimental(backwards);
    }

    [Fact]
    public void The_harness_catches_an_experimental_variant_that_drops_the_tail()
    {
        ExperimentalVariant broken = ExperimentalVariants.Register<DotFn>("Dot", "test.dot-no-tail",
            (x, y) => DotKernel.Scalar(x[..(x.Length / 8 * 8)], y[..(y.Length / 8 * 8)]), Isa.Scalar);

        Exception failure;
        try
        {
            failure = Assert.ThrowsAny<Exception>(() => Harness.CheckExperimental(broken));
        }
        finally
        {
            ExperimentalVariants.Unregister(broken);
        }
        Assert.Contains("Dot test.dot-no-tail vs Scalar, length 1, Random values, offset 0, result", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_of_the_wrong_signature_is_named_in_the_error()
    {
        ExperimentalVariant wrong = ExperimentalVariants.Register<AxpyFn>("Dot", "test.dot-as-axpy", AxpyKernel.Scalar, Isa.Scalar);

        InvalidOperationException failure;
        try
        {
            failure = Assert.Throws<InvalidOperationException>(() => Harness.CheckExperimental(wrong));
        }
        finally
        {
            ExperimentalVariants.Unregister(wrong);
        }
        Assert.Equal("Experimental variant 'test.dot-as-axpy' is a AxpyFn; kernel Dot calls a DotFn.", failure.Message);
    }

    [Fact]
    public void Names_are_unique_and_an_unknown_one_lists_those_there_are()
    {
        var taken = Assert.Throws<ArgumentException>(() =>
            ExperimentalVariants.Register<DotFn>("Dot", DotTwoChains.Name, DotKernel.Scalar, Isa.Scalar));
        Assert.StartsWith($"An experimental variant called '{DotTwoChains.Name}' is already registered.", taken.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<ArgumentException>(() => ExperimentalVariants.Find("no-such-variant"));
        Assert.StartsWith($"No experimental variant 'no-such-variant'; registered: {DotTwoChains.Name}", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_without_a_harness_case_is_named()
    {
        var failure = Assert.Throws<ArgumentException>(() => KernelCases.Of("NoSuchKernel"));
        Assert.StartsWith("The harness has no case for kernel 'NoSuchKernel'.", failure.Message, StringComparison.Ordinal);
    }
}
