using System.Text;

namespace EmbedEngine.Models.Tests;

/// <summary>
/// A synthetic corpus with known structure: each line draws all its words from one of two disjoint topics, so
/// a model that learns anything must place same-topic words closer than cross-topic ones. Optionally some lines
/// mix both topics, so cross-topic pairs are seen too, but rarely: models that learn only from observed pairs
/// (GloVe) need that contrast, since with same-topic pairs alone per-word biases explain every count.
/// </summary>
internal sealed class TopicCorpus : IDisposable
{
    public const int WordsPerTopic = 10;

    public TopicCorpus(int lines = 2000, int wordsPerLine = 20, int seed = 7, double mixedLines = 0)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"embed-topics-{Guid.NewGuid():N}.txt");
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int line = 0; line < lines; line++)
        {
            char topic = random.Next(2) == 0 ? 'a' : 'b';
            bool mixed = random.NextDouble() < mixedLines;
            for (int w = 0; w < wordsPerLine; w++)
            {
                char wordTopic = mixed && random.Next(2) == 0 ? (char)('a' + 'b' - topic) : topic;
                text.Append(wordTopic).Append(random.Next(WordsPerTopic)).Append(' ');
            }
            text.Append('\n');
        }
        File.WriteAllText(Path, text.ToString());
    }

    public string Path { get; }

    public static IEnumerable<string> Topic(char topic) => Enumerable.Range(0, WordsPerTopic).Select(i => $"{topic}{i}");

    public void Dispose() => File.Delete(Path);
}
