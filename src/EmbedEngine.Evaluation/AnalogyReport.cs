namespace EmbedEngine.Evaluation;

/// <summary>How an analogy a : b :: c : ? is answered.</summary>
public enum AnalogyMethod
{
    /// <summary>3CosAdd (Mikolov et al.): the word closest in cosine to b - a + c, as word2vec and gensim do.</summary>
    CosAdd,

    /// <summary>3CosMul (Levy &amp; Goldberg, 2014): argmax cos'(w, b)·cos'(w, c) / (cos'(w, a) + 0.001), cos' = (1 + cos) / 2.</summary>
    CosMul,
}

/// <summary>One section of an analogy file (the questions after one ": name" line).</summary>
/// <param name="Name">The section name, e.g. "capital-common-countries" or "gram3-comparative".</param>
/// <param name="Correct">Questions answered with the expected word.</param>
/// <param name="Answered">Questions whose four words are all in the considered vocabulary.</param>
/// <param name="Skipped">Questions with a word outside the considered vocabulary.</param>
public sealed record AnalogySection(string Name, int Correct, int Answered, int Skipped)
{
    /// <summary>Correct / Answered, or 0 when nothing was answered.</summary>
    public double Accuracy => Ratio(Correct, Answered);

    /// <summary>
    /// Whether the section tests syntax; by the convention of word2vec's questions-words.txt, syntactic section
    /// names start with "gram".
    /// </summary>
    public bool IsSyntactic => Name.StartsWith("gram", StringComparison.OrdinalIgnoreCase);

    internal static double Ratio(int correct, int answered) => answered == 0 ? 0 : (double)correct / answered;
}

/// <summary>The result of an analogy evaluation: per section and in total.</summary>
/// <param name="Sections">Every section, in file order.</param>
/// <param name="Correct">Correct answers over all sections.</param>
/// <param name="Answered">Answered questions over all sections.</param>
/// <param name="Skipped">Skipped questions over all sections.</param>
public sealed record AnalogyReport(IReadOnlyList<AnalogySection> Sections, int Correct, int Answered, int Skipped)
{
    /// <summary>Correct / Answered over all sections (0 when nothing was answered), word2vec's "Total accuracy".</summary>
    public double Accuracy => AnalogySection.Ratio(Correct, Answered);

    /// <summary>Accuracy over the sections that are not syntactic.</summary>
    public double SemanticAccuracy => AccuracyOver(syntactic: false);

    /// <summary>Accuracy over the syntactic ("gram...") sections.</summary>
    public double SyntacticAccuracy => AccuracyOver(syntactic: true);

    private double AccuracyOver(bool syntactic)
    {
        int correct = 0, answered = 0;
        foreach (AnalogySection section in Sections)
        {
            if (section.IsSyntactic != syntactic) continue;
            correct += section.Correct;
            answered += section.Answered;
        }
        return AnalogySection.Ratio(correct, answered);
    }
}
