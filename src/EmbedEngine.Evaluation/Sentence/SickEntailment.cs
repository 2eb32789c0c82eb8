using EmbedEngine.Models.Sentence.SimCse;

namespace EmbedEngine.Evaluation.Sentence;

/// <summary>
/// SICK's entailment judgments as supervised SimCSE's examples: every ENTAILMENT pair (A entails B) is an anchor A and
/// its positive B, with a sentence A contradicts (a CONTRADICTION pair with A on either side) as its hard negative
/// where the file has one. SICK has far fewer contradictions than entailments, so most examples have none.
/// </summary>
public static class SickEntailment
{
    /// <summary>The examples of the SICK file <paramref name="path"/> (header naming sentence_A, sentence_B and entailment_judgment).</summary>
    /// <exception cref="EvaluationDataException">The file is missing or empty, lacks a column, or has no ENTAILMENT pair.</exception>
    public static IReadOnlyList<SimCseExample> Examples(string path)
    {
        string[] lines = EvaluationDataException.ReadLines(path);
        if (lines.Length == 0) throw EvaluationDataException.AtLine(path, 1, "the file is empty; a SICK file starts with its header.");
        string[] header = lines[0].Split('\t');
        int first = Array.IndexOf(header, "sentence_A"), second = Array.IndexOf(header, "sentence_B"), judgment = Array.IndexOf(header, "entailment_judgment");
        if (first < 0 || second < 0 || judgment < 0)
            throw EvaluationDataException.AtLine(path, 1, "the header must name sentence_A, sentence_B and entailment_judgment.");
        int needed = Math.Max(first, Math.Max(second, judgment)) + 1;
        var entailments = new List<(string Premise, string Hypothesis)>();
        var contradictions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] columns = lines[i].Split('\t');
            if (columns.Length < needed) throw EvaluationDataException.AtLine(path, i + 1, $"expected {needed} columns as the header says, found {columns.Length}.");
            string a = columns[first], b = columns[second];
            switch (columns[judgment])
            {
                case "ENTAILMENT":
                    entailments.Add((a, b));
                    break;
                case "CONTRADICTION":
                    contradictions.TryAdd(a, b);
                    contradictions.TryAdd(b, a);
                    break;
                case "NEUTRAL":
                    break;
                default:
                    throw EvaluationDataException.AtLine(path, i + 1, $"'{columns[judgment]}' is not ENTAILMENT, NEUTRAL or CONTRADICTION.");
            }
        }
        if (entailments.Count == 0) throw EvaluationDataException.AtLine(path, 2, "the file has no ENTAILMENT pair.");
        return [.. entailments.Select(e => new SimCseExample(e.Premise, e.Hypothesis, contradictions.GetValueOrDefault(e.Premise)))];
    }
}
