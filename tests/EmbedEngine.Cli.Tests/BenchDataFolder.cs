using System.Globalization;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// A small <c>embed bench quality</c> data folder over the words w0 … w(Words-1): analogy questions, two similarity
/// sets, SpamAssassin-style documents and STS/SICK files. Word index <see cref="Words"/> is in no model, so some items
/// stay uncovered; the text uses only 'w', digits, spaces and line ends, so a character model trained on such words
/// reads all of it.
/// </summary>
internal static class BenchDataFolder
{
    public const int Words = 30;

    /// <summary>w0 … w(Words-1), the words the models of these tests know.</summary>
    private static readonly string[] KnownWords = [.. Enumerable.Range(0, Words).Select(i => $"w{i}")];

    /// <summary>The STS files: two 2012 files of 30 and 20 pairs, a SICK file of 25 pairs.</summary>
    public static readonly (string Folder, string Name, int Pairs)[] StsFiles =
        [("2012", "MSRpar.test.tsv", 30), ("2012", "OnWN.test.tsv", 20), ("sick2014", "SICK_test_annotated.txt", 25)];

    public static void Write(string data, Random random)
    {
        Directory.CreateDirectory(Path.Combine(data, "word-sim"));
        var questions = new List<string> { ": capital-like" };
        for (int i = 0; i < 60; i++)
        {
            if (i == 30) questions.Add(": gram-like");
            questions.Add(string.Join(' ', Enumerable.Range(0, 4).Select(_ => $"w{random.Next(Words + 1)}")));
        }
        File.WriteAllLines(Path.Combine(data, "questions-words.txt"), questions);
        foreach (string set in new[] { "EN-A-40", "EN-B-25" })
        {
            int pairs = int.Parse(set[5..], CultureInfo.InvariantCulture);
            File.WriteAllLines(Path.Combine(data, "word-sim", set + ".txt"), Enumerable.Range(0, pairs).Select(_ =>
                string.Create(CultureInfo.InvariantCulture, $"w{random.Next(Words + 1)}\tw{random.Next(Words + 1)}\t{random.Next(11)}")));
        }
        Directory.CreateDirectory(Path.Combine(data, "spam-assassin"));
        File.WriteAllLines(Path.Combine(data, "spam-assassin", "train.txt"), Documents(random, 120));
        File.WriteAllLines(Path.Combine(data, "spam-assassin", "test.txt"), Documents(random, 60));
        WriteSts(data, random, KnownWords, $"w{Words}");
    }

    /// <summary>
    /// The <see cref="StsFiles"/> under <c>sts/</c>, sentences of 3 to 6 of <paramref name="words"/>; each SemEval file
    /// ends with a pair whose first sentence is <paramref name="unknown"/> twice, a word no model knows.
    /// </summary>
    public static void WriteSts(string data, Random random, IReadOnlyList<string> words, string unknown)
    {
        foreach ((string folder, string name, int pairs) in StsFiles)
        {
            Directory.CreateDirectory(Path.Combine(data, "sts", folder));
            IEnumerable<string> lines = Enumerable.Range(0, pairs).Select(i => string.Create(CultureInfo.InvariantCulture,
                $"{random.Next(1, 6)}\t{Sentence(random, words)}\t{Sentence(random, words)}"));
            // A SICK file starts with its columns' names.
            File.WriteAllLines(Path.Combine(data, "sts", folder, name), folder == "sick2014"
                ? ["pair_ID\tsentence_A\tsentence_B\trelatedness_score", .. lines.Select((line, i) => Sick(line, i))]
                : [.. lines, $"2\t{unknown} {unknown}\t{words[1]} {words[2]}"]);
        }
    }

    /// <summary>Lines of words for a language model's corpus or held-out text.</summary>
    public static string Text(Random random, int lines) =>
        string.Concat(Enumerable.Range(0, lines).Select(_ => Sentence(random, KnownWords) + "\n"));

    private static string Sick(string semEval, int id)
    {
        string[] columns = semEval.Split('\t');
        return $"{id}\t{columns[1]}\t{columns[2]}\t{columns[0]}";
    }

    private static string Sentence(Random random, IReadOnlyList<string> words) =>
        string.Join(' ', Enumerable.Range(0, random.Next(3, 7)).Select(_ => words[random.Next(words.Count)]));

    /// <summary>Labelled documents of four random words; spam when most are among the first ten; a few hold the unknown word.</summary>
    private static IEnumerable<string> Documents(Random random, int count) => Enumerable.Range(0, count).Select(_ =>
    {
        int[] words = [.. Enumerable.Range(0, 4).Select(_ => random.Next(10) == 0 ? Words : random.Next(Words))];
        return $"__label__{(words.Count(w => w < 10) > 1 ? "spam" : "ham")} " + string.Join(' ', words.Select(w => $"w{w}"));
    });
}
