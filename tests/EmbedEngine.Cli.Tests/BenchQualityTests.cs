using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmbedEngine.Evaluation;
using EmbedEngine.Evaluation.Sentence;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>embed bench quality</c> on small random vectors and question/pair/document/STS files written here: its figures
/// equal the individual <c>embed eval</c> commands', its STS intervals the bootstrap of the pair cosines, a broken model
/// is reported while the others run, a seed repeats a run, and a task without its data is skipped with a note.
/// </summary>
public sealed partial class BenchQualityTests : IDisposable
{
    private const int Words = BenchDataFolder.Words, Dimension = 6;
    private readonly TempFolder _folder = new();
    private readonly string _data;
    private readonly string _full;
    private readonly string _partial;

    public BenchQualityTests()
    {
        var random = new Random(42);
        _data = _folder.File("data");
        BenchDataFolder.Write(_data, random);
        _full = WriteVectors("full.vec", random, Words);
        _partial = WriteVectors("partial.txt", random, Words - 8);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Figures_equal_the_eval_commands_and_a_broken_model_is_reported_as_failed()
    {
        string broken = _folder.Write("broken.vec", "3 4\nw0 1 2\n");
        string report = _folder.File("report");
        CliRun run = CliRun.Of("bench", "quality", "-m", _full, "-m", broken, "-m", _partial, "--data", _data,
            "--bootstrap", "200", "-o", report);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("2 of 3 models scored", run.Output, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "results.json")));
        JsonElement[] models = [.. json.RootElement.GetProperty("models").EnumerateArray()];
        Assert.Equal(["ok", "failed", "ok"], models.Select(m => m.GetProperty("status").GetString()));
        Assert.Equal(Path.GetFullPath(broken), models[1].GetProperty("path").GetString());
        string reason = models[1].GetProperty("failure").GetString()!;
        Assert.Contains("broken.vec", reason, StringComparison.Ordinal);
        Assert.Contains($"| broken.vec | {Path.GetFullPath(broken)} | failed: {reason} |",
            File.ReadAllText(Path.Combine(report, "report.md")), StringComparison.Ordinal);

        foreach ((string path, JsonElement model) in new[] { (_full, models[0]), (_partial, models[2]) })
        {
            AssertAnalogyMatchesEval(path, model.GetProperty("analogy_accuracy"), resamples: 200);
            AssertSimilarityMatchesEval(path, model.GetProperty("similarity_spearman"), resamples: 200);
            AssertTransferMatchesEval(path, model.GetProperty("transfer_accuracy").GetProperty("spam-assassin"));
            AssertStsMatchesEval(["-v", path], Path.Combine(_data, "sts"), model.GetProperty("sts_spearman_x100"));
            using (KeyedVectors keyed = VectorFile.Load(path))
                AssertStsIntervalsAreTheBootstrapOfTheCosines(new MeanPoolingEncoder(keyed), Path.Combine(_data, "sts"), 200, model.GetProperty("sts_spearman_x100"));
            Assert.Empty(model.GetProperty("language_model").EnumerateObject());
        }
        // The partial model lacks 8 words, so it answers fewer questions than the full one.
        Assert.True(Covered(models[2], "analogy_accuracy", "overall") < Covered(models[0], "analogy_accuracy", "overall"));
        Assert.True(Covered(models[2], "transfer_accuracy", "spam-assassin") < Covered(models[0], "transfer_accuracy", "spam-assassin"));
        Assert.Empty(json.RootElement.GetProperty("skipped").EnumerateArray());

        string html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.Equal(4, Regex.Count(html, "<svg"));
        Assert.Contains("<td>spam-assassin</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>EN-B-25</td>", html, StringComparison.Ordinal);
        Assert.Matches(@">\s*partial\.txt\s*</text>", html);
    }

    [Fact]
    public void A_seed_repeats_the_results_and_common_vocabulary_scores_the_shared_items_only()
    {
        string[] args = ["bench", "quality", "-m", _full, "-m", _partial, "--data", _data, "--seed", "4", "--bootstrap", "100", "--common-vocabulary"];
        string first = _folder.File("first"), second = _folder.File("second"), own = _folder.File("own");
        Assert.Equal(0, CliRun.Of([.. args, "-o", first]).ExitCode);
        Assert.Equal(0, CliRun.Of([.. args, "-o", second]).ExitCode);
        string results = File.ReadAllText(Path.Combine(first, "results.json"));
        Assert.Equal(results, File.ReadAllText(Path.Combine(second, "results.json")));
        Assert.Equal(0, CliRun.Of([.. args[..^1], "-o", own]).ExitCode);

        using JsonDocument common = JsonDocument.Parse(results);
        using JsonDocument separate = JsonDocument.Parse(File.ReadAllText(Path.Combine(own, "results.json")));
        JsonElement[] shared = [.. common.RootElement.GetProperty("models").EnumerateArray()];
        JsonElement[] alone = [.. separate.RootElement.GetProperty("models").EnumerateArray()];
        // The partial model's words are a subset of the full one's: the shared items are exactly what it covers alone.
        foreach ((string task, string figure) in new[] { ("analogy_accuracy", "overall"), ("similarity_spearman", "EN-A-40") })
        {
            int partialAlone = Covered(alone[1], task, figure);
            Assert.Equal(partialAlone, Covered(shared[0], task, figure));
            Assert.Equal(partialAlone, Covered(shared[1], task, figure));
            Assert.True(Covered(alone[0], task, figure) > partialAlone);
        }
        Assert.True(common.RootElement.GetProperty("common_vocabulary").GetBoolean());
    }

    [Fact]
    public void All_models_failing_or_a_missing_data_folder_exit_2()
    {
        string broken = _folder.Write("broken.vec", "not a vector file\n");
        CliRun allFailed = CliRun.Of("bench", "quality", "-m", broken, "--data", _data, "-o", _folder.File("r1"));
        Assert.Equal(2, allFailed.ExitCode);
        Assert.Contains("broken.vec failed:", allFailed.Error, StringComparison.Ordinal);
        Assert.Contains("failed:", File.ReadAllText(Path.Combine(_folder.File("r1"), "report.md")), StringComparison.Ordinal);
        BadInputTests.AssertBadInput(CliRun.Of("bench", "quality", "-m", _full, "--data", _folder.File("nowhere"), "-o", _folder.File("r2")),
            "the data folder does not exist");
    }

    [Fact]
    public void A_data_folder_without_spam_assassin_skips_the_transfer_task_with_a_note()
    {
        string data = _folder.File("no-spam");
        Directory.CreateDirectory(data);
        File.Copy(Path.Combine(_data, "questions-words.txt"), Path.Combine(data, "questions-words.txt"));
        string report = _folder.File("report");
        CliRun run = CliRun.Of("bench", "quality", "-m", _full, "--data", data, "--bootstrap", "50", "-o", report);
        Assert.True(run.ExitCode == 0, run.Error);
        string note = $"SpamAssassin transfer: {Path.Combine(data, "spam-assassin")} does not exist.";
        string stsNote = $"STS/SICK: {Path.Combine(data, "sts")} does not exist.";
        Assert.Contains("bench: skipped " + note, run.Error, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "results.json")));
        // Perplexity and image-text data are absent too, but no model given here is measured by them: no note.
        Assert.Equal([note, stsNote], json.RootElement.GetProperty("skipped").EnumerateArray().Select(n => n.GetString()));
        JsonElement model = json.RootElement.GetProperty("models")[0];
        Assert.Empty(model.GetProperty("transfer_accuracy").EnumerateObject());
        string markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Contains("Skipped: " + note + " " + stsNote, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("## SpamAssassin transfer", markdown, StringComparison.Ordinal);
    }

    private void AssertTransferMatchesEval(string vectors, JsonElement figure)
    {
        CliRun eval = CliRun.Of("eval", "transfer", "-v", vectors, "--data", Path.Combine(_data, "spam-assassin"), "--bootstrap", "200");
        Assert.True(eval.ExitCode == 0, eval.Error);
        Match line = TransferLine().Match(eval.Output);
        Assert.True(line.Success, eval.Output);
        double accuracy = figure.GetProperty("value").GetDouble();
        Assert.Equal(line.Groups["accuracy"].Value, Percent(accuracy));
        Assert.Equal(line.Groups["lower"].Value, Percent(figure.GetProperty("ci_lower").GetDouble()));
        Assert.Equal(line.Groups["upper"].Value, Percent(figure.GetProperty("ci_upper").GetDouble()));
        Assert.Equal(int.Parse(line.Groups["covered"].Value, CultureInfo.InvariantCulture), figure.GetProperty("covered").GetInt32());
        Assert.Equal(60, figure.GetProperty("total").GetInt32());
        Assert.InRange(accuracy, figure.GetProperty("ci_lower").GetDouble(), figure.GetProperty("ci_upper").GetDouble());
    }

    /// <summary>
    /// Each analogy figure equals <c>embed eval analogy</c>'s, and its interval is the bootstrap of the command's counts
    /// (<see cref="Bootstrap.Accuracy"/>, checked against a direct bootstrap in BootstrapTests) with the run's seed (1).
    /// </summary>
    private void AssertAnalogyMatchesEval(string vectors, JsonElement figures, int resamples)
    {
        CliRun eval = CliRun.Of("eval", "analogy", "-v", vectors, "-q", Path.Combine(_data, "questions-words.txt"));
        Assert.True(eval.ExitCode == 0, eval.Error);
        MatchCollection sections = SectionLine().Matches(eval.Output);
        Assert.Equal(2, sections.Count);
        foreach (Match section in sections)
        {
            JsonElement figure = figures.GetProperty(section.Groups["name"].Value);
            int answered = int.Parse(section.Groups["answered"].Value, CultureInfo.InvariantCulture);
            Assert.Equal(section.Groups["accuracy"].Value, Percent(figure.GetProperty("value").GetDouble()));
            Assert.Equal(answered, figure.GetProperty("covered").GetInt32());
            Assert.Equal(answered + int.Parse(section.Groups["skipped"].Value, CultureInfo.InvariantCulture), figure.GetProperty("total").GetInt32());
            AssertInterval(Bootstrap.Accuracy(int.Parse(section.Groups["correct"].Value, CultureInfo.InvariantCulture), answered, resamples, 1), figure);
        }
        Match total = TotalLine().Match(eval.Output);
        Assert.True(total.Success, eval.Output);
        Assert.Equal(total.Groups["overall"].Value, Percent(figures.GetProperty("overall").GetProperty("value").GetDouble()));
        Assert.Equal(total.Groups["semantic"].Value, Percent(figures.GetProperty("semantic").GetProperty("value").GetDouble()));
        Assert.Equal(total.Groups["syntactic"].Value, Percent(figures.GetProperty("syntactic").GetProperty("value").GetDouble()));
        Assert.Equal(int.Parse(total.Groups["answered"].Value, CultureInfo.InvariantCulture), figures.GetProperty("overall").GetProperty("covered").GetInt32());
        JsonElement overall = figures.GetProperty("overall");
        Assert.InRange(overall.GetProperty("value").GetDouble(), overall.GetProperty("ci_lower").GetDouble(), overall.GetProperty("ci_upper").GetDouble());
        AssertInterval(Bootstrap.Accuracy(int.Parse(total.Groups["correct"].Value, CultureInfo.InvariantCulture),
            int.Parse(total.Groups["answered"].Value, CultureInfo.InvariantCulture), resamples, 1), overall);
    }

    /// <summary>
    /// Each similarity figure equals <c>embed eval similarity</c>'s, and its interval is the bootstrap of the found pairs'
    /// human scores and cosines (<see cref="Bootstrap.Spearman"/>, checked against a direct bootstrap in BootstrapTests).
    /// </summary>
    private void AssertSimilarityMatchesEval(string vectors, JsonElement figures, int resamples)
    {
        string[] sets = [.. Directory.GetFiles(Path.Combine(_data, "word-sim")).Order(StringComparer.Ordinal)];
        CliRun eval = CliRun.Of(["eval", "similarity", "-v", vectors, .. sets]);
        Assert.True(eval.ExitCode == 0, eval.Error);
        MatchCollection lines = SimilarityLine().Matches(eval.Output);
        Assert.Equal(2, lines.Count);
        foreach (Match line in lines)
        {
            JsonElement figure = figures.GetProperty(line.Groups["name"].Value);
            double rho = figure.GetProperty("value").GetDouble();
            Assert.Equal(line.Groups["rho"].Value, rho.ToString("F4", CultureInfo.InvariantCulture));
            Assert.Equal(int.Parse(line.Groups["found"].Value, CultureInfo.InvariantCulture), figure.GetProperty("covered").GetInt32());
            Assert.Equal(int.Parse(line.Groups["pairs"].Value, CultureInfo.InvariantCulture), figure.GetProperty("total").GetInt32());
            Assert.InRange(rho, figure.GetProperty("ci_lower").GetDouble(), figure.GetProperty("ci_upper").GetDouble());
        }
        using KeyedVectors keyed = VectorFile.Load(vectors);
        foreach (string set in sets)
        {
            ScoredPairs pairs = SimilarityEvaluator.ScorePairs(keyed, set);
            if (pairs.Found.Count == 0) continue;
            AssertInterval(Bootstrap.Spearman([.. pairs.Found.Select(p => p.Human)], [.. pairs.Found.Select(p => p.Cosine)], resamples, 1),
                figures.GetProperty(pairs.Name));
        }
    }

    private static void AssertInterval(ConfidenceInterval expected, JsonElement figure)
    {
        Assert.Equal(expected.Lower, figure.GetProperty("ci_lower").GetDouble(), 1e-12);
        Assert.Equal(expected.Upper, figure.GetProperty("ci_upper").GetDouble(), 1e-12);
    }

    /// <summary>Each STS group's Spearman x100 and pairs equal <c>embed eval sts</c>'s mean over the group's files.</summary>
    internal static void AssertStsMatchesEval(string[] encoder, string stsFolder, JsonElement figures)
    {
        CliRun eval = CliRun.Of(["eval", "sts", .. encoder, "--data", stsFolder]);
        Assert.True(eval.ExitCode == 0, eval.Error);
        MatchCollection groups = StsGroupLine().Matches(eval.Output);
        Assert.Equal(["STS12", "SICK-R"], groups.Select(g => g.Groups["group"].Value));
        Assert.Equal(groups.Count, figures.EnumerateObject().Count());
        foreach (Match group in groups)
        {
            JsonElement figure = figures.GetProperty(group.Groups["group"].Value);
            Assert.Equal(group.Groups["spearman"].Value, figure.GetProperty("value").GetDouble().ToString("F2", CultureInfo.InvariantCulture));
            Assert.Equal(int.Parse(group.Groups["pairs"].Value, CultureInfo.InvariantCulture), figure.GetProperty("total").GetInt32());
        }
    }

    /// <summary>
    /// The STS intervals are the stratified bootstrap of the pair cosines (itself checked against a direct bootstrap in
    /// BootstrapTests), x100, with the run's seed (1) and <paramref name="resamples"/>; a SemEval file's pair without a
    /// known word is not covered.
    /// </summary>
    internal static void AssertStsIntervalsAreTheBootstrapOfTheCosines(ISentenceEncoder encoder, string stsFolder, int resamples, JsonElement figures)
    {
        IReadOnlyList<StsScores> scored = StsEvaluator.Score(encoder, StsData.Load(stsFolder));
        foreach (IGrouping<string, StsScores> group in scored.GroupBy(file => file.Group))
        {
            JsonElement figure = figures.GetProperty(group.Key);
            ConfidenceInterval interval = Bootstrap.MeanSpearman([.. group.Select(file => (file.Cosines, file.Gold))], resamples, 1);
            Assert.Equal(100 * interval.Lower, figure.GetProperty("ci_lower").GetDouble(), 1e-9);
            Assert.Equal(100 * interval.Upper, figure.GetProperty("ci_upper").GetDouble(), 1e-9);
            Assert.Equal(group.Sum(file => file.Encoded), figure.GetProperty("covered").GetInt32());
            Assert.InRange(figure.GetProperty("value").GetDouble(), figure.GetProperty("ci_lower").GetDouble(), figure.GetProperty("ci_upper").GetDouble());
        }
        JsonElement sts12 = figures.GetProperty("STS12");
        Assert.True(sts12.GetProperty("covered").GetInt32() < sts12.GetProperty("total").GetInt32());
    }

    private static int Covered(JsonElement model, string task, string figure) =>
        model.GetProperty(task).GetProperty(figure).GetProperty("covered").GetInt32();

    private static string Percent(double accuracy) => (100 * accuracy).ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>Random vectors for w0..w(count-1), most frequent first, one "word v1 v2 ..." line each.</summary>
    private string WriteVectors(string name, Random random, int count) =>
        _folder.Write(name, string.Concat(Enumerable.Range(0, count).Select(i => $"w{i} " + string.Join(' ',
            Enumerable.Range(0, Dimension).Select(_ => (random.NextDouble() * 2 - 1).ToString("F4", CultureInfo.InvariantCulture))) + "\n")));

    [GeneratedRegex(@"^(?<name>\S+)\s+(?<accuracy>[\d.]+)%  \((?<correct>\d+)/(?<answered>\d+), (?<skipped>\d+) skipped\)", RegexOptions.Multiline)]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"analogy accuracy (?<overall>[\d.]+)% \((?<correct>\d+)/(?<answered>\d+); semantic (?<semantic>[\d.]+)%, syntactic (?<syntactic>[\d.]+)%")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"^(?<name>\S+)\s+Spearman (?<rho>-?[\d.]+)  \((?<found>\d+)/(?<pairs>\d+) pairs found\)", RegexOptions.Multiline)]
    private static partial Regex SimilarityLine();

    [GeneratedRegex(@"^(?<group>\S+)\s+mean of \d+ files: Spearman (?<spearman>-?[\d.]+), Pearson -?[\d.]+; weighted by (?<pairs>\d+) pairs", RegexOptions.Multiline)]
    private static partial Regex StsGroupLine();

    [GeneratedRegex(@"transfer accuracy (?<accuracy>[\d.]+)% \[(?<lower>[\d.]+), (?<upper>[\d.]+)\] \(\d+/60; (?<covered>\d+)/60 documents covered")]
    private static partial Regex TransferLine();
}
