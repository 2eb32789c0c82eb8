using EmbedEngine.Kernels.Dense;
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
        Tensor input = x.Contiguous();
        int rows = input.Count / columns;
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false);
        Tensor mean = graph.NewTensor(new Shape(rows), zero: false), rstd = graph.NewTensor(new Shape(rows), zero: false);
        LayerNormKernel.Forward(input.AsSpan(), gamma.AsSpan(), beta.AsSpan(), epsilon, y.AsSpan(), mean.AsSpan(), rstd.AsSpan());
        if (graph.NeedsGrad(input, gamma, beta))
            graph.Record(new TapeEntry { Backward = &LayerNormBackward, Output = y, A = input, B = gamma, C = beta, Saved = mean, Saved2 = rstd });
        return y;
    }

    private static void LayerNormBackward(ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        Tensor input = entry.A!, gamma = entry.B!, beta = entry.C!;
        // The kernel always writes dx and adds into dγ and dβ; inputs that need no gradient get scratch.
        Tensor dx = input.RequiresGrad ? graph.GradientSink(input) : graph.NewTensor(input.Shape, zero: false);
        Tensor dGamma = gamma.RequiresGrad ? graph.GradOf(gamma) : graph.NewTensor(gamma.Shape, zero: true);
        Tensor dBeta = beta.RequiresGrad ? graph.GradOf(beta) : graph.NewTensor(beta.Shape, zero: true);
        LayerNormKernel.Backward(input.AsSpan(), gamma.AsSpan(), entry.Saved!.AsSpan(), entry.Saved2!.AsSpan(), entry.Output.Grad!.AsSpan(),
            dx.AsSpan(), dGamma.AsSpan(), dBeta.AsSpan());
        if (input.RequiresGrad) Graph.Accumulate(input, dx);
    }
}
