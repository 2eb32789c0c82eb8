using EmbedEngine.Evaluation.Sentence;
using EmbedEngine.Models.Sentence.SimCse;

namespace EmbedEngine.Evaluation.Tests.Sentence;

public sealed class SickEntailmentTests : IDisposable
{
    private const string Header = "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Entailments_become_pairs_and_contradictions_on_either_side_their_hard_negatives()
    {
        string path = _files.Write("sick.txt", Header +
            "1\tA man plays\tA person plays\t4.5\tENTAILMENT\n" +
            "2\tA man plays\tNobody plays\t2.0\tCONTRADICTION\n" +
            "3\tA dog runs\tAn animal runs\t4.2\tENTAILMENT\n" +
            "4\tNo dog runs\tA dog runs\t1.9\tCONTRADICTION\n" +
            "5\tA cat sits\tA cat sleeps\t3.0\tNEUTRAL\n" +
            "6\tA cat sits\tA pet sits\t4.0\tENTAILMENT\n");
        IReadOnlyList<SimCseExample> examples = SickEntailment.Examples(path);
        Assert.Equal(
        [
            new SimCseExample("A man plays", "A person plays", "Nobody plays"),
            new SimCseExample("A dog runs", "An animal runs", "No dog runs"),
            new SimCseExample("A cat sits", "A pet sits", null),
        ], examples);
    }

    [Theory]
    [InlineData("pair_ID\tsentence_A\tsentence_B\n", "entailment_judgment")]
    [InlineData(Header + "1\tA\tB\t4\tMAYBE\n", "bad.txt:2: 'MAYBE' is not")]
    [InlineData(Header + "1\tA\tB\n", "expected 5 columns")]
    [InlineData(Header + "1\tA\tB\t4\tNEUTRAL\n", "no ENTAILMENT pair")]
    [InlineData("", "empty")]
    public void Bad_files_are_refused_with_where_and_why(string content, string expected)
    {
        string path = _files.Write("bad.txt", content);
        var e = Assert.Throws<EvaluationDataException>(() => SickEntailment.Examples(path));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
