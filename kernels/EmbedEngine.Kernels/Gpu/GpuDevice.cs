using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>What runs a GPU kernel: an NVIDIA GPU through CUDA, or ILGPU's CPU accelerator, which emulates one (slowly).</summary>
public enum GpuKind
{
    /// <summary>An NVIDIA GPU (ILGPU's PTX backend).</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: the same kernels on host threads, for tests on machines without a GPU.</summary>
    Emulated,
}

/// <summary>
/// One accelerator that GPU kernels run on, opened by name (<c>cuda</c>, <c>cuda:N</c>, or <c>emulated</c> for ILGPU's
/// CPU accelerator). Kernels compile once per device; allocation failures name the sizes that did not fit.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    /// <summary>The environment variable that picks the device GPU tests and benchmarks run on (default: emulated).</summary>
    public const string EnvironmentVariable = "EMBED_DEVICE";

    private static readonly Lock ContextLock = new();
    private static Context? _context;

    private GpuDevice(Accelerator accelerator, GpuKind kind, string name)
    {
        Accelerator = accelerator;
        Kind = kind;
        Name = name;
    }

    /// <summary>The ILGPU accelerator.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>A real GPU or the emulator.</summary>
    public GpuKind Kind { get; }

    /// <summary>How the device was asked for: <c>cuda:0</c>, <c>emulated</c>.</summary>
    public string Name { get; }

    /// <summary>Device memory in bytes.</summary>
    public long MemorySize => Accelerator.MemorySize;

    /// <summary>The process's ILGPU context, created on first use (it owns the compiler and the device list).</summary>
    internal static Context Context
    {
        get
        {
            lock (ContextLock)
                return _context ??= Context.Create(builder => builder.Default().EnableAlgorithms());
        }
    }

    /// <summary>The NVIDIA GPUs ILGPU finds, in CUDA order; empty on machines without a GPU or driver.</summary>
    public static IReadOnlyList<string> CudaDevices() =>
        [.. CudaList().Select(d => $"{d.Name} ({d.MemorySize / (1L << 20)} MiB, compute {d.Architecture})")];

    private static List<CudaDevice> CudaList() => [.. Context.GetCudaDevices()];

    /// <summary>Opens <paramref name="spec"/>: <c>cuda</c> (the first GPU), <c>cuda:N</c>, or <c>emulated</c>.</summary>
    /// <exception cref="ArgumentException">The name is unknown, or names a GPU this machine does not have.</exception>
    public static GpuDevice Open(string spec)
    {
        string name = spec.Trim().ToLowerInvariant();
        if (name == "emulated")
            return new GpuDevice(Context.CreateCPUAccelerator(0), GpuKind.Emulated, name);
        if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (name.Length > 5 && (!int.TryParse(name.AsSpan(5), out index) || index < 0))
                throw new ArgumentException($"'{spec}' is not a device: expected cuda or cuda:N with N a GPU number.");
            List<CudaDevice> gpus = CudaList();
            if (index >= gpus.Count)
                throw new ArgumentException(gpus.Count == 0
                    ? $"'{spec}' asks for a CUDA GPU, but ILGPU found none on this machine (no NVIDIA GPU or driver); devices here: cpu."
                    : $"'{spec}' asks for CUDA GPU {index}, but ILGPU found {gpus.Count}: {string.Join("; ", CudaDevices().Select((d, i) => $"cuda:{i} {d}"))}.");
            return new GpuDevice(gpus[index].CreateAccelerator(Context), GpuKind.Cuda, $"cuda:{index}");
        }
        throw new ArgumentException($"'{spec}' is not a device: expected cpu, cuda, cuda:N or emulated.");
    }

    /// <summary>The device <see cref="EnvironmentVariable"/> names, or the emulator when it is unset.</summary>
    public static GpuDevice FromEnvironment() =>
        Open(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } spec ? spec : "emulated");

    /// <summary>
    /// Allocates <paramref name="length"/> elements for <paramref name="what"/>; when the device is full the error says
    /// how much was asked, how much the device has and what it was for.
    /// </summary>
    /// <exception cref="InsufficientMemoryException">The device could not hold the buffer.</exception>
    public MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(long length, string what)
        where T : unmanaged
    {
        try
        {
            return Accelerator.Allocate1D<T>(length);
        }
        catch (Exception e) when (e is OutOfMemoryException or AcceleratorException or ArgumentOutOfRangeException)
        {
            long bytes = length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            throw new InsufficientMemoryException(
                $"{Name}: {what} needs {bytes:N0} bytes ({length:N0} × {typeof(T).Name}), which did not fit in the device's " +
                $"{MemorySize:N0} bytes ({e.Message}).", e);
        }
    }

    /// <summary>Waits for every kernel launched on the device.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Accelerator.Name})";

    /// <summary>Releases the accelerator and every kernel compiled for it.</summary>
    public void Dispose() => Accelerator.Dispose();
}
