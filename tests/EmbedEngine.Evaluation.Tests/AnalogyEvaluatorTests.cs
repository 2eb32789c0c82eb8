using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation.Tests;

public sealed class AnalogyEvaluatorTests : IDisposable
{
    private const int Dimension = 14;

    // Axes of the hand-made space.
    private const int Country = 0, Capital = 1, France = 2, Germany = 3, Italy = 4, Base = 5, Comparative = 6, Good = 7, Bad = 8;
    private const int E1 = 9, E2 = 10, E3 = 11, E4 = 12, E5 = 13;

    private const string Questions =
        ": capital-world\n" +
        "france paris germany berlin\n" +   // right
        "germany berlin italy rome\n" +     // right
        "france paris italy berlin\n" +     // wrong: the answer is rome
        "france paris spain madrid\n" +     // skipped: spain and madrid have no vectors
        "\n" +
        ": gram-comparative\n" +
        "good better bad worse\n" +
        "bad worse good better\n" +
        "GOOD BETTER BAD WORSE\n" +         // lowercased, unless matching is case-sensitive
        ": odd\n" +
        "a b c y\n";                        // 3CosAdd picks x, 3CosMul picks y

    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>
    /// Words are sums of orthogonal attributes (france = France + Country, paris = France + Capital, ...), so
    /// b - a + c lands exactly on the expected word. In the "odd" block, with b = e1, c = e2, a = e3: x has cosines
    /// 0.95 and 0.1 with b and c (sum 1.05), y has 0.5 and 0.5 (sum 1.0), both 0 with a. 3CosAdd prefers x;
    /// 3CosMul's products 0.975·0.55 = 0.536 against 0.75·0.75 = 0.5625 prefer y. Rome is the least frequent word.
    /// </summary>
    private static KeyedVectors Space() => TestVectors.Create(
        ("france", TestVectors.Axes(Dimension, France, Country)),
        ("paris", TestVectors.Axes(Dimension, France, Capital)),
        ("germany", TestVectors.Axes(Dimension, Germany, Country)),
        ("berlin", TestVectors.Axes(Dimension, Germany, Capital)),
        ("italy", TestVectors.Axes(Dimension, Italy, Country)),
        ("good", TestVectors.Axes(Dimension, Good, Base)),
        ("better", TestVectors.Axes(Dimension, Good, Comparative)),
        ("bad", TestVectors.Axes(Dimension, Bad, Base)),
        ("worse", TestVectors.Axes(Dimension, Bad, Comparative)),
        ("a", TestVectors.Axes(Dimension, E3)),
        ("b", TestVectors.Axes(Dimension, E1)),
        ("c", TestVectors.Axes(Dimension, E2)),
        ("x", With(E1, 0.95f, E2, 0.1f, E4, MathF.Sqrt(1 - 0.95f * 0.95f - 0.01f))),
        ("y", With(E1, 0.5f, E2, 0.5f, E5, MathF.Sqrt(0.5f))),
        ("rome", TestVectors.Axes(Dimension, Italy, Capital)));

    [Fact]
    public void CosAdd_counts_per_section()
    {
        using var vectors = Space();
        AnalogyReport report = AnalogyEvaluator.Evaluate(vectors, _files.Write("q.txt", Questions), restrictTo: 0);
        Assert.Equal(
            [new("capital-world", 2, 3, 1), new("gram-comparative", 3, 3, 0), new AnalogySection("odd", 0, 1, 0)],
            report.Sections);
        Assert.Equal((5, 7, 1), (report.Correct, report.Answered, report.Skipped));
        Assert.Equal(5.0 / 7, report.Accuracy, 12);
        Assert.Equal(2.0 / 4, report.SemanticAccuracy, 12);
        Assert.Equal(1.0, report.SyntacticAccuracy, 12);
        Assert.Equal(2.0 / 3, report.Sections[0].Accuracy, 12);
    }

    [Fact]
    public void CosMul_counts_per_section()
    {
        using var vectors = Space();
        AnalogyReport report = AnalogyEvaluator.Evaluate(vectors, _files.Write("q.txt", Questions), restrictTo: 0,
            AnalogyMethod.CosMul);
        Assert.Equal(
            [new("capital-world", 2, 3, 1), new("gram-comparative", 3, 3, 0), new AnalogySection("odd", 1, 1, 0)],
            report.Sections);
        Assert.Equal((6, 7, 1), (report.Correct, report.Answered, report.Skipped));
        Assert.Equal(3.0 / 4, report.SemanticAccuracy, 12);
    }

    [Theory]
    [InlineData(AnalogyMethod.CosAdd)]
    [InlineData(AnalogyMethod.CosMul)]
    public void RestrictTo_skips_questions_with_rare_words_and_removes_rare_answers(AnalogyMethod method)
    {
        using var vectors = Space();
        AnalogyReport report = AnalogyEvaluator.Evaluate(vectors, _files.Write("q.txt", Questions), restrictTo: 14, method);
        // Without rome, "germany berlin italy rome" is skipped, and "france paris italy berlin" becomes right:
        // berlin (cosine 0.5 with capital + italy) is now the best considered word.
        Assert.Equal(new AnalogySection("capital-world", 2, 2, 2), report.Sections[0]);
    }

    [Fact]
    public void Case_sensitive_matching_skips_words_spelled_differently()
    {
        using var vectors = Space();
        AnalogyReport report = AnalogyEvaluator.Evaluate(vectors, _files.Write("q.txt", Questions), restrictTo: 0,
            caseInsensitive: false);
        Assert.Equal(new AnalogySection("gram-comparative", 2, 2, 1), report.Sections[1]);
    }

    [Fact]
    public void Case_insensitive_matching_finds_capitalised_vocabularies_and_excludes_every_spelling_of_the_question()
    {
        // "Paris" (a rarer spelling of the question word) lies exactly on germany - france + paris; berlin is a
        // little off. Case-insensitively "Paris" is the question word and may not answer; case-sensitively it may.
        float[] berlin = TestVectors.Axes(Dimension, Germany, Capital);
        berlin[Country] = 0.1f;
        using var vectors = TestVectors.Create(
            ("France", TestVectors.Axes(Dimension, France, Country)),
            ("paris", TestVectors.Axes(Dimension, France, Capital)),
            ("Germany", TestVectors.Axes(Dimension, Germany, Country)),
            ("berlin", berlin),
            ("Paris", TestVectors.Axes(Dimension, Germany, Capital)));
        string path = _files.Write("caps.txt", ": capitals\nfrance paris germany berlin\nFrance paris Germany berlin\n");

        AnalogyReport insensitive = AnalogyEvaluator.Evaluate(vectors, path, restrictTo: 0);
        Assert.Equal((2, 2, 0), (insensitive.Correct, insensitive.Answered, insensitive.Skipped));

        AnalogyReport sensitive = AnalogyEvaluator.Evaluate(vectors, path, restrictTo: 0, caseInsensitive: false);
        Assert.Equal((0, 1, 1), (sensitive.Correct, sensitive.Answered, sensitive.Skipped));
    }

    [Fact]
    public void Spellings_form_groups_led_by_the_most_frequent()
    {
        using var vectors = TestVectors.Create(("the", [1f]), ("Paris", [2f]), ("paris", [3f]), ("PARIS", [4f]));
        var vocabulary = new AnalogyVocabulary(vectors, rows: 3, caseInsensitive: true);
        Assert.Equal(1, vocabulary.Find("pArIs"));
        Assert.Equal(1, vocabulary.GroupOf(2));
        Assert.Equal(2, vocabulary.LargestGroup); // PARIS lies outside the 3 considered rows
        Assert.Equal(-1, new AnalogyVocabulary(vectors, rows: 3, caseInsensitive: false).Find("PARIS"));
    }

    /// <summary>
    /// The batched search gives the answers of <see cref="KeyedVectors.MostSimilar(IReadOnlyList{string}, IReadOnlyList{string}, int, int)"/>
    /// and <see cref="KeyedVectors.MostSimilarCosMul"/> asked one question at a time: with mostly distinct words
    /// (one query per question for 3CosAdd) and with a small word pool (each word scored once), in one chunk and
    /// in chunks of a few words each.
    /// </summary>
    [Theory]
    [InlineData(AnalogyMethod.CosAdd, 1100, false)]
    [InlineData(AnalogyMethod.CosAdd, 40, false)]
    [InlineData(AnalogyMethod.CosAdd, 40, true)]
    [InlineData(AnalogyMethod.CosAdd, 1100, true)]
    [InlineData(AnalogyMethod.CosMul, 1100, false)]
    [InlineData(AnalogyMethod.CosMul, 40, true)]
    public void Batched_answers_match_one_query_at_a_time(AnalogyMethod method, int wordPool, bool smallChunks)
    {
        // Enough words for several row blocks and tiles on both threads.
        const int Words = 1100, RestrictTo = 1000;
        using var vectors = TestVectors.Random(Words, dimension: 24, seed: 3);
        var random = new Random(5);
        // The pool is spread over all words, so that a small pool still reaches past RestrictTo.
        int stride = Words / wordPool;
        string Pick() => $"w{random.Next(wordPool) * stride}";
        var lines = new List<string>();
        int expectedCorrect = 0, expectedAnswered = 0, expectedSkipped = 0;
        for (int i = 0; i < 300; i++)
        {
            if (i % 150 == 0) lines.Add($": section-{i / 150}");
            string a = Pick(), b = Pick(), c = Pick();
            if (a == b || b == c || a == c) continue;
            bool inRange = new[] { a, b, c }.All(w => vectors.IndexOf(w) < RestrictTo);
            string? best = inRange
                ? (method == AnalogyMethod.CosAdd
                    ? vectors.MostSimilar([b, c], [a], 1, RestrictTo)
                    : vectors.MostSimilarCosMul([b, c], [a], 1, RestrictTo))[0].Word
                : null;
            string d = best is not null && i % 2 == 0 ? best : $"w{random.Next(Words)}";
            lines.Add($"{a} {b} {c} {d}");
            if (!inRange || vectors.IndexOf(d) >= RestrictTo) expectedSkipped++;
            else
            {
                expectedAnswered++;
                if (d == best) expectedCorrect++;
            }
        }
        long budget = smallChunks ? 5L * RestrictTo * sizeof(float) : BatchedAnalogySearch.DefaultScoreBudgetBytes;
        AnalogyReport report = AnalogyEvaluator.AnswerEach(vectors, _files.Write("random.txt", string.Join('\n', lines)),
            RestrictTo, method, caseInsensitive: true, budget).ToReport();
        Assert.Equal((expectedCorrect, expectedAnswered, expectedSkipped), (report.Correct, report.Answered, report.Skipped));
        Assert.True(expectedCorrect > 80, $"only {expectedCorrect} answers could be checked");
    }

    [Fact]
    public void Answers_per_question_sum_to_the_report_and_a_subset_skips_the_rest()
    {
        using var vectors = Space();
        string path = _files.Write("q.txt", Questions);
        AnalogyAnswers answers = AnalogyEvaluator.AnswerEach(vectors, path, restrictTo: 0);
        // File order: right, right, wrong, skipped (spain), then three right comparatives and the odd question (x, not y).
        Assert.Equal([true, true, true, false, true, true, true, true], answers.Questions.Select(q => q.Answered));
        Assert.Equal([true, true, false, false, true, true, true, false], answers.Questions.Select(q => q.Correct));
        Assert.Equal([0, 1, 2, 4, 5, 6, 7], answers.AnsweredQuestions());
        AnalogyReport full = answers.ToReport();
        Assert.Equal((5, 7, 1), (full.Correct, full.Answered, full.Skipped));
        Assert.Equal(AnalogyEvaluator.Evaluate(vectors, path, restrictTo: 0).Sections, full.Sections);
        AnalogyReport subset = answers.ToReport(new HashSet<int> { 1, 2, 7 });
        Assert.Equal((1, 3, 5), (subset.Correct, subset.Answered, subset.Skipped));
        Assert.Equal(new AnalogySection("capital-world", 1, 2, 2), subset.Sections[0]);
    }

    [Fact]
    public void Questions_before_any_section_get_a_placeholder_section()
    {
        using var vectors = Space();
        AnalogyReport report = AnalogyEvaluator.Evaluate(vectors, _files.Write("q.txt", "good better bad worse\n"), 0);
        Assert.Equal(new AnalogySection(AnalogyQuestions.UnnamedSection, 1, 1, 0), Assert.Single(report.Sections));
    }

    [Theory]
    [InlineData(": s\ngood better bad\n", 2)]
    [InlineData("good better bad worse\n\ngood better bad worse best\n", 3)]
    public void Malformed_question_lines_name_the_file_and_line(string contents, int line)
    {
        using var vectors = Space();
        string path = _files.Write("bad.txt", contents);
        var error = Assert.Throws<EvaluationDataException>(() => AnalogyEvaluator.Evaluate(vectors, path));
        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith($"{path}:{line}:", error.Message);
    }

    [Fact]
    public void Missing_question_file_is_reported()
    {
        using var vectors = Space();
        string path = _files.PathOf("absent.txt");
        Assert.Contains(path, Assert.Throws<EvaluationDataException>(() => AnalogyEvaluator.Evaluate(vectors, path)).Message);
    }

    private static float[] With(int axis1, float value1, int axis2, float value2, int axis3, float value3)
    {
        var vector = new float[Dimension];
        vector[axis1] = value1;
        vector[axis2] = value2;
        vector[axis3] = value3;
        return vector;
    }
}
