using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="EmbeddingKernel"/>'s twin. Gather: one thread per output element. Scatter-add: one thread per column,
/// adding the gradient rows in index order as the reference does, so a row named twice gets both terms in the same
/// order and no two threads write one element. The indices live on the device and are checked by the caller.
/// </summary>
public static class EmbeddingGpu
{
    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>> GatherLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(GatherKernel));

    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>> ScatterAddLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(ScatterAddKernel));

    /// <summary>output[i] = table[indices[i]] on <paramref name="device"/>; returns once queued.</summary>
    public static void Gather(GpuDevice device, ArrayView<float> table, int columns, ArrayView<int> indices, ArrayView<float> output)
    {
        RowMajor.Rows(DeviceViews.Length(table, "table"), columns);
        int count = DeviceViews.Length(indices, "indices");
        RowMajor.Length("output", DeviceViews.Length(output, "output"), count * columns);
        if (count * columns > 0) GatherLauncher.On(device)(count * columns, table, indices, output, columns);
    }

    /// <summary>tableGrad[indices[i]] += grad[i] in index order on <paramref name="device"/>; returns once queued.</summary>
    public static void ScatterAdd(GpuDevice device, ArrayView<float> grad, ArrayView<int> indices, ArrayView<float> tableGrad, int columns)
    {
        RowMajor.Rows(DeviceViews.Length(tableGrad, "tableGrad"), columns);
        int count = DeviceViews.Length(indices, "indices");
        RowMajor.Length("grad", DeviceViews.Length(grad, "grad"), count * columns);
        if (count > 0 && columns > 0) ScatterAddLauncher.On(device)(columns, grad, indices, tableGrad, columns);
    }

    private static void GatherKernel(Index1D i, ArrayView<float> table, ArrayView<int> indices, ArrayView<float> output, int columns) =>
        output[i] = table[(long)indices[i / columns] * columns + i % columns];

    private static void ScatterAddKernel(Index1D column, ArrayView<float> grad, ArrayView<int> indices, ArrayView<float> tableGrad, int columns)
    {
        for (int i = 0; i < indices.Length; i++) tableGrad[(long)indices[i] * columns + column] += grad[(long)i * columns + column];
    }
}
