using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// Samples text from a causal language model through its <see cref="ITokenDecoder"/>: a GPT-like model's key/value
/// cache or an LSTM's carried states, so each new token costs one position.
/// </summary>
public sealed class TextGenerator : IDisposable
{
    private readonly LanguageModel _model;
    private readonly ITokenDecoder _decoder;
    private readonly List<int> _history = [];
    private readonly float[] _heap;
    private readonly double[] _weights;

    /// <summary>A generator over <paramref name="model"/> (which must be causal), set to evaluation mode.</summary>
    /// <exception cref="ArgumentException">The model is BERT-like.</exception>
    public TextGenerator(LanguageModel model)
    {
        _model = model;
        _decoder = model.CreateDecoder();
        _heap = new float[model.Config.TableRows];
        _weights = new double[model.Config.TableRows];
    }

    /// <summary>Every token so far, prompt included.</summary>
    public IReadOnlyList<int> Tokens => _history;

    /// <summary>Starts over from <paramref name="prompt"/>; returns the scores of the token after it.</summary>
    /// <exception cref="ArgumentException">The prompt is empty or longer than the model reads at once.</exception>
    public ReadOnlySpan<float> Start(ReadOnlySpan<int> prompt)
    {
        ReadOnlySpan<float> scores = _decoder.Start(prompt);
        _history.Clear();
        _history.AddRange(prompt);
        return scores;
    }

    /// <summary>Appends <paramref name="token"/>; returns the scores of the token after it.</summary>
    public ReadOnlySpan<float> Append(int token)
    {
        if ((uint)token >= (uint)_model.Config.VocabularySize) throw new ArgumentOutOfRangeException(nameof(token), $"Token {token} is not in the vocabulary of {_model.Config.VocabularySize}.");
        if (_history.Count == 0) throw new InvalidOperationException("Call Start with a prompt first.");
        _history.Add(token);
        return _decoder.Append(token);
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

    /// <summary>Frees the decoder's cache or states.</summary>
    public void Dispose() => _decoder.Dispose();

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
