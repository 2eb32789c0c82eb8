using System.CommandLine;

namespace EmbedEngine.Cli.Commands;

/// <summary>The options every <c>embed train</c> command shares, defined once.</summary>
internal static class TrainingOptions
{
    /// <summary>--output (-o): the vector file; <paramref name="aliases"/> add a trainer's own spellings.</summary>
    public static Option<FileInfo> VectorsOutput(params string[] aliases) =>
        new("--output", ["-o", .. aliases]) { Description = "Where to write the vectors (.bin, .txt, .vec or .eev; the extension picks the format).", Required = true };

    /// <summary>--format: overrides the format the extension implies.</summary>
    public static Option<string?> Format() =>
        new("--format") { Description = "Force the output format: word2vec-text, word2vec-binary, vec or native." };

    /// <summary>--threads.</summary>
    public static Option<int> Threads(params string[] aliases) =>
        new("--threads", aliases) { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };

    /// <summary>--seed; <paramref name="description"/> says when a run is deterministic, by default with one thread (Hogwild training).</summary>
    public static Option<ulong> Seed(ulong defaultSeed, string description = "Random seed; with --threads 1 the run is deterministic.") =>
        new("--seed") { Description = description, DefaultValueFactory = _ => defaultSeed };

    /// <summary>--metrics: progress as JSON lines.</summary>
    public static Option<FileInfo?> Metrics() =>
        new("--metrics") { Description = "Also write progress as JSON lines to this file." };
}
