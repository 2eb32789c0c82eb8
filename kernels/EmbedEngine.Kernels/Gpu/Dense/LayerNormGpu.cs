using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="LayerNormKernel"/>'s twin on row-major [rows, columns] views: y = (x − μ)·rstd ⊙ γ + β with the
/// two-pass variance, μ and rstd saved per row; the backward pass writes dx per row and adds Σ dy ⊙ x̂ into dγ and
/// Σ dy into dβ. One thread group per row; the column sums are a second kernel, one thread per column, so no two
/// threads add into the same dγ or dβ.
/// </summary>
public static class LayerNormGpu
{
    private static readonly KernelCache<Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, float,
        ArrayView<float>, ArrayView<float>, ArrayView<float>>> ForwardLauncher =
        new(a => a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>,
            ArrayView<float>>(ForwardKernel));

    private static readonly KernelCache<Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>>> InputGradientLauncher =
        new(a => a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>>(InputGradientKernel));

    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>>> ParameterGradientLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>>(ParameterGradientKernel));

    /// <summary>Normalizes every row on <paramref name="device"/>; y may be x. Returns once queued.</summary>
    /// <param name="device">Where the views live.</param>
    /// <param name="x">Input [rows, columns].</param>
    /// <param name="gamma">Scale γ, one per column.</param>
    /// <param name="beta">Shift β, one per column.</param>
    /// <param name="epsilon">ε added to the variance.</param>
    /// <param name="y">Output [rows, columns].</param>
    /// <param name="mean">Receives μ, one per row.</param>
    /// <param name="rstd">Receives 1/√(σ² + ε), one per row.</param>
    public static void Forward(GpuDevice device, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> beta, float epsilon,
        ArrayView<float> y, ArrayView<float> mean, ArrayView<float> rstd)
    {
        int columns = DeviceViews.Length(gamma, "gamma"), rows = RowMajor.Rows(DeviceViews.Length(x, "x"), columns);
        RowMajor.Length("beta", DeviceViews.Length(beta, "beta"), columns);
        RowMajor.Length("y", DeviceViews.Length(y, "y"), rows * columns);
        RowMajor.Length("mean", DeviceViews.Length(mean, "mean"), rows);
        RowMajor.Length("rstd", DeviceViews.Length(rstd, "rstd"), rows);
        if (rows > 0) ForwardLauncher.On(device)(GroupReduce.RowGroups(device, rows), x, gamma, beta, epsilon, y, mean, rstd);
    }

    /// <summary>
    /// With x̂ = (x − μ)·rstd and g = dy ⊙ γ: dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)) per row, and adds Σ dy ⊙ x̂
    /// into dγ and Σ dy into dβ over the rows, on <paramref name="device"/>; dx may be dy. Returns once queued.
    /// </summary>
    public static void Backward(GpuDevice device, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> mean, ArrayView<float> rstd,
        ArrayView<float> dy, ArrayView<float> dx, ArrayView<float> dGamma, ArrayView<float> dBeta)
    {
        int columns = DeviceViews.Length(gamma, "gamma"), rows = RowMajor.Rows(DeviceViews.Length(x, "x"), columns);
        RowMajor.Length("mean", DeviceViews.Length(mean, "mean"), rows);
        RowMajor.Length("rstd", DeviceViews.Length(rstd, "rstd"), rows);
        RowMajor.Length("dy", DeviceViews.Length(dy, "dy"), rows * columns);
        RowMajor.Length("dx", DeviceViews.Length(dx, "dx"), rows * columns);
        RowMajor.Length("dGamma", DeviceViews.Length(dGamma, "dGamma"), columns);
        RowMajor.Length("dBeta", DeviceViews.Length(dBeta, "dBeta"), columns);
        if (rows == 0) return;
        // The column sums read dy before dx is written, so dx may share dy's memory.
        ParameterGradientLauncher.On(device)(columns, x, mean, rstd, dy, dGamma, dBeta);
        InputGradientLauncher.On(device)(GroupReduce.RowGroups(device, rows), x, gamma, mean, rstd, dy, dx);
    }

    private static void ForwardKernel(ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> beta, float epsilon,
        ArrayView<float> y, ArrayView<float> mean, ArrayView<float> rstd)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        int columns = (int)gamma.Length, row = Grid.IdxX;
        long start = (long)row * columns;
        float sum = 0f;
        for (int c = Group.IdxX; c < columns; c += Group.DimX) sum += x[start + c];
        float mu = GroupReduce.Sum(scratch, sum) / columns, squares = 0f;
        for (int c = Group.IdxX; c < columns; c += Group.DimX) squares += (x[start + c] - mu) * (x[start + c] - mu);
        float s = 1f / MathF.Sqrt(GroupReduce.Sum(scratch, squares) / columns + epsilon);
        for (int c = Group.IdxX; c < columns; c += Group.DimX) y[start + c] = (x[start + c] - mu) * s * gamma[c] + beta[c];
        if (Group.IdxX != 0) return;
        mean[row] = mu;
        rstd[row] = s;
    }

    private static void InputGradientKernel(ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> mean, ArrayView<float> rstd,
        ArrayView<float> dy, ArrayView<float> dx)
    {
        var scratch = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        int columns = (int)gamma.Length, row = Grid.IdxX;
        long start = (long)row * columns;
        float mu = mean[row], s = rstd[row], sumG = 0f, sumGx = 0f;
        for (int c = Group.IdxX; c < columns; c += Group.DimX)
        {
            float g = dy[start + c] * gamma[c];
            sumG += g;
            sumGx += g * ((x[start + c] - mu) * s);
        }
        float meanG = GroupReduce.Sum(scratch, sumG) / columns, meanGx = GroupReduce.Sum(scratch, sumGx) / columns;
        for (int c = Group.IdxX; c < columns; c += Group.DimX)
            dx[start + c] = s * (dy[start + c] * gamma[c] - meanG - (x[start + c] - mu) * s * meanGx);
    }

    /// <summary>Column c of dγ and dβ, one row after another, as the reference adds them.</summary>
    private static void ParameterGradientKernel(Index1D column, ArrayView<float> x, ArrayView<float> mean, ArrayView<float> rstd,
        ArrayView<float> dy, ArrayView<float> dGamma, ArrayView<float> dBeta)
    {
        int columns = (int)dGamma.Length;
        float gammaSum = dGamma[column], betaSum = dBeta[column];
        for (int r = 0; r < mean.Length; r++)
        {
            long at = (long)r * columns + column;
            gammaSum += dy[at] * ((x[at] - mean[r]) * rstd[r]);
            betaSum += dy[at];
        }
        dGamma[column] = gammaSum;
        dBeta[column] = betaSum;
    }
}
