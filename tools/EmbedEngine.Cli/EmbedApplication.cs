using System.CommandLine;
using EmbedEngine.Cli.Commands;
using EmbedEngine.Evaluation;
using EmbedEngine.Kernels;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli;

/// <summary>
/// The <c>embed</c> command line: builds the command tree, runs it, and turns every known kind of bad input
/// into one clear message and exit code 2, so no user error ends in a stack trace.
/// </summary>
public static class EmbedApplication
{
    /// <summary>Runs <c>embed</c> with <paramref name="args"/>, writing results to <paramref name="output"/> and diagnostics to <paramref name="error"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (!TryCheckKernelChoice(error)) return ExitCodes.BadInput;
        var root = new RootCommand("EmbedEngine: train, evaluate and query embeddings at native speed.")
        {
            TrainCommand.Create(output, error),
            EvalCommand.Create(output),
            SimilarCommand.Create(output),
            VectorsCommand.Create(System.Console.In, output),
            CooccurCommand.Create(output, error),
            TfIdfCommand.Create(output, error),
            ClassifierTestCommand.Create(output),
            ClassifierPredictCommand.Create(output),
            QuantizeCommand.Create(output, error),
            TokenizeCommand.Create(output),
            DemoCommand.Create(output, error),
            InfoCommand.Create(output),
            GenerateCommand.Create(output, error),
            ElmoCommands.CreateContextual(output),
            EncodeCommand.Create(output, error),
            SearchCommand.Create(output, error),
            ServeCommand.Create(output),
            PlotCommand.Create(output),
            ClipEvalCommand.CreateZeroShot(output),
            ClipEvalCommand.CreateRetrieve(output),
            CaptionsCommand.Create(output),
            BenchCommand.Create(output, error),
        };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) error.WriteLine($"embed: {parseError.Message}");
            error.WriteLine("Run 'embed --help' for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = output,
                Error = error,
            });
        }
        catch (Exception e) when (IsBadInput(e))
        {
            error.WriteLine($"embed: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("embed: cancelled; nothing was written.");
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>An invalid EMBED_ISA surfaces here, once, instead of as a type-initialization failure later.</summary>
    private static bool TryCheckKernelChoice(TextWriter error)
    {
        try
        {
            _ = IsaDispatch.Active;
            return true;
        }
        catch (TypeInitializationException e) when (e.InnerException is InvalidOperationException inner)
        {
            error.WriteLine($"embed: {inner.Message}");
            return false;
        }
    }

    /// <summary>Whether <paramref name="e"/> is the user's error (a bad file, argument or path) rather than a bug.</summary>
    internal static bool IsBadInput(Exception e) => e is CorpusException or VectorFormatException
        or EvaluationDataException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
        or UnauthorizedAccessException or InvalidOperationException or KeyNotFoundException or InvalidDataException;
}
