using EmbedEngine.Models.FastText;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// Which sentence encoder to load: exactly one of word vectors, a model folder or a Doc2Vec model, with the pooling
/// and layers that fit it (null: the model's default).
/// </summary>
internal sealed record EncoderChoice(string? Vectors, string? Model, string? Doc2Vec, string? Pooling = null, string? Layer = null,
    string? Corpus = null, string? TfIdf = null, double SifSmoothing = SifEncoder.DefaultSmoothing, string? InferRandom = null);

/// <summary>A loaded sentence encoder with what it was loaded from; disposing it releases all of that.</summary>
/// <param name="Encoder">The encoder.</param>
/// <param name="Words">The word vectors behind a word-vector encoder (for nearest-word queries); null for models.</param>
/// <param name="Owned">What was loaded for it, disposed with it.</param>
internal sealed class OpenedEncoder(ISentenceEncoder encoder, KeyedVectors? words, params IDisposable?[] owned) : IDisposable
{
    public ISentenceEncoder Encoder { get; } = encoder;

    public KeyedVectors? Words { get; } = words;

    /// <summary>A fastText model behind the word vectors, which gives words outside them a vector from their n-grams.</summary>
    public FastTextModel? Subwords { get; init; }

    public void Dispose()
    {
        foreach (IDisposable? item in owned) item?.Dispose();
    }
}
