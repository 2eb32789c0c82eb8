using EmbedEngine.Cli.Commands;
using EmbedEngine.Models.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Serving;

/// <summary>One model the service answers for: its name, its encoder behind a batcher, and its word vectors if it has them.</summary>
internal sealed class ServedModel : IAsyncDisposable
{
    private readonly OpenedEncoder _opened;

    public ServedModel(string name, OpenedEncoder opened, ServeLimits limits)
    {
        Name = name;
        _opened = opened;
        Batcher = new EncodeBatcher(opened.Encoder, limits);
    }

    /// <summary>The name requests give in "model".</summary>
    public string Name { get; }

    /// <summary>Floats per embedding.</summary>
    public int Dimension => _opened.Encoder.Dimension;

    /// <summary>Word vectors for nearest-word queries; null for models that only embed text.</summary>
    public KeyedVectors? Words => _opened.Words;

    /// <summary>The fastText model that builds vectors for words outside <see cref="Words"/>; null when there is none.</summary>
    public FastTextModel? Subwords => _opened.Subwords;

    /// <summary>Where the model's texts are batched and encoded.</summary>
    public EncodeBatcher Batcher { get; }

    /// <summary>Drains the batcher, then releases the model.</summary>
    public async ValueTask DisposeAsync()
    {
        await Batcher.DisposeAsync().ConfigureAwait(false);
        _opened.Dispose();
    }
}
