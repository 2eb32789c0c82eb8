namespace EmbedEngine.Evaluation;

/// <summary>One question a : b :: c : expected, with the section it belongs to.</summary>
internal readonly record struct AnalogyQuestion(int Section, string A, string B, string C, string Expected);

/// <summary>
/// An analogy file in word2vec's questions-words.txt layout: ": section-name" lines start sections, every other
/// non-blank line holds four words separated by spaces or tabs.
/// </summary>
internal sealed record AnalogyQuestions(IReadOnlyList<string> SectionNames, IReadOnlyList<AnalogyQuestion> Questions)
{
    /// <summary>Name of the section of questions that come before any ": name" line.</summary>
    public const string UnnamedSection = "(unnamed)";

    private static readonly char[] Separators = [' ', '\t'];

    /// <exception cref="EvaluationDataException">The file is missing or a line is not a section or four words.</exception>
    public static AnalogyQuestions Read(string path, bool lowercase)
    {
        string[] lines = EvaluationDataException.ReadLines(path);
        var sections = new List<string>();
        var questions = new List<AnalogyQuestion>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith(':'))
            {
                sections.Add(line[1..].Trim());
                continue;
            }
            string[] words = (lowercase ? line.ToLowerInvariant() : line).Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 4)
                throw EvaluationDataException.AtLine(path, i + 1,
                    $"expected a ': section' line or four words 'a b c d', found '{line}'.");
            if (sections.Count == 0) sections.Add(UnnamedSection);
            questions.Add(new AnalogyQuestion(sections.Count - 1, words[0], words[1], words[2], words[3]));
        }
        return new AnalogyQuestions(sections, questions);
    }
}
