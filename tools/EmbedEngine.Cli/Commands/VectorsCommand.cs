using System.CommandLine;
using EmbedEngine.Models.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed vectors</c>: the vectors of words under a fastText model, including words it never saw, printed as
/// fastText's print-word-vectors prints them ("word v1 v2 ... vn " per line, five significant digits).
/// </summary>
internal static class VectorsCommand
{
    /// <summary>fastText reads words with <c>cin &gt;&gt;</c>, which splits on these.</summary>
    private static readonly char[] WordSeparators = [' ', '\t', '\r', '\n', '\v', '\f'];

    public static Command Create(TextReader input, TextWriter output)
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "fastText binary model (.bin).", Required = true };
        var words = new Argument<string[]>("words") { Description = "Words to print vectors for; read from standard input when none are given.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("vectors", "Print word vectors from a fastText model, for unseen words too.") { model, words };
        command.SetAction(parsed =>
        {
            using FastTextModel loaded = FastTextBinaryFile.Load(parsed.GetValue(model)!.FullName);
            string[] given = parsed.GetValue(words) ?? [];
            foreach (string word in given.Length > 0 ? given : ReadWords(input))
                Write(word, loaded.WordVector(word), output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Words as they arrive, so a pipe gets answers line by line.</summary>
    private static IEnumerable<string> ReadWords(TextReader input)
    {
        for (string? line = input.ReadLine(); line is not null; line = input.ReadLine())
            foreach (string word in line.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries))
                yield return word;
    }

    private static void Write(string word, float[] vector, TextWriter output)
    {
        output.Write(word);
        output.Write(' ');
        foreach (float value in vector)
        {
            output.Write(FastTextNumberFormat.Format(value));
            output.Write(' ');
        }
        output.WriteLine();
    }
}
