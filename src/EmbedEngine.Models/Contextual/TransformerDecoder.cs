using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// Decodes with a GPT-like model's key/value cache: the prompt is encoded in one pass, then each token costs one
/// position against the cached keys and values. Past the context the window slides as nanoGPT's sample.py crops:
/// each further token re-encodes the last context tokens (positions are learned, so cached keys cannot shift),
/// which costs a full window per token.
/// </summary>
internal sealed class TransformerDecoder : ITokenDecoder
{
    private readonly TransformerLanguageModel _model;
    private readonly KeyValueCache _cache;
    private readonly List<int> _history = [];
    private readonly float[] _logits;
    private readonly int[] _one = new int[1];
    private readonly int[] _window;

    public TransformerDecoder(TransformerLanguageModel model)
    {
        if (!model.Config.IsCausal) throw new ArgumentException("Only a causal model generates text; this one is BERT-like.");
        _model = model;
        ContextualConfig config = model.Config;
        _cache = new KeyValueCache(config.Layers, 1, config.Context, config.Dimension);
        _logits = new float[config.TableRows];
        _window = new int[config.Context];
        model.Eval();
    }

    public ReadOnlySpan<float> Start(ReadOnlySpan<int> prompt)
    {
        if (prompt.IsEmpty) throw new ArgumentException("The prompt is empty: generation needs at least one token to start from.");
        if (prompt.Length > _model.Config.Context)
            throw new ArgumentException($"The prompt is {prompt.Length} tokens; the model's context is {_model.Config.Context}.");
        _history.Clear();
        _history.AddRange(prompt);
        _cache.Clear();
        return Run(prompt.ToArray());
    }

    public ReadOnlySpan<float> Append(int token)
    {
        if (_history.Count == 0) throw new InvalidOperationException("Call Start with a prompt first.");
        _history.Add(token);
        if (_cache.Length < _cache.Capacity)
        {
            _one[0] = token;
            return Run(_one);
        }
        _cache.Clear();
        for (int i = 0; i < _window.Length; i++) _window[i] = _history[_history.Count - _window.Length + i];
        return Run(_window);
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>Runs <paramref name="tokens"/> after the cached positions; keeps the last position's scores.</summary>
    private float[] Run(int[] tokens)
    {
        try
        {
            using (Graph.NoGrad())
            {
                Tensor hidden = _model.Stack.Forward(tokens, 1, tokens.Length, _cache);
                Tensor last = hidden.Slice(1, tokens.Length - 1, 1);
                _model.Scores(_model.Stack.FinalNorm.Forward(last)).CopyTo(_logits);
            }
        }
        finally
        {
            Graph.Current.Release();
        }
        return _logits;
    }
}
