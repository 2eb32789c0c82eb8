using EmbedEngine.Kernels;
using EmbedEngine.Models.Count;

namespace EmbedEngine.Models.Tests.TfIdf;

public sealed class TfIdfReferenceTests
{
    /// <summary>ASCII documents with repeats, capitals, punctuation, digits and one-letter words.</summary>
    private static readonly string[] Corpus =
    [
        "The cat sat on the mat.",
        "The dog sat on the log, and the dog barked.",
        "Cats and dogs: a cat chases a dog; the dog chases the cat!",
        "A bird sang on the roof of the barn at 6 am",
        "the barn cat and the barn owl hunt mice in the barn",
        "Stock prices fell 3% as the market dropped",
        "the market rallied and stock prices rose",
    ];

    public static TheoryData<string> Cases => [.. Options.Keys];

    private static readonly Dictionary<string, TfIdfOptions> Options = new()
    {
        ["word"] = new TfIdfOptions(),
        ["word 1-2"] = new TfIdfOptions { MinN = 1, MaxN = 2 },
        ["word 2-3, case kept"] = new TfIdfOptions { MinN = 2, MaxN = 3, Lowercase = false },
        ["char_wb 2-4"] = new TfIdfOptions { Analyzer = TfIdfAnalyzer.CharWordBounded, MinN = 2, MaxN = 4 },
        ["char 3-5"] = new TfIdfOptions { Analyzer = TfIdfAnalyzer.Char, MinN = 3, MaxN = 5 },
        ["char 1-2"] = new TfIdfOptions { Analyzer = TfIdfAnalyzer.Char, MinN = 1, MaxN = 2 },
        ["sublinear"] = new TfIdfOptions { SublinearTf = true, MaxN = 2 },
        ["no smooth"] = new TfIdfOptions { Idf = IdfWeighting.Plain },
        ["no idf, no norm"] = new TfIdfOptions { Idf = IdfWeighting.None, L2Normalize = false },
        ["no smooth, sublinear, no norm"] = new TfIdfOptions { Idf = IdfWeighting.Plain, SublinearTf = true, L2Normalize = false },
        ["min-df 2, max-df 0.5"] = new TfIdfOptions { MinDf = DocumentFrequencyBound.Documents(2), MaxDf = DocumentFrequencyBound.Fraction(0.5) },
        ["min-df 0.3, max-df 3"] = new TfIdfOptions { MinDf = DocumentFrequencyBound.Fraction(0.3), MaxDf = DocumentFrequencyBound.Documents(3) },
        ["max-features 6"] = new TfIdfOptions { MaxFeatures = 6 },
        ["binary, max-features 9"] = new TfIdfOptions { BinaryTf = true, MaxFeatures = 9 },
        ["binary, hashing 8"] = new TfIdfOptions { BinaryTf = true, HashFeatures = 8 },
        ["hashing 1024"] = new TfIdfOptions { HashFeatures = 1024 },
        ["hashing 8, collisions"] = new TfIdfOptions { HashFeatures = 8, MaxN = 2, SublinearTf = true },
        ["hashing 16, char_wb, no smooth"] = new TfIdfOptions { HashFeatures = 16, Analyzer = TfIdfAnalyzer.CharWordBounded, MinN = 2, MaxN = 3, Idf = IdfWeighting.Plain },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fitted_vectors_match_the_reference_computation(string name)
    {
        TfIdfOptions options = Options[name];
        var (expected, vocabulary) = TfIdfReference.Compute(Corpus, options);

        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), options, "the test corpus");

        if (vocabulary is not null) Assert.Equal(vocabulary, fit.Model.Vocabulary);
        else Assert.Null(fit.Model.Vocabulary);
        Assert.Equal(Corpus.Length, fit.Documents.Rows);
        Assert.Equal(fit.Model.Features, fit.Documents.Columns);
        for (int row = 0; row < Corpus.Length; row++)
        {
            Assert.Equal(expected[row].Keys.Order(), fit.Documents.RowColumnIndices(row).ToArray());
            foreach (var (feature, weight) in expected[row])
                Assert.Equal(weight, fit.Documents.Get(row, feature), 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transform_weighs_a_fitted_document_as_fitting_did(string name)
    {
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), Options[name], "the test corpus");

        CsrMatrix again = fit.Model.Transform(TfIdfDocuments.Texts(Corpus));

        Assert.Equal(fit.Documents.RowStarts.ToArray(), again.RowStarts.ToArray());
        Assert.Equal(fit.Documents.ColumnIndices.ToArray(), again.ColumnIndices.ToArray());
        Assert.Equal(fit.Documents.Values.ToArray(), again.Values.ToArray());
    }

    [Fact]
    public void Transform_ignores_terms_outside_the_vocabulary()
    {
        TfIdfModel model = TfIdfModel.Fit(TfIdfDocuments.Texts(Corpus), new TfIdfOptions());

        CsrMatrix vector = model.Transform(["zebra", "cat", "quokka"]);

        int cat = model.Vocabulary!.ToList().IndexOf("cat");
        Assert.Equal(1, vector.Rows);
        Assert.Equal(model.Features, vector.Columns);
        Assert.Equal([cat], vector.ColumnIndices.ToArray());
        Assert.Equal(1f, vector.Values[0], 1e-6f);
    }
}
