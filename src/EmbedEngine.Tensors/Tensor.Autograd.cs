using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Back-propagates from this tensor — a one-element loss, or any tensor given the gradient
    /// <paramref name="gradient"/> of its shape — accumulating into the <see cref="Grad"/> of every tensor that
    /// requires one, then releases the current graph.
    /// </summary>
    public void Backward(Tensor? gradient = null) => Graph.Current.Backward(this, gradient);

    /// <summary>A contiguous copy on the same device, owned by the caller, cut off from the graph.</summary>
    public unsafe Tensor Clone()
    {
        Tensor copy = Owned(Shape, zero: false, Device);
        if (Device.Kind == DeviceKind.Gpu) CopyOnDevice(copy, accumulate: false);
        else CopyTo(new Span<float>(copy.Data, Count));
        return copy;
    }
}
