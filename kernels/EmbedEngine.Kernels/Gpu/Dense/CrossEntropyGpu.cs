using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="CrossEntropyKernel"/>'s twin: the mean over counted rows of ln Σ e^(x − max) − (x_target − max) and the
/// gradient (softmax − one-hot) / counted rows, rows with the ignore index counting for nothing. One thread group
/// per row writes the row's gradient and loss; one more group averages the losses, so the mean stays on the device.
/// The targets live on the device and are not read back to be checked: a target outside [0, columns) that is not
/// the ignore index makes its row's loss, and so the mean, NaN.
/// </summary>
public static class CrossEntropyGpu
{
    private static readonly KernelCache<Action<KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, ArrayView<float>, int>> RowLauncher =
        new(a => a.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, int, ArrayView<float>, int>(RowKernel));

    private static readonly KernelCache<Action<KernelConfig, ArrayView<int>, ArrayView<float>, ArrayView<float>, int>> MeanLauncher =
        new(a => a.LoadStreamKernel<ArrayView<int>, ArrayView<float>, ArrayView<float>, int>(MeanKernel));

    /// <summary>Writes dL/dlogits, each row's loss and their mean on <paramref name="device"/>; returns once queued.</summary>
    /// <param name="device">Where the views live.</param>
    /// <param name="logits">Scores [rows, columns].</param>
    /// <param name="targets">One class per row, in [0, columns) or <paramref name="ignoreIndex"/>.</param>
    /// <param name="gradient">Receives dL/dlogits [rows, columns]; it must not overlap the logits.</param>
    /// <param name="columns">Classes per row.</param>
    /// <param name="rowLosses">Receives each row's loss (0 for an ignored row), one per row.</param>
    /// <param name="loss">Receives the mean loss over counted rows (0 when every row is ignored): one float.</param>
    /// <param name="ignoreIndex">The target value of rows left out of the loss.</param>
    public static void Compute(GpuDevice device, ArrayView<float> logits, ArrayView<int> targets, ArrayView<float> gradient, int columns,
        ArrayView<float> rowLosses, ArrayView<float> loss, int ignoreIndex = CrossEntropyKernel.DefaultIgnoreIndex)
    {
        int rows = RowMajor.Rows(DeviceViews.Length(logits, "logits"), columns);
        RowMajor.Length("targets", DeviceViews.Length(targets, "targets"), rows);
        RowMajor.Length("gradient", DeviceViews.Length(gradient, "gradient"), rows * columns);
        RowMajor.Length("rowLosses", DeviceViews.Length(rowLosses, "rowLosses"), rows);
        RowMajor.Length("loss", DeviceViews.Length(loss, "loss"), 1);
        if (rows > 0) RowLauncher.On(device)(GroupReduce.RowGroups(device, rows), logits, targets, gradient, columns, rowLosses, ignoreIndex);
        MeanLauncher.On(device)(GroupReduce.RowGroups(device, 1), targets, rowLosses, loss, ignoreIndex);
    }

    /// <summary>Rows whose target is not the ignore index, counted by the group (exact: a float holds counts to 2²⁴).</summary>
    private static float Counted(ArrayView<float> scratch, ArrayView<int> targets, int ignoreIndex)
    {
        float counted = 0f;
        for (int r = Group.IdxX; r < targets.Length; r += Group.DimX) counted += targets[r] == ignoreIndex ? 0f : 1f;
        return GroupReduce.Sum(scratch, counted);
    }

    private static void RowKernel(ArrayView<float> logits, ArrayView<int> targets, ArrayView<float> gradient, int columns,
        ArrayView<float> rowLosses, int ignoreIndex)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        int row = Grid.IdxX, target = targets[row];
        long start = (long)row * columns;
        if (target == ignoreIndex)
        {
            for (int c = Group.IdxX; c < columns; c += Group.DimX) gradient[start + c] = 0f;
            if (Group.IdxX == 0) rowLosses[row] = 0f;
            return;
        }
        float counted = Counted(scratch, targets, ignoreIndex);
        ArrayView<float> scores = logits.SubView(start, columns);
        float max = GroupReduce.RowMax(scratch, scores), sum = GroupReduce.RowExpSum(scratch, scores, max);
        bool valid = (uint)target < (uint)columns;
        for (int c = Group.IdxX; c < columns; c += Group.DimX)
            gradient[start + c] = MathF.Exp(logits[start + c] - max) / sum / counted - (c == target ? 1f / counted : 0f);
        if (Group.IdxX == 0) rowLosses[row] = valid ? MathF.Log(sum) - (logits[start + target] - max) : float.NaN;
    }

    private static void MeanKernel(ArrayView<int> targets, ArrayView<float> rowLosses, ArrayView<float> loss, int ignoreIndex)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        float counted = Counted(scratch, targets, ignoreIndex), total = 0f;
        for (int r = Group.IdxX; r < rowLosses.Length; r += Group.DimX) total += rowLosses[r];
        total = GroupReduce.Sum(scratch, total);
        if (Group.IdxX == 0) loss[0] = counted == 0f ? 0f : total / counted;
    }
}
