using EmbedEngine.Evaluation;

namespace EmbedEngine.Cli.Bench;

/// <summary>How <c>embed bench quality</c> was run; written into every report so a figure can be reproduced.</summary>
/// <param name="DataFolder">The folder holding questions-words.txt, word-sim/*.txt and spam-assassin/.</param>
/// <param name="Seed">The bootstrap seed.</param>
/// <param name="Resamples">Bootstrap resamples per interval.</param>
/// <param name="Restrict">The analogy vocabulary: the most frequent N words, as <c>embed eval analogy</c> defaults to.</param>
/// <param name="CommonVocabulary">Whether only questions and pairs every loaded model covers were scored.</param>
internal sealed record QualitySettings(string DataFolder, int Seed, int Resamples, int Restrict, bool CommonVocabulary);

/// <summary>One figure of one model with its 95% bootstrap interval and coverage.</summary>
/// <param name="Name">The section, group ("overall", "semantic", "syntactic") or similarity set.</param>
/// <param name="Value">Accuracy (0-1) or Spearman correlation; NaN when nothing was covered.</param>
/// <param name="Interval">The bootstrap interval of <paramref name="Value"/>.</param>
/// <param name="Covered">Questions answered or pairs found.</param>
/// <param name="Total">Questions or pairs in the file.</param>
internal sealed record BenchFigure(string Name, double Value, ConfidenceInterval Interval, int Covered, int Total);

/// <summary>What one model scored, or why it could not be scored.</summary>
/// <param name="Label">The name in the tables: the file name, or the path as given when two file names clash.</param>
/// <param name="Path">The model file's full path.</param>
/// <param name="Failure">Why the model failed to load; null when it was scored.</param>
/// <param name="Words">Vocabulary size (0 when it failed).</param>
/// <param name="Dimension">Vector dimension (0 when it failed).</param>
/// <param name="Analogy">Accuracy overall, semantic, syntactic, then per section; empty without questions.</param>
/// <param name="Similarity">Spearman per word-similarity set.</param>
/// <param name="Transfer">Test accuracy of the SpamAssassin transfer task (covered: test documents with a known word); empty without its data.</param>
internal sealed record ModelOutcome(string Label, string Path, string? Failure, int Words, int Dimension,
    IReadOnlyList<BenchFigure> Analogy, IReadOnlyList<BenchFigure> Similarity, IReadOnlyList<BenchFigure> Transfer)
{
    /// <summary>A model that could not be loaded.</summary>
    public static ModelOutcome Failed(string label, string path, string reason) => new(label, path, reason, 0, 0, [], [], []);
}

/// <summary>Everything one run of <c>embed bench quality</c> measured.</summary>
/// <param name="Settings">How it was run.</param>
/// <param name="Models">Every model given, in order.</param>
/// <param name="Skipped">A note per task whose data the folder lacks.</param>
internal sealed record QualityResults(QualitySettings Settings, IReadOnlyList<ModelOutcome> Models, IReadOnlyList<string> Skipped)
{
    /// <summary>The models that were scored.</summary>
    public IEnumerable<ModelOutcome> Scored => Models.Where(model => model.Failure is null);
}
