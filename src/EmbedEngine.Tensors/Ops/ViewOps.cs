using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>Views: new shapes and strides over the same memory, no copying. Their backward step re-takes the same view of the source's gradient and adds into it.</summary>
public sealed unsafe partial class Tensor
{
    /// <summary>The same elements in a new shape (one size may be -1, inferred); the tensor must be contiguous.</summary>
    public Tensor Reshape(params ReadOnlySpan<int> sizes) => Reshape(InferShape(sizes));

    /// <summary>The same elements in <paramref name="shape"/>, which must have as many; the tensor must be contiguous.</summary>
    public Tensor Reshape(in Shape shape)
    {
        if (shape.Count != Count) throw new ArgumentException($"Cannot reshape {Shape} ({Count} elements) to {shape}.", nameof(shape));
        if (!IsContiguous) throw new InvalidOperationException($"Reshape needs a contiguous tensor; shape {Shape} is a strided view. Call Contiguous() first.");
        Span<int> strides = stackalloc int[Shape.MaxRank];
        shape.ContiguousStrides(strides);
        Tensor view = Graph.Current.NewView(this, Offset, shape, strides[..shape.Rank]);
        RecordView(view, &ReshapeBackward, 0, 0);
        return view;
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(int first, int second)
    {
        int a = Shape.Normalize(first), b = Shape.Normalize(second);
        Span<int> sizes = stackalloc int[Rank];
        Span<int> strides = stackalloc int[Rank];
        Shape.CopyTo(sizes);
        Strides.CopyTo(strides);
        (sizes[a], sizes[b]) = (sizes[b], sizes[a]);
        (strides[a], strides[b]) = (strides[b], strides[a]);
        Tensor view = Graph.Current.NewView(this, Offset, new Shape(sizes), strides);
        RecordView(view, &TransposeBackward, a, b);
        return view;
    }

    /// <summary>Elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> − 1 of one dimension.</summary>
    public Tensor Slice(int dimension, int start, int length)
    {
        int d = Shape.Normalize(dimension);
        if (start < 0 || length < 0 || start + length > Shape[d])
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside dimension {d} of size {Shape[d]}.");
        Span<int> sizes = stackalloc int[Rank];
        Shape.CopyTo(sizes);
        sizes[d] = length;
        Tensor view = Graph.Current.NewView(this, Offset + start * Stride(d), new Shape(sizes), Strides);
        RecordView(view, &SliceBackward, d, start);
        return view;
    }

    /// <summary>This tensor when it is contiguous; otherwise a contiguous copy (which gradients flow through).</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous) return this;
        Graph graph = Graph.Current;
        Tensor copy = graph.NewTensor(Shape, zero: false, Device);
        if (Device.Kind == DeviceKind.Gpu) CopyOnDevice(copy, accumulate: false);
        else CopyTo(copy.AsSpan());
        if (graph.NeedsGrad(this)) graph.Record(new TapeEntry { Backward = &ContiguousBackward, Output = copy, A = this });
        return copy;
    }

    private Shape InferShape(ReadOnlySpan<int> sizes)
    {
        Span<int> resolved = stackalloc int[sizes.Length];
        sizes.CopyTo(resolved);
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (inferred >= 0) throw new ArgumentException("Only one size may be -1.", nameof(sizes));
                inferred = i;
            }
            else known *= resolved[i];
        }
        if (inferred >= 0 && known > 0 && Count % known == 0) resolved[inferred] = (int)(Count / known);
        var shape = new Shape(resolved);
        if (shape.Count != Count) throw new ArgumentException($"Cannot reshape {Shape} ({Count} elements) to {shape}.", nameof(sizes));
        return shape;
    }

    private void RecordView(Tensor view, delegate*<ref TapeEntry, void> backward, int first, int second)
    {
        Graph graph = Graph.Current;
        if (graph.NeedsGrad(this)) graph.Record(new TapeEntry { Backward = backward, Output = view, A = this, Integer = first, Integer2 = second });
    }

    private static void ReshapeBackward(ref TapeEntry entry)
    {
        Tensor grad = Graph.Current.GradOf(entry.A!);
        TensorMath.AddInto(grad.Reshape(entry.Output.Shape), entry.Output.Grad!);
    }

    private static void TransposeBackward(ref TapeEntry entry)
    {
        Tensor grad = Graph.Current.GradOf(entry.A!);
        TensorMath.AddInto(grad.Transpose(entry.Integer, entry.Integer2), entry.Output.Grad!);
    }

    private static void SliceBackward(ref TapeEntry entry)
    {
        Tensor grad = Graph.Current.GradOf(entry.A!);
        TensorMath.AddInto(grad.Slice(entry.Integer, entry.Integer2, entry.Output.Shape[entry.Integer]), entry.Output.Grad!);
    }

    private static void ContiguousBackward(ref TapeEntry entry) =>
        TensorMath.AddInto(Graph.Current.GradOf(entry.A!), entry.Output.Grad!);
}
