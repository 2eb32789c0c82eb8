using System.CommandLine;
using EmbedEngine.Cli.Bench;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Kernels.Speed;
using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed bench speed</c>: every kernel variant on the standard shapes (<see cref="SpeedShapes"/>), with speed-ups
/// against the scalar reference and rates against the FMA peak and memory bandwidth probed in the same run. The table
/// goes to standard output, progress to standard error on a terminal (none when it is redirected).
/// </summary>
internal static class BenchSpeedCommand
{
    /// <summary>The default budget: with the probes and setup the whole set stays within 90 s on 2 cores.</summary>
    private const double DefaultSeconds = 60;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var kernels = new Option<string?>("--kernels", "-k") { Description = $"Kernels to time: comma-separated names or globs, e.g. 'Dot,*Sgns*' (default: all of {string.Join(", ", SpeedCatalogue.Kernels)})." };
        var seconds = new Option<double>("--seconds", "-s") { Description = "Seconds for all the kernel measurements together, shared equally by every variant run.", DefaultValueFactory = _ => DefaultSeconds };
        var variant = new Option<string?>("--variant") { Description = $"An experimental variant to time beside the shipped ones, only on its kernel (default: ${ExperimentalVariants.EnvironmentVariable}, else every registered one)." };
        var results = new Option<FileInfo?>("--output", "-o") { Description = "Also write the rows and peaks as JSON to this file." };
        var command = new Command("speed", "Time every kernel variant (scalar, AVX2, AVX-512, GPU, experimental) on the standard shapes against the measured peaks.")
            { kernels, seconds, variant, results };
        command.SetAction(parsed =>
        {
            string? name = parsed.GetValue(variant);
            ExperimentalVariant? experimental = name is { Length: > 0 } ? ExperimentalVariants.Find(name) : ExperimentalVariants.Requested;
            SpeedReport report = SpeedSuite.Run(new SpeedSettings(parsed.GetValue(kernels), parsed.GetValue(seconds), experimental), ProgressReporter.LinesFor(error));
            output.Write(SpeedTable.Render(report));
            if (parsed.GetValue(results) is { } file)
            {
                AtomicFile.Write(file.FullName, stream => SpeedJson.Write(stream, report));
                output.WriteLine($"wrote {file.FullName}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
