using System.Text.RegularExpressions;

namespace EmbedEngine.Samples.Tests;

/// <summary>The README's library example is the sample's code, so the sample test builds and runs what the README shows.</summary>
public sealed partial class ReadmeLibraryExampleTests
{
    [GeneratedRegex(@"^## Library\n.*?^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex LibraryExample();

    [Fact]
    public void The_csharp_block_under_Library_is_the_sample_program()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n");
        Match example = LibraryExample().Match(readme);
        Assert.True(example.Success, "README.md has no ```csharp block under a '## Library' heading");
        string program = File.ReadAllText(Path.Combine(Repository.SampleFolder, "Program.cs")).ReplaceLineEndings("\n");
        Assert.Equal(program.Trim(), example.Groups["code"].Value.Trim());
    }
}
