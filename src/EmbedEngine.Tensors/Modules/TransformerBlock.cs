namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// A pre-layer-norm transformer block (GPT-2, BERT as usually trained now): x + drop(attention(norm(x))), then
/// x + drop(contract(GELU(expand(norm(x))))), with a 4x wider hidden layer. Dropout is active only while training,
/// each call drawing a fresh mask from the block's own seed (a <see cref="Dropout"/> child, so checkpoints find its counter).
/// </summary>
public sealed class TransformerBlock : Module
{
    private readonly Dropout _dropout;

    /// <summary>A block over vectors of <paramref name="dimension"/> with <paramref name="heads"/> attention heads.</summary>
    public TransformerBlock(int dimension, int heads, bool causal, float dropout, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _dropout = Child("dropout", new Dropout(dropout, (uint)random.Next()));
        AttentionNorm = Child("attention_norm", new LayerNorm(dimension));
        Attention = Child("attention", new MultiHeadAttention(dimension, heads, causal, random));
        MlpNorm = Child("mlp_norm", new LayerNorm(dimension));
        Expand = Child("expand", new Linear(dimension, 4 * dimension, random));
        Contract = Child("contract", new Linear(4 * dimension, dimension, random));
    }

    /// <summary>The norm before attention.</summary>
    public LayerNorm AttentionNorm { get; }

    /// <summary>The attention.</summary>
    public MultiHeadAttention Attention { get; }

    /// <summary>The norm before the MLP.</summary>
    public LayerNorm MlpNorm { get; }

    /// <summary>The MLP's first product, D → 4D.</summary>
    public Linear Expand { get; }

    /// <summary>The MLP's second product, 4D → D.</summary>
    public Linear Contract { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, keyLengths: null);

    /// <summary>The block over x [B, T, D], sequence b attending to its first <paramref name="keyLengths"/>[b] positions (null: all).</summary>
    public Tensor Forward(Tensor x, int[]? keyLengths) =>
        Mlp(Ops.Add(x, Drop(Attention.Forward(AttentionNorm.Forward(x), keyLengths))));

    /// <summary>The block over new positions x [B, Tnew, D], attending over those in layer <paramref name="layer"/> of <paramref name="cache"/> too.</summary>
    public Tensor Forward(Tensor x, KeyValueCache cache, int layer) =>
        Mlp(Ops.Add(x, Drop(Attention.Forward(AttentionNorm.Forward(x), cache, layer))));

    private Tensor Mlp(Tensor x) => Ops.Add(x, Drop(Contract.Forward(Ops.Gelu(Expand.Forward(MlpNorm.Forward(x))))));

    private Tensor Drop(Tensor x) => _dropout.Forward(x);
}
