namespace EmbedEngine.Tensors.Modules;

/// <summary>A table of vectors looked up by index.</summary>
public sealed class Embedding : Module
{
    /// <summary>A table of <paramref name="count"/> vectors of <paramref name="dimension"/>, uniform in ±1/√dimension.</summary>
    public Embedding(int count, int dimension, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Table = Parameter("weight", Initialization.Uniform(1f / MathF.Sqrt(dimension), random, count, dimension));
    }

    /// <summary>The table [count, dimension].</summary>
    public Tensor Table { get; }

    /// <summary>The rows named by <paramref name="indices"/>, [indices, dimension].</summary>
    public Tensor Forward(int[] indices) => Ops.Embedding(Table, indices);

    /// <summary>Embeddings take indices, not a tensor.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("An embedding takes indices: call Forward(int[]).");
}
