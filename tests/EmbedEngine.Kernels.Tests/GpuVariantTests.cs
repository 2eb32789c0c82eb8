using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// The GPU variant of every kernel that has one, against the scalar reference through the same harness as the CPU
/// variants: on ILGPU's CPU accelerator here, on a real GPU with <c>EMBED_DEVICE=cuda</c>. An index past a view is
/// caught by ILGPU itself on the CPU accelerator (it asserts every view access); the guards catch writes through a
/// wider view.
/// </summary>
public class GpuVariantTests
{
    /// <summary>Every case whose problems carry a GPU variant.</summary>
    public static TheoryData<string> GpuKernels()
    {
        var data = new TheoryData<string>();
        foreach (KernelCase kernel in KernelCases.All)
            if (kernel.Build(new Shape(new Random(1), 3, Values.Random)).Gpu != null) data.Add(kernel.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(GpuKernels))]
    public void Gpu_variant_matches_the_scalar_reference(string kernel) =>
        Harness.CheckGpu(KernelCases.Find(kernel), GpuTestDevice.Shared);

    [Fact]
    public void Unknown_and_missing_devices_are_named_errors()
    {
        var unknown = Assert.Throws<ArgumentException>(() => GpuDevice.Open("tpu"));
        Assert.Contains("expected cpu, cuda, cuda:N or emulated", unknown.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ArgumentException>(() => GpuDevice.Open("cuda:x"));
        Assert.Contains("cuda:N", bad.Message, StringComparison.Ordinal);
        if (GpuDevice.CudaDevices().Count == 0)
        {
            var missing = Assert.Throws<ArgumentException>(() => GpuDevice.Open("cuda"));
            Assert.Contains("found none", missing.Message, StringComparison.Ordinal);
        }
        var beyond = Assert.Throws<ArgumentException>(() => GpuDevice.Open($"cuda:{GpuDevice.CudaDevices().Count}"));
        Assert.Contains("cuda:", beyond.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocation_beyond_the_device_names_the_sizes()
    {
        GpuDevice device = GpuTestDevice.Shared;
        long floats = device.MemorySize / sizeof(float) * 4 + 1;
        var failure = Assert.Throws<InsufficientMemoryException>(() => device.Allocate<float>(floats, "the test matrix"));
        Assert.Contains("the test matrix", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{floats * 4:N0} bytes", failure.Message, StringComparison.Ordinal);
    }
}
