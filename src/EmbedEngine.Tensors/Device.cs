using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Tensors;

/// <summary>Where a tensor's memory lives and its kernels run.</summary>
public enum DeviceKind
{
    /// <summary>Host memory, the CPU kernels (scalar, AVX2 or AVX-512, chosen at start-up).</summary>
    Cpu,

    /// <summary>Device memory of an ILGPU accelerator (a CUDA GPU, or ILGPU's CPU accelerator emulating one), the GPU kernels.</summary>
    Gpu,
}

/// <summary>
/// A device tensors are placed on: the CPU, or a GPU opened by name. Opening the same name twice gives the same
/// device, so tensors moved there separately can meet in one op.
/// </summary>
public sealed class Device
{
    private static readonly Lock OpenLock = new();
    private static readonly Dictionary<string, Device> Opened = [];

    private Device(DeviceKind kind, string name, GpuDevice? gpu)
    {
        Kind = kind;
        Name = name;
        Gpu = gpu;
    }

    /// <summary>The host CPU.</summary>
    public static Device Cpu { get; } = new(DeviceKind.Cpu, "cpu", null);

    /// <summary>What kind of device this is.</summary>
    public DeviceKind Kind { get; }

    /// <summary>Its name, as printed and as <see cref="Open"/> takes it: <c>cpu</c>, <c>cuda:0</c>, <c>emulated</c>.</summary>
    public string Name { get; }

    /// <summary>The accelerator of a GPU device; null for the CPU.</summary>
    internal GpuDevice? Gpu { get; }

    /// <summary>
    /// The device called <paramref name="spec"/>: <c>cpu</c>, <c>cuda</c> (the first GPU), <c>cuda:N</c>, or
    /// <c>emulated</c> (ILGPU's CPU accelerator, which runs the GPU kernels slowly on the host, for tests).
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown, or names a GPU that is not there (the message lists what was found).</exception>
    public static Device Open(string spec)
    {
        string name = spec.Trim().ToLowerInvariant();
        if (name == "cpu") return Cpu;
        if (name == "cuda") name = "cuda:0";
        lock (OpenLock)
        {
            if (Opened.TryGetValue(name, out Device? device)) return device;
            GpuDevice gpu = GpuDevice.Open(name);
            device = new Device(DeviceKind.Gpu, gpu.Name, gpu);
            Opened[name] = device;
            return device;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
