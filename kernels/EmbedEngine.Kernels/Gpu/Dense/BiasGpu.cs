using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// A bias over the rows of a row-major [rows, columns] matrix: added to every row (a linear layer's forward pass), and
/// its gradient, the column sums (<see cref="ReductionKernel.AddColumnSums"/>'s twin: one thread per column adding
/// the rows in order, as the reference does).
/// </summary>
public static class BiasGpu
{
    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>>> AddLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(AddKernel));

    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>>> SumsLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(ColumnSumsKernel));

    /// <summary>y[r, c] += bias[c] for every row on <paramref name="device"/>; returns once queued.</summary>
    public static void AddToRows(GpuDevice device, ArrayView<float> bias, ArrayView<float> y)
    {
        int length = DeviceViews.Length(y, "y");
        RowMajor.Rows(length, DeviceViews.Length(bias, "bias"));
        if (length > 0) AddLauncher.On(device)(length, bias, y);
    }

    /// <summary>sums[c] += Σ_r x[r, c] on <paramref name="device"/>; returns once queued.</summary>
    public static void AddColumnSums(GpuDevice device, ArrayView<float> x, ArrayView<float> sums)
    {
        int columns = DeviceViews.Length(sums, "sums");
        RowMajor.Rows(DeviceViews.Length(x, "x"), columns);
        if (columns > 0) SumsLauncher.On(device)(columns, x, sums);
    }

    private static void AddKernel(Index1D i, ArrayView<float> bias, ArrayView<float> y) => y[i] += bias[i % (int)bias.Length];

    private static void ColumnSumsKernel(Index1D column, ArrayView<float> x, ArrayView<float> sums)
    {
        long columns = sums.Length;
        float sum = sums[column];
        for (long at = column; at < x.Length; at += columns) sum += x[at];
        sums[column] = sum;
    }
}
