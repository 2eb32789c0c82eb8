namespace EmbedEngine.Evaluation;

/// <summary>What an analogy evaluation made of one question.</summary>
/// <param name="Section">Index of the question's section in <see cref="AnalogyAnswers.SectionNames"/>.</param>
/// <param name="Answered">Whether all four words are in the considered vocabulary (otherwise it was skipped).</param>
/// <param name="Correct">Whether it was answered with the expected word.</param>
public readonly record struct AnalogyAnswer(int Section, bool Answered, bool Correct);

/// <summary>
/// The per-question outcome of an analogy evaluation, in file order: what a bootstrap or a comparison on the
/// questions every model answered needs, and what <see cref="AnalogyReport"/> sums up.
/// </summary>
/// <param name="SectionNames">Every section, in file order.</param>
/// <param name="Questions">Every question of the file, in file order.</param>
public sealed record AnalogyAnswers(IReadOnlyList<string> SectionNames, IReadOnlyList<AnalogyAnswer> Questions)
{
    /// <summary>Sums the answers per section; with <paramref name="onlyQuestions"/>, a question outside it counts as skipped.</summary>
    /// <param name="onlyQuestions">Indices into <see cref="Questions"/> to score, e.g. those every compared model answered; null for all.</param>
    public AnalogyReport ToReport(IReadOnlySet<int>? onlyQuestions = null)
    {
        int sectionCount = SectionNames.Count;
        var correct = new int[sectionCount];
        var answered = new int[sectionCount];
        var skipped = new int[sectionCount];
        for (int i = 0; i < Questions.Count; i++)
        {
            AnalogyAnswer question = Questions[i];
            if (!question.Answered || (onlyQuestions is not null && !onlyQuestions.Contains(i)))
            {
                skipped[question.Section]++;
                continue;
            }
            answered[question.Section]++;
            if (question.Correct) correct[question.Section]++;
        }
        var sections = new AnalogySection[sectionCount];
        for (int s = 0; s < sectionCount; s++)
            sections[s] = new AnalogySection(SectionNames[s], correct[s], answered[s], skipped[s]);
        return new AnalogyReport(sections, correct.Sum(), answered.Sum(), skipped.Sum());
    }

    /// <summary>Indices of the answered questions.</summary>
    public IEnumerable<int> AnsweredQuestions() =>
        Enumerable.Range(0, Questions.Count).Where(i => Questions[i].Answered);
}
