namespace EmbedEngine.Tensors.Optimizers;

/// <summary>
/// Parameters that share a weight decay, as PyTorch's optimizer parameter groups: transformers decay their
/// matrices but not their biases and layer-norm gains.
/// </summary>
/// <param name="Parameters">The group's parameters.</param>
/// <param name="WeightDecay">λ for every parameter of the group, in place of the optimizer settings' own.</param>
public sealed record ParameterGroup(IReadOnlyList<Tensor> Parameters, float WeightDecay);
