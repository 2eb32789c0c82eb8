using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="LstmCellKernel"/>'s twin: the fused gate non-linearities and cell update of one time step, after the
/// GEMMs, on [rows × 4·hidden] gates in PyTorch's order [i | f | g | o]; one thread per (row, hidden unit), in the
/// reference's formulas. The forward step overwrites the pre-activations with the activated gates and keeps tanh c.
/// </summary>
public static class LstmCellGpu
{
    private static readonly KernelCache<Action<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>>> ForwardLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>>(ForwardKernel));

    private static readonly KernelCache<Action<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>>> BackwardLauncher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>>(BackwardKernel));

    /// <summary>The forward step on <paramref name="device"/>; returns once queued.</summary>
    /// <param name="device">Where the views live.</param>
    /// <param name="size">The hidden size: floats per row of the cell and of each gate block.</param>
    /// <param name="gates">[rows × 4·hidden] pre-activations in, activated gates out.</param>
    /// <param name="previousCell">c₋₁ [rows × hidden].</param>
    /// <param name="cell">c [rows × hidden], written.</param>
    /// <param name="tanhCell">tanh c [rows × hidden], written (the backward step reads it).</param>
    /// <param name="hidden">h [rows × hidden], written.</param>
    public static void Forward(GpuDevice device, int size, ArrayView<float> gates, ArrayView<float> previousCell, ArrayView<float> cell,
        ArrayView<float> tanhCell, ArrayView<float> hidden)
    {
        int units = DeviceViews.Length(previousCell, "previousCell");
        LstmCellKernel.Check(size, DeviceViews.Length(gates, "gates"), units, DeviceViews.Length(cell, "cell"),
            DeviceViews.Length(tanhCell, "tanhCell"), DeviceViews.Length(hidden, "hidden"));
        if (units > 0) ForwardLauncher.On(device)(units, size, gates, previousCell, cell, tanhCell, hidden);
    }

    /// <summary>
    /// The backward step on <paramref name="device"/>: gate pre-activation gradients into <paramref name="gateGrad"/>,
    /// and <paramref name="cellGrad"/> (dc₊ in) replaced by the gradient into the previous cell. Returns once queued.
    /// </summary>
    public static void Backward(GpuDevice device, int size, ArrayView<float> gates, ArrayView<float> previousCell, ArrayView<float> tanhCell,
        ArrayView<float> hiddenGrad, ArrayView<float> cellGrad, ArrayView<float> gateGrad)
    {
        int units = DeviceViews.Length(previousCell, "previousCell");
        LstmCellKernel.CheckBackward(size, DeviceViews.Length(gates, "gates"), units, DeviceViews.Length(tanhCell, "tanhCell"),
            DeviceViews.Length(hiddenGrad, "hiddenGrad"), DeviceViews.Length(cellGrad, "cellGrad"), DeviceViews.Length(gateGrad, "gateGrad"));
        if (units > 0) BackwardLauncher.On(device)(units, size, gates, previousCell, tanhCell, hiddenGrad, cellGrad, gateGrad);
    }

    private static float Logistic(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>Unit k is hidden unit k mod size of row k / size; its four gates sit size apart in the row's block.</summary>
    private static void ForwardKernel(Index1D k, int size, ArrayView<float> gates, ArrayView<float> previousCell, ArrayView<float> cell,
        ArrayView<float> tanhCell, ArrayView<float> hidden)
    {
        int unit = k;
        long a = (long)(unit / size) * 4 * size + unit % size;
        float i = Logistic(gates[a]), f = Logistic(gates[a + size]), g = MathF.Tanh(gates[a + 2 * size]), o = Logistic(gates[a + 3 * size]);
        float c = f * previousCell[k] + i * g, t = MathF.Tanh(c);
        gates[a] = i;
        gates[a + size] = f;
        gates[a + 2 * size] = g;
        gates[a + 3 * size] = o;
        cell[k] = c;
        tanhCell[k] = t;
        hidden[k] = o * t;
    }

    private static void BackwardKernel(Index1D k, int size, ArrayView<float> gates, ArrayView<float> previousCell, ArrayView<float> tanhCell,
        ArrayView<float> hiddenGrad, ArrayView<float> cellGrad, ArrayView<float> gateGrad)
    {
        int unit = k;
        long a = (long)(unit / size) * 4 * size + unit % size;
        float i = gates[a], f = gates[a + size], g = gates[a + 2 * size], o = gates[a + 3 * size], t = tanhCell[k], dh = hiddenGrad[k];
        float dc = cellGrad[k] + dh * o * (1f - t * t);
        gateGrad[a] = dc * g * (i * (1f - i));
        gateGrad[a + size] = dc * previousCell[k] * (f * (1f - f));
        gateGrad[a + 2 * size] = dc * i * (1f - g * g);
        gateGrad[a + 3 * size] = dh * t * (o * (1f - o));
        cellGrad[k] = dc * f;
    }
}
