using EmbedEngine.Cli.Commands;
using EmbedEngine.Evaluation;
using EmbedEngine.Evaluation.Sentence;
using EmbedEngine.Evaluation.Transfer;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Contextual.Elmo;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Cli.Bench;

/// <summary>
/// Runs every evaluation that applies to each model, one model in memory at a time: word analogy and similarity for
/// word vectors; STS/SICK and the SpamAssassin transfer task for anything that encodes sentences (word vectors by
/// mean pooling, as <c>embed eval sts</c> pools them, a CLIP-like model by its text tower); perplexity and a BERT-like
/// model's masked-token accuracy for language models; zero-shot, retrieval and a linear probe for a CLIP-like model.
/// Word-vector answers become figures last, over each model's own coverage or over what every word-vector model covers.
/// </summary>
internal static class QualitySuite
{
    /// <summary>What one model answered, kept after it is freed.</summary>
    private sealed class RawOutcome(BenchModelKind kind)
    {
        public BenchModelKind Kind { get; } = kind;
        public int Words { get; set; }
        public int Dimension { get; set; }
        public AnalogyAnswers? Analogy { get; set; }
        public IReadOnlyList<ScoredPairs> Similarity { get; set; } = [];
        public Dictionary<string, IReadOnlyList<BenchFigure>> Figures { get; } = [];
        public List<string> Notes { get; } = [];
    }

    /// <summary>A model file that could not be read: the model's row says why, and the suite goes on.</summary>
    private sealed class ModelLoadException(string message, Exception inner) : Exception(message, inner);

    /// <exception cref="DirectoryNotFoundException">The data folder is missing or holds no evaluation data.</exception>
    public static QualityResults Run(IReadOnlyList<string> modelPaths, QualitySettings settings, TextWriter progress)
    {
        QualityData data = QualityData.Load(settings);
        string[] labels = Labels(modelPaths);
        var raw = new RawOutcome?[modelPaths.Count];
        var kinds = new BenchModelKind?[modelPaths.Count];
        var failures = new string?[modelPaths.Count];
        for (int m = 0; m < modelPaths.Count; m++)
        {
            progress.WriteLine($"bench: {labels[m]}");
            try
            {
                string path = modelPaths[m];
                kinds[m] = Loaded(() => BenchModelKinds.Detect(path));
                raw[m] = Evaluate(path, kinds[m]!.Value, data, settings);
            }
            catch (ModelLoadException e)
            {
                failures[m] = e.Message;
            }
        }
        IReadOnlyList<string> skipped = data.Skipped([.. kinds.OfType<BenchModelKind>()]);
        foreach (string note in skipped) progress.WriteLine($"bench: skipped {note}");

        RawOutcome[] wordModels = [.. raw.OfType<RawOutcome>().Where(r => r.Kind == BenchModelKind.WordVectors)];
        bool common = settings.CommonVocabulary && wordModels.Length > 0;
        IReadOnlySet<int>? commonQuestions = common && data.Questions is not null
            ? Intersect(wordModels.Select(r => r.Analogy!.AnsweredQuestions()))
            : null;
        IReadOnlySet<int>?[] commonLines = [.. data.SimilaritySets.Select((_, s) => common
            ? Intersect(wordModels.Select(r => r.Similarity[s].Found.Select(pair => pair.Line)))
            : null)];

        var models = new ModelOutcome[modelPaths.Count];
        for (int m = 0; m < modelPaths.Count; m++)
        {
            string path = Path.GetFullPath(modelPaths[m]);
            string? kind = kinds[m] is { } known ? BenchModelKinds.Name(known) : null;
            if (raw[m] is not { } outcome)
            {
                models[m] = ModelOutcome.Failed(labels[m], path, kind, failures[m]!);
                continue;
            }
            if (outcome.Analogy is not null)
                outcome.Figures[BenchTasks.Analogy.Key] = BenchFigures.Analogy(outcome.Analogy.ToReport(commonQuestions), settings);
            if (outcome.Kind == BenchModelKind.WordVectors && outcome.Similarity.Count > 0)
                outcome.Figures[BenchTasks.Similarity.Key] = [.. outcome.Similarity.Select((pairs, s) => BenchFigures.Similarity(pairs, commonLines[s], settings))];
            models[m] = new ModelOutcome(labels[m], path, null, kind, outcome.Words, outcome.Dimension, outcome.Figures, outcome.Notes);
        }
        (string, int)? heldOut = data.HeldOutText is { } text ? (data.HeldOutTextPath, text.Length) : null;
        return new QualityResults(settings, heldOut, models, skipped);
    }

    /// <summary>Every evaluation that applies to a <paramref name="kind"/> model and has its data.</summary>
    /// <exception cref="ModelLoadException">The model could not be read.</exception>
    private static RawOutcome Evaluate(string path, BenchModelKind kind, QualityData data, QualitySettings settings)
    {
        var outcome = new RawOutcome(kind);
        if (BenchModelKinds.EncodesSentences(kind))
        {
            using OpenedEncoder opened = Loaded(() => SentenceEncoderArguments.Open(Choice(path, kind)));
            EncodeSentences(opened, data, settings, outcome);
        }
        if (BenchModelKinds.ModelsLanguage(kind) && data.HeldOutText is { } text)
            Measure(outcome, $"perplexity on {data.HeldOutTextPath}", () =>
            {
                foreach ((string task, IReadOnlyList<BenchFigure> figures) in MeasureLanguage(path, kind, text, settings)) outcome.Figures[task] = figures;
            });
        if (kind == BenchModelKind.Clip && data.Digits is (CaptionedDigits training, CaptionedDigits test))
        {
            using ClipModel clip = Loaded(() => ClipCheckpoint.Load(path));
            outcome.Figures[BenchTasks.ImageText.Key] = ImageTextFigures.Measure(clip, training, test, settings);
        }
        return outcome;
    }

    /// <summary>What <c>embed eval sts</c> and <c>embed eval transfer</c> would load for the model, with their default pooling and layers.</summary>
    private static EncoderChoice Choice(string path, BenchModelKind kind) => kind switch
    {
        BenchModelKind.WordVectors => new EncoderChoice(path, null, null),
        BenchModelKind.Doc2Vec => new EncoderChoice(null, null, path),
        _ => new EncoderChoice(null, path, null),
    };

    private static void EncodeSentences(OpenedEncoder opened, QualityData data, QualitySettings settings, RawOutcome outcome)
    {
        // Data files are shared by every model: a malformed one is the user's error, not this model's failure.
        outcome.Dimension = opened.Encoder.Dimension;
        if (opened.Words is { } vectors)
        {
            outcome.Words = vectors.Count;
            outcome.Analogy = data.Questions is { } questions ? AnalogyEvaluator.AnswerEach(vectors, questions, settings.Restrict) : null;
            outcome.Similarity = [.. data.SimilaritySets.Select(set => SimilarityEvaluator.ScorePairs(vectors, set))];
        }
        if (data.Spam is { } spam)
            Measure(outcome, "SpamAssassin transfer", () => outcome.Figures[BenchTasks.Transfer.Key] = [BenchFigures.Transfer(QualityData.SpamFolder,
                TransferEvaluator.Evaluate(opened.Encoder, spam, settings.Resamples, settings.Seed))]);
        if (data.Sts is { } sts)
            Measure(outcome, "STS/SICK", () => outcome.Figures[BenchTasks.Sts.Key] = BenchFigures.Sts(StsEvaluator.Score(opened.Encoder, sts), settings));
    }

    /// <summary>
    /// Runs <paramref name="measure"/>, which stores its task's figures; a text the model cannot read (a character
    /// outside a character model's vocabulary) leaves the task unmeasured with a note, as the command would refuse it,
    /// and the rest still runs.
    /// </summary>
    private static void Measure(RawOutcome outcome, string what, Action measure)
    {
        try
        {
            measure();
        }
        catch (ArgumentException e)
        {
            outcome.Notes.Add($"{what} not measured: {e.Message}");
        }
    }

    /// <exception cref="ArgumentException">The text is one the model cannot read.</exception>
    private static IReadOnlyDictionary<string, IReadOnlyList<BenchFigure>> MeasureLanguage(string path, BenchModelKind kind, string text, QualitySettings settings)
    {
        if (kind == BenchModelKind.BiLm)
        {
            using BidirectionalLanguageModel biLm = Loaded(() => BiLmCheckpoint.Load(path));
            return LanguageModelFigures.Measure(biLm, text);
        }
        using LanguageModel model = Loaded(() => ContextualCheckpoint.Load(path));
        return LanguageModelFigures.Measure(model, text, settings);
    }

    /// <summary>Runs <paramref name="load"/>; a file it cannot read becomes this model's failure.</summary>
    private static T Loaded<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (EmbedApplication.IsBadInput(e) || e is IOException)
        {
            throw new ModelLoadException(e.Message, e);
        }
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
        string[] names = [.. paths.Select(p => Path.GetFileName(Path.TrimEndingDirectorySeparator(p)))];
        return names.Distinct(StringComparer.Ordinal).Count() == names.Length ? names : [.. paths];
    }
}
