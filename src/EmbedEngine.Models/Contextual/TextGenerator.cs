using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// Samples text from a GPT-like model with a key/value cache: the prompt is encoded in one pass, then each token
/// costs one position against the cached keys and values. Past the context the window slides as nanoGPT's
/// sample.py crops: each further token re-encodes the last context tokens (positions are learned, so cached keys
/// cannot shift), which costs a full window per token.
/// </summary>
public sealed class TextGenerator : IDisposable
{
    private readonly ContextualModel _model;
    private readonly KeyValueCache _cache;
    private readonly List<int> _history = [];
    private readonly float[] _logits;
    private readonly float[] _heap;
    private readonly double[] _weights;
    private readonly int[] _one = new int[1];
    private readonly int[] _window;

    /// <summary>A generator over <paramref name="model"/> (which must be GPT-like), set to evaluation mode.</summary>
    public TextGenerator(ContextualModel model)
    {
        if (model.Config.Kind != ContextualModelKind.Gpt) throw new ArgumentException("Only a GPT-like model generates text; this one is BERT-like.");
        _model = model;
        ContextualConfig config = model.Config;
        _cache = new KeyValueCache(config.Layers, 1, config.Context, config.Dimension);
        _logits = new float[config.TableRows];
        _heap = new float[config.TableRows];
        _weights = new double[config.TableRows];
        _window = new int[config.Context];
        model.Eval();
    }

    /// <summary>Every token so far, prompt included.</summary>
    public IReadOnlyList<int> Tokens => _history;

    /// <summary>Starts over from <paramref name="prompt"/>; returns the scores of the token after it.</summary>
    /// <exception cref="ArgumentException">The prompt is empty or longer than the context.</exception>
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

    /// <summary>Appends <paramref name="token"/>; returns the scores of the token after it.</summary>
    public ReadOnlySpan<float> Append(int token)
    {
        if ((uint)token >= (uint)_model.Config.VocabularySize) throw new ArgumentOutOfRangeException(nameof(token), $"Token {token} is not in the vocabulary of {_model.Config.VocabularySize}.");
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

    /// <summary>
    /// Draws a token from <paramref name="logits"/>: the highest at temperature 0, else from the softmax of the
    /// scores / temperature over the top-k (ties with the k-th included).
    /// </summary>
    public int Sample(ReadOnlySpan<float> logits, GenerationOptions options, ref FastRandom random)
    {
        int vocabulary = _model.Config.VocabularySize;
        ReadOnlySpan<float> scores = logits[..vocabulary];
        if (options.Temperature == 0f) return ArgMax(scores);
        float threshold = float.NegativeInfinity;
        if (options.TopK > 0 && options.TopK < vocabulary) threshold = KthLargest(scores, options.TopK);
        float max = scores[ArgMax(scores)];
        double sum = 0;
        for (int i = 0; i < vocabulary; i++)
            sum += _weights[i] = scores[i] >= threshold ? Math.Exp((scores[i] - max) / (double)options.Temperature) : 0;
        double draw = (random.NextULong() >> 11) * (1.0 / (1UL << 53)) * sum;
        for (int i = 0; i < vocabulary; i++)
        {
            draw -= _weights[i];
            if (draw < 0) return i;
        }
        return ArgMax(scores);
    }

    /// <summary>The prompt followed by <see cref="GenerationOptions.Tokens"/> sampled tokens, as text; <paramref name="onText"/> gets each token's text as it comes.</summary>
    /// <exception cref="ArgumentException">The prompt is empty, longer than the context, or outside the vocabulary.</exception>
    public string Generate(string prompt, GenerationOptions options, Action<string>? onText = null)
    {
        options.Validate();
        var ids = new List<int>();
        _model.Tokenizer.Encode(prompt, ids);
        var random = new FastRandom(options.Seed);
        ReadOnlySpan<float> logits = Start(ids.ToArray());
        for (int i = 0; i < options.Tokens; i++)
        {
            int token = Sample(logits, options, ref random);
            onText?.Invoke(_model.Tokenizer.Decode([token]));
            logits = Append(token);
        }
        return _model.Tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_history));
    }

    /// <summary>Frees the cache.</summary>
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

    /// <summary>
    /// The <paramref name="k"/>-th largest of <paramref name="scores"/>, from a min-heap of the k largest seen so far:
    /// O(n log k) per token instead of sorting the whole vocabulary.
    /// </summary>
    private float KthLargest(ReadOnlySpan<float> scores, int k)
    {
        Span<float> heap = _heap.AsSpan(0, k);
        scores[..k].CopyTo(heap);
        for (int i = k / 2 - 1; i >= 0; i--) SiftDown(heap, i);
        foreach (float score in scores[k..])
            if (score > heap[0])
            {
                heap[0] = score;
                SiftDown(heap, 0);
            }
        return heap[0];
    }

    /// <summary>Moves heap[<paramref name="i"/>] down until neither child is smaller.</summary>
    private static void SiftDown(Span<float> heap, int i)
    {
        while (true)
        {
            int smallest = i, left = 2 * i + 1, right = left + 1;
            if (left < heap.Length && heap[left] < heap[smallest]) smallest = left;
            if (right < heap.Length && heap[right] < heap[smallest]) smallest = right;
            if (smallest == i) return;
            (heap[i], heap[smallest]) = (heap[smallest], heap[i]);
            i = smallest;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best]) best = i;
        return best;
    }
}
