using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>Activations, softmax and dropout, on the dense kernels.</summary>
public static unsafe partial class Ops
{
    /// <summary>max(0, x).</summary>
    public static Tensor Relu(Tensor x) => ElementWise(x, &ReluKernel.Forward, &ReluBackward);

    /// <summary>GELU, the tanh approximation of GPT and BERT.</summary>
    public static Tensor Gelu(Tensor x) => ElementWise(x, &GeluKernel.Forward, &GeluBackward);

    /// <summary>tanh(x).</summary>
    public static Tensor Tanh(Tensor x) => ElementWise(x, &TanhKernel.Forward, &TanhBackward);

    /// <summary>1 / (1 + e^−x).</summary>
    public static Tensor Sigmoid(Tensor x) => ElementWise(x, &SigmoidKernel.Forward, &SigmoidBackward);

    /// <summary>Softmax over the last dimension.</summary>
    public static Tensor Softmax(Tensor x) => RowWise(x, &SoftmaxKernel.Forward, &SoftmaxBackward);

    /// <summary>Log-softmax over the last dimension.</summary>
    public static Tensor LogSoftmax(Tensor x) => RowWise(x, &LogSoftmaxKernel.Forward, &LogSoftmaxBackward);

    /// <summary>
    /// Inverted dropout: each element zeroed with probability <paramref name="probability"/>, the rest scaled by
    /// 1/(1 − p). <paramref name="seed"/> picks the mask, which backward regenerates rather than stores.
    /// </summary>
    public static Tensor Dropout(Tensor x, float probability, uint seed)
    {
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false);
        DropoutKernel.Forward(input.AsSpan(), y.AsSpan(), probability, seed);
        if (graph.NeedsGrad(input))
            graph.Record(new TapeEntry { Backward = &DropoutBackward, Output = y, A = input, Scalar = probability, Integer = unchecked((int)seed) });
        return y;
    }

    private static Tensor ElementWise(Tensor x, delegate*<ReadOnlySpan<float>, Span<float>, void> forward, delegate*<ref TapeEntry, void> backward)
    {
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false);
        ParallelKernels.Map(forward, input.Data, y.Data, input.Count);
        if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = backward, Output = y, A = input });
        return y;
    }

    private static Tensor RowWise(Tensor x, delegate*<ReadOnlySpan<float>, Span<float>, int, void> forward, delegate*<ref TapeEntry, void> backward)
    {
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false);
        int columns = input.Shape[-1];
        ParallelKernels.MapRows(forward, input.Data, y.Data, columns == 0 ? 0 : input.Count / columns, columns);
        if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = backward, Output = y, A = input });
        return y;
    }

    /// <summary>Runs a backward kernel into the input's gradient: dx = f(saved, dy).</summary>
    private static void BackwardInto(ref TapeEntry entry, Tensor saved, delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, void> kernel)
    {
        Tensor input = entry.A!;
        Tensor sink = Graph.Current.GradientSink(input);
        ParallelKernels.Backward(kernel, saved.Data, entry.Output.Grad!.Data, sink.Data, input.Count);
        Graph.Accumulate(input, sink);
    }

    private static void RowBackwardInto(ref TapeEntry entry, delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, int, void> kernel)
    {
        Tensor input = entry.A!;
        Tensor sink = Graph.Current.GradientSink(input);
        int columns = input.Shape[-1];
        ParallelKernels.BackwardRows(kernel, entry.Output.Data, entry.Output.Grad!.Data, sink.Data, columns == 0 ? 0 : input.Count / columns, columns);
        Graph.Accumulate(input, sink);
    }

    private static void ReluBackward(ref TapeEntry entry) => BackwardInto(ref entry, entry.A!, &ReluKernel.Backward);

    private static void GeluBackward(ref TapeEntry entry) => BackwardInto(ref entry, entry.A!, &GeluKernel.Backward);

    private static void TanhBackward(ref TapeEntry entry) => BackwardInto(ref entry, entry.Output, &TanhKernel.Backward);

    private static void SigmoidBackward(ref TapeEntry entry) => BackwardInto(ref entry, entry.Output, &SigmoidKernel.Backward);

    private static void SoftmaxBackward(ref TapeEntry entry) => RowBackwardInto(ref entry, &SoftmaxKernel.Backward);

    private static void LogSoftmaxBackward(ref TapeEntry entry) => RowBackwardInto(ref entry, &LogSoftmaxKernel.Backward);

    private static void DropoutBackward(ref TapeEntry entry)
    {
        Tensor input = entry.A!;
        Tensor sink = Graph.Current.GradientSink(input);
        DropoutKernel.Backward(entry.Output.Grad!.AsSpan(), sink.AsSpan(), entry.Scalar, unchecked((uint)entry.Integer));
        Graph.Accumulate(input, sink);
    }
}
