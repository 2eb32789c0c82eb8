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
        var tokenizer = CharacterTokenizer.FromText(text);
        var config = new ContextualConfig
        {
            Kind = kind,
            VocabularySize = tokenizer.VocabularySize,
            Layers = layers,
            Heads = heads,
            Dimension = dimension,
            Context = context,
            Dropout = dropout,
            Tokenizer = TokenizerDescription.Of(tokenizer),
        };
        return new TransformerLanguageModel(config, tokenizer, seed);
    }

    /// <summary>A tiny model of any kind: <see cref="Create"/>'s transformer, or <see cref="CreateLstm"/>'s LSTM (which has no heads).</summary>
    public static LanguageModel Any(ContextualModelKind kind, string text, int layers, int dimension = 16, int heads = 2, float dropout = 0f) =>
        kind == ContextualModelKind.Lstm
            ? CreateLstm(text, layers, dimension, dropout: dropout)
            : Create(kind, text, layers, dimension, heads, dropout: dropout);

    /// <summary>A tiny LSTM language model over <paramref name="text"/>'s characters.</summary>
    public static LstmLanguageModel CreateLstm(string text, int layers = 2, int dimension = 16, int context = 16, float dropout = 0f, int seed = 3)
    {
        var tokenizer = CharacterTokenizer.FromText(text);
        var config = new ContextualConfig
        {
            Kind = ContextualModelKind.Lstm,
            VocabularySize = tokenizer.VocabularySize,
            Layers = layers,
            Dimension = dimension,
            Context = context,
            Dropout = dropout,
            Tokenizer = TokenizerDescription.Of(tokenizer),
        };
        return new LstmLanguageModel(config, tokenizer, seed);
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
