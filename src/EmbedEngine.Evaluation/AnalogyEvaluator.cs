using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation;

/// <summary>Word-analogy benchmarks (word2vec's questions-words.txt, BATS, MSR...): a : b :: c : ?</summary>
public static class AnalogyEvaluator
{
    /// <summary>
    /// Answers every question of <paramref name="questionsPath"/> as word2vec's compute-accuracy does: only the first
    /// <paramref name="restrictTo"/> (most frequent) words are considered, a question with a word outside them is
    /// skipped, and the answer is the best considered word other than the three question words.
    /// </summary>
    /// <param name="vectors">The vectors to evaluate, most frequent word first.</param>
    /// <param name="questionsPath">": section" lines and "a b c d" questions.</param>
    /// <param name="restrictTo">How many of the most frequent words to consider; 0 for all. word2vec's default is 30,000.</param>
    /// <param name="method">3CosAdd or 3CosMul.</param>
    /// <param name="caseInsensitive">
    /// Lowercase the questions and match every spelling of a word (the most frequent spelling stands for the word);
    /// otherwise words must match exactly.
    /// </param>
    /// <exception cref="EvaluationDataException">The file is missing or has a malformed line.</exception>
    public static AnalogyReport Evaluate(KeyedVectors vectors, string questionsPath, int restrictTo = 30000,
        AnalogyMethod method = AnalogyMethod.CosAdd, bool caseInsensitive = true) =>
        AnswerEach(vectors, questionsPath, restrictTo, method, caseInsensitive).ToReport();

    /// <summary>
    /// Answers every question as <see cref="Evaluate(KeyedVectors, string, int, AnalogyMethod, bool)"/> does and
    /// returns the outcome of each, for bootstrap intervals and comparisons on the questions several models answered.
    /// </summary>
    /// <exception cref="EvaluationDataException">The file is missing or has a malformed line.</exception>
    public static AnalogyAnswers AnswerEach(KeyedVectors vectors, string questionsPath, int restrictTo = 30000,
        AnalogyMethod method = AnalogyMethod.CosAdd, bool caseInsensitive = true) =>
        AnswerEach(vectors, questionsPath, restrictTo, method, caseInsensitive, BatchedAnalogySearch.DefaultScoreBudgetBytes);

    /// <summary><see cref="AnswerEach(KeyedVectors, string, int, AnalogyMethod, bool)"/> with a chosen memory budget
    /// for cached scores (tests shrink it to exercise chunking).</summary>
    internal static AnalogyAnswers AnswerEach(KeyedVectors vectors, string questionsPath, int restrictTo,
        AnalogyMethod method, bool caseInsensitive, long scoreBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrEmpty(questionsPath);
        ArgumentOutOfRangeException.ThrowIfNegative(restrictTo);
        var file = AnalogyQuestions.Read(questionsPath, caseInsensitive);
        int rows = restrictTo == 0 ? vectors.Count : Math.Min(restrictTo, vectors.Count);
        var vocabulary = new AnalogyVocabulary(vectors, rows, caseInsensitive);

        var answers = new AnalogyAnswer[file.Questions.Count];
        var queries = new List<(int A, int B, int C)>();
        var expected = new List<(int Question, int Group)>();
        for (int q = 0; q < file.Questions.Count; q++)
        {
            AnalogyQuestion question = file.Questions[q];
            answers[q] = new AnalogyAnswer(question.Section, Answered: false, Correct: false);
            int a = vocabulary.Find(question.A), b = vocabulary.Find(question.B), c = vocabulary.Find(question.C);
            int answer = vocabulary.Find(question.Expected);
            if (a < 0 || b < 0 || c < 0 || answer < 0) continue;
            queries.Add((a, b, c));
            expected.Add((q, answer));
        }

        int candidates = vocabulary.CandidatesPerQuestion;
        int[] ranked = BatchedAnalogySearch.TopRows(vectors, rows, queries, method, candidates, scoreBudgetBytes);
        for (int i = 0; i < queries.Count; i++)
        {
            int predicted = FirstAllowed(vocabulary, ranked.AsSpan(i * candidates, candidates), queries[i]);
            (int q, int group) = expected[i];
            bool correct = predicted >= 0 && vocabulary.GroupOf(predicted) == group;
            answers[q] = answers[q] with { Answered = true, Correct = correct };
        }
        return new AnalogyAnswers(file.SectionNames, answers);
    }

    /// <summary>The best ranked row outside the groups of the question words, or -1.</summary>
    private static int FirstAllowed(AnalogyVocabulary vocabulary, ReadOnlySpan<int> ranked, (int A, int B, int C) question)
    {
        foreach (int row in ranked)
        {
            if (row < 0) break;
            int group = vocabulary.GroupOf(row);
            if (group != question.A && group != question.B && group != question.C) return row;
        }
        return -1;
    }
}
