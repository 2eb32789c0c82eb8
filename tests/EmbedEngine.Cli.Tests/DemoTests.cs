using System.Globalization;
using System.Text.RegularExpressions;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed demo</c>, the README's main job, on the shipped sample (one epoch, to stay quick).</summary>
public class DemoTests
{
    [Fact]
    public void Fasttext_demo_builds_unseen_words_from_ngrams_and_beats_word2vec_at_analogies()
    {
        CliRun fastText = CliRun.Of("demo", "--iter", "1");
        Assert.True(fastText.ExitCode == 0, fastText.Error);
        Assert.Contains("Words the sample never uses get vectors from their character n-grams:", fastText.Output, StringComparison.Ordinal);
        Assert.Contains("goverment:", fastText.Output, StringComparison.Ordinal);
        CliRun word2vec = CliRun.Of("demo", "--model", "word2vec", "--iter", "1");
        Assert.True(word2vec.ExitCode == 0, word2vec.Error);
        // One epoch on 1.8M words: fastText's subwords answer the syntactic sections (8.4% measured), word2vec almost nothing (0.1%).
        double subwords = Accuracy(fastText.Output), words = Accuracy(word2vec.Output);
        Assert.True(subwords > 4 && subwords > 5 * words, $"fastText {subwords}%, word2vec {words}%");
    }

    [Fact]
    public void Unknown_model_is_refused()
    {
        CliRun run = CliRun.Of("demo", "--model", "glove");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("glove", run.Error, StringComparison.Ordinal);
    }

    private static double Accuracy(string output) =>
        double.Parse(Regex.Match(output, @"analogy accuracy ([0-9.]+)%").Groups[1].Value, CultureInfo.InvariantCulture);
}
