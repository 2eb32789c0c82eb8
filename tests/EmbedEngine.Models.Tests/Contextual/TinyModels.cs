using EmbedEngine.Models.Contextual;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Models.Tests.Contextual;

/// <summary>Tiny language models and texts for fast tests.</summary>
internal static class TinyModels
{
    public const string Text = "the quick brown fox jumps over the lazy dog. ";

    public static string Repeated(int times) => string.Concat(Enumerable.Repeat(Text, times));

    public static TransformerLanguageModel Create(ContextualModelKind kind, string text, int layers = 1, int dimension = 16, int heads = 2,
        int context = 16, float dropout = 0f, int seed = 3)
    {
        (CharacterTokenizer tokenizer, ContextualConfig config) = Shape(kind, text, layers, dimension, context, dropout);
        return new TransformerLanguageModel(config with { Heads = heads }, tokenizer, seed);
    }

    /// <summary>A tiny model of any kind: <see cref="Create"/>'s transformer, or <see cref="CreateLstm"/>'s LSTM (which has no heads).</summary>
    public static LanguageModel Any(ContextualModelKind kind, string text, int layers, int dimension = 16, int heads = 2, float dropout = 0f) =>
        kind == ContextualModelKind.Lstm
            ? CreateLstm(text, layers, dimension, dropout: dropout)
            : Create(kind, text, layers, dimension, heads, dropout: dropout);

    /// <summary>A tiny LSTM language model over <paramref name="text"/>'s characters.</summary>
    public static LstmLanguageModel CreateLstm(string text, int layers = 2, int dimension = 16, int context = 16, float dropout = 0f, int seed = 3)
    {
        (CharacterTokenizer tokenizer, ContextualConfig config) = Shape(ContextualModelKind.Lstm, text, layers, dimension, context, dropout);
        return new LstmLanguageModel(config, tokenizer, seed);
    }

    /// <summary>A character tokenizer of <paramref name="text"/> and a configuration of that vocabulary (heads left at their default).</summary>
    private static (CharacterTokenizer, ContextualConfig) Shape(ContextualModelKind kind, string text, int layers, int dimension, int context, float dropout)
    {
        var tokenizer = CharacterTokenizer.FromText(text);
        return (tokenizer, new ContextualConfig
        {
            Kind = kind,
            VocabularySize = tokenizer.VocabularySize,
            Layers = layers,
            Dimension = dimension,
            Context = context,
            Dropout = dropout,
            Tokenizer = TokenizerDescription.Of(tokenizer),
        });
    }

    public static int[] Encode(LanguageModel model, string text)
    {
        var ids = new List<int>();
        model.Tokenizer.Encode(text, ids);
        return ids.ToArray();
    }

    public static ContextualTrainingOptions Options(int iterations) => new()
    {
        Iterations = iterations,
        BatchSize = 4,
        LearningRate = 1e-2f,
        MinLearningRate = 1e-3f,
        WarmupIterations = 5,
        EvalInterval = iterations,
        Threads = 1,
        Seed = 11,
    };
}
