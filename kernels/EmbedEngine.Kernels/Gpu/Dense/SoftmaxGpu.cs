using EmbedEngine.Kernels.Dense;
using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// The GPU twins of <see cref="SoftmaxKernel"/> and <see cref="LogSoftmaxKernel"/> on row-major [rows, columns] views,
/// one thread group per row, in the references' formulas.
/// </summary>
public static class SoftmaxGpu
{
    /// <summary>
    /// y = e^(x − max) / Σ e^(x − max) per row (y may be x) and dx = y ⊙ (dy − Σ dy ⊙ y) (dx may be dy); each call
    /// returns once queued.
    /// </summary>
    public static readonly RowKernels Softmax = new(SoftmaxForward, SoftmaxBackward);

    /// <summary>
    /// y = (x − max) − ln Σ e^(x − max) per row (y may be x) and dx = dy − e^y · Σ dy (dx may be dy); each call returns
    /// once queued.
    /// </summary>
    public static readonly RowKernels LogSoftmax = new(LogSoftmaxForward, LogSoftmaxBackward);

    private static void SoftmaxForward(ArrayView<float> x, ArrayView<float> y, int columns)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        long start = (long)Grid.IdxX * columns;
        float max = GroupReduce.RowMax(scratch, x.SubView(start, columns)), sum = 0f;
        for (int c = Group.IdxX; c < columns; c += Group.DimX)
        {
            float e = MathF.Exp(x[start + c] - max);
            y[start + c] = e;
            sum += e;
        }
        sum = GroupReduce.Sum(scratch, sum);
        for (int c = Group.IdxX; c < columns; c += Group.DimX) y[start + c] /= sum;
    }

    private static void SoftmaxBackward(ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int columns)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        long start = (long)Grid.IdxX * columns;
        float dot = 0f;
        for (int c = Group.IdxX; c < columns; c += Group.DimX) dot += dy[start + c] * y[start + c];
        dot = GroupReduce.Sum(scratch, dot);
        for (int c = Group.IdxX; c < columns; c += Group.DimX) dx[start + c] = y[start + c] * (dy[start + c] - dot);
    }

    private static void LogSoftmaxForward(ArrayView<float> x, ArrayView<float> y, int columns)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        long start = (long)Grid.IdxX * columns;
        ArrayView<float> row = x.SubView(start, columns);
        float max = GroupReduce.RowMax(scratch, row), logSum = MathF.Log(GroupReduce.RowExpSum(scratch, row, max));
        for (int c = Group.IdxX; c < columns; c += Group.DimX) y[start + c] = x[start + c] - max - logSum;
    }

    private static void LogSoftmaxBackward(ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int columns)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        long start = (long)Grid.IdxX * columns;
        float sum = 0f;
        for (int c = Group.IdxX; c < columns; c += Group.DimX) sum += dy[start + c];
        sum = GroupReduce.Sum(scratch, sum);
        for (int c = Group.IdxX; c < columns; c += Group.DimX) dx[start + c] = dy[start + c] - MathF.Exp(y[start + c]) * sum;
    }
}
