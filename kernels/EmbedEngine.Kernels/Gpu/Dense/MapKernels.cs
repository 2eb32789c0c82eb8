using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// A forward and a backward element-wise kernel on the GPU (the activations): the shape checks of the CPU kernels,
/// then one thread per element, as <see cref="RowKernels"/> does for the row kernels.
/// </summary>
/// <param name="forward">y[i] from x[i].</param>
/// <param name="backward">dx[i] from the saved x[i] and dy[i].</param>
public sealed class MapKernels(Action<Index1D, ArrayView<float>, ArrayView<float>> forward,
    Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> backward)
{
    private readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>>> _forward =
        new(a => a.LoadAutoGroupedStreamKernel(forward));

    private readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>> _backward =
        new(a => a.LoadAutoGroupedStreamKernel(backward));

    /// <summary>y from x on <paramref name="device"/>; y may be x. Returns once queued.</summary>
    public void Forward(GpuDevice device, ArrayView<float> x, ArrayView<float> y)
    {
        int length = DeviceViews.Length(x, "x");
        RowMajor.Length("y", DeviceViews.Length(y, "y"), length);
        if (length > 0) _forward.On(device)(length, x, y);
    }

    /// <summary>dx from the saved x and dy on <paramref name="device"/>; dx may be dy. Returns once queued.</summary>
    public void Backward(GpuDevice device, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx)
    {
        int length = DeviceViews.Length(x, "x");
        ElementWise.Check(length, DeviceViews.Length(dy, "dy"), DeviceViews.Length(dx, "dx"));
        if (length > 0) _backward.On(device)(length, x, dy, dx);
    }
}
