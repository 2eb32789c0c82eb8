using System.CommandLine;
using EmbedEngine.Evaluation.Transfer;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed eval transfer</c>: SentEval's transfer protocol on a labelled train/test pair (SpamAssassin by default) —
/// a logistic-regression classifier on any sentence encoder's vectors (<see cref="SentenceEncoderArguments"/>), its
/// test accuracy with a bootstrap interval; the figure <c>embed bench quality</c> reports for word vectors.
/// </summary>
internal static class TransferCommand
{
    public static Command Create(TextWriter output)
    {
        var encoder = new SentenceEncoderArguments();
        var data = new Option<DirectoryInfo>("--data") { Description = "The task folder: train.txt and test.txt, one '__label__<class> text' document a line.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("..", "shared", "data", "spam-assassin")) };
        var seed = new Option<int>("--seed") { Description = "Seeds the validation split and the bootstrap: the same seed gives the same figure.", DefaultValueFactory = _ => 1 };
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the interval.", DefaultValueFactory = _ => 1000 };
        var command = new Command("transfer", "Transfer classification (SentEval-style): logistic regression on sentence vectors, test accuracy with a 95% bootstrap interval and coverage.") { data, seed, resamples };
        encoder.AddTo(command);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(resamples) < 1) throw new ArgumentException("--bootstrap must be at least 1.");
            TransferData task = TransferData.Load(parsed.GetValue(data)!.FullName);
            (ISentenceEncoder sentences, IDisposable owner) = encoder.Open(parsed);
            using (owner) output.WriteLine(TransferEvaluator.Evaluate(sentences, task, parsed.GetValue(resamples), parsed.GetValue(seed)).Describe());
            return ExitCodes.Success;
        });
        return command;
    }
}
