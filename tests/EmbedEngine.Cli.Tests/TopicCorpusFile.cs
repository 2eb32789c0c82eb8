using System.Text;

namespace EmbedEngine.Cli.Tests;

/// <summary>A small corpus of two disjoint topics (a0…a7, b0…b7 unless told), one topic per line, for end-to-end training runs.</summary>
internal static class TopicCorpusFile
{
    /// <summary>Writes corpus.txt, with <paramref name="wordsPerTopic"/> words a topic, into <paramref name="folder"/>; returns its path.</summary>
    public static string Write(TempFolder folder, int wordsPerTopic = 8)
    {
        var random = new Random(3);
        var text = new StringBuilder();
        for (int line = 0; line < 400; line++)
        {
            char topic = random.Next(2) == 0 ? 'a' : 'b';
            for (int w = 0; w < 15; w++) text.Append(topic).Append(random.Next(wordsPerTopic)).Append(' ');
            text.Append('\n');
        }
        return folder.Write("corpus.txt", text.ToString());
    }
}
