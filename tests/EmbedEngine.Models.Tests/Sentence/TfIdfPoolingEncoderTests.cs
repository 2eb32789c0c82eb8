using EmbedEngine.Kernels;
using EmbedEngine.Models.Count;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests.Sentence;

public sealed class TfIdfPoolingEncoderTests
{
    [Fact]
    public void Words_weigh_by_their_tf_idf_in_the_sentence()
    {
        TfIdfModel tfidf = TfIdfModel.Fit([["the", "cat"], ["the", "dog"], ["the", "stock", "market"]], new TfIdfOptions());
        using KeyedVectors vectors = KeyedVectors.FromRows([("the", [1f, 0f]), ("cat", [0f, 1f]), ("market", [2f, 2f])]);
        var encoder = new TfIdfPoolingEncoder(vectors, tfidf);
        CsrMatrix weights = tfidf.Transform(["the", "cat", "cat", "dog"]);
        int[] features = weights.RowColumnIndices(0).ToArray();
        float[] values = weights.RowValues(0).ToArray();
        float Weight(string term) => values[Array.IndexOf(features, tfidf.Vocabulary!.ToList().IndexOf(term))];
        // "dog" has a TF-IDF weight but no vector, so it leaves the mean; "cat" counts twice in its weight.
        float the = Weight("the"), cat = Weight("cat");
        Assert.True(cat > the, "cat is rarer and twice in the sentence");
        float[] vector = new float[2];
        encoder.Encode("The cat, cat; dog.", vector);
        Assert.Equal(the / (the + cat), vector[0], 5);
        Assert.Equal(cat / (the + cat), vector[1], 5);
        encoder.Encode("zebra", vector);
        Assert.Equal([0f, 0f], vector);
        TfIdfModel bigrams = TfIdfModel.Fit([["the", "cat"]], new TfIdfOptions { MaxN = 2 });
        Assert.Throws<ArgumentException>(() => new TfIdfPoolingEncoder(vectors, bigrams));
    }
}
