using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Tensors.Tests;

public sealed class ParameterGroupTests
{
    [Fact]
    public void Each_group_decays_its_parameters_with_its_own_rate()
    {
        using Tensor decayed = Tensor.FromArray([1f, 2f], 2), kept = Tensor.FromArray([1f, 2f], 2);
        decayed.RequiresGrad = kept.RequiresGrad = true;
        using var adam = new Adam([new ParameterGroup([decayed], 0.5f), new ParameterGroup([kept], 0f)], AdamSettings.AdamW(0.1f, weightDecay: 9f));
        // Zero gradients: Adam's own step is zero, so only the decoupled decay w ← w(1 − lr·λ) moves the weights.
        Ops.Sum(Ops.Add(Ops.Scale(decayed, 0f), Ops.Scale(kept, 0f))).Backward();
        adam.Step();
        Assert.Equal([0.95f, 1.9f], decayed.ToArray());
        Assert.Equal([1f, 2f], kept.ToArray());
        Assert.Equal([decayed, kept], adam.Parameters);
    }

    [Fact]
    public void A_parameter_in_two_groups_is_refused()
    {
        using Tensor w = Tensor.FromArray([1f], 1);
        Assert.Throws<ArgumentException>(() => new Adam([new ParameterGroup([w], 0.1f), new ParameterGroup([w], 0f)], AdamSettings.AdamW()));
    }
}
