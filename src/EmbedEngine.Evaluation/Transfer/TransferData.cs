using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Evaluation.Transfer;

/// <summary>One split of a classification task: each document's text and its class index.</summary>
/// <param name="Texts">The documents, in file order.</param>
/// <param name="Labels">Each document's class, an index into <see cref="TransferData.Classes"/>.</param>
public sealed record LabeledSplit(IReadOnlyList<string> Texts, int[] Labels);

/// <summary>
/// A SentEval-style transfer task: a training and a test split of labelled documents, read from fastText-style files
/// (<c>__label__spam subject body</c>, one document a line: the first token is the class, the rest the text).
/// </summary>
/// <param name="Train">The split the classifier is fitted (and its penalty chosen) on.</param>
/// <param name="Test">The split it is scored on.</param>
/// <param name="Classes">The class names without the prefix, ordinal order; a label is an index into them.</param>
public sealed record TransferData(LabeledSplit Train, LabeledSplit Test, IReadOnlyList<string> Classes)
{
    /// <summary>The file names of the splits inside a task folder.</summary>
    public const string TrainFile = "train.txt", TestFile = "test.txt";

    private const string LabelPrefix = ClassifierModel.DefaultLabelPrefix;

    /// <summary>Reads <paramref name="folder"/>/train.txt and test.txt; the classes are those of both files.</summary>
    /// <exception cref="EvaluationDataException">A file is missing or has no document, or a line does not start with a label.</exception>
    public static TransferData Load(string folder)
    {
        List<(string Label, string Text)> train = Read(Path.Combine(folder, TrainFile));
        List<(string Label, string Text)> test = Read(Path.Combine(folder, TestFile));
        string[] classes = [.. train.Concat(test).Select(d => d.Label).Distinct().Order(StringComparer.Ordinal)];
        return new TransferData(Split(train, classes), Split(test, classes), classes);
    }

    private static LabeledSplit Split(List<(string Label, string Text)> documents, string[] classes) =>
        new([.. documents.Select(d => d.Text)], [.. documents.Select(d => Array.BinarySearch(classes, d.Label, StringComparer.Ordinal))]);

    private static List<(string Label, string Text)> Read(string path)
    {
        string[] lines = EvaluationDataException.ReadLines(path);
        var documents = new List<(string, string)>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0) continue;
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string label = space < 0 ? line : line[..space];
            if (!label.StartsWith(LabelPrefix, StringComparison.Ordinal) || label.Length == LabelPrefix.Length)
                throw EvaluationDataException.AtLine(path, i + 1, $"the line does not start with a label ({LabelPrefix}<class> text).");
            documents.Add((label[LabelPrefix.Length..], space < 0 ? "" : line[(space + 1)..]));
        }
        return documents.Count > 0 ? documents : throw EvaluationDataException.AtLine(path, 1, "the file has no documents.");
    }
}
