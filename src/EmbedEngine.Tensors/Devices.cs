using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Tensors;

/// <summary>The device rule of every operation: all inputs on one device, which is where the operation runs.</summary>
internal static class Devices
{
    /// <summary>The device of <paramref name="a"/> and <paramref name="b"/>; a clear error when they differ.</summary>
    /// <exception cref="InvalidOperationException">The inputs live on different devices.</exception>
    public static Device Common(string operation, Tensor a, Tensor b)
    {
        Device device = a.Device;
        if (b.Device != device)
            throw new InvalidOperationException(
                $"{operation}: inputs on different devices ({device} and {b.Device}); move one with To(device) first.");
        return device;
    }

    /// <summary>The device of all inputs (<paramref name="c"/> optional); a clear error when they differ.</summary>
    public static Device Common(string operation, Tensor a, Tensor b, Tensor? c)
    {
        Device device = Common(operation, a, b);
        return c == null ? device : Common(operation, a, c);
    }

    /// <summary>The GPU of an operation's inputs, or null when they are on the CPU; a clear error when they differ.</summary>
    public static GpuDevice? Gpu(string operation, Tensor a, Tensor? b = null, Tensor? c = null) =>
        (b == null ? a.Device : Common(operation, a, b, c)).Gpu;
}
