namespace EmbedEngine.Samples.Tests;

/// <summary>Paths in the repository these tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder that holds EmbedEngine.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string SampleFolder => Path.Combine(Root, "samples", "EmbedEngine.Sample");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "EmbedEngine.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException($"no EmbedEngine.sln in {AppContext.BaseDirectory} or any folder above it");
    }
}
