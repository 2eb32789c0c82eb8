using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// BERT's masked-LM head: Linear(D → D), GELU and a layer norm, then the token table (tied with the input
/// embedding) as the decoder, plus an output bias of one score per token.
/// </summary>
public sealed class MaskedLanguageHead : Module
{
    /// <summary>A head for <paramref name="tokens"/> tokens of width <paramref name="dimension"/>, initialized as BERT's (N(0, 0.02), biases 0).</summary>
    public MaskedLanguageHead(int dimension, int tokens, Random random)
    {
        Transform = Child("dense", new Linear(dimension, dimension, random));
        TransformNorm = Child("ln", new LayerNorm(dimension));
        OutputBias = Parameter("bias", Tensor.Zeros(tokens));
        TransformerStack.InitializeLinear(Transform, 0.02f, random);
    }

    /// <summary>Linear(D → D) before the GELU.</summary>
    public Linear Transform { get; }

    /// <summary>The norm after the GELU.</summary>
    public LayerNorm TransformNorm { get; }

    /// <summary>One score offset per token [tokens].</summary>
    public Tensor OutputBias { get; }

    /// <summary>Scores [..., tokens] of hidden states [..., D] against <paramref name="tokenTable"/> [tokens, D].</summary>
    public Tensor Forward(Tensor hidden, Tensor tokenTable) =>
        Ops.Linear(TransformNorm.Forward(Ops.Gelu(Transform.Forward(hidden))), tokenTable, OutputBias);

    /// <summary>The head needs the token table: call <see cref="Forward(Tensor, Tensor)"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("The masked-LM head needs the token table: call Forward(hidden, tokenTable).");
}
