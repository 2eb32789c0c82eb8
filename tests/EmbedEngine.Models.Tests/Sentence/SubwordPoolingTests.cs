using EmbedEngine.Models.Count;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Models.Tests.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests.Sentence;

/// <summary>
/// Mean, SIF and TF-IDF pooling over a fastText model: a word outside its vocabulary takes the vector of its
/// character n-grams, as fastText's getWordVector gives it, where plain word vectors would leave it out.
/// </summary>
public sealed class SubwordPoolingTests : IDisposable
{
    private const string Unseen = "zebrafishes";
    private readonly FastTextModel _model = FastTextBinaryFile.Load(FastTextFixture.ModelPath);
    private readonly KeyedVectors _vectors;

    public SubwordPoolingTests() => _vectors = _model.ToKeyedVectors();

    public void Dispose()
    {
        _vectors.Dispose();
        _model.Dispose();
    }

    private string Known => _vectors.Words[3];

    private static float[] Encode(ISentenceEncoder encoder, string sentence)
    {
        var vector = new float[encoder.Dimension];
        encoder.Encode(sentence, vector);
        return vector;
    }

    private static void AssertClose(float[] expected, float[] actual) =>
        Assert.Equal(expected, actual, (a, b) => Math.Abs(a - b) <= 1e-6f * (1 + Math.Abs(a)));

    [Fact]
    public void Mean_pooling_takes_an_unseen_words_n_grams_and_plain_vectors_leave_it_out()
    {
        Assert.True(_vectors.IndexOf(Unseen) < 0);
        float[] unseen = _model.WordVector(Unseen), known = _vectors.Vector(_vectors.IndexOf(Known)).ToArray();
        Assert.Contains(unseen, v => v != 0f);
        AssertClose(unseen, Encode(new MeanPoolingEncoder(_vectors, _model), Unseen));
        AssertClose([.. known.Zip(unseen, (a, b) => (a + b) / 2)], Encode(new MeanPoolingEncoder(_vectors, _model), Known + " " + Unseen));
        AssertClose(known, Encode(new MeanPoolingEncoder(_vectors), Known + " " + Unseen));
    }

    [Fact]
    public void Sif_weighs_an_unseen_word_one_and_removes_the_component_from_it()
    {
        string[] corpus = [.. Enumerable.Range(0, 20).Select(i => string.Join(' ', _vectors.Words.Skip(i * 5).Take(8)))];
        SifEncoder encoder = SifEncoder.Fit(_vectors, corpus, subwords: _model);
        float[] v = _model.WordVector(Unseen);
        float[] c = encoder.Component.ToArray();
        float projection = 0;
        for (int i = 0; i < v.Length; i++) projection += v[i] * c[i];
        AssertClose([.. v.Select((x, i) => x - projection * c[i])], Encode(encoder, Unseen));
        Assert.All(Encode(SifEncoder.Fit(_vectors, corpus), Unseen), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Tf_idf_pooling_weighs_an_unseen_words_n_gram_vector_by_its_tf_idf()
    {
        TfIdfModel tfidf = TfIdfModel.Fit([[Known, Unseen], [Known], [Unseen, Unseen]], new TfIdfOptions());
        var encoder = new TfIdfPoolingEncoder(_vectors, tfidf, _model);
        var weights = tfidf.Transform([Known, Unseen]);
        float[] values = weights.RowValues(0).ToArray();
        int[] features = weights.RowColumnIndices(0).ToArray();
        float Weight(string term) => values[Array.IndexOf(features, tfidf.Vocabulary!.ToList().IndexOf(term))];
        float wKnown = Weight(Known), wUnseen = Weight(Unseen);
        float[] known = _vectors.Vector(_vectors.IndexOf(Known)).ToArray(), unseen = _model.WordVector(Unseen);
        AssertClose([.. known.Zip(unseen, (a, b) => (wKnown * a + wUnseen * b) / (wKnown + wUnseen))], Encode(encoder, Known + " " + Unseen));
        AssertClose(known, Encode(new TfIdfPoolingEncoder(_vectors, tfidf), Known + " " + Unseen));
    }
}
