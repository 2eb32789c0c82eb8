using EmbedEngine.Kernels.Gpu;
using ILGPU;

namespace EmbedEngine.Kernels.Tests;

#pragma warning disable CA1711 // The delegates name kernel signatures; they are not event handlers.
/// <summary>Signature of the GPU twins of the row kernels' forward passes (softmax, log-softmax).</summary>
public delegate void RowsGpuFn(GpuDevice device, ArrayView<float> x, ArrayView<float> y, int columns);

/// <summary>Signature of the GPU twins of the row kernels' backward passes.</summary>
public delegate void RowsBackwardGpuFn(GpuDevice device, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int columns);

/// <summary>Signature of the GPU twins of element-wise forward passes.</summary>
public delegate void MapGpuFn(GpuDevice device, ArrayView<float> x, ArrayView<float> y);

/// <summary>Signature of the GPU twins of element-wise backward passes.</summary>
public delegate void MapBackwardGpuFn(GpuDevice device, ArrayView<float> saved, ArrayView<float> dy, ArrayView<float> dx);
#pragma warning restore CA1711
