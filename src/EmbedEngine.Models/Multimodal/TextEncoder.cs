using System.Globalization;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// CLIP's text transformer at small scale: word and position embeddings, causal pre-layer-norm blocks and a final
/// layer norm; a caption is the output at its end-of-text token (which has seen every word before it), projected
/// into the shared space. PyTorch's default initialization (linear layers uniform in ±1/√inputs, embeddings in ±1/√width, norms 1 and 0): over a few thousand steps the vision transformer learned far faster from it than from GPT-2's N(0, 0.02).
/// </summary>
public sealed class TextEncoder : Module
{
    private readonly ClipConfig _config;
    private readonly TransformerBlock[] _blocks;

    /// <summary>An encoder of <paramref name="config"/>'s shape, initialized from <paramref name="random"/>.</summary>
    public TextEncoder(ClipConfig config, Random random)
    {
        _config = config;
        int width = config.TextDimension;
        TokenEmbedding = Child("token_embedding", new Embedding(config.VocabularySize, width, random));
        Positions = Child("positions", new Embedding(config.TextContext, width, random));
        _blocks = new TransformerBlock[config.TextLayers];
        for (int i = 0; i < _blocks.Length; i++)
            _blocks[i] = Child("h." + i.ToString(CultureInfo.InvariantCulture), new TransformerBlock(width, config.Heads, causal: true, dropout: 0f, random));
        FinalNorm = Child("ln_final", new LayerNorm(width));
        Projection = Child("projection", new Linear(width, config.EmbeddingDimension, random, bias: false));
    }

    /// <summary>One vector per caption word id.</summary>
    public Embedding TokenEmbedding { get; }

    /// <summary>One vector per position.</summary>
    public Embedding Positions { get; }

    /// <summary>The layer norm after the last block.</summary>
    public LayerNorm FinalNorm { get; }

    /// <summary>The end-of-text output into the shared space.</summary>
    public Linear Projection { get; }

    /// <summary>The embeddings [batch, E] (not normalized) of the captions in <paramref name="text"/>.</summary>
    public Tensor Forward(TextBatch text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int width = _config.TextDimension;
        if (text.Length > _config.TextContext) throw new ArgumentException($"Captions of {text.Length} tokens exceed the text context of {_config.TextContext}.");
        Tensor x = Ops.Add(TokenEmbedding.Forward(text.Tokens), Positions.Forward(text.Positions)).Reshape(text.Batch, text.Length, width);
        foreach (TransformerBlock block in _blocks) x = block.Forward(x);
        Tensor ends = Ops.Embedding(x.Reshape(text.Batch * text.Length, width), text.EndRows);
        return Projection.Forward(FinalNorm.Forward(ends));
    }

    /// <summary>Not a text encoder's entry point: call <see cref="Forward(TextBatch)"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("A text encoder takes token ids: call Forward(TextBatch).");
}
