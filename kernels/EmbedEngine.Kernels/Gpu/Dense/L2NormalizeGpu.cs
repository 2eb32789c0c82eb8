using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="L2NormalizeKernel"/>'s twin: y = x / r with r = max(‖x‖, ε) per row, r saved, and
/// dx = (dy − y·(y·dy)) / r (dy / ε where the floor holds); one thread group per row, its sums through
/// <see cref="GroupReduce"/>. Every call returns once queued.
/// </summary>
public static class L2NormalizeGpu
{
    private static readonly KernelCache<Action<KernelConfig, ArrayView<float>, float, ArrayView<float>, ArrayView<float>, int>> ForwardLauncher =
        new(a => a.LoadStreamKernel<ArrayView<float>, float, ArrayView<float>, ArrayView<float>, int>(ForwardKernel));

    private static readonly KernelCache<Action<KernelConfig, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>, int>>
        BackwardLauncher = new(a => a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>, int>(BackwardKernel));

    /// <summary>Normalizes every row of x [rows, columns] into y and saves each row's divisor in <paramref name="norms"/> on <paramref name="device"/>.</summary>
    public static void Forward(GpuDevice device, ArrayView<float> x, float epsilon, ArrayView<float> y, ArrayView<float> norms)
    {
        int rows = DeviceViews.Length(norms, "norms");
        int columns = L2NormalizeKernel.CheckForward(DeviceViews.Length(x, "x"), epsilon, DeviceViews.Length(y, "y"), rows);
        if (rows > 0) ForwardLauncher.On(device)(GroupReduce.RowGroups(device, rows), x, epsilon, y, norms, columns);
    }

    /// <summary>dx from dy, the output y and the divisors <see cref="Forward"/> saved, on <paramref name="device"/>.</summary>
    public static void Backward(GpuDevice device, ArrayView<float> y, ArrayView<float> norms, float epsilon, ArrayView<float> dy, ArrayView<float> dx)
    {
        int rows = DeviceViews.Length(norms, "norms");
        int columns = L2NormalizeKernel.CheckBackward(DeviceViews.Length(y, "y"), rows, epsilon, DeviceViews.Length(dy, "dy"), DeviceViews.Length(dx, "dx"));
        if (rows > 0) BackwardLauncher.On(device)(GroupReduce.RowGroups(device, rows), y, norms, epsilon, dy, dx, columns);
    }

    private static void ForwardKernel(ArrayView<float> x, float epsilon, ArrayView<float> y, ArrayView<float> norms, int columns)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        long start = (long)Grid.IdxX * columns;
        float squares = 0f;
        for (int c = Group.IdxX; c < columns; c += Group.DimX) squares += x[start + c] * x[start + c];
        float norm = MathF.Max(MathF.Sqrt(GroupReduce.Sum(scratch, squares)), epsilon);
        if (Group.IdxX == 0) norms[Grid.IdxX] = norm;
        for (int c = Group.IdxX; c < columns; c += Group.DimX) y[start + c] = x[start + c] / norm;
    }

    private static void BackwardKernel(ArrayView<float> y, ArrayView<float> norms, float epsilon, ArrayView<float> dy, ArrayView<float> dx, int columns)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        long start = (long)Grid.IdxX * columns;
        float norm = norms[Grid.IdxX], dot = 0f;
        // Where the floor holds the map is x / ε, linear: no projection term, as in the reference.
        if (norm > epsilon)
            for (int c = Group.IdxX; c < columns; c += Group.DimX) dot += y[start + c] * dy[start + c];
        dot = GroupReduce.Sum(scratch, dot);
        for (int c = Group.IdxX; c < columns; c += Group.DimX) dx[start + c] = (dy[start + c] - y[start + c] * dot) / norm;
    }
}
