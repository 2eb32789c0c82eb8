using System.Runtime.CompilerServices;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>
/// A GPU kernel's launcher, compiled once per accelerator on first use (compiling to PTX takes tens of milliseconds,
/// launching microseconds).
/// </summary>
/// <typeparam name="TLauncher">The delegate ILGPU returns for the kernel.</typeparam>
internal sealed class KernelCache<TLauncher>(Func<Accelerator, TLauncher> load)
    where TLauncher : Delegate
{
    private readonly ConditionalWeakTable<Accelerator, TLauncher> _launchers = [];

    /// <summary>The launcher on <paramref name="device"/>.</summary>
    public TLauncher On(GpuDevice device) => _launchers.GetValue(device.Accelerator, a => load(a));
}
