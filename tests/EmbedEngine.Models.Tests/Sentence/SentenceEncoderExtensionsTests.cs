using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests.Sentence;

public sealed class SentenceEncoderExtensionsTests : IDisposable
{
    private readonly KeyedVectors _vectors = KeyedVectors.FromRows([("war", [1f, 0f]), ("peace", [0f, 1f]), ("army", [1f, 1f])]);

    public void Dispose() => _vectors.Dispose();

    [Fact]
    public void Encode_gives_one_mean_vector_per_sentence_in_order()
    {
        var encoder = new MeanPoolingEncoder(_vectors);
        float[][] vectors = encoder.Encode(["War and peace", "army", "nothing known"]);
        Assert.Equal([[0.5f, 0.5f], [1f, 1f], [0f, 0f]], vectors);
    }

    [Fact]
    public void Encode_of_no_sentences_is_empty()
    {
        Assert.Empty(new MeanPoolingEncoder(_vectors).Encode([]));
    }

    [Fact]
    public void Similarity_is_the_cosine_of_the_sentence_vectors()
    {
        var encoder = new MeanPoolingEncoder(_vectors);
        Assert.Equal(0f, encoder.Similarity("war", "peace"));
        Assert.Equal(1f, encoder.Similarity("war war", "war"), 6);
        Assert.Equal(1 / MathF.Sqrt(1.25f), encoder.Similarity("war", "war army"), 6); // mean (1, 0.5) against (1, 0)
        Assert.Equal(0f, encoder.Similarity("unknown words", "war")); // no known word: the zero vector
    }
}
