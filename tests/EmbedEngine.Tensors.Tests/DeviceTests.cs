using EmbedEngine.Tensors;

namespace EmbedEngine.Tensors.Tests;

/// <summary>
/// Tensors on a GPU device: explicit copies, operations on the device of their inputs, gradients that stay there,
/// and clear errors for mixed devices. The device is ILGPU's CPU accelerator (EMBED_DEVICE=cuda: a real GPU).
/// </summary>
public class DeviceTests
{
    private static Device Gpu => TestDevices.Gpu;

    [Fact]
    public void To_copies_to_the_device_and_back_unchanged()
    {
        float[] values = [1.5f, -2f, 3.25f, 0f, 7f, -0.5f];
        using Tensor host = Tensor.FromArray(values, 2, 3);
        using Tensor onGpu = host.To(Gpu);
        Assert.Equal(DeviceKind.Gpu, onGpu.Device.Kind);
        Assert.Equal(host.Shape, onGpu.Shape);
        using Tensor back = onGpu.To(Device.Cpu);
        Assert.Equal(Device.Cpu, back.Device);
        Assert.Equal(values, back.ToArray());
        Assert.Equal(values, onGpu.ToArray());
    }

    [Fact]
    public void Opening_a_device_twice_gives_the_same_device()
    {
        Assert.Same(Gpu, Gpu);
        Assert.Same(Device.Cpu, Device.Open("cpu"));
    }

    [Fact]
    public void Add_runs_on_the_device_and_its_gradients_stay_there()
    {
        float[] a = [1f, 2f, 3f, 4f], b = [0.5f, -1f, 10f, -4f];
        using Tensor ha = Tensor.FromArray(a, 4), hb = Tensor.FromArray(b, 4);
        using Tensor ga = ha.To(Gpu), gb = hb.To(Gpu);
        ga.RequiresGrad = true;
        gb.RequiresGrad = true;
        Tensor sum = Ops.Add(ga, gb);
        Assert.Equal(Gpu, sum.Device);
        Assert.Equal([1.5f, 1f, 13f, 0f], sum.ToArray());
        using Tensor seed = Tensor.FromArray([1f, 2f, 3f, 4f], 4);
        using Tensor gpuSeed = seed.To(Gpu);
        sum.Backward(gpuSeed);
        Assert.Equal(Gpu, ga.Grad!.Device);
        Assert.Equal([1f, 2f, 3f, 4f], ga.Grad.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f], gb.Grad!.ToArray());
    }

    [Fact]
    public void Mixing_devices_in_one_operation_is_a_clear_error()
    {
        using Tensor host = Tensor.FromArray([1f, 2f], 2);
        using Tensor onGpu = host.To(Gpu);
        var error = Assert.Throws<InvalidOperationException>(() => Ops.Add(host, onGpu));
        Assert.Contains("Add: inputs on different devices (cpu and ", error.Message, StringComparison.Ordinal);
        Assert.Contains("To(device)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpu_kernel_given_a_gpu_tensor_says_where_it_lives()
    {
        using Tensor host = Tensor.FromArray([1f, 2f], 2);
        using Tensor onGpu = host.To(Gpu);
        var error = Assert.Throws<InvalidOperationException>(() => onGpu.AsSpan());
        Assert.Contains($"lives on {Gpu}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_gpu_is_named_with_what_was_found()
    {
        if (Kernels.Gpu.GpuDevice.CudaDevices().Count > 0) return;
        var error = Assert.Throws<ArgumentException>(() => Device.Open("cuda"));
        Assert.Contains("found none", error.Message, StringComparison.Ordinal);
    }
}
