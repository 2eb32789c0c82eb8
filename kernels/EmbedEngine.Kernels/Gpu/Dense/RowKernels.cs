using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// A forward and a backward row kernel over row-major [rows, columns] views on the GPU (the softmax family,
/// <see cref="SoftmaxGpu"/>): the shape checks of the CPU kernels, then one thread group per row.
/// </summary>
/// <param name="forward">y from x, one group per row.</param>
/// <param name="backward">dx from the saved output y and dy, one group per row.</param>
public sealed class RowKernels(Action<ArrayView<float>, ArrayView<float>, int> forward,
    Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, int> backward)
{
    private readonly KernelCache<Action<KernelConfig, ArrayView<float>, ArrayView<float>, int>> _forward =
        new(a => a.LoadStreamKernel(forward));

    private readonly KernelCache<Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>> _backward =
        new(a => a.LoadStreamKernel(backward));

    /// <summary>y from x on <paramref name="device"/>, row by row; returns once queued.</summary>
    public void Forward(GpuDevice device, ArrayView<float> x, ArrayView<float> y, int columns)
    {
        int rows = SoftmaxKernel.Check(DeviceViews.Length(x, "x"), DeviceViews.Length(y, "y"), columns);
        if (rows > 0) _forward.On(device)(GroupReduce.RowGroups(device, rows), x, y, columns);
    }

    /// <summary>dx from the forward output y and dy on <paramref name="device"/>, row by row; returns once queued.</summary>
    public void Backward(GpuDevice device, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int columns)
    {
        int rows = SoftmaxKernel.CheckBackward(DeviceViews.Length(y, "y"), DeviceViews.Length(dy, "dy"), DeviceViews.Length(dx, "dx"), columns);
        if (rows > 0) _backward.On(device)(GroupReduce.RowGroups(device, rows), y, dy, dx, columns);
    }
}
