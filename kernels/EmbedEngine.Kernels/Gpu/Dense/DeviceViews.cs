using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>Lengths of device views as the CPU kernels' shape checks take them (int element counts).</summary>
internal static class DeviceViews
{
    /// <summary>The view's length; a view past 2³¹ − 1 elements is an error that names it.</summary>
    /// <exception cref="ArgumentException">The view is longer than the kernels index.</exception>
    public static int Length<T>(ArrayView<T> view, string name)
        where T : unmanaged
    {
        if (view.Length > int.MaxValue)
            throw new ArgumentException($"'{name}' holds {view.Length:N0} elements; the dense GPU kernels index at most {int.MaxValue:N0}.");
        return (int)view.Length;
    }
}
