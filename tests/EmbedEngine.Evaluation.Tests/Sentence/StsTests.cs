using EmbedEngine.Evaluation.Sentence;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation.Tests.Sentence;

/// <summary>The STS sets' readers, the SentEval-style evaluation and mean pooling.</summary>
public sealed class StsTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>(1, length of the first word): a direction that turns with that length, so cosines differ between pairs; an empty sentence is the zero vector.</summary>
    private sealed class CountingEncoder : ISentenceEncoder
    {
        public int Dimension => 2;

        public void Encode(string sentence, Span<float> vector)
        {
            string[] words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            vector[0] = words.Length == 0 ? 0 : 1;
            vector[1] = words.Length == 0 ? 0 : words[0].Length;
        }
    }

    [Fact]
    public void Folders_load_as_sentEval_groups_them_and_the_2012_train_files_stay_out()
    {
        string root = _files.PathOf("sts");
        Directory.CreateDirectory(Path.Combine(root, "2012"));
        Directory.CreateDirectory(Path.Combine(root, "2014"));
        Directory.CreateDirectory(Path.Combine(root, "sick2014"));
        File.WriteAllText(Path.Combine(root, "2012", "MSRpar.test.tsv"), "4.4\ta b\tc d\n0.8\te f\tg h\n");
        File.WriteAllText(Path.Combine(root, "2012", "MSRpar.train.tsv"), "1\ta\tb\n");
        File.WriteAllText(Path.Combine(root, "2014", "images.test.tsv"), "5\tx\ty\n");
        File.WriteAllText(Path.Combine(root, "sick2014", "SICK_trial.txt"), "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n1\tA dog\tA cat\t3.5\tNEUTRAL\n");
        IReadOnlyList<StsFile> files = StsData.Load(root);
        Assert.Equal([("STS12", "MSRpar.test.tsv", 2), ("STS14", "images.test.tsv", 1), ("SICK-R", "SICK_trial.txt", 1)],
            files.Select(f => (f.Group, f.Name, f.Pairs.Count)));
        Assert.Equal(new StsPair(3.5, "A dog", "A cat"), files[2].Pairs[0]);
        Assert.Throws<EvaluationDataException>(() => StsData.Load(_files.PathOf("absent")));
    }

    [Theory]
    [InlineData("4.4\tonly one sentence\n", ":1: expected score<TAB>sentence1<TAB>sentence2, found 2 column(s).")]
    [InlineData("1\ta\tb\n5.5\ta\tb\n", ":2: the score 5.5 is outside [0, 5].")]
    [InlineData("high\ta\tb\n", ":1: 'high' is not a score.")]
    [InlineData("\n", ":1: the file has no pairs.")]
    public void A_bad_semEval_line_is_named_with_its_reason(string contents, string expected)
    {
        string path = _files.Write("bad.tsv", contents);
        var e = Assert.Throws<EvaluationDataException>(() => StsData.ReadSemEval(path, "STS12"));
        Assert.EndsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pair_ID\tsentence_A\trelatedness_score\n", ":1: the header must name sentence_A, sentence_B and relatedness_score.")]
    [InlineData("pair_ID\tsentence_A\tsentence_B\trelatedness_score\n1\ta\tb\t0.5\n", ":2: the score 0.5 is outside [1, 5].")]
    [InlineData("pair_ID\tsentence_A\tsentence_B\trelatedness_score\n1\ta\tb\n", ":2: expected 4 columns as the header says, found 3.")]
    public void A_bad_sick_file_is_named_with_its_reason(string contents, string expected)
    {
        string path = _files.Write("SICK_bad.txt", contents);
        var e = Assert.Throws<EvaluationDataException>(() => StsData.ReadSick(path));
        Assert.EndsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Correlations_are_of_cosines_against_gold_and_groups_average_plainly_and_by_pairs()
    {
        // Cosines of (1, n)·(1, m): growing with how alike the first words' lengths are.
        var perfect = new StsFile("STS13", "a", [new(5, "aaa x", "aaa y"), new(3, "aaa x", "aaaaaa y"), new(1, "a x", "aaaaaaaaaaaa y")]);
        var reversed = new StsFile("STS13", "b", [new(1, "aaa x", "aaa y"), new(3, "aaa x", "aaaaaa y"), new(5, "a x", "aaaaaaaaaaaa y"), new(5, "", "x")]);
        StsReport report = StsEvaluator.Evaluate(new CountingEncoder(), [perfect, reversed]);
        Assert.Equal(100, report.Files[0].Spearman, 9);
        Assert.True(report.Files[1].Spearman < -50, $"{report.Files[1].Spearman}"); // the empty sentence's zero vector scores cosine 0
        StsGroupResult group = Assert.Single(report.Groups);
        Assert.Equal((report.Files[0].Spearman + report.Files[1].Spearman) / 2, group.Spearman, 9);
        Assert.Equal((3 * report.Files[0].Spearman + 4 * report.Files[1].Spearman) / 7, group.WeightedSpearman, 9);
        Assert.Equal(7, group.Pairs);
    }

    [Fact]
    public void Corpus_words_are_spelled_as_the_comparison_corpus_and_unknown_words_leave_the_mean()
    {
        Assert.Equal(["the", "u", "s", "economy's", "2nd", "quarter"], CorpusWords.Of("The U.S. economy's 2nd-quarter!"));
        using KeyedVectors vectors = TestVectors.Create(("the", [1f, 0f]), ("quarter", [0f, 3f]));
        var encoder = new MeanPoolingEncoder(vectors);
        float[] vector = new float[2];
        encoder.Encode("The zebra QUARTER", vector);
        Assert.Equal([0.5f, 1.5f], vector);
        encoder.Encode("zebra", vector);
        Assert.Equal([0f, 0f], vector);
    }

    [Fact]
    public void Sif_weights_follow_corpus_frequencies_and_the_shared_direction_is_removed()
    {
        // Every word leans along the first axis (the component SIF removes); they differ along the others.
        using KeyedVectors vectors = TestVectors.Create(("the", [5f, 1f, 0f]), ("cat", [5f, 0f, 1f]), ("dog", [5f, 0f, -1f]), ("rare", [5f, 1f, 1f]));
        string[] corpus = ["the cat", "the dog", "The cat and the dog.", "the the the"];
        SifEncoder sif = SifEncoder.Fit(vectors, corpus, smoothing: 0.1);
        // 12 words: "the" 7 times, "cat" and "dog" twice each, "and" once (no vector), "rare" never.
        Assert.Equal(0.1 / (0.1 + 7.0 / 12), sif.Weight(0), 6);
        Assert.Equal(0.1 / (0.1 + 2.0 / 12), sif.Weight(1), 6);
        Assert.Equal(1f, sif.Weight(3));
        Assert.True(Math.Abs(sif.Component[0]) > 0.99, $"component {string.Join(", ", sif.Component.ToArray())}");
        float[] vector = new float[3];
        sif.Encode("the cat", vector);
        Assert.Equal(0, DotOf(vector, sif.Component), 5);
        float[] mean = new float[3];
        new MeanPoolingEncoder(vectors).Encode("the cat", mean);
        Assert.True(Math.Abs(mean[0]) > 4 && Math.Abs(vector[0]) < 0.1, "the shared direction dominates the mean and is gone from SIF's vector");
        sif.Encode("zebra", vector);
        Assert.All(vector, v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => SifEncoder.Fit(vectors, ["zebra okapi"]));
    }

    private static double DotOf(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
