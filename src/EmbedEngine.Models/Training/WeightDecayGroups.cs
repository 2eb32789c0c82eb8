using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Training;

/// <summary>AdamW's usual two groups: weight matrices and embeddings decay; biases, layer norms and scalars do not.</summary>
internal static class WeightDecayGroups
{
    /// <summary>The parameters of <paramref name="model"/> of rank 2 or more with <paramref name="weightDecay"/>, the rest with none.</summary>
    public static ParameterGroup[] Of(Module model, float weightDecay)
    {
        IReadOnlyList<Tensor> parameters = model.Parameters();
        return
        [
            new ParameterGroup(parameters.Where(p => p.Rank >= 2).ToArray(), weightDecay),
            new ParameterGroup(parameters.Where(p => p.Rank < 2).ToArray(), 0f),
        ];
    }
}
