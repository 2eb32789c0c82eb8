using EmbedEngine.Models.Contextual;
using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Tests.Contextual;

public sealed class TokenVectorsTests
{
    [Fact]
    public void Layer_zero_is_token_plus_position_embedding_and_the_mean_of_the_last_one_is_the_last_block()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text, layers: 3);
        int[] tokens = TinyModels.Encode(model, "lazy dog");
        using Tensor embeddings = model.TokenVectors("lazy dog", LayerSelection.Of(0));
        Assert.Equal(new Shape(8, 16), embeddings.Shape);
        for (int t = 0; t < 8; t++)
            for (int c = 0; c < 16; c++)
                Assert.Equal(model.Stack.TokenEmbedding.Table[tokens[t], c] + model.Stack.PositionEmbedding.Table[t, c], embeddings[t, c]);

        using Tensor last = model.TokenVectors("lazy dog", LayerSelection.Of(3));
        using Tensor meanOfOne = model.TokenVectors("lazy dog", LayerSelection.MeanOfLast(1));
        Assert.Equal(last.ToArray(), meanOfOne.ToArray());

        using Tensor second = model.TokenVectors("lazy dog", LayerSelection.Of(2));
        using Tensor meanOfTwo = model.TokenVectors("lazy dog", LayerSelection.MeanOfLast(2));
        float[] a = second.ToArray(), b = last.ToArray(), average = meanOfTwo.ToArray();
        for (int i = 0; i < average.Length; i++) Assert.Equal((a[i] + b[i]) / 2, average[i], 1e-6f);
        Assert.NotEqual(a, b);

        using Tensor final = model.TokenVectors("lazy dog", LayerSelection.Final);
        float[] normed = final.ToArray(), hidden = last.ToArray();
        for (int t = 0; t < 8; t++)
        {
            // The final norm with γ 1 and β 0: (x − mean) / √(variance + 1e-5).
            double mean = hidden.Skip(t * 16).Take(16).Average();
            double variance = hidden.Skip(t * 16).Take(16).Select(v => (v - mean) * (v - mean)).Average();
            for (int c = 0; c < 16; c++) Assert.Equal((hidden[t * 16 + c] - mean) / Math.Sqrt(variance + 1e-5), normed[t * 16 + c], 1e-4);
        }
        Assert.True(model.IsTraining);
    }

    [Fact]
    public void Causal_vectors_of_a_prefix_do_not_depend_on_what_follows_but_bert_vectors_do()
    {
        using TransformerLanguageModel gpt = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text, layers: 2);
        using Tensor shortGpt = gpt.TokenVectors("the fox", LayerSelection.Final), longGpt = gpt.TokenVectors("the fox jumps", LayerSelection.Final);
        Assert.Equal(shortGpt.ToArray(), longGpt.ToArray()[..shortGpt.Count]);

        using TransformerLanguageModel bert = TinyModels.Create(ContextualModelKind.Bert, TinyModels.Text, layers: 2);
        using Tensor shortBert = bert.TokenVectors("the fox", LayerSelection.Final), longBert = bert.TokenVectors("the fox jumps", LayerSelection.Final);
        Assert.Equal(new Shape(8, 16), shortBert.Shape); // [CLS] then 7 characters
        Assert.Equal(1, bert.LeadingSpecialTokens);
        Assert.NotEqual(shortBert.ToArray(), longBert.ToArray()[..shortBert.Count]);
    }

    [Theory]
    [InlineData(ContextualModelKind.Gpt)]
    [InlineData(ContextualModelKind.Bert)]
    public void A_padded_batch_gives_each_text_its_own_vectors(ContextualModelKind kind)
    {
        using TransformerLanguageModel model = TinyModels.Create(kind, TinyModels.Text, layers: 2);
        string[] texts = ["the lazy dog", "fox", "quick brown"];
        IReadOnlyList<Tensor> batched = model.TokenVectors(texts, LayerSelection.MeanOfLast(2));
        try
        {
            Assert.Equal(3, batched.Count);
            for (int i = 0; i < texts.Length; i++)
            {
                using Tensor alone = model.TokenVectors(texts[i], LayerSelection.MeanOfLast(2));
                Assert.Equal(alone.Shape, batched[i].Shape);
                float[] expected = alone.ToArray(), actual = batched[i].ToArray();
                for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], actual[j], 1e-5f);
            }
        }
        finally
        {
            foreach (Tensor t in batched) t.Dispose();
        }
    }

    [Fact]
    public void Bad_selections_and_texts_are_refused()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text, layers: 2, context: 8);
        Assert.Contains("layers 0 (embeddings) to 2", Assert.Throws<ArgumentException>(() => model.TokenVectors("the", LayerSelection.Of(3))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.TokenVectors("the", LayerSelection.MeanOfLast(3)));
        Assert.Contains("context holds 8", Assert.Throws<ArgumentException>(() => model.TokenVectors("the quick", LayerSelection.Final)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.TokenVectors("", LayerSelection.Final));
    }
}
