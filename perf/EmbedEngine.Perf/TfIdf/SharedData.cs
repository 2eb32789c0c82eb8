namespace EmbedEngine.Perf.TfIdf;

/// <summary>Finds the real data sets of shared/data (see its MANIFEST.md), which live beside the repository, never in it.</summary>
internal static class SharedData
{
    /// <summary>
    /// The path of <paramref name="relativePath"/> under the first shared/data found above the working directory
    /// or the benchmark binary, so a run from the repository root and BenchmarkDotNet's own folder both find it.
    /// </summary>
    /// <exception cref="FileNotFoundException">No shared/data above either holds the file.</exception>
    public static string File(string relativePath)
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, "shared", "data", relativePath);
                if (System.IO.File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException($"shared/data/{relativePath} was not found above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'.");
    }
}
