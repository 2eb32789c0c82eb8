namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// Multi-head self-attention: one product projects the input to queries, keys and values ([q | k | v], head h at
/// features h·d … h·d + d − 1 of each), the fused attention operation reads them in place, and a second product
/// projects the concatenated heads back.
/// </summary>
public sealed class MultiHeadAttention : Module
{
    private readonly int _dimension;

    /// <summary>Attention over vectors of <paramref name="dimension"/> split into <paramref name="heads"/> heads.</summary>
    public MultiHeadAttention(int dimension, int heads, bool causal, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        if (dimension <= 0 || dimension % heads != 0)
            throw new ArgumentException($"{heads} heads do not divide the dimension {dimension}.", nameof(heads));
        _dimension = dimension;
        Heads = heads;
        Causal = causal;
        QueryKeyValue = Child("qkv", new Linear(dimension, 3 * dimension, random));
        Projection = Child("projection", new Linear(dimension, dimension, random));
    }

    /// <summary>Heads.</summary>
    public int Heads { get; }

    /// <summary>Whether a position attends only to itself and earlier positions.</summary>
    public bool Causal { get; }

    /// <summary>The input to [q | k | v] projection, D → 3D.</summary>
    public Linear QueryKeyValue { get; }

    /// <summary>The output projection, D → D.</summary>
    public Linear Projection { get; }

    /// <summary>Attention over every position of x [B, T, D].</summary>
    public override Tensor Forward(Tensor input) => Forward(input, keyLengths: null);

    /// <summary>Attention over x [B, T, D] where sequence b has <paramref name="keyLengths"/>[b] real positions (the rest padding).</summary>
    public Tensor Forward(Tensor x, int[]? keyLengths)
    {
        Tensor qkv = QueryKeyValue.Forward(x);
        return Projection.Forward(Ops.Attention(qkv.Slice(-1, 0, _dimension), qkv.Slice(-1, _dimension, _dimension),
            qkv.Slice(-1, 2 * _dimension, _dimension), Heads, Causal, keyLengths));
    }

    /// <summary>
    /// Attention of the new positions x [B, Tnew, D] over the positions in <paramref name="cache"/> and themselves;
    /// stores their keys and values in layer <paramref name="layer"/> of the cache.
    /// </summary>
    public Tensor Forward(Tensor x, KeyValueCache cache, int layer)
    {
        ArgumentNullException.ThrowIfNull(cache);
        Tensor qkv = QueryKeyValue.Forward(x);
        (Tensor keys, Tensor values) = cache.Append(layer, qkv.Slice(-1, _dimension, _dimension), qkv.Slice(-1, 2 * _dimension, _dimension));
        return Projection.Forward(Ops.Attention(qkv.Slice(-1, 0, _dimension), keys, values, Heads, Causal));
    }
}
