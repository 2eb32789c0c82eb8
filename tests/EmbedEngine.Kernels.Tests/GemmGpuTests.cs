using EmbedEngine.Kernels.Gpu.Dense;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="GemmGpu.Tiled"/> against the scalar triple loop through the shared harness, on the plain products of
/// <see cref="SgemmTests"/> (every size and transpose pair, α and β, β = 0 over NaN, strided views), with the bias
/// and ReLU dropped since the GPU twin has no epilogue. Products past <see cref="MaxWork"/> multiply-adds are left
/// out: ILGPU's CPU accelerator runs a 4×4 group per tile and would take minutes on them.
/// </summary>
public class GemmGpuTests
{
    private const long MaxWork = 300_000;

    /// <summary>Indices into <see cref="SgemmTests.Cases"/> of the products the GPU case runs.</summary>
    public static TheoryData<int> Products()
    {
        var data = new TheoryData<int>();
        int index = 0;
        foreach (GemmCase gemm in SgemmTests.Cases())
        {
            if (gemm.Batch == 1 && (long)gemm.M * gemm.N * gemm.K <= MaxWork) data.Add(index);
            index++;
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Tiled_gpu_product_matches_the_scalar_reference(int index)
    {
        GemmCase gemm = SgemmTests.Cases().ElementAt(index) with { Bias = false, Relu = false };
        Harness.CompareGpu(gemm.Build(new Random(index)), GpuTestDevice.Shared, offset: index % Harness.Offsets.Length,
            $"Sgemm GPU ({GpuTestDevice.Shared.Name}) vs Scalar, {gemm}");
    }
}
