using System.Globalization;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// The body both language models share: token plus learned position embeddings, pre-layer-norm transformer
/// blocks and a final layer norm, with GPT-2's parameter names (wte, wpe, h.i, ln_f) and initialization.
/// </summary>
public sealed class TransformerStack : Module
{
    /// <summary>GPT-2's standard deviation for every weight matrix and both embeddings.</summary>
    private const float InitialDeviation = 0.02f;

    private readonly Dropout? _dropout;
    private readonly TransformerBlock[] _blocks;
    private int[] _positions = [];

    /// <summary>A stack of <paramref name="config"/>'s shape, initialized from <paramref name="random"/>.</summary>
    public TransformerStack(ContextualConfig config, Random random)
    {
        config.Validate();
        Dimension = config.Dimension;
        Context = config.Context;
        bool causal = config.Kind == ContextualModelKind.Gpt;
        TokenEmbedding = Child("wte", new Embedding(config.TableRows, config.Dimension, random));
        PositionEmbedding = Child("wpe", new Embedding(config.Context, config.Dimension, random));
        if (config.Dropout > 0) _dropout = Child("drop", new Dropout(config.Dropout, (uint)random.Next()));
        _blocks = new TransformerBlock[config.Layers];
        for (int i = 0; i < _blocks.Length; i++)
            _blocks[i] = Child("h." + i.ToString(CultureInfo.InvariantCulture), new TransformerBlock(config.Dimension, config.Heads, causal, config.Dropout, random));
        FinalNorm = Child("ln_f", new LayerNorm(config.Dimension));
        Initialize(random);
    }

    /// <summary>The token table [tokens, D], also the GPT-like model's output layer.</summary>
    public Embedding TokenEmbedding { get; }

    /// <summary>The position table [context, D].</summary>
    public Embedding PositionEmbedding { get; }

    /// <summary>The blocks, first to last.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _blocks;

    /// <summary>The layer norm after the last block.</summary>
    public LayerNorm FinalNorm { get; }

    /// <summary>Width of the hidden states.</summary>
    public int Dimension { get; }

    /// <summary>The longest sequence.</summary>
    public int Context { get; }

    /// <summary>
    /// The last block's output [batch, length, D] (before the final norm) for <paramref name="tokens"/>, batch·length ids
    /// row by row, at positions 0 … length − 1. <paramref name="hiddenStates"/>, when given, receives the embeddings and
    /// every block's output (graph tensors, valid until the graph is released).
    /// </summary>
    public Tensor Forward(int[] tokens, int batch, int length, int[]? keyLengths = null, List<Tensor>? hiddenStates = null)
    {
        Tensor x = Embed(tokens, batch, length, 0);
        hiddenStates?.Add(x);
        for (int i = 0; i < _blocks.Length; i++)
        {
            x = _blocks[i].Forward(x, keyLengths);
            hiddenStates?.Add(x);
        }
        return x;
    }

    /// <summary>
    /// The last block's output for <paramref name="tokens"/> (batch·length ids) at the positions after those
    /// <paramref name="cache"/> holds, which it then holds too.
    /// </summary>
    public Tensor Forward(int[] tokens, int batch, int length, KeyValueCache cache)
    {
        if (cache.Length + length > Context)
            throw new ArgumentException($"{cache.Length} cached and {length} new positions exceed the model's context of {Context}.");
        Tensor x = Embed(tokens, batch, length, cache.Length);
        for (int i = 0; i < _blocks.Length; i++) x = _blocks[i].Forward(x, cache, i);
        cache.Advance(length);
        return x;
    }

    /// <summary>Not a sequence model's entry point: call <see cref="Forward(int[], int, int, int[], List{Tensor})"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("A transformer stack takes token ids: call Forward(tokens, batch, length).");

    /// <summary>Token plus position embeddings [batch, length, D], the first position being <paramref name="start"/>.</summary>
    private Tensor Embed(int[] tokens, int batch, int length, int start)
    {
        if (tokens.Length != batch * length) throw new ArgumentException($"{tokens.Length} token ids for {batch} sequences of {length}.");
        if (length < 1 || start + length > Context) throw new ArgumentException($"A sequence of {length} tokens does not fit the model's context of {Context}.");
        int[] positions = Positions(batch, length, start);
        Tensor x = Ops.Add(TokenEmbedding.Forward(tokens), PositionEmbedding.Forward(positions)).Reshape(batch, length, Dimension);
        return _dropout != null ? _dropout.Forward(x) : x;
    }

    /// <summary>
    /// start … start + length − 1 for each sequence, in an array kept between calls (the embedding's backward pass
    /// reads it), so a training step of a steady shape allocates nothing.
    /// </summary>
    private int[] Positions(int batch, int length, int start)
    {
        if (_positions.Length != batch * length) _positions = new int[batch * length];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++) _positions[b * length + t] = start + t;
        return _positions;
    }

    /// <summary>
    /// GPT-2's initialization: weight matrices and embeddings N(0, 0.02), the two projections back into the residual
    /// stream N(0, 0.02/√(2·layers)) so the stream's variance does not grow with depth; biases 0, norms 1 and 0.
    /// </summary>
    private void Initialize(Random random)
    {
        float residual = InitialDeviation / MathF.Sqrt(2f * _blocks.Length);
        Initialization.FillNormal(TokenEmbedding.Table, InitialDeviation, random);
        Initialization.FillNormal(PositionEmbedding.Table, InitialDeviation, random);
        foreach (TransformerBlock block in _blocks)
        {
            InitializeLinear(block.Attention.QueryKeyValue, InitialDeviation, random);
            InitializeLinear(block.Attention.Projection, residual, random);
            InitializeLinear(block.Expand, InitialDeviation, random);
            InitializeLinear(block.Contract, residual, random);
            ResetNorm(block.AttentionNorm);
            ResetNorm(block.MlpNorm);
        }
        ResetNorm(FinalNorm);
    }

    /// <summary>A linear layer's weight N(0, <paramref name="deviation"/>) and its bias 0.</summary>
    internal static void InitializeLinear(Linear linear, float deviation, Random random)
    {
        Initialization.FillNormal(linear.Weight, deviation, random);
        linear.Bias?.AsSpan().Clear();
    }

    /// <summary>γ 1, β 0.</summary>
    internal static void ResetNorm(LayerNorm norm)
    {
        norm.Gamma.AsSpan().Fill(1f);
        norm.Beta.AsSpan().Clear();
    }
}
