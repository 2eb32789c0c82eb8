using EmbedEngine.Kernels.Speed;

namespace EmbedEngine.Kernels.Tests.Speed;

/// <summary>Every case of <c>embed bench speed</c> builds on its standard shape and runs each variant this machine has.</summary>
[Collection(ExperimentalVariantTests.RegistryCollection)]
public sealed class SpeedCatalogueTests
{
    public static TheoryData<string> Kernels => [.. SpeedCatalogue.Kernels];

    [Fact]
    public void The_catalogue_times_every_kernel_family_of_issue_20()
    {
        Assert.Equal(
            ["Dot", "Axpy", "BatchedSgns", "LogisticUpdate", "CbowAverage", "CbowScatter", "GloveUpdate", "Sgemm", "Softmax", "Gelu", "LayerNorm",
                "Adam", "TopKCosine", "SparseDenseProduct", "SparseRowNorms", "LstmCellForward", "LstmCellBackward", "InfoNce", "Attention",
                "AttentionBackward"],
            SpeedCatalogue.Kernels);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_shape_of_a_kernel_runs_each_variant_once(string kernel)
    {
        foreach (SpeedEntry entry in SpeedCatalogue.Entries.Where(e => e.Kernel == kernel))
        {
            using SpeedCase speedCase = entry.Create();
            Assert.Equal(kernel, speedCase.Kernel);
            Assert.True(speedCase.Work.Amount > 0, $"{kernel} {speedCase.Shape}: work {speedCase.Work.Amount}");
            Assert.InRange(speedCase.CallsPerRun, 1, SpeedCase.ShortKernelCalls);
            Assert.Equal([.. IsaDispatch.Supported.Select(i => i.ToString().ToLowerInvariant())],
                speedCase.Variants.Where(v => !v.Experimental && v.Name != "gpu").Select(v => v.Name));
            foreach (SpeedVariant variant in speedCase.Variants) variant.Run();
        }
    }
}
