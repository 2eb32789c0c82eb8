using System.CommandLine;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed captions</c>: writes the generated captions of both splits, one line per image, so anyone can read and check them.</summary>
internal static class CaptionsCommand
{
    public static Command Create(TextWriter output)
    {
        var data = ClipDataOptions.Data();
        var target = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for captions-train.txt and captions-test.txt.", Required = true };
        var command = new Command("captions", "Write the generated digit captions (training and test splits) that 'embed train clip' uses.") { data, target };
        command.SetAction(parsed =>
        {
            (CaptionedDigits training, CaptionedDigits test) = CaptionedDigits.Load(parsed.GetValue(data)!.FullName);
            string folder = parsed.GetValue(target)!.FullName;
            Directory.CreateDirectory(folder);
            foreach (var (name, split) in new[] { ("captions-train.txt", training), ("captions-test.txt", test) })
            {
                string path = Path.Combine(folder, name);
                AtomicFile.Write(path, stream =>
                {
                    using var writer = new StreamWriter(stream, leaveOpen: true);
                    foreach (string caption in split.Captions) writer.Write(caption + "\n");
                });
                output.WriteLine($"wrote {split.Count} captions to {path}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
