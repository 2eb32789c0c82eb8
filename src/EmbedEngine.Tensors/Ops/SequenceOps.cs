using EmbedEngine.Tensors.Autograd;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Tensors;

/// <summary>Rearrangements of time-major sequences that bidirectional recurrent layers need.</summary>
public static unsafe partial class Ops
{
    /// <summary>
    /// x [T, ...] with its first dimension in reverse order: step t of the result is step T − 1 − t of x (a backward
    /// LSTM reads a sequence from its end this way).
    /// </summary>
    public static Tensor ReverseSteps(Tensor x)
    {
        if (x.Rank < 1) throw new ArgumentException("ReverseSteps: a scalar has no steps.");
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor output = graph.NewTensor(input.Shape, zero: false, input.Device);
        ReverseRows(input, output, input.Shape[0]);
        if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = &ReverseStepsBackward, Output = output, A = input });
        return output;
    }

    private static void ReverseStepsBackward(ref TapeEntry entry)
    {
        Tensor x = entry.A!;
        Tensor sink = Graph.Current.GradientSink(x);
        ReverseRows(entry.Output.Grad!, sink, x.Shape[0]);
        Graph.Accumulate(x, sink);
    }

    /// <summary>
    /// Copies <paramref name="steps"/> equal rows of contiguous <paramref name="source"/> to <paramref name="destination"/>
    /// in reverse order, on their device (one device copy per row on a GPU).
    /// </summary>
    private static void ReverseRows(Tensor source, Tensor destination, int steps)
    {
        if (steps == 0) return;
        int width = source.Count / steps;
        if (source.Device.Kind == DeviceKind.Gpu)
        {
            ArrayView<float> from = source.DeviceView("ReverseSteps"), to = destination.DeviceView("ReverseSteps");
            for (int t = 0; t < steps; t++) from.SubView((long)t * width, width).CopyTo(to.SubView((long)(steps - 1 - t) * width, width));
            return;
        }
        ReadOnlySpan<float> rows = source.AsSpan();
        Span<float> reversed = destination.AsSpan();
        for (int t = 0; t < steps; t++) rows.Slice(t * width, width).CopyTo(reversed.Slice((steps - 1 - t) * width, width));
    }

    /// <summary>a [..., m] and b [..., n] side by side along the last dimension: [..., m + n].</summary>
    public static Tensor ConcatLast(Tensor a, Tensor b)
    {
        Device device = Devices.Common("ConcatLast", a, b);
        if (a.Rank == 0 || a.Rank != b.Rank) throw new ArgumentException($"ConcatLast: {a.Shape} and {b.Shape} must have the same rank, at least 1.");
        for (int d = 0; d < a.Rank - 1; d++)
            if (a.Shape[d] != b.Shape[d]) throw new ArgumentException($"ConcatLast: {a.Shape} and {b.Shape} differ before the last dimension.");
        Tensor left = a.Contiguous(), right = b.Contiguous();
        int m = left.Shape[left.Rank - 1], n = right.Shape[right.Rank - 1];
        Span<int> sizes = stackalloc int[a.Rank];
        left.Shape.CopyTo(sizes);
        sizes[^1] = m + n;
        Graph graph = Graph.Current;
        Tensor output = graph.NewTensor(new Shape(sizes), zero: false, device);
        if (device.Kind == DeviceKind.Gpu)
        {
            // Each part into its columns of the output, through views whose rows are m + n apart.
            left.CopyOnDevice(output.Slice(-1, 0, m), accumulate: false);
            right.CopyOnDevice(output.Slice(-1, m, n), accumulate: false);
        }
        else ConcatRows(left.AsSpan(), right.AsSpan(), output.AsSpan(), m, n);
        if (graph.NeedsGrad(left, right)) graph.Record(new TapeEntry { Backward = &ConcatLastBackward, Output = output, A = left, B = right });
        return output;
    }

    /// <summary>Row after row: the row of <paramref name="l"/> (m wide), then the row of <paramref name="r"/> (n wide).</summary>
    private static void ConcatRows(ReadOnlySpan<float> l, ReadOnlySpan<float> r, Span<float> o, int m, int n)
    {
        for (int row = 0, rows = o.Length / Math.Max(m + n, 1); row < rows; row++)
        {
            l.Slice(row * m, m).CopyTo(o.Slice(row * (m + n), m));
            r.Slice(row * n, n).CopyTo(o.Slice(row * (m + n) + m, n));
        }
    }

    private static void ConcatLastBackward(ref TapeEntry entry)
    {
        Tensor a = entry.A!, b = entry.B!;
        int m = a.Shape[a.Rank - 1], n = b.Shape[b.Rank - 1];
        if (a.RequiresGrad) ConcatPartBackward(a, entry.Output.Grad!, 0, m + n);
        if (b.RequiresGrad) ConcatPartBackward(b, entry.Output.Grad!, m, m + n);
    }

    /// <summary>Adds columns [offset, offset + width) of every row of <paramref name="grad"/> into <paramref name="part"/>'s gradient.</summary>
    private static void ConcatPartBackward(Tensor part, Tensor grad, int offset, int stride)
    {
        int width = part.Shape[part.Rank - 1];
        Tensor sink = Graph.Current.GradientSink(part);
        if (part.Device.Kind == DeviceKind.Gpu) grad.Slice(-1, offset, width).CopyOnDevice(sink, accumulate: false);
        else
        {
            ReadOnlySpan<float> g = grad.AsSpan();
            Span<float> s = sink.AsSpan();
            for (int row = 0, rows = g.Length / Math.Max(stride, 1); row < rows; row++) g.Slice(row * stride + offset, width).CopyTo(s.Slice(row * width, width));
        }
        Graph.Accumulate(part, sink);
    }
}
