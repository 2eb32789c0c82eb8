using System.CommandLine;
using EmbedEngine.Kernels.Gpu;

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

    /// <summary>--device: where a trainer runs.</summary>
    public static Option<string> Device() =>
        new("--device") { Description = "cpu, cuda (the first GPU), cuda:N, or emulated (ILGPU's CPU accelerator: the GPU path, slowly, for tests).", DefaultValueFactory = _ => "cpu" };

    /// <summary>The GPU <paramref name="spec"/> names, opened before any work starts; null for the CPU.</summary>
    /// <exception cref="ArgumentException">The name is unknown, or names a GPU this machine does not have (what was found is in the message).</exception>
    public static GpuDevice? OpenDevice(string spec) =>
        string.Equals(spec.Trim(), "cpu", StringComparison.OrdinalIgnoreCase) ? null : GpuDevice.Open(spec);

    /// <summary>--metrics: progress as JSON lines.</summary>
    public static Option<FileInfo?> Metrics() =>
        new("--metrics") { Description = "Also write progress as JSON lines to this file." };
}
