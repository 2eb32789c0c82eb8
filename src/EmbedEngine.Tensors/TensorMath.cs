using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Tensors;

/// <summary>Element-wise helpers shared by the operations' forward and backward steps.</summary>
internal static unsafe class TensorMath
{
    /// <summary>destination += source, for tensors of one shape with any strides.</summary>
    public static void AddInto(Tensor destination, Tensor source)
    {
        if (destination.Shape != source.Shape)
            throw new ArgumentException($"Cannot add a tensor of shape {source.Shape} into one of shape {destination.Shape}.");
        if (Devices.Common("AddInto", destination, source).Gpu is GpuDevice gpu)
        {
            if (destination.IsContiguous && source.IsContiguous) AxpyGpu.Axpy(gpu, 1f, source.DeviceView("AddInto"), destination.DeviceView("AddInto"));
            else source.CopyOnDevice(destination, accumulate: true);
            return;
        }
        if (destination.IsContiguous && source.IsContiguous)
        {
            AxpyKernel.Axpy(1f, new ReadOnlySpan<float>(source.Data, source.Count), new Span<float>(destination.Data, destination.Count));
            return;
        }
        float* d = destination.Data, s = source.Data;
        if (StridedWalker.RowsContiguous(destination, source))
        {
            int width = destination.Shape[-1], rows = width == 0 ? 0 : destination.Count / width;
            var toRow = new StridedWalker(destination, rowsOnly: true);
            var fromRow = new StridedWalker(source, rowsOnly: true);
            for (int r = 0; r < rows; r++)
                AxpyKernel.Axpy(1f, new ReadOnlySpan<float>(s + fromRow.Next(), width), new Span<float>(d + toRow.Next(), width));
            return;
        }
        var to = new StridedWalker(destination);
        var from = new StridedWalker(source);
        for (int i = 0; i < destination.Count; i++) d[to.Next()] += s[from.Next()];
    }
}
