using System.Globalization;
using System.Reflection;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Samples.Tests;

/// <summary>
/// Acceptance: <c>dotnet pack</c> makes the packages, and samples/EmbedEngine.Sample, which references only the
/// EmbedEngine package, restores them from that feed, builds and runs, printing what the libraries compute.
/// </summary>
public sealed class SamplePackageTests : IDisposable
{
    private static readonly string[] PackageIds =
        ["EmbedEngine", "EmbedEngine.Kernels", "EmbedEngine.Tensors", "EmbedEngine.Text", "EmbedEngine.Vectors", "EmbedEngine.Models", "EmbedEngine.Evaluation", "EmbedEngine.Distributed"];

    private static readonly string Version = typeof(KeyedVectors).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("embedengine-sample-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void The_sample_restores_the_packed_packages_from_a_local_feed_and_prints_what_the_libraries_compute()
    {
        string feed = Folder("feed"), packages = Folder("packages"), artifacts = Folder("artifacts"), run = Folder("run");
        // dotnet test has built the libraries already, then this is a no-op; it makes the test stand alone.
        Dotnet.Run(Repository.Root, null, "build", "src/EmbedEngine/EmbedEngine.csproj", "-c", "Release", "--disable-build-servers");
        Dotnet.Run(Repository.Root, null, "pack", "EmbedEngine.sln", "-c", "Release", "--no-build", "-o", feed);
        Assert.Equal(PackageIds.Select(id => $"{id}.{Version}.nupkg").Order(),
            Directory.GetFiles(feed).Select(Path.GetFileName).Order());

        // A packages folder of its own, so no EmbedEngine package cached by an earlier build can stand in for these.
        var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };
        string sample = Repository.SampleFolder;
        Dotnet.Run(Repository.Root, isolated, "restore", sample, "--configfile", WriteNuGetConfig(feed), "--artifacts-path", artifacts);
        string output = Dotnet.Run(run, isolated, "run", "-c", "Release", "--no-restore", "--artifacts-path", artifacts,
            "--disable-build-servers", "--project", sample);

        Assert.All(PackageIds, id => Assert.True(Directory.Exists(Path.Combine(packages, id.ToLowerInvariant(), Version)), $"{id} was not restored"));
        AssertPrintedWhatTheLibrariesCompute(output.Split('\n', StringSplitOptions.TrimEntries), Path.Combine(run, "sotu.bin"));
    }

    /// <summary>
    /// The sample's lines against the same queries on the vectors file it saved, run through the in-repository
    /// libraries: equal to the printed four decimals.
    /// </summary>
    private static void AssertPrintedWhatTheLibrariesCompute(string[] lines, string savedVectors)
    {
        using var vectors = KeyedVectors.Load(savedVectors);
        Assert.Equal(100, vectors.Dimension);
        Assert.InRange(vectors.Count, 5_000, 50_000); // words seen 5 times or more in the 1.8M-word sample

        int heading = Array.IndexOf(lines, "most similar to army:");
        Assert.True(heading >= 0, "no neighbours printed:\n" + string.Join('\n', lines));
        string[] expectedNeighbours = [.. vectors.MostSimilar("army", 5).Select(n => $"{n.Word} {Format(n.Similarity)}")];
        Assert.Equal(expectedNeighbours, lines[(heading + 1)..(heading + 6)]);

        float armyNavy = vectors.Similarity("army", "navy");
        Assert.Contains($"similarity(army, navy) = {Format(armyNavy)}", lines);
        Assert.InRange(armyNavy, 0.5f, 1f); // trained, not random: the two services share their contexts

        float sentences = new MeanPoolingEncoder(vectors).Similarity("Congress declared war.", "The army fought a battle.");
        Assert.InRange(sentences, -1f, 1f);
        Assert.Contains($"sentence similarity = {Format(sentences)} (100 dimensions)", lines);
    }

    private static string Format(float value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_work.FullName, name)).FullName;

    /// <summary>
    /// EmbedEngine's packages from <paramref name="feed"/> only; everything else (ILGPU) from the global packages
    /// folder, where restoring the solution has put it, so the test needs no network.
    /// </summary>
    private string WriteNuGetConfig(string feed)
    {
        string cache = Dotnet.Run(Repository.Root, null, "nuget", "locals", "global-packages", "--list")
            .Trim().Replace("global-packages:", "", StringComparison.Ordinal).Trim();
        string path = Path.Combine(_work.FullName, "NuGet.config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="feed" value="{feed}" />
                <add key="cache" value="{cache}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="feed">
                  <package pattern="EmbedEngine" />
                  <package pattern="EmbedEngine.*" />
                </packageSource>
                <packageSource key="cache">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        return path;
    }
}
