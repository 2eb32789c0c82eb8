namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// A labelled file encoded once into flat arrays of feature and label ids, so the training threads hash nothing
/// and allocate nothing. Lines without a known label or without a feature are dropped, as fastText skips them.
/// </summary>
internal sealed class LabelledExamples
{
    private readonly int[] _featureOffsets;
    private readonly int[] _features;
    private readonly int[] _labelOffsets;
    private readonly int[] _labels;
    private readonly int[] _tokens;

    private LabelledExamples(List<int> featureOffsets, List<int> features, List<int> labelOffsets, List<int> labels,
        List<int> tokens, long totalTokens)
    {
        _featureOffsets = [.. featureOffsets];
        _features = [.. features];
        _labelOffsets = [.. labelOffsets];
        _labels = [.. labels];
        _tokens = [.. tokens];
        TotalTokens = totalTokens;
    }

    /// <summary>How many examples were kept.</summary>
    public int Count => _tokens.Length;

    /// <summary>Tokens of the kept lines (labels and end of line included): fastText's unit of progress.</summary>
    public long TotalTokens { get; }

    /// <summary>Input rows to average for example <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> Features(int index) =>
        _features.AsSpan(_featureOffsets[index], _featureOffsets[index + 1] - _featureOffsets[index]);

    /// <summary>Label ids of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> Labels(int index) =>
        _labels.AsSpan(_labelOffsets[index], _labelOffsets[index + 1] - _labelOffsets[index]);

    /// <summary>Tokens of the line that example <paramref name="index"/> came from.</summary>
    public int Tokens(int index) => _tokens[index];

    /// <summary>Encodes every line of <paramref name="path"/> with <paramref name="dictionary"/>.</summary>
    public static LabelledExamples Read(string path, ClassifierDictionary dictionary)
    {
        List<int> featureOffsets = [0], features = [], labelOffsets = [0], labels = [], tokens = [];
        long totalTokens = 0;
        foreach (string line in File.ReadLines(path))
        {
            int featureStart = features.Count, labelStart = labels.Count;
            int lineTokens = dictionary.Encode(line, features, labels);
            if (features.Count == featureStart || labels.Count == labelStart)
            {
                features.RemoveRange(featureStart, features.Count - featureStart);
                labels.RemoveRange(labelStart, labels.Count - labelStart);
                continue;
            }
            featureOffsets.Add(features.Count);
            labelOffsets.Add(labels.Count);
            tokens.Add(lineTokens);
            totalTokens += lineTokens;
        }
        return new LabelledExamples(featureOffsets, features, labelOffsets, labels, tokens, totalTokens);
    }
}
