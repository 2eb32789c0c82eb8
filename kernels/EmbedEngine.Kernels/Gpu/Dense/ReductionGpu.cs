using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// Whole-buffer reductions on the GPU, the twins of <see cref="Kernels.Dense.ReductionKernel"/>'s sums and of
/// <see cref="ScaleKernel"/>: the sum of a tensor (Sum, Mean and their backward pass) and the sums of
/// squares of global-norm clipping. One thread group reduces the whole buffer, so a result never depends on
/// scheduling and needs no atomics; the buffers reduced here (a loss, a parameter's gradient) are read once per step,
/// where one group is not the bottleneck. Every call returns once queued, results left on the device.
/// </summary>
public static class ReductionGpu
{
    /// <summary>The kernel's modes: sum, sum of squares, or write 0 for an empty x (a stand-in view is passed then, since an empty view may have no buffer behind it).</summary>
    private const int Plain = 0, Squares = 1, Empty = -1;

    private static readonly KernelCache<Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, float, int>> SumLauncher =
        new(a => a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, float, int>(SumKernel));

    private static readonly KernelCache<Action<Index1D, ArrayView<float>, float, ArrayView<float>>> AddScalarLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float, ArrayView<float>>(AddScalarKernel));

    private static readonly KernelCache<Action<Index1D, float, ArrayView<float>>> ScaleLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, float, ArrayView<float>>(ScaleKernel));

    /// <summary>result[0] = <paramref name="scale"/>·Σx on <paramref name="device"/> (0 for an empty x).</summary>
    public static void Sum(GpuDevice device, ArrayView<float> x, float scale, ArrayView<float> result) =>
        Reduce(device, x, result, slot: 0, scale, squares: false);

    /// <summary>results[<paramref name="slot"/>] = Σx² on <paramref name="device"/>: one buffer's share of a global norm.</summary>
    public static void SumOfSquares(GpuDevice device, ArrayView<float> x, ArrayView<float> results, int slot) =>
        Reduce(device, x, results, slot, scale: 1f, squares: true);

    /// <summary>y[i] += <paramref name="scale"/>·scalar[0] on <paramref name="device"/>, the scalar read on the device (a sum's backward pass).</summary>
    public static void AddScalar(GpuDevice device, ArrayView<float> scalar, float scale, ArrayView<float> y)
    {
        int length = DeviceViews.Length(y, "y");
        if (DeviceViews.Length(scalar, "scalar") < 1) throw new ArgumentException("AddScalar: the scalar view is empty.", nameof(scalar));
        if (length > 0) AddScalarLauncher.On(device)(length, scalar, scale, y);
    }

    /// <summary>x ← <paramref name="scale"/>·x on <paramref name="device"/>.</summary>
    public static void Scale(GpuDevice device, float scale, ArrayView<float> x)
    {
        int length = DeviceViews.Length(x, "x");
        if (length > 0) ScaleLauncher.On(device)(length, scale, x);
    }

    private static void Reduce(GpuDevice device, ArrayView<float> x, ArrayView<float> results, int slot, float scale, bool squares)
    {
        DeviceViews.Length(x, "x");
        int slots = DeviceViews.Length(results, "results");
        if ((uint)slot >= (uint)slots) throw new ArgumentOutOfRangeException(nameof(slot), slot, $"The results hold {slots} slots.");
        // Even an empty x launches, so its slot is written (0) like every other.
        int mode = x.Length == 0 ? Empty : squares ? Squares : Plain;
        SumLauncher.On(device)(GroupReduce.RowGroups(device, 1), mode == Empty ? results : x, results, slot, scale, mode);
    }

    /// <summary>One group folds x, each thread a strided share, in the given mode.</summary>
    private static void SumKernel(ArrayView<float> x, ArrayView<float> results, int slot, float scale, int mode)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        float partial = 0f;
        if (mode != Empty)
            for (long i = Group.IdxX; i < x.Length; i += Group.DimX) partial += mode == Squares ? x[i] * x[i] : x[i];
        float total = GroupReduce.Sum(scratch, partial);
        if (Group.IdxX == 0) results[slot] = scale * total;
    }

    private static void AddScalarKernel(Index1D i, ArrayView<float> scalar, float scale, ArrayView<float> y) => y[i] += scale * scalar[0];

    private static void ScaleKernel(Index1D i, float scale, ArrayView<float> x) => x[i] *= scale;
}
