using ILGPU;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>How the sparse training kernels lay out their groups, and the group-wide sum they share.</summary>
internal static class GroupShape
{
    /// <summary>
    /// On ILGPU's CPU accelerator every group runs after the other, so a handful of groups covers any batch through
    /// the kernels' grid-stride loops and saves the emulator's per-group start-up.
    /// </summary>
    private const int EmulatedGroups = 8;

    /// <summary>A GPU's grid could be far larger; past this many groups each one takes several windows in turn.</summary>
    private const int MaxGpuGroups = 1 << 16;

    /// <summary>
    /// Threads per group: <paramref name="requested"/> when positive (a power of two), else <paramref name="onGpu"/> on a
    /// GPU and one on ILGPU's CPU accelerator, where each barrier of a wider group costs tens of microseconds (the
    /// harness asks for several there, so every cross-thread path is still tested).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="requested"/> is not a power of two or exceeds the device's limit.</exception>
    public static int Threads(GpuDevice device, int onGpu, int requested)
    {
        if (requested > 0 && (!int.IsPow2(requested) || requested > device.Accelerator.MaxNumThreadsPerGroup))
            throw new ArgumentException(
                $"{requested} threads per group: expected a power of two up to {device.Accelerator.MaxNumThreadsPerGroup} on {device.Name}.");
        return requested > 0 ? requested : device.Kind == GpuKind.Cuda ? onGpu : 1;
    }

    /// <summary>Groups for <paramref name="work"/> items of one group each.</summary>
    public static int Groups(GpuDevice device, int work) =>
        Math.Clamp(work, 1, device.Kind == GpuKind.Cuda ? MaxGpuGroups : EmulatedGroups);

    /// <summary>
    /// Every thread's <paramref name="partial"/> summed over the group, returned to all of them. <paramref name="scratch"/>
    /// is shared memory of one float per thread; the group size is a power of two.
    /// </summary>
    public static float Sum(float partial, ArrayView<float> scratch)
    {
        int thread = Group.IdxX;
        scratch[thread] = partial;
        Group.Barrier();
        for (int half = Group.DimX / 2; half > 0; half /= 2)
        {
            if (thread < half) scratch[thread] += scratch[thread + half];
            Group.Barrier();
        }
        float total = scratch[0];
        // The next sum writes the scratch again: every thread must have read this one first.
        Group.Barrier();
        return total;
    }
}
