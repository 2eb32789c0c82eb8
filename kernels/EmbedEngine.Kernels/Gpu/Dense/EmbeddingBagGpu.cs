using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="EmbeddingBagKernel"/>'s twin. Mean: one thread per output element, adding its bag's rows in order and
/// scaling as the reference does. Backward: one thread per column, walking the bags and their indices in order, so a
/// row named twice gets its terms in the reference's order and no two threads write one element. The indices and
/// offsets live on the device and are checked by the caller.
/// </summary>
public static class EmbeddingBagGpu
{
    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int>> MeanLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int>(MeanKernel));

    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int>> BackwardLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int>(BackwardKernel));

    /// <summary>output[b] = the mean of table[indices[i]] over bag b, on <paramref name="device"/>; returns once queued.</summary>
    public static void Mean(GpuDevice device, ArrayView<float> table, int columns, ArrayView<int> indices, ArrayView<int> offsets, ArrayView<float> output)
    {
        int length = DeviceViews.Length(output, "output");
        EmbeddingBagKernel.Check(DeviceViews.Length(table, "table"), columns, DeviceViews.Length(indices, "indices"),
            DeviceViews.Length(offsets, "offsets"), length, "output");
        if (length > 0) MeanLauncher.On(device)(length, table, indices, offsets, output, columns);
    }

    /// <summary>tableGrad[indices[i]] += grad[b] / |bag b| for every index of every bag, on <paramref name="device"/>; returns once queued.</summary>
    public static void MeanBackward(GpuDevice device, ArrayView<float> grad, int columns, ArrayView<int> indices, ArrayView<int> offsets,
        ArrayView<float> tableGrad)
    {
        EmbeddingBagKernel.Check(DeviceViews.Length(tableGrad, "tableGrad"), columns, DeviceViews.Length(indices, "indices"),
            DeviceViews.Length(offsets, "offsets"), DeviceViews.Length(grad, "grad"), "grad");
        if (indices.Length > 0 && columns > 0) BackwardLauncher.On(device)(columns, grad, indices, offsets, tableGrad, columns);
    }

    private static void MeanKernel(Index1D i, ArrayView<float> table, ArrayView<int> indices, ArrayView<int> offsets, ArrayView<float> output, int columns)
    {
        int element = i;
        int bag = element / columns, column = element % columns, first = offsets[bag], end = offsets[bag + 1];
        float sum = 0f;
        for (int k = first; k < end; k++) sum += table[(long)indices[k] * columns + column];
        if (end > first + 1) sum *= 1f / (end - first);
        output[i] = sum;
    }

    private static void BackwardKernel(Index1D column, ArrayView<float> grad, ArrayView<int> indices, ArrayView<int> offsets, ArrayView<float> tableGrad,
        int columns)
    {
        for (int bag = 0; bag + 1 < offsets.Length; bag++)
        {
            int first = offsets[bag], end = offsets[bag + 1];
            if (end == first) continue;
            float share = 1f / (end - first), g = grad[(long)bag * columns + column];
            for (int k = first; k < end; k++) tableGrad[(long)indices[k] * columns + column] += share * g;
        }
    }
}
