using System.Globalization;

namespace EmbedEngine.Models.Tests.FastText;

/// <summary>
/// The classifiers fastText itself trained for these tests, the lines they were asked about and what fastText's
/// predict-prob printed (see Fixtures/FastText/README.md).
/// </summary>
internal static class SupervisedFixture
{
    /// <summary>The fixture models (softmax, hs, ova) and the k predict-prob was asked for: all their labels.</summary>
    public static TheoryData<string, int> Models => new() { { "spam-softmax", 2 }, { "topics-hs", 4 }, { "topics-ova", 4 } };

    /// <summary>The fixture models' names.</summary>
    public static TheoryData<string> Names => new() { "spam-softmax", "topics-hs", "topics-ova" };

    public static string ModelPath(string name) => InFolder(name + ".bin");

    /// <summary>The lines predict-prob read: spam-test.txt for the spam model, topics-test.txt for the topic models.</summary>
    public static string[] TestLines(string name) =>
        File.ReadAllLines(InFolder(name.StartsWith("spam", StringComparison.Ordinal) ? "spam-test.txt" : "topics-test.txt"));

    /// <summary>fastText's answer for each test line: its labels, most probable first, with the printed probabilities.</summary>
    public static IReadOnlyList<(string Label, double Probability)[]> Expected(string name) =>
        File.ReadAllLines(InFolder("expected-" + name + ".txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Chunk(2)
                .Select(pair => (pair[0], double.Parse(pair[1], CultureInfo.InvariantCulture))).ToArray())
            .ToList();

    private static string InFolder(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "FastText", name);
}
