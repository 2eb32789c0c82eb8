using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// Reductions across one thread group through shared memory, for the kernels that give each row of a matrix one
/// group: every thread folds its strided share of the row, then the group combines the partial values in a tree.
/// Groups are a power of two wide (<see cref="RowGroups"/>), at most <see cref="MaxGroup"/> threads.
/// </summary>
internal static class GroupReduce
{
    /// <summary>
    /// The widest group: 256 threads keep a row's reduction short on a GPU; ILGPU's CPU accelerator allows only 16,
    /// so the width is the device's limit when that is smaller.
    /// </summary>
    public const int MaxGroup = 256;

    /// <summary>One group of the widest power-of-two width the device allows (≤ <see cref="MaxGroup"/>) per row.</summary>
    public static KernelConfig RowGroups(GpuDevice device, int rows)
    {
        int width = 1;
        while (width * 2 <= Math.Min(MaxGroup, device.Accelerator.MaxNumThreadsPerGroup)) width *= 2;
        return new KernelConfig(rows, width);
    }

    /// <summary>Σ of every thread's <paramref name="value"/>, returned to every thread of the group.</summary>
    /// <param name="scratch">Shared memory of at least the group's width.</param>
    /// <param name="value">This thread's partial sum.</param>
    public static float Sum(ArrayView<float> scratch, float value) => Reduce(scratch, value, default(Add));

    /// <summary>The maximum of every thread's <paramref name="value"/>, returned to every thread of the group.</summary>
    public static float Max(ArrayView<float> scratch, float value) => Reduce(scratch, value, default(Maximum));

    /// <summary>The maximum of <paramref name="row"/>, each thread reading every group-width-th element.</summary>
    public static float RowMax(ArrayView<float> scratch, ArrayView<float> row)
    {
        float max = float.NegativeInfinity;
        for (int c = Group.IdxX; c < row.Length; c += Group.DimX) max = Math.Max(max, row[c]);
        return Max(scratch, max);
    }

    /// <summary>Σ e^(x − <paramref name="max"/>) over <paramref name="row"/>: a softmax's denominator.</summary>
    public static float RowExpSum(ArrayView<float> scratch, ArrayView<float> row, float max)
    {
        float sum = 0f;
        for (int c = Group.IdxX; c < row.Length; c += Group.DimX) sum += MathF.Exp(row[c] - max);
        return Sum(scratch, sum);
    }

    /// <summary>
    /// Tree reduction; the last barrier keeps a thread that reads the result ahead of one that starts the next
    /// reduction in the same scratch.
    /// </summary>
    private static float Reduce<TOp>(ArrayView<float> scratch, float value, TOp op)
        where TOp : struct, ICombine
    {
        int thread = Group.IdxX;
        scratch[thread] = value;
        Group.Barrier();
        for (int half = Group.DimX / 2; half > 0; half /= 2)
        {
            if (thread < half) scratch[thread] = op.Combine(scratch[thread], scratch[thread + half]);
            Group.Barrier();
        }
        float result = scratch[0];
        Group.Barrier();
        return result;
    }

    private interface ICombine
    {
        float Combine(float a, float b);
    }

    private readonly struct Add : ICombine
    {
        public float Combine(float a, float b) => a + b;
    }

    private readonly struct Maximum : ICombine
    {
        public float Combine(float a, float b) => Math.Max(a, b);
    }
}
