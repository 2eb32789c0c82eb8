using EmbedEngine.Tensors.Autograd;

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
        Devices.RequireCpu("ReverseSteps", x);
        if (x.Rank < 1) throw new ArgumentException("ReverseSteps: a scalar has no steps.");
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor output = graph.NewTensor(input.Shape, zero: false);
        ReverseRows(input.AsSpan(), output.AsSpan(), input.Shape[0]);
        if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = &ReverseStepsBackward, Output = output, A = input });
        return output;
    }

    private static void ReverseStepsBackward(ref TapeEntry entry)
    {
        Tensor x = entry.A!;
        Tensor sink = Graph.Current.GradientSink(x);
        ReverseRows(entry.Output.Grad!.AsSpan(), sink.AsSpan(), x.Shape[0]);
        Graph.Accumulate(x, sink);
    }

    /// <summary>Copies <paramref name="steps"/> equal rows of <paramref name="source"/> to <paramref name="destination"/> in reverse order.</summary>
    private static void ReverseRows(ReadOnlySpan<float> source, Span<float> destination, int steps)
    {
        if (steps == 0) return;
        int width = source.Length / steps;
        for (int t = 0; t < steps; t++) source.Slice(t * width, width).CopyTo(destination.Slice((steps - 1 - t) * width, width));
    }

    /// <summary>a [..., m] and b [..., n] side by side along the last dimension: [..., m + n].</summary>
    public static Tensor ConcatLast(Tensor a, Tensor b)
    {
        Devices.RequireCpu("ConcatLast", a, b);
        if (a.Rank == 0 || a.Rank != b.Rank) throw new ArgumentException($"ConcatLast: {a.Shape} and {b.Shape} must have the same rank, at least 1.");
        for (int d = 0; d < a.Rank - 1; d++)
            if (a.Shape[d] != b.Shape[d]) throw new ArgumentException($"ConcatLast: {a.Shape} and {b.Shape} differ before the last dimension.");
        Tensor left = a.Contiguous(), right = b.Contiguous();
        int m = left.Shape[left.Rank - 1], n = right.Shape[right.Rank - 1];
        Span<int> sizes = stackalloc int[a.Rank];
        left.Shape.CopyTo(sizes);
        sizes[^1] = m + n;
        Graph graph = Graph.Current;
        Tensor output = graph.NewTensor(new Shape(sizes), zero: false);
        Span<float> o = output.AsSpan();
        ReadOnlySpan<float> l = left.AsSpan(), r = right.AsSpan();
        for (int row = 0, rows = output.Count / Math.Max(m + n, 1); row < rows; row++)
        {
            l.Slice(row * m, m).CopyTo(o.Slice(row * (m + n), m));
            r.Slice(row * n, n).CopyTo(o.Slice(row * (m + n) + m, n));
        }
        if (graph.NeedsGrad(left, right)) graph.Record(new TapeEntry { Backward = &ConcatLastBackward, Output = output, A = left, B = right });
        return output;
    }

    private static void ConcatLastBackward(ref TapeEntry entry)
    {
        Tensor a = entry.A!, b = entry.B!;
        int m = a.Shape[a.Rank - 1], n = b.Shape[b.Rank - 1], rows = entry.Output.Count / Math.Max(m + n, 1);
        ReadOnlySpan<float> grad = entry.Output.Grad!.AsSpan();
        if (a.RequiresGrad) ConcatPartBackward(a, grad, rows, 0, m + n);
        if (b.RequiresGrad) ConcatPartBackward(b, grad, rows, m, m + n);
    }

    /// <summary>Adds columns [offset, offset + width) of every row of <paramref name="grad"/> into <paramref name="part"/>'s gradient.</summary>
    private static void ConcatPartBackward(Tensor part, ReadOnlySpan<float> grad, int rows, int offset, int stride)
    {
        int width = part.Shape[part.Rank - 1];
        Tensor sink = Graph.Current.GradientSink(part);
        Span<float> s = sink.AsSpan();
        for (int row = 0; row < rows; row++) grad.Slice(row * stride + offset, width).CopyTo(s.Slice(row * width, width));
        Graph.Accumulate(part, sink);
    }
}
