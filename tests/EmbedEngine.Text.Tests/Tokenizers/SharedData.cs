namespace EmbedEngine.Text.Tests.Tokenizers;

/// <summary>Finds the real data sets of shared/data, which live beside the repository (../shared/data), never in it.</summary>
internal static class SharedData
{
    /// <summary>The path of <paramref name="relativePath"/> under the first shared/data above the working directory or the test binary; null if none has it.</summary>
    public static string? Find(string relativePath)
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, "shared", "data", relativePath);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}

/// <summary>A fact that is skipped, saying why, when a shared data file it reads is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(params string[] relativePaths)
    {
        string[] missing = [.. relativePaths.Where(path => SharedData.Find(path) is null)];
        if (missing.Length > 0)
            Skip = $"shared/data/{string.Join(", shared/data/", missing)} not found above '{Directory.GetCurrentDirectory()}' (the data sets live in ../shared/data beside the repository).";
    }
}
