using BenchmarkDotNet.Attributes;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Perf.Kernels;
using EmbedEngine.Tensors;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Perf.Models;

/// <summary>
/// Generating 100 and 500 tokens, one at a time, from a GPT-like model of the shape trained on words in
/// docs/transformers.md (4 layers, 4 heads, dimension 128, context 512, 8000 BPE ids; random weights: the cost does
/// not depend on them), on one thread. With the key/value cache each token costs one position against the cached
/// keys, so the time per token barely grows with the length; the baseline re-encodes the whole prefix for every
/// token, as a generator without a cache must. Divide a mean by <see cref="Tokens"/> for the time per token.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public class GenerationBenchmarks : IDisposable
{
    private const int Vocabulary = 8000;

    private TransformerLanguageModel? _model;
    private TextGenerator? _generator;
    private int[] _tokens = [];

    /// <summary>Tokens generated per call (the prompt is the first).</summary>
    [Params(100, 500)]
    public int Tokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TensorSettings.Threads = 1;
        // Any tokenizer with the vocabulary's size will do: the benchmark feeds ids, never text.
        var tokenizer = CharacterTokenizer.FromSymbols(Enumerable.Range(0, Vocabulary).Select(i => char.ConvertFromUtf32(0x4E00 + i)));
        var config = new ContextualConfig
        {
            VocabularySize = Vocabulary, Layers = 4, Heads = 4, Dimension = 128, Context = 512,
            Tokenizer = TokenizerDescription.Characters(tokenizer.Symbols),
        };
        _model = new TransformerLanguageModel(config, tokenizer, seed: 1);
        _generator = new TextGenerator(_model);
        var random = new Random(2);
        _tokens = Enumerable.Range(0, Tokens).Select(_ => random.Next(Vocabulary)).ToArray();
    }

    [Benchmark(Baseline = true)]
    public void KeyValueCache()
    {
        TextGenerator generator = _generator!;
        generator.Start(_tokens.AsSpan(0, 1));
        for (int i = 1; i < _tokens.Length; i++) generator.Append(_tokens[i]);
    }

    [Benchmark]
    public void RecomputePrefix()
    {
        TextGenerator generator = _generator!;
        for (int length = 1; length <= _tokens.Length; length++) generator.Start(_tokens.AsSpan(0, length));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        _generator?.Dispose();
        _model?.Dispose();
    }
}
