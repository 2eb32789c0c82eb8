using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Models.Tests.Multimodal;

namespace EmbedEngine.Models.Tests.Sentence;

public sealed class ClipSentenceEncoderTests
{
    [Fact]
    public void A_sentence_is_its_text_embedding_and_one_without_a_caption_word_is_zero()
    {
        using ClipModel clip = TinyClip.Model();
        var encoder = new ClipSentenceEncoder(clip);
        Assert.Equal(clip.EmbeddingDimension, encoder.Dimension);
        string[] sentences = ["a zero", "nothing known here", "One, then a ZERO!"];
        float[] vectors = new float[sentences.Length * encoder.Dimension];
        encoder.EncodeBatch(sentences, vectors);

        float[] zero = clip.EmbedTexts(["a zero"]), mixed = clip.EmbedTexts(["One, then a ZERO!"]);
        int d = encoder.Dimension;
        Assert.Equal(zero, vectors[..d]);
        Assert.All(vectors[d..(2 * d)], value => Assert.Equal(0f, value));
        Assert.Equal(mixed, vectors[(2 * d)..]);
        Assert.NotEqual(zero, mixed);
        float[] one = new float[d];
        encoder.Encode("One, then a ZERO!", one);
        Assert.Equal(mixed, one);
    }
}
