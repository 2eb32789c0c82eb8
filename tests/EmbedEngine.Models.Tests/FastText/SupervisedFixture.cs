using System.Globalization;

namespace EmbedEngine.Models.Tests.FastText;

/// <summary>
/// The classifiers fastText itself trained for these tests, the lines they were asked about and what fastText's
/// predict-prob printed (see Fixtures/FastText/README.md).
/// </summary>
internal static class SupervisedFixture
{
    /// <summary>
    /// The fixture models (softmax, hs, ova, softmax with character n-grams, and a softmax over 300 labels quantized
    /// by fastText) and the k predict-prob was asked for: all their labels, or the top two of the 300.
    /// </summary>
    public static TheoryData<string, int> Models => new()
    {
        { "spam-softmax", 2 }, { "topics-hs", 4 }, { "topics-ova", 4 }, { "topics-subwords", 4 }, { QuantizedModel, 2 },
    };

    /// <summary>The fixture models' names.</summary>
    public static TheoryData<string> Names => new() { "spam-softmax", "topics-hs", "topics-ova", "topics-subwords", QuantizedModel };

    /// <summary>The .ftz that fastText's quantize made (-cutoff 300 -qnorm -qout); the others are .bin files.</summary>
    public const string QuantizedModel = "labels300-quantized";

    public static string ModelPath(string name) => InFolder(name + (name == QuantizedModel ? ".ftz" : ".bin"));

    /// <summary>The lines predict-prob read: the file named after the model's data set (spam-test.txt for spam-softmax).</summary>
    public static string[] TestLines(string name) => File.ReadAllLines(TestPath(name));

    /// <summary>The labelled test file of a fixture model.</summary>
    public static string TestPath(string name) => InFolder(name[..name.IndexOf('-', StringComparison.Ordinal)] + "-test.txt");

    /// <summary>
    /// fastText's answer for each test line: its labels, most probable first, with the printed probabilities; a
    /// <paramref name="threshold"/> names the file predict-prob wrote when given that threshold.
    /// </summary>
    public static IReadOnlyList<(string Label, double Probability)[]> Expected(string name, string? threshold = null) =>
        File.ReadAllLines(InFolder("expected-" + name + (threshold is null ? "" : "-threshold-" + threshold) + ".txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Chunk(2)
                .Select(pair => (pair[0], double.Parse(pair[1], CultureInfo.InvariantCulture))).ToArray())
            .ToList();

    private static string InFolder(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "FastText", name);
}
