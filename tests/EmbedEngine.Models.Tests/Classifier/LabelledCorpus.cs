using System.Text;
using EmbedEngine.Models.FastText;

namespace EmbedEngine.Models.Tests.Classifier;

/// <summary>
/// Labelled lines with known structure: label <c>t</c> draws its words only from its own vocabulary
/// (<c>t0</c>..<c>t9</c>), and labels appear with different frequencies, so a classifier that learns anything
/// separates them perfectly and the hierarchical-softmax tree has paths of different lengths.
/// </summary>
internal static class LabelledCorpus
{
    /// <summary>The classifier's three output layers, for tests that hold for each.</summary>
    public static TheoryData<FastTextLoss> Losses => [FastTextLoss.Softmax, FastTextLoss.HierarchicalSoftmax, FastTextLoss.OneVsAll];

    /// <summary>Lines of label a, b and c in the ratio 4 : 2 : 1, with the label at a random position.</summary>
    public static string Text(int lines, int seed, int wordsPerLine = 8)
    {
        char[] labels = ['a', 'a', 'a', 'a', 'b', 'b', 'c'];
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int line = 0; line < lines; line++)
        {
            char label = labels[random.Next(labels.Length)];
            int labelAt = random.Next(wordsPerLine + 1);
            for (int w = 0; w <= wordsPerLine; w++)
            {
                if (w == labelAt) text.Append("__label__").Append(label);
                else text.Append(label).Append(random.Next(10));
                text.Append(w == wordsPerLine ? '\n' : ' ');
            }
        }
        return text.ToString();
    }
}

/// <summary>Files in a scratch folder deleted after the test.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"embed-classifier-{Guid.NewGuid():N}");

    public ScratchFolder() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
