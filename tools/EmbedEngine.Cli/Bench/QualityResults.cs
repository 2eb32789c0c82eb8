using EmbedEngine.Evaluation;

namespace EmbedEngine.Cli.Bench;

/// <summary>How <c>embed bench quality</c> was run; written into every report so a figure can be reproduced.</summary>
/// <param name="DataFolder">The folder holding the evaluation data (<see cref="QualityData"/>).</param>
/// <param name="Seed">The bootstrap seed.</param>
/// <param name="Resamples">Bootstrap resamples per interval.</param>
/// <param name="Restrict">The analogy vocabulary: the most frequent N words, as <c>embed eval analogy</c> defaults to.</param>
/// <param name="CommonVocabulary">Whether only questions and pairs every loaded word-vector model covers were scored.</param>
/// <param name="HeldOutText">The language models' text as given; null: wikitext-2/test.txt under the data folder.</param>
/// <param name="HeldOutCharacters">How much of that text is measured: its first N characters, cut at a word boundary (0: all).</param>
internal sealed record QualitySettings(string DataFolder, int Seed, int Resamples, int Restrict, bool CommonVocabulary,
    string? HeldOutText = null, int HeldOutCharacters = 0);

/// <summary>One figure of one model with its 95% bootstrap interval and coverage.</summary>
/// <param name="Name">The section, group ("overall", "semantic", "syntactic"), similarity set, STS group or measure.</param>
/// <param name="Value">Accuracy (0-1), Spearman correlation (x100 for STS) or perplexity; NaN when nothing was covered.</param>
/// <param name="Interval">The bootstrap interval of <paramref name="Value"/>; undefined where the task has none.</param>
/// <param name="Covered">Questions answered, pairs found or encoded, documents covered, tokens predicted, items.</param>
/// <param name="Total">Questions, pairs, documents, tokens or items in the data.</param>
internal sealed record BenchFigure(string Name, double Value, ConfidenceInterval Interval, int Covered, int Total);

/// <summary>What one model scored, or why it could not be scored.</summary>
/// <param name="Label">The name in the tables: the file name, or the path as given when two file names clash.</param>
/// <param name="Path">The model file's or folder's full path.</param>
/// <param name="Failure">Why the model failed to load; null when it was scored.</param>
/// <param name="Kind">What the model is (<see cref="BenchModelKinds.Name"/>); null when it failed before that was known.</param>
/// <param name="Words">Vocabulary size of word vectors (0 for other kinds and failures).</param>
/// <param name="Dimension">Sentence or word vector dimension (0 for a model that encodes no sentences).</param>
/// <param name="Figures">Per task (<see cref="BenchTask.Key"/>), the model's figures; a task that does not apply is absent.</param>
/// <param name="Notes">Why a task that applies was not measured (a text the model cannot read).</param>
internal sealed record ModelOutcome(string Label, string Path, string? Failure, string? Kind, int Words, int Dimension,
    IReadOnlyDictionary<string, IReadOnlyList<BenchFigure>> Figures, IReadOnlyList<string> Notes)
{
    /// <summary>A model that could not be loaded.</summary>
    public static ModelOutcome Failed(string label, string path, string? kind, string reason) =>
        new(label, path, reason, kind, 0, 0, new Dictionary<string, IReadOnlyList<BenchFigure>>(), []);

    /// <summary>The figures of <paramref name="task"/>; empty where it does not apply or its data is absent.</summary>
    public IReadOnlyList<BenchFigure> Of(BenchTask task) => Figures.TryGetValue(task.Key, out IReadOnlyList<BenchFigure>? figures) ? figures : [];
}

/// <summary>Everything one run of <c>embed bench quality</c> measured.</summary>
/// <param name="Settings">How it was run.</param>
/// <param name="HeldOutText">The language models' text and how many characters of it were measured; null without one.</param>
/// <param name="Models">Every model given, in order.</param>
/// <param name="Skipped">A note per task whose data the folder lacks.</param>
internal sealed record QualityResults(QualitySettings Settings, (string Path, int Characters)? HeldOutText, IReadOnlyList<ModelOutcome> Models,
    IReadOnlyList<string> Skipped)
{
    /// <summary>The models that were scored.</summary>
    public IEnumerable<ModelOutcome> Scored => Models.Where(model => model.Failure is null);
}
