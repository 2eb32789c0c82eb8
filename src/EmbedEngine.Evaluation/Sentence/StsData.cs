using System.Globalization;

namespace EmbedEngine.Evaluation.Sentence;

/// <summary>One sentence pair with its gold similarity.</summary>
public sealed record StsPair(double Score, string First, string Second);

/// <summary>One file of pairs: its group ("STS12", "STS13", "STS14" or "SICK-R") and name.</summary>
public sealed record StsFile(string Group, string Name, IReadOnlyList<StsPair> Pairs);

/// <summary>
/// The semantic-textual-similarity sets: SemEval STS 2012–2014 test files (<c>score&lt;TAB&gt;sentence1&lt;TAB&gt;sentence2</c>,
/// gold 0–5) and SICK relatedness (a header line, then <c>pair_ID sentence_A sentence_B relatedness_score
/// entailment_judgment</c>, gold 1–5), as SentEval groups them. The 2012 training files are left out, as SentEval
/// leaves them out.
/// </summary>
public static class StsData
{
    /// <summary>Every set under <paramref name="directory"/> (../shared/data/sts): 2012/, 2013/, 2014/ and sick2014/, in that order, files by name.</summary>
    /// <exception cref="EvaluationDataException">The directory holds none of them, or a file does not parse.</exception>
    public static IReadOnlyList<StsFile> Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new EvaluationDataException($"{directory} does not exist: it should hold the STS sets (2012/, 2013/, 2014/, sick2014/).");
        var files = new List<StsFile>();
        foreach (string year in new[] { "2012", "2013", "2014" })
        {
            string folder = Path.Combine(directory, year);
            if (!Directory.Exists(folder)) continue;
            foreach (string path in Directory.GetFiles(folder, "*.test.tsv").Order(StringComparer.Ordinal))
                files.Add(ReadSemEval(path, "STS" + year[2..]));
        }
        string sick = Path.Combine(directory, "sick2014");
        if (Directory.Exists(sick))
            foreach (string path in Directory.GetFiles(sick, "SICK_*.txt").Order(StringComparer.Ordinal)) files.Add(ReadSick(path));
        return files.Count > 0 ? files : throw new EvaluationDataException($"{directory} holds no STS files (2012/*.test.tsv … sick2014/SICK_*.txt).");
    }

    /// <summary>A SemEval file: <c>score&lt;TAB&gt;sentence1&lt;TAB&gt;sentence2</c> per line, the score in [0, 5].</summary>
    /// <exception cref="EvaluationDataException">The file is missing, empty, or a line lacks a column or has a score outside [0, 5].</exception>
    public static StsFile ReadSemEval(string path, string group)
    {
        string[] lines = EvaluationDataException.ReadLines(path);
        var pairs = new List<StsPair>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] columns = lines[i].Split('\t');
            if (columns.Length != 3) throw EvaluationDataException.AtLine(path, i + 1, $"expected score<TAB>sentence1<TAB>sentence2, found {columns.Length} column(s).");
            pairs.Add(new StsPair(Score(columns[0], 0, 5, path, i + 1), columns[1], columns[2]));
        }
        return pairs.Count > 0 ? new StsFile(group, Path.GetFileName(path), pairs) : throw EvaluationDataException.AtLine(path, 1, "the file has no pairs.");
    }

    /// <summary>A SICK file: a header line naming sentence_A, sentence_B and relatedness_score, then one pair a line, the score in [1, 5].</summary>
    /// <exception cref="EvaluationDataException">The file is missing or empty, the header lacks a column, or a line lacks a column or has a score outside [1, 5].</exception>
    public static StsFile ReadSick(string path)
    {
        string[] lines = EvaluationDataException.ReadLines(path);
        if (lines.Length == 0) throw EvaluationDataException.AtLine(path, 1, "the file is empty; a SICK file starts with its header.");
        string[] header = lines[0].Split('\t');
        int first = Array.IndexOf(header, "sentence_A"), second = Array.IndexOf(header, "sentence_B"), score = Array.IndexOf(header, "relatedness_score");
        if (first < 0 || second < 0 || score < 0) throw EvaluationDataException.AtLine(path, 1, "the header must name sentence_A, sentence_B and relatedness_score.");
        int needed = Math.Max(first, Math.Max(second, score)) + 1;
        var pairs = new List<StsPair>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] columns = lines[i].Split('\t');
            if (columns.Length < needed) throw EvaluationDataException.AtLine(path, i + 1, $"expected {needed} columns as the header says, found {columns.Length}.");
            pairs.Add(new StsPair(Score(columns[score], 1, 5, path, i + 1), columns[first], columns[second]));
        }
        return pairs.Count > 0 ? new StsFile("SICK-R", Path.GetFileName(path), pairs) : throw EvaluationDataException.AtLine(path, 2, "the file has no pairs.");
    }

    private static double Score(string text, double minimum, double maximum, string path, int line)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
            throw EvaluationDataException.AtLine(path, line, $"'{text}' is not a score.");
        if (!(score >= minimum && score <= maximum))
            throw EvaluationDataException.AtLine(path, line, string.Create(CultureInfo.InvariantCulture, $"the score {score} is outside [{minimum}, {maximum}]."));
        return score;
    }
}
