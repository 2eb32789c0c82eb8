using System.Runtime.InteropServices;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Tensors;

/// <summary>What the operations need of a tensor in GPU memory: views with offsets and strides, copies, moving a parameter.</summary>
public sealed partial class Tensor
{
    /// <summary>The GPU this tensor lives on; a clear error naming <paramref name="operation"/> for a CPU tensor.</summary>
    internal GpuDevice GpuOf(string operation) =>
        Device.Gpu ?? throw new InvalidOperationException($"{operation}: the tensor lives on cpu; a GPU kernel cannot read it. Move it with To(device).");

    /// <summary>The device memory from this tensor's first element to the end of its block, for kernels that take leading dimensions or strides.</summary>
    internal ArrayView<float> DeviceFrom(long elements = 0) => Storage.View.SubView(_offset + elements);

    /// <summary>Writes this GPU tensor's elements into <paramref name="destination"/> of the same shape (adds when <paramref name="accumulate"/>), any strides on either side.</summary>
    internal void CopyOnDevice(Tensor destination, bool accumulate)
    {
        Span<int> sizes = stackalloc int[Rank];
        Shape.CopyTo(sizes);
        StridedCopyGpu.Copy(GpuOf("a strided copy"), sizes, Storage.View, _offset, Strides, destination.Storage.View, destination._offset,
            destination.Strides, accumulate);
    }

    /// <summary>
    /// Moves this tensor's memory to <paramref name="device"/> in place, so modules and optimizers that hold the tensor
    /// object see the moved one; its gradient is dropped. Only for tensors the caller owns (parameters), never for views.
    /// </summary>
    internal void MoveTo(Device device)
    {
        if (device == Device) return;
        if (BelongsToGraph) throw new InvalidOperationException("Only tensors the caller owns (parameters) can be moved in place; use To(device).");
        using Tensor moved = To(device);
        Grad?.Dispose();
        Grad = null;
        TensorStorage? old = _storage;
        _storage = moved._storage;
        moved._storage = old;
        _offset = 0;
        Shape.ContiguousStrides(_strides);
    }

    /// <summary>Sets every element of a contiguous tensor to zero, on its device.</summary>
    internal void Clear()
    {
        if (Device.Kind == DeviceKind.Gpu) DeviceView("Clear").MemSetToZero();
        else AsSpan().Clear();
    }

    /// <summary>
    /// <paramref name="values"/> on <paramref name="device"/>, in a tensor of the current graph (its bits are the ints),
    /// for GPU kernels that take indices; <see cref="Indices"/> reads them back as ints.
    /// </summary>
    internal static Tensor Upload(Device device, int[] values)
    {
        Tensor tensor = Graph.Current.NewTensor(new Shape(values.Length), zero: false, device);
        if (values.Length > 0) tensor.DeviceView("Upload").CopyFromCPU(MemoryMarshal.Cast<int, float>(values));
        return tensor;
    }

    /// <summary>The ints an <see cref="Upload"/> put on the device.</summary>
    internal ArrayView<int> Indices => DeviceView("Indices").Cast<int>();
}
