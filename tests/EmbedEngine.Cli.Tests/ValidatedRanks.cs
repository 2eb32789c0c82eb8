using System.Text.RegularExpressions;

namespace EmbedEngine.Cli.Tests;

/// <summary>A validating trainer run by two ranks against one process with the same global batch.</summary>
internal static class ValidatedRanks
{
    /// <summary>
    /// Runs <paramref name="arguments"/>(output folder) as one process and as 2 ranks (<c>--distributed</c>), validating
    /// at iterations 0, 4 and 8, and asserts that rank 0 alone printed one process's validation lines and that both
    /// saved the same weights (<see cref="SavedWeights"/>).
    /// </summary>
    public static void AssertMatchOneProcess(Func<string, string[]> arguments, string single, string ranks, Regex validationLine)
    {
        CliRun one = CliRun.Of(arguments(single));
        Assert.True(one.ExitCode == 0, one.Error);

        (int exit, string output, string error) = MpirunJob.Run(MpirunJob.Rank([.. arguments(ranks), "--distributed"]));
        Assert.True(exit == 0, error + output);
        // .NET's console starts each rank's pty (Open MPI's) by switching the keypad mode: not a line of the output.
        string[] validations = [.. validationLine.Matches(output.Replace("\e[?1h\e=", "", StringComparison.Ordinal)).Select(m => m.Value)];
        Assert.Equal(["iter 0", "iter 4", "iter 8"], validations.Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]));
        // The validation losses, printed to 4 places by rank 0 alone, are one process's.
        Assert.Equal(validationLine.Matches(one.Output).Select(m => m.Value), validations);
        Assert.Contains("2 ranks: ", output, StringComparison.Ordinal);
        SavedWeights.AssertMatch(Path.Combine(single, "model.safetensors"), Path.Combine(ranks, "model.safetensors"));
    }
}
