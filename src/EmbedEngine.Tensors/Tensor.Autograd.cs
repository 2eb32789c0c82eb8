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

    /// <summary>
    /// Back-propagates from this one-element loss as <see cref="Backward(Tensor?)"/> does, and calls
    /// <paramref name="gradientReady"/>(i) as soon as the gradient of <paramref name="parameters"/>[i] is final, while the
    /// pass goes on (every parameter once; those the loss does not reach, with no gradient, at the end): what lets a
    /// data-parallel step start summing early gradients across processes while later ones are still computed.
    /// </summary>
    public void Backward(IReadOnlyList<Tensor> parameters, Action<int> gradientReady)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradientReady);
        Graph.Current.Backward(this, seed: null, parameters, gradientReady);
    }

    /// <summary>A contiguous copy on the same device, owned by the caller, cut off from the graph.</summary>
    public unsafe Tensor Clone()
    {
        Tensor copy = Owned(Shape, zero: false, Device);
        if (Device.Kind == DeviceKind.Gpu) CopyOnDevice(copy, accumulate: false);
        else CopyTo(new Span<float>(copy.Data, Count));
        return copy;
    }
}
