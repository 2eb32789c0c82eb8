using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Kernels.Gpu.Dense;
using ILGPU;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="AttentionGpu"/> against the scalar reference through the shared harness, on every case of
/// <see cref="AttentionTests"/> (tiles off every tile size, the causal mask with a cache, key padding with a fully
/// masked sequence, head dims 1 … 256, fused QKV rows, logits of ±80), with the tolerances of its error analysis.
/// The GPU tile is 32 queries × 32 keys for small head dims and shrinks to 4 at d = 256, so most cases span several
/// tiles and the online softmax's rescaling, the skipped tiles and the boundary masks all run.
/// </summary>
public class AttentionGpuTests
{
    /// <summary>(case, backward) for every attention case.</summary>
    public static TheoryData<int, bool> Problems()
    {
        var data = new TheoryData<int, bool>();
        for (int i = 0; i < AttentionTests.Cases.Length; i++)
        {
            data.Add(i, false);
            data.Add(i, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void Gpu_twin_matches_the_scalar_reference(int index, bool backward)
    {
        AttentionCase c = AttentionTests.Cases[index];
        Harness.CompareGpu(c.Build(new Random(index), backward), GpuTestDevice.Shared, offset: index % Harness.Offsets.Length,
            $"Attention.{(backward ? "Backward" : "Forward")} GPU ({GpuTestDevice.Shared.Name}) vs Scalar, {c}");
    }

    [Fact]
    public void Views_that_do_not_fit_the_shape_are_named_errors()
    {
        var device = GpuTestDevice.Shared;
        var shape = new AttentionShape(2, 2, 3, 3, 4, causal: true);
        using var buffer = device.Allocate<float>(2 * 3 * 8, "operand");
        using var lse = device.Allocate<float>(2 * 2 * 3, "lse");
        using var lengths = device.Allocate<int>(3, "key lengths");
        var packed = AttentionGpuOperand.Packed(buffer.View, 3, 2, 4);
        var tooShort = new AttentionGpuOperand(buffer.View.SubView(1, buffer.Length - 1), packed.RowStride, packed.BatchStride);
        var error = Assert.Throws<ArgumentException>(() =>
            AttentionGpu.Forward(device, shape, packed, tooShort, packed, packed, lse.View, default));
        Assert.Contains("'k' holds 47 floats", error.Message, StringComparison.Ordinal);
        Assert.Contains("reach 48", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => AttentionGpu.Backward(device, shape, packed, packed, packed, packed, packed,
            lse.View, lengths.View, packed, packed, new AttentionGpuOperand(buffer.View, -8, 24)));
        Assert.Contains("'dv' has a negative stride", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() =>
            AttentionGpu.Forward(device, shape, packed, packed, packed, packed, lse.View, lengths.View));
        Assert.Contains("3 key lengths for 2 sequences", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() =>
            AttentionGpu.Forward(device, shape, packed, packed, packed, packed, lse.View.SubView(1, lse.Length - 1), default(ArrayView<int>)));
        Assert.Contains("'logSumExp' holds 11 floats; 12 expected", error.Message, StringComparison.Ordinal);
    }
}
