using EmbedEngine.Cli.Commands;
using EmbedEngine.Evaluation;
using EmbedEngine.Evaluation.Transfer;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Bench;

/// <summary>
/// Runs word analogy, every word-similarity set and the SpamAssassin transfer task on each model, one model in memory
/// at a time, and turns the raw answers into figures with bootstrap intervals — over each model's own coverage or over
/// what every model covers (the transfer task always scores every test document).
/// </summary>
internal static class QualitySuite
{
    private const string QuestionsFile = "questions-words.txt";
    private const string SimilarityFolder = "word-sim";
    /// <summary>The transfer task's folder, whose name is also its figure's (as a similarity set's file name is).</summary>
    private const string SpamFolder = "spam-assassin";

    /// <summary>What one loaded model answered, kept after its vectors are freed.</summary>
    private sealed record RawOutcome(int Words, int Dimension, AnalogyAnswers? Analogy, IReadOnlyList<ScoredPairs> Similarity,
        BenchFigure? Transfer);

    /// <exception cref="DirectoryNotFoundException">The data folder is missing or holds no evaluation data.</exception>
    public static QualityResults Run(IReadOnlyList<string> modelPaths, QualitySettings settings, TextWriter progress)
    {
        if (!Directory.Exists(settings.DataFolder))
            throw new DirectoryNotFoundException($"{settings.DataFolder}: the data folder does not exist.");
        string questions = Path.Combine(settings.DataFolder, QuestionsFile);
        string similarityFolder = Path.Combine(settings.DataFolder, SimilarityFolder);
        string[] similaritySets = Directory.Exists(similarityFolder)
            ? [.. Directory.GetFiles(similarityFolder, "*.txt").Order(StringComparer.Ordinal)]
            : [];
        bool hasQuestions = File.Exists(questions);
        string spamFolder = Path.Combine(settings.DataFolder, SpamFolder);
        TransferData? spam = Directory.Exists(spamFolder) ? TransferData.Load(spamFolder) : null;
        if (!hasQuestions && similaritySets.Length == 0 && spam is null)
            throw new DirectoryNotFoundException(
                $"{settings.DataFolder}: holds none of {QuestionsFile}, {SimilarityFolder}/*.txt and {SpamFolder}/.");
        string[] skipped = spam is null ? [$"SpamAssassin transfer: {spamFolder} does not exist."] : [];
        foreach (string note in skipped) progress.WriteLine($"bench: skipped {note}");

        string[] labels = Labels(modelPaths);
        var raw = new RawOutcome?[modelPaths.Count];
        var failures = new string?[modelPaths.Count];
        for (int m = 0; m < modelPaths.Count; m++)
        {
            progress.WriteLine($"bench: {labels[m]}");
            KeyedVectors vectors;
            try
            {
                vectors = WordVectorFiles.Load(modelPaths[m]);
            }
            catch (Exception e) when (EmbedApplication.IsBadInput(e) || e is IOException)
            {
                failures[m] = e.Message;
                continue;
            }
            using (vectors)
            {
                // Data files are shared by every model: a malformed one is the user's error, not this model's failure.
                AnalogyAnswers? analogy = hasQuestions ? AnalogyEvaluator.AnswerEach(vectors, questions, settings.Restrict) : null;
                BenchFigure? transfer = spam is null ? null : BenchFigures.Transfer(SpamFolder,
                    TransferEvaluator.Evaluate(new MeanPoolingEncoder(vectors), spam, settings.Resamples, settings.Seed));
                raw[m] = new RawOutcome(vectors.Count, vectors.Dimension, analogy,
                    [.. similaritySets.Select(set => SimilarityEvaluator.ScorePairs(vectors, set))], transfer);
            }
        }

        RawOutcome[] loaded = [.. raw.OfType<RawOutcome>()];
        IReadOnlySet<int>? commonQuestions = settings.CommonVocabulary && hasQuestions && loaded.Length > 0
            ? Intersect(loaded.Select(r => r.Analogy!.AnsweredQuestions()))
            : null;
        IReadOnlySet<int>?[] commonLines = [.. similaritySets.Select((_, s) => settings.CommonVocabulary && loaded.Length > 0
            ? Intersect(loaded.Select(r => r.Similarity[s].Found.Select(pair => pair.Line)))
            : null)];

        var models = new ModelOutcome[modelPaths.Count];
        for (int m = 0; m < modelPaths.Count; m++)
        {
            string path = Path.GetFullPath(modelPaths[m]);
            if (raw[m] is not { } outcome)
            {
                models[m] = ModelOutcome.Failed(labels[m], path, failures[m]!);
                continue;
            }
            IReadOnlyList<BenchFigure> analogy = outcome.Analogy is null ? []
                : BenchFigures.Analogy(outcome.Analogy.ToReport(commonQuestions), settings);
            BenchFigure[] similarity = [.. outcome.Similarity.Select((pairs, s) => BenchFigures.Similarity(pairs, commonLines[s], settings))];
            models[m] = new ModelOutcome(labels[m], path, null, outcome.Words, outcome.Dimension, analogy, similarity,
                outcome.Transfer is { } transfer ? [transfer] : []);
        }
        return new QualityResults(settings, models, skipped);
    }

    private static HashSet<int> Intersect(IEnumerable<IEnumerable<int>> sets)
    {
        HashSet<int>? common = null;
        foreach (IEnumerable<int> set in sets)
        {
            if (common is null) common = [.. set];
            else common.IntersectWith(set);
        }
        return common ?? [];
    }

    /// <summary>File names, unless two clash: then the paths as given, which the user can tell apart.</summary>
    private static string[] Labels(IReadOnlyList<string> paths)
    {
        string[] names = [.. paths.Select(Path.GetFileName).Select(name => name ?? "")];
        return names.Distinct(StringComparer.Ordinal).Count() == names.Length ? names : [.. paths];
    }
}
