using System.CommandLine;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Cli.Commands;

/// <summary>The data options of the CLIP commands, defined once: the MNIST-style folder and optional caption files.</summary>
internal static class ClipDataOptions
{
    /// <summary>--data: the image folder.</summary>
    public static Option<DirectoryInfo> Data() =>
        new("--data") { Description = "Folder with train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz) and the t10k- test files.", Required = true };

    /// <summary>--train-captions: captions for the training split instead of the generated ones.</summary>
    public static Option<FileInfo?> TrainingCaptions() =>
        new("--train-captions") { Description = "Training captions, one line per image in image order (default: generated from the labels and pixels)." };

    /// <summary>--test-captions: captions for the test split instead of the generated ones.</summary>
    public static Option<FileInfo?> TestCaptions() =>
        new("--test-captions") { Description = "Test captions, one line per image in image order (default: generated from the labels and pixels)." };

    /// <summary>Both splits of the folder, captioned.</summary>
    public static (CaptionedDigits Training, CaptionedDigits Test) Load(ParseResult parsed, Option<DirectoryInfo> data,
        Option<FileInfo?> trainingCaptions, Option<FileInfo?> testCaptions) =>
        CaptionedDigits.Load(parsed.GetValue(data)!.FullName, parsed.GetValue(trainingCaptions)?.FullName, parsed.GetValue(testCaptions)?.FullName);
}
