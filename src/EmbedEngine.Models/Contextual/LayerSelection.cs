using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// Which hidden states make a token's contextual vector: one layer (0 = the embeddings, i = block i's output,
/// layers = the last block's, before the final norm), the final-normed output, or the mean of the last k blocks'
/// outputs.
/// </summary>
public readonly record struct LayerSelection
{
    private LayerSelection(int layer, int lastCount, bool finalNormed)
    {
        Layer = layer;
        LastCount = lastCount;
        FinalNormed = finalNormed;
    }

    /// <summary>The one layer taken; −1 for the other selections.</summary>
    public int Layer { get; }

    /// <summary>How many of the last blocks are averaged; 0 for the other selections.</summary>
    public int LastCount { get; }

    /// <summary>Whether the final-normed output is taken.</summary>
    public bool FinalNormed { get; }

    /// <summary>The output of the final layer norm: what the language-model head reads.</summary>
    public static LayerSelection Final => new(-1, 0, true);

    /// <summary>Hidden states after block <paramref name="layer"/> (0: the embeddings).</summary>
    public static LayerSelection Of(int layer) => new(layer, 0, false);

    /// <summary>The mean of the outputs of the last <paramref name="count"/> blocks.</summary>
    public static LayerSelection MeanOfLast(int count) => new(-1, count, false);

    /// <summary>Checks the selection against a model of <paramref name="layers"/> blocks.</summary>
    internal void Check(int layers)
    {
        if (FinalNormed) return;
        if (LastCount == 0 && (Layer < 0 || Layer > layers))
            throw new ArgumentException($"Layer {Layer} does not exist: the model has layers 0 (embeddings) to {layers}.");
        if (LastCount != 0 && (LastCount < 1 || LastCount > layers))
            throw new ArgumentException($"Cannot average the last {LastCount} layers of a model of {layers}.");
    }

    /// <summary>The selected states from <paramref name="states"/> (embeddings, then each block) and the final-normed output.</summary>
    internal Tensor Combine(List<Tensor> states, Tensor finalNormed)
    {
        if (FinalNormed) return finalNormed;
        if (LastCount == 0) return states[Layer];
        Tensor sum = states[^LastCount];
        for (int i = states.Count - LastCount + 1; i < states.Count; i++) sum = Ops.Add(sum, states[i]);
        return Ops.Scale(sum, 1f / LastCount);
    }
}
