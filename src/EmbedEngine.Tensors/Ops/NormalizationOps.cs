using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>Layer normalization.</summary>
public static unsafe partial class Ops
{
    /// <summary>Normalizes each row of the last dimension to zero mean and unit variance, then scales by γ and shifts by β.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor gamma, Tensor beta, float epsilon = 1e-5f)
    {
        int columns = x.Shape[-1];
        if (gamma.Rank != 1 || gamma.Shape[0] != columns || beta.Shape != gamma.Shape)
            throw new ArgumentException($"LayerNorm: γ {gamma.Shape} and β {beta.Shape} must both be [{columns}] for input {x.Shape}.");
        GpuDevice? gpu = Devices.Gpu("LayerNorm", x, gamma, beta);
        Tensor input = x.Contiguous();
        int rows = input.Count / columns;
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false, input.Device);
        Tensor mean = graph.NewTensor(new Shape(rows), zero: false, input.Device), rstd = graph.NewTensor(new Shape(rows), zero: false, input.Device);
        if (!gamma.IsContiguous || !beta.IsContiguous) throw new ArgumentException("LayerNorm: γ and β must be contiguous (parameters are).");
        if (gpu != null)
            LayerNormGpu.Forward(gpu, input.DeviceView("LayerNorm"), gamma.DeviceView("LayerNorm"), beta.DeviceView("LayerNorm"), epsilon,
                y.DeviceView("LayerNorm"), mean.DeviceView("LayerNorm"), rstd.DeviceView("LayerNorm"));
        else ParallelLayerNorm.Forward(input.Data, gamma.Data, beta.Data, epsilon, y.Data, mean.Data, rstd.Data, rows, columns);
        if (graph.NeedsGrad(input, gamma, beta))
            graph.Record(new TapeEntry { Backward = gpu != null ? &LayerNormBackwardOnDevice : &LayerNormBackward, Output = y, A = input, B = gamma, C = beta, Saved = mean, Saved2 = rstd });
        return y;
    }

    private static void LayerNormBackward(ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        Tensor input = entry.A!, gamma = entry.B!, beta = entry.C!;
        int columns = gamma.Count, rows = input.Count / Math.Max(columns, 1), blocks = ParallelLayerNorm.Blocks(rows);
        // dx is always written and the partial sums of dγ and dβ always made; inputs that need no gradient get scratch.
        Tensor dx = input.RequiresGrad ? graph.GradientSink(input) : graph.NewTensor(input.Shape, zero: false);
        Tensor partials = graph.NewTensor(new Shape(Math.Max(blocks, 1), 2, columns), zero: false);
        ParallelLayerNorm.Backward(input.Data, gamma.Data, entry.Saved!.Data, entry.Saved2!.Data, entry.Output.Grad!.Data, dx.Data,
            partials.Data, rows, columns);
        if (gamma.RequiresGrad || beta.RequiresGrad)
        {
            Tensor dGamma = gamma.RequiresGrad ? graph.GradOf(gamma) : graph.NewTensor(gamma.Shape, zero: true);
            Tensor dBeta = beta.RequiresGrad ? graph.GradOf(beta) : graph.NewTensor(beta.Shape, zero: true);
            ParallelLayerNorm.AddPartials(partials.Data, blocks, dGamma.AsSpan(), dBeta.AsSpan());
        }
        if (input.RequiresGrad) Graph.Accumulate(input, dx);
    }

    /// <summary>The GPU kernel adds into dγ and dβ itself; inputs that need no gradient get scratch, as on the CPU.</summary>
    private static void LayerNormBackwardOnDevice(ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        Tensor input = entry.A!, gamma = entry.B!, beta = entry.C!;
        GpuDevice gpu = input.GpuOf("LayerNorm");
        Tensor dx = input.RequiresGrad ? graph.GradientSink(input) : graph.NewTensor(input.Shape, zero: false, input.Device);
        Tensor dGamma = gamma.RequiresGrad ? graph.GradOf(gamma) : graph.NewTensor(gamma.Shape, zero: true, gamma.Device);
        Tensor dBeta = beta.RequiresGrad ? graph.GradOf(beta) : graph.NewTensor(beta.Shape, zero: true, beta.Device);
        LayerNormGpu.Backward(gpu, input.DeviceView("LayerNorm"), gamma.DeviceView("LayerNorm"), entry.Saved!.DeviceView("LayerNorm"),
            entry.Saved2!.DeviceView("LayerNorm"), entry.Output.Grad!.DeviceView("LayerNorm"), dx.DeviceView("LayerNorm"),
            dGamma.DeviceView("LayerNorm"), dBeta.DeviceView("LayerNorm"));
        if (input.RequiresGrad) Graph.Accumulate(input, dx);
    }
}
