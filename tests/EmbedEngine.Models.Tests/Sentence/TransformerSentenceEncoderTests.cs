using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Models.Tests.Contextual;
using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Tests.Sentence;

public sealed class TransformerSentenceEncoderTests
{
    private static float[] Rows(TransformerLanguageModel model, string text, LayerSelection layers)
    {
        using Tensor states = model.TokenVectors(text, layers);
        return states.ToArray();
    }

    [Fact]
    public void Mean_pooling_averages_every_token_and_cls_pooling_takes_the_first()
    {
        string text = TinyModels.Repeated(2);
        using TransformerLanguageModel bert = TinyModels.Create(ContextualModelKind.Bert, text, layers: 2);
        float[] rows = Rows(bert, "the lazy", LayerSelection.Of(2));
        int d = bert.Config.Dimension, tokens = rows.Length / d;
        Assert.Equal(9, tokens); // [CLS] and 8 characters
        float[] mean = new float[d], vector = new float[d];
        for (int t = 0; t < tokens; t++)
            for (int c = 0; c < d; c++) mean[c] += rows[t * d + c] / tokens;
        new TransformerSentenceEncoder(bert, LayerSelection.Of(2)).Encode("the lazy", vector);
        Assert.Equal(mean, vector, (a, b) => Math.Abs(a - b) < 1e-5f);
        new TransformerSentenceEncoder(bert, LayerSelection.Of(2), TransformerPooling.Cls).Encode("the lazy", vector);
        Assert.Equal(rows[..d], vector);
    }

    [Fact]
    public void A_sentence_longer_than_the_context_is_cut_and_an_empty_one_is_zero()
    {
        string text = TinyModels.Repeated(2);
        using TransformerLanguageModel gpt = TinyModels.Create(ContextualModelKind.Gpt, text, context: 8);
        var encoder = new TransformerSentenceEncoder(gpt, LayerSelection.Final);
        float[] whole = new float[16], cut = new float[16];
        encoder.Encode("the quick brown fox", whole);
        encoder.Encode("the quic", cut);
        Assert.Equal(cut, whole);
        encoder.Encode("", whole);
        Assert.All(whole, v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => new TransformerSentenceEncoder(gpt, LayerSelection.Final, TransformerPooling.Cls));
    }

    [Theory]
    [InlineData(ContextualModelKind.Bert, TransformerPooling.Mean)]
    [InlineData(ContextualModelKind.Bert, TransformerPooling.Cls)]
    [InlineData(ContextualModelKind.Gpt, TransformerPooling.Mean)]
    public void Batches_sorted_by_length_give_each_sentence_its_own_vector(ContextualModelKind kind, TransformerPooling pooling)
    {
        string text = TinyModels.Repeated(2);
        using TransformerLanguageModel model = TinyModels.Create(kind, text, layers: 2, context: 12);
        var encoder = new TransformerSentenceEncoder(model, LayerSelection.MeanOfLast(2), pooling) { BatchSize = 3 };
        string[] sentences = ["the lazy dog", "", "fox", "the quick brown fox jumps over", "lazy", "the dog", "over the lazy dog", "q"];
        int d = encoder.Dimension;
        var batched = new float[sentences.Length * d];
        ((ISentenceEncoder)encoder).EncodeBatch(sentences, batched);
        var alone = new float[d];
        for (int i = 0; i < sentences.Length; i++)
        {
            encoder.Encode(sentences[i], alone);
            float[] row = batched[(i * d)..((i + 1) * d)];
            Assert.Equal(alone, row, (a, b) => Math.Abs(a - b) <= 1e-5f * (1 + Math.Abs(a)));
            Assert.Equal(sentences[i].Length == 0, row.All(v => v == 0f));
        }
    }
}
