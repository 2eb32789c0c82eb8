using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;
using ILGPU;

namespace EmbedEngine.Tensors;

/// <summary>Activations, softmax and dropout, on the dense kernels or their GPU twins (where one exists) by the input's device.</summary>
public static unsafe partial class Ops
{
    /// <summary>max(0, x).</summary>
    public static Tensor Relu(Tensor x) => ElementWise("Relu", x, &ReluKernel.Forward, &ReluBackward, ReluGpu.Forward);

    /// <summary>GELU, the tanh approximation of GPT and BERT.</summary>
    public static Tensor Gelu(Tensor x) => ElementWise("Gelu", x, &GeluKernel.Forward, &GeluBackward, GeluGpu.Forward);

    /// <summary>tanh(x).</summary>
    public static Tensor Tanh(Tensor x) => ElementWise("Tanh", x, &TanhKernel.Forward, &TanhBackward, SquashingGpu.Tanh.Forward);

    /// <summary>1 / (1 + e^−x).</summary>
    public static Tensor Sigmoid(Tensor x) => ElementWise("Sigmoid", x, &SigmoidKernel.Forward, &SigmoidBackward, SquashingGpu.Sigmoid.Forward);

    /// <summary>Softmax over the last dimension.</summary>
    public static Tensor Softmax(Tensor x) => RowWise(x, &SoftmaxKernel.Forward, &SoftmaxBackward, SoftmaxGpu.Softmax);

    /// <summary>Log-softmax over the last dimension.</summary>
    public static Tensor LogSoftmax(Tensor x) => RowWise(x, &LogSoftmaxKernel.Forward, &LogSoftmaxBackward, SoftmaxGpu.LogSoftmax);

    /// <summary>
    /// Inverted dropout: each element zeroed with probability <paramref name="probability"/>, the rest scaled by
    /// 1/(1 − p). <paramref name="seed"/> picks the mask, which backward regenerates rather than stores. With
    /// <paramref name="rows"/>, x's elements in rows.Length equal rows are rows of a larger tensor, row r being its row
    /// rows[r], whose masks they take (on the CPU; null: x is the whole tensor): what lets a process that holds some
    /// rows of a batch drop them as one process holding the whole batch does. The array is read again by backward.
    /// </summary>
    public static Tensor Dropout(Tensor x, float probability, uint seed, int[]? rows = null)
    {
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false, input.Device);
        if (input.Device.Gpu is GpuDevice gpu)
        {
            if (rows != null) throw new NotSupportedException("Dropout of rows placed in a larger tensor runs on the CPU only.");
            DropoutGpu.Forward(gpu, input.DeviceView("Dropout"), y.DeviceView("Dropout"), probability, seed);
        }
        else DropoutRows(input.AsSpan(), y.AsSpan(), probability, seed, rows);
        if (graph.NeedsGrad(input))
            graph.Record(new TapeEntry { Backward = &DropoutBackward, Output = y, A = input, Scalar = probability, Integer = unchecked((int)seed), Indices = rows });
        return y;
    }

    /// <summary>The dropout kernel over the whole of x, or row by row from each row's place (forward and backward alike: the map is linear).</summary>
    private static void DropoutRows(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed, int[]? rows)
    {
        if (rows == null)
        {
            DropoutKernel.Forward(x, y, probability, seed);
            return;
        }
        if (rows.Length == 0 || x.Length % rows.Length != 0) throw new ArgumentException($"Dropout: {x.Length} elements do not split into {rows.Length} rows.");
        int width = x.Length / rows.Length;
        for (int r = 0; r < rows.Length; r++)
            DropoutKernel.Forward(x.Slice(r * width, width), y.Slice(r * width, width), probability, seed, checked(rows[r] * width));
    }

    /// <summary>y = f(x) by the CPU kernel, or by its GPU twin <paramref name="gpu"/> for a GPU input.</summary>
    private static Tensor ElementWise(string operation, Tensor x, delegate*<ReadOnlySpan<float>, Span<float>, void> forward,
        delegate*<ref TapeEntry, void> backward, Action<GpuDevice, ArrayView<float>, ArrayView<float>> gpu)
    {
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false, input.Device);
        if (input.Device.Gpu is GpuDevice device) gpu(device, input.DeviceView(operation), y.DeviceView(operation));
        else ParallelKernels.Map(forward, input.Data, y.Data, input.Count);
        if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = backward, Output = y, A = input });
        return y;
    }

    private static Tensor RowWise(Tensor x, delegate*<ReadOnlySpan<float>, Span<float>, int, void> forward, delegate*<ref TapeEntry, void> backward,
        RowKernels gpu)
    {
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false, input.Device);
        int columns = input.Shape[-1];
        if (input.Device.Gpu is GpuDevice device) gpu.Forward(device, input.DeviceView("Softmax"), y.DeviceView("Softmax"), columns);
        else ParallelKernels.MapRows(forward, input.Data, y.Data, columns == 0 ? 0 : input.Count / columns, columns);
        if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = backward, Output = y, A = input });
        return y;
    }

    /// <summary>Runs a backward kernel into the input's gradient: dx = f(saved, dy).</summary>
    private static void BackwardInto(ref TapeEntry entry, Tensor saved, delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, void> kernel,
        Action<GpuDevice, ArrayView<float>, ArrayView<float>, ArrayView<float>> gpu)
    {
        Tensor input = entry.A!;
        Tensor sink = Graph.Current.GradientSink(input);
        if (input.Device.Gpu is GpuDevice device) gpu(device, saved.DeviceView("backward"), entry.Output.Grad!.DeviceView("backward"), sink.DeviceView("backward"));
        else ParallelKernels.Backward(kernel, saved.Data, entry.Output.Grad!.Data, sink.Data, input.Count);
        Graph.Accumulate(input, sink);
    }

    private static void RowBackwardInto(ref TapeEntry entry, delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, int, void> kernel,
        RowKernels gpu)
    {
        Tensor input = entry.A!;
        Tensor sink = Graph.Current.GradientSink(input);
        int columns = input.Shape[-1];
        if (input.Device.Gpu is GpuDevice device)
            gpu.Backward(device, entry.Output.DeviceView("Softmax"), entry.Output.Grad!.DeviceView("Softmax"), sink.DeviceView("Softmax"), columns);
        else ParallelKernels.BackwardRows(kernel, entry.Output.Data, entry.Output.Grad!.Data, sink.Data, columns == 0 ? 0 : input.Count / columns, columns);
        Graph.Accumulate(input, sink);
    }

    private static void ReluBackward(ref TapeEntry entry) => BackwardInto(ref entry, entry.A!, &ReluKernel.Backward, ReluGpu.Backward);

    private static void GeluBackward(ref TapeEntry entry) => BackwardInto(ref entry, entry.A!, &GeluKernel.Backward, GeluGpu.Backward);

    private static void TanhBackward(ref TapeEntry entry) => BackwardInto(ref entry, entry.Output, &TanhKernel.Backward, SquashingGpu.Tanh.Backward);

    private static void SigmoidBackward(ref TapeEntry entry) => BackwardInto(ref entry, entry.Output, &SigmoidKernel.Backward, SquashingGpu.Sigmoid.Backward);

    private static void SoftmaxBackward(ref TapeEntry entry) => RowBackwardInto(ref entry, &SoftmaxKernel.Backward, SoftmaxGpu.Softmax);

    private static void LogSoftmaxBackward(ref TapeEntry entry) => RowBackwardInto(ref entry, &LogSoftmaxKernel.Backward, SoftmaxGpu.LogSoftmax);

    private static void DropoutBackward(ref TapeEntry entry)
    {
        Tensor input = entry.A!;
        Tensor sink = Graph.Current.GradientSink(input);
        uint seed = unchecked((uint)entry.Integer);
        if (input.Device.Gpu is GpuDevice gpu) DropoutGpu.Backward(gpu, entry.Output.Grad!.DeviceView("Dropout"), sink.DeviceView("Dropout"), entry.Scalar, seed);
        else DropoutRows(entry.Output.Grad!.AsSpan(), sink.AsSpan(), entry.Scalar, seed, entry.Indices);
        Graph.Accumulate(input, sink);
    }
}
