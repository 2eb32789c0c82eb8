using System.CommandLine;
using System.Globalization;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>--checkpoint</c>, <c>--checkpoint-every</c> and <c>--resume</c>, shared by the trainers that checkpoint.</summary>
internal sealed class CheckpointArguments
{
    private readonly Option<FileInfo?> _path = new("--checkpoint") { Description = "Write the whole training state here (atomically, replacing the last) as training goes; --resume continues from it." };
    private readonly Option<string> _every = new("--checkpoint-every") { Description = "How often: a number of steps (e.g. 500) or a time (90s, 10m, 1h).", DefaultValueFactory = _ => "10m" };
    private readonly Option<FileInfo?> _resume = new("--resume") { Description = "Continue the run a --checkpoint file holds (same options; the result is the same as an uninterrupted run)." };

    public void AddTo(Command command)
    {
        command.Options.Add(_path);
        command.Options.Add(_every);
        command.Options.Add(_resume);
    }

    /// <summary>The settings the options give; null when neither writing nor resuming.</summary>
    /// <exception cref="ArgumentException">--checkpoint-every is neither a positive step count nor a time.</exception>
    public CheckpointSettings? Read(ParseResult parsed)
    {
        string? path = parsed.GetValue(_path)?.FullName, resume = parsed.GetValue(_resume)?.FullName;
        if (path == null && resume == null) return null;
        string every = parsed.GetValue(_every)!.Trim();
        if (int.TryParse(every, NumberStyles.None, CultureInfo.InvariantCulture, out int steps) && steps > 0)
            return new CheckpointSettings(path, EverySteps: steps, ResumeFrom: resume);
        return new CheckpointSettings(path, Every: Duration(every), ResumeFrom: resume);
    }

    private static TimeSpan Duration(string text)
    {
        if (text.Length > 1 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) && amount > 0)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
            }
        }
        throw new ArgumentException($"--checkpoint-every takes a number of steps or a time such as 90s, 10m or 1h; got '{text}'.");
    }
}
