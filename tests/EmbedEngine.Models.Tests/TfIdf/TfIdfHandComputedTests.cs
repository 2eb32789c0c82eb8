using EmbedEngine.Models.Count;

namespace EmbedEngine.Models.Tests.TfIdf;

/// <summary>
/// Three documents worked by hand: "cat dog", "cat cat fish", "dog". n = 3; df: cat 2, dog 2, fish 1;
/// vocabulary cat 0, dog 1, fish 2. Weights are stored as float32, so they are held to 1e-6, a few float steps at
/// these magnitudes (all below 3); idf stays double and is held to 1e-12.
/// </summary>
public sealed class TfIdfHandComputedTests
{
    private static readonly string[] Corpus = ["cat dog", "cat cat fish", "dog"];

    /// <summary>ln(4/3) + 1 and ln(4/2) + 1.</summary>
    private const double SmoothIdfCat = 1.2876820724517808, SmoothIdfFish = 1.6931471805599454;

    /// <summary>ln(3/2) + 1 and ln(3/1) + 1.</summary>
    private const double PlainIdfCat = 1.4054651081081644, PlainIdfFish = 2.09861228866811;

    [Fact]
    public void Default_options_give_smooth_idf_and_unit_rows()
    {
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), new TfIdfOptions(), "hand");

        Assert.Equal(["cat", "dog", "fish"], fit.Model.Vocabulary);
        Assert.Equal([2L, 2L, 1L], fit.Model.DocumentFrequencies.ToArray());
        Assert.Equal(SmoothIdfCat, fit.Model.Idf[0], 1e-12);
        Assert.Equal(SmoothIdfCat, fit.Model.Idf[1], 1e-12);
        Assert.Equal(SmoothIdfFish, fit.Model.Idf[2], 1e-12);
        // "cat dog": equal weights, so 1/√2 each.
        Assert.Equal(0.7071067811865475, fit.Documents.Get(0, 0), 1e-6);
        Assert.Equal(0.7071067811865475, fit.Documents.Get(0, 1), 1e-6);
        // "cat cat fish": (2 · 1.28768, 1.69315) / 3.06406.
        Assert.Equal(0.8355915419449176, fit.Documents.Get(1, 0), 1e-6);
        Assert.Equal(0.0, fit.Documents.Get(1, 1));
        Assert.Equal(0.5493512310263033, fit.Documents.Get(1, 2), 1e-6);
        Assert.Equal(1.0, fit.Documents.Get(2, 1), 1e-6);
        Assert.Equal(5, fit.Documents.NonZeros);
    }

    [Fact]
    public void Plain_idf_without_norm_gives_the_raw_products()
    {
        var options = new TfIdfOptions { Idf = IdfWeighting.Plain, L2Normalize = false };

        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), options, "hand");

        Assert.Equal(2 * PlainIdfCat, fit.Documents.Get(1, 0), 1e-6);
        Assert.Equal(PlainIdfFish, fit.Documents.Get(1, 2), 1e-6);
        Assert.Equal(PlainIdfCat, fit.Documents.Get(2, 1), 1e-6);
    }

    [Fact]
    public void Sublinear_tf_counts_two_occurrences_as_one_plus_ln_two()
    {
        var options = new TfIdfOptions { SublinearTf = true, Idf = IdfWeighting.None, L2Normalize = false };

        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), options, "hand");

        Assert.Equal(1 + Math.Log(2), fit.Documents.Get(1, 0), 1e-6);
        Assert.Equal(1.0, fit.Documents.Get(1, 2), 1e-6);
    }

    [Fact]
    public void Binary_tf_counts_a_repeated_term_once()
    {
        var options = new TfIdfOptions { BinaryTf = true, Idf = IdfWeighting.Plain, L2Normalize = false };

        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), options, "hand");

        Assert.Equal(PlainIdfCat, fit.Documents.Get(1, 0), 1e-6);
        Assert.Equal(PlainIdfFish, fit.Documents.Get(1, 2), 1e-6);
    }

    [Fact]
    public void Search_ranks_by_cosine_and_leaves_out_documents_without_a_shared_term()
    {
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), new TfIdfOptions(), "hand");
        var index = new TfIdfSearchIndex(fit.Documents);

        IReadOnlyList<SearchHit> hits = index.Search(fit.Model.Transform(["cat", "fish"]), top: 10);

        // The query is (1.28768, 0, 1.69315) normalized; its dot products with rows 1 and 0 by hand.
        Assert.Equal([1, 0], hits.Select(h => h.Document));
        Assert.Equal(0.9430859966614262, hits[0].Score, 1e-6);
        Assert.Equal(0.4280460350631185, hits[1].Score, 1e-6);
    }

    [Fact]
    public void Search_is_cosine_even_when_rows_are_not_normalized()
    {
        var options = new TfIdfOptions { L2Normalize = false };
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), options, "hand");
        var index = new TfIdfSearchIndex(fit.Documents);

        IReadOnlyList<SearchHit> hits = index.Search(fit.Model.Transform(["cat", "fish"]), top: 1);

        Assert.Equal(1, hits.Single().Document);
        Assert.Equal(0.9430859966614262, hits[0].Score, 1e-6);
    }

    [Fact]
    public void Search_breaks_ties_by_the_lower_row_and_stops_at_top()
    {
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(["dog", "cat", "dog", "dog"]), new TfIdfOptions(), "ties");
        var index = new TfIdfSearchIndex(fit.Documents);

        IReadOnlyList<SearchHit> hits = index.Search(fit.Model.Transform(["dog"]), top: 2);

        Assert.Equal([0, 2], hits.Select(h => h.Document));
        Assert.All(hits, h => Assert.Equal(1f, h.Score, 1e-6f));
    }
}
