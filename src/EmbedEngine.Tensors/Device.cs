namespace EmbedEngine.Tensors;

/// <summary>Where a tensor's memory lives and its kernels run. Today only the CPU; an ILGPU accelerator joins later.</summary>
public enum DeviceKind
{
    /// <summary>Host memory, the CPU kernels (scalar, AVX2 or AVX-512, chosen at start-up).</summary>
    Cpu,
}

/// <summary>A device tensors are placed on.</summary>
public sealed class Device
{
    private Device(DeviceKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>The host CPU.</summary>
    public static Device Cpu { get; } = new(DeviceKind.Cpu, "cpu");

    /// <summary>What kind of device this is.</summary>
    public DeviceKind Kind { get; }

    /// <summary>Its name, as printed.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
