using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using ILGPU;
using ILGPU.Runtime;
using static EmbedEngine.Kernels.Tests.InfoNceTests;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="InfoNceGpu"/> against the scalar reference within <see cref="InfoNceTests"/>' bounds (its sums run in
/// other orders, which the bounds allow for), on small problems for the emulated device: N = 0 and 1, N across a
/// 16-thread group's chunks, d from 3 to 33, repeated rows, a clamped scale, and hard negatives as many as the pairs,
/// fewer, and across chunks. Every device buffer is fenced by guard floats that must come back untouched.
/// </summary>
public sealed unsafe class InfoNceGpuTests
{
    private const int Guards = 8;

    public static readonly InfoNceCase[] Cases =
    [
        new(0, 4, 0f),
        new(1, 8, 2.659f),
        new(5, 3, 0f),
        new(20, 33, 2.659f),
        new(17, 16, 5.1f),
        new(12, 7, 3.5f, Duplicates: true),
        new(1, 8, 2.659f, Negatives: 1),
        new(7, 5, 3.0f, Negatives: 7),
        new(9, 19, 4.6f, Negatives: 14, Duplicates: true),
    ];

    public static TheoryData<int> Indices() => [.. Enumerable.Range(0, Cases.Length)];

    [Theory]
    [MemberData(nameof(Indices))]
    public void Gpu_twin_matches_the_scalar_reference(int index)
    {
        InfoNceCase c = Cases[index];
        Result reference = c.Run((i, t, n, h, d, ls, ms, di, dt, dl, _) => InfoNceKernel.Scalar(i, t, n, h, d, ls, ms, di, dt, dl), offset: 0);
        Result gpu = c.Run(OnDevice(GpuTestDevice.Shared), offset: 1 + index % 3);
        c.Exact().AssertClose(reference, gpu, $"GPU ({GpuTestDevice.Shared.Name}) vs Scalar, {c}");
    }

    [Fact]
    public void Loss_without_gradients_equals_the_loss_with_them()
    {
        InfoNceCase c = Cases[8];
        (float[] image, float[] text) = c.Inputs();
        GpuDevice device = GpuTestDevice.Shared;
        using var deviceImage = Upload(device, image);
        using var deviceText = Upload(device, text);
        using var scratch = device.Allocate<float>(InfoNceGpu.ScratchLength(c.N), "scratch");
        using var loss = device.Allocate<float>(1, "loss");
        InfoNceGpu.Compute(device, Inside(deviceImage, image.Length), Inside(deviceText, text.Length), c.N, c.Negatives, c.D, c.LogScale, InfoNceKernel.ClipMaxScale,
            scratch.View, loss.View);
        float without = loss.GetAsArray1D()[0];
        Assert.Equal(c.Run(OnDevice(device), offset: 0).Loss, without);
    }

    [Fact]
    public void Perfect_alignment_at_the_cap_gives_almost_no_loss_and_a_clamped_scale_no_gradient()
    {
        // Orthonormal pairs, image i = text i: logits 100 on the diagonal, 0 elsewhere.
        const int N = 6, D = 8;
        var rows = new float[N * D];
        for (int i = 0; i < N; i++) rows[i * D + i] = 1f;
        Result r = new InfoNceCase(N, D, 5f).Run(OnDevice(GpuTestDevice.Shared), offset: 0, rows, rows);
        Assert.InRange(r.Loss, 0f, 5 * MathF.Exp(-100f) + 1e-6f);
        Assert.Equal(0f, r.LogScaleGrad);
    }

    [Fact]
    public void Bad_views_are_refused_before_anything_is_queued()
    {
        GpuDevice device = GpuTestDevice.Shared;
        using var rows = device.Allocate<float>(16, "rows");
        using var scratch = device.Allocate<float>(InfoNceGpu.ScratchLength(4), "scratch");
        using var loss = device.Allocate<float>(1, "loss");
        ArrayView<float> eight = rows.View.SubView(0, 8), twelve = rows.View.SubView(0, 12);
        var e = Assert.Throws<ArgumentException>(() =>
            InfoNceGpu.Compute(device, eight, twelve, 2, 0, 4, 0f, 100f, scratch.View, loss.View));
        Assert.Contains("'text' holds 12 floats; 8 expected", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() =>
            InfoNceGpu.Compute(device, eight, eight, 2, 0, 4, 0f, 100f, scratch.View.SubView(0, 7), loss.View));
        Assert.Contains("8 needed for 2 pairs", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() =>
            InfoNceGpu.Compute(device, eight, eight, 2, 0, 4, 0f, 100f, scratch.View, loss.View, imageGrad: eight));
        Assert.Contains("all three gradient views", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            InfoNceGpu.Compute(device, eight, eight, 2, 0, 4, float.NaN, 100f, scratch.View, loss.View));
    }

    /// <summary>
    /// The GPU twin behind the CPU variants' signature: the inputs copied to fenced device buffers, the outputs copied
    /// back to the caller's memory once the device is done, every guard checked.
    /// </summary>
    private static InfoNceFn OnDevice(GpuDevice device) => (image, text, count, negatives, dimension, logScale, maxScale,
        imageGrad, textGrad, logScaleGrad, _) =>
    {
        int imageFloats = count * dimension, textFloats = (count + negatives) * dimension;
        using var deviceImage = Upload(device, new ReadOnlySpan<float>(image, imageFloats).ToArray());
        using var deviceText = Upload(device, new ReadOnlySpan<float>(text, textFloats).ToArray());
        using var scratch = Fenced(device, InfoNceGpu.ScratchLength(count), "scratch");
        using var loss = Fenced(device, 1, "loss");
        using var dI = Fenced(device, imageFloats, "dI");
        using var dT = Fenced(device, textFloats, "dT");
        using var dt = Fenced(device, 1, "dt");
        InfoNceGpu.Compute(device, Inside(deviceImage, imageFloats), Inside(deviceText, textFloats), count, negatives, dimension, logScale,
            maxScale, Inside(scratch, InfoNceGpu.ScratchLength(count)), Inside(loss, 1), Inside(dI, imageFloats), Inside(dT, textFloats),
            Inside(dt, 1));
        float[] lossBack = Download(loss, 1, "loss"), dIBack = Download(dI, imageFloats, "dI"), dTBack = Download(dT, textFloats, "dT");
        Download(scratch, InfoNceGpu.ScratchLength(count), "scratch");
        dIBack.CopyTo(new Span<float>(imageGrad, imageFloats));
        dTBack.CopyTo(new Span<float>(textGrad, textFloats));
        *logScaleGrad = Download(dt, 1, "dt")[0];
        return lossBack[0];
    };

    private static MemoryBuffer1D<float, Stride1D.Dense> Upload(GpuDevice device, float[] values)
    {
        var buffer = Fenced(device, values.Length, "input");
        if (values.Length > 0) buffer.View.SubView(0, values.Length).CopyFromCPU(values);
        return buffer;
    }

    /// <summary><paramref name="length"/> floats followed by guards.</summary>
    private static MemoryBuffer1D<float, Stride1D.Dense> Fenced(GpuDevice device, int length, string what)
    {
        var buffer = device.Allocate<float>(length + Guards, what);
        buffer.View.CopyFromCPU(Enumerable.Repeat(Harness.Guard, length + Guards).ToArray());
        return buffer;
    }

    private static ArrayView<float> Inside(MemoryBuffer1D<float, Stride1D.Dense> buffer, int length) => buffer.View.SubView(0, length);

    /// <summary>The first <paramref name="length"/> floats, after checking that the guards behind them are untouched.</summary>
    private static float[] Download(MemoryBuffer1D<float, Stride1D.Dense> buffer, int length, string what)
    {
        float[] all = buffer.GetAsArray1D();
        for (int g = length; g < all.Length; g++)
            Assert.True(all[g] == Harness.Guard, $"{what}: guard {g - length} after the view was overwritten with {all[g]}.");
        return all[..length];
    }
}
