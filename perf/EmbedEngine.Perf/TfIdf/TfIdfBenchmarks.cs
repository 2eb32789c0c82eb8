using BenchmarkDotNet.Attributes;
using EmbedEngine.Models.Count;
using EmbedEngine.Perf.Kernels;

namespace EmbedEngine.Perf.TfIdf;

/// <summary>
/// TF-IDF on the SpamAssassin corpus (shared/data/spam-assassin: one mail per line, 4,805 in train.txt, 13.5 MB):
/// fitting from the file as <c>embed tfidf fit</c> does (reading, analyzing, pruning, weighing every document),
/// and searching the fitted documents with the 1,241 mails of test.txt as queries, whole or cut to their first
/// words, each query weighed by the model and then scored through the inverted index. Search times are per query.
/// The kernels' short job suits these too: each fit is one invocation per iteration, and ten iterations keep the
/// run to a few minutes on shared cores.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public class TfIdfBenchmarks
{
    /// <summary>The test mails used as queries; the search benchmarks report time per query.</summary>
    private const int Queries = 1241;

    /// <summary>Words a short query keeps, about what a person types into a search box.</summary>
    private const int ShortQueryWords = 6;

    private string _train = "";
    private IReadOnlyList<string>[] _wholeQueries = [];
    private IReadOnlyList<string>[] _shortQueries = [];
    private TfIdfModel? _model;
    private TfIdfSearchIndex? _index;

    [GlobalSetup]
    public void Setup()
    {
        _train = SharedData.File("spam-assassin/train.txt");
        _wholeQueries = [.. TfIdfDocuments.Lines(SharedData.File("spam-assassin/test.txt"))];
        if (_wholeQueries.Length != Queries) throw new InvalidOperationException($"test.txt holds {_wholeQueries.Length} mails, not {Queries}.");
        // Skip the __label__ token, which would give every query the same first term.
        _shortQueries = [.. _wholeQueries.Select(q => (IReadOnlyList<string>)q.Skip(1).Take(ShortQueryWords).ToArray())];
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Lines(_train), new TfIdfOptions(), "train.txt");
        _model = fit.Model;
        _index = new TfIdfSearchIndex(fit.Documents);
    }

    [Benchmark(Description = "fit words (defaults)")]
    public long FitWords() => Fit(new TfIdfOptions());

    [Benchmark(Description = "fit words 1-2, min-df 2, sublinear")]
    public long FitWordBigrams() => Fit(new TfIdfOptions { MaxN = 2, MinDf = DocumentFrequencyBound.Documents(2), SublinearTf = true });

    [Benchmark(Description = "fit char_wb 3-5, 2^20 hashed")]
    public long FitCharWbHashed() => Fit(new TfIdfOptions { Analyzer = TfIdfAnalyzer.CharWordBounded, MinN = 3, MaxN = 5, HashFeatures = 1 << 20 });

    [Benchmark(Description = "search top 10, 6-word queries", OperationsPerInvoke = Queries)]
    public int SearchShortQueries() => Search(_shortQueries);

    [Benchmark(Description = "search top 10, whole mails as queries", OperationsPerInvoke = Queries)]
    public int SearchWholeMails() => Search(_wholeQueries);

    private long Fit(TfIdfOptions options) => TfIdfFitter.Fit(TfIdfDocuments.Lines(_train), options, "train.txt").Documents.NonZeros;

    private int Search(IReadOnlyList<string>[] queries)
    {
        int found = 0;
        foreach (IReadOnlyList<string> query in queries) found += _index!.Search(_model!.Transform(query), top: 10).Count;
        return found;
    }
}
