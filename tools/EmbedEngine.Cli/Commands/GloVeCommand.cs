using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.GloVe;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train glove</c>: GloVe vectors from a matrix written by <c>embed cooccur</c>. The options follow
/// Stanford GloVe's glove tool (<c>-vector-size</c> is <c>--size</c>, <c>-model 0/1/2</c> is <c>--model word/context/sum</c>).
/// </summary>
internal static class GloVeCommand
{
    private static readonly GloVeOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var matrix = new CooccurrenceArguments();
        var target = TrainingOptions.VectorsOutput();
        var format = TrainingOptions.Format();
        var size = new Option<int>("--size", "--vector-size") { Description = "Vector dimension.", DefaultValueFactory = _ => Defaults.Dimension };
        var iterations = new Option<int>("--iter", "--epochs") { Description = "Passes over the nonzero co-occurrences.", DefaultValueFactory = _ => Defaults.Epochs };
        var eta = new Option<float>("--eta") { Description = "AdaGrad's initial learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
        var xMax = new Option<float>("--x-max") { Description = "Cut-off of the weighting function.", DefaultValueFactory = _ => Defaults.XMax };
        var alpha = new Option<float>("--alpha") { Description = "Exponent of the weighting function.", DefaultValueFactory = _ => Defaults.Alpha };
        var gradClip = new Option<float>("--grad-clip") { Description = "Bound on each gradient component of the vectors.", DefaultValueFactory = _ => Defaults.GradientClip };
        var threads = TrainingOptions.Threads();
        var seed = TrainingOptions.Seed(Defaults.Seed);
        var model = new Option<string>("--model") { Description = "Vectors to write: word (W), context (W~) or sum (W + W~).", DefaultValueFactory = _ => "sum" };
        model.AcceptOnlyFromAmong("word", "context", "sum");
        var metrics = TrainingOptions.Metrics();
        var device = TrainingOptions.Device();
        var checkpoints = new CheckpointArguments();
        var distributed = new DistributedArguments("One rank of a job started by mpirun -np N: each rank trains its part of the shuffled entries and the ranks sum their changes to the weights every --sync-entries; rank 0 prints and writes.");
        var syncEntries = new Option<long>("--sync-entries") { Description = "With --distributed: co-occurrence entries each rank trains between synchronisations.", DefaultValueFactory = _ => 500_000 };
        var command = new Command("glove", "Train GloVe on a co-occurrence matrix from 'embed cooccur'.")
        {
            matrix.Input, matrix.Vocabulary, target, format, size, iterations, eta, xMax, alpha, gradClip, threads, seed, model, metrics, device,
            distributed.Distributed, syncEntries,
        };
        checkpoints.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            var options = new GloVeOptions
            {
                Dimension = parsed.GetValue(size),
                Epochs = parsed.GetValue(iterations),
                LearningRate = parsed.GetValue(eta),
                XMax = parsed.GetValue(xMax),
                Alpha = parsed.GetValue(alpha),
                GradientClip = parsed.GetValue(gradClip),
                Threads = parsed.GetValue(threads),
                Seed = parsed.GetValue(seed),
                Output = parsed.GetValue(model) switch
                {
                    "word" => GloVeOutput.WordOnly,
                    "context" => GloVeOutput.ContextOnly,
                    _ => GloVeOutput.Sum,
                },
            };
            options.Validate();
            using GpuDevice? gpu = TrainingOptions.OpenDevice(parsed.GetValue(device)!);
            (CsrMatrix counts, Vocabulary vocabulary) = matrix.Load(parsed);
            string outputPath = parsed.GetValue(target)!.FullName;
            VectorFormat vectorFormat = OutputFormats.Resolve(parsed.GetValue(format), outputPath);
            CheckpointSettings? checkpoint = checkpoints.Read(parsed);
            return Task.FromResult(DistributedArguments.Run(parsed.GetValue(distributed.Distributed), output, error, (world, rankOutput, rankError) =>
            {
                using RowDeltaSync? ranks = world == null ? null : new RowDeltaSync(world, parsed.GetValue(syncEntries));
                bool lead = world is null or { Rank: 0 };
                return Run(options, gpu, counts, vocabulary, lead ? outputPath : null, vectorFormat,
                    lead ? parsed.GetValue(metrics)?.FullName : null, checkpoint, ranks, rankOutput, rankError, cancellation);
            }));
        });
        return command;
    }

    /// <summary>Trains and writes the vectors to <paramref name="outputPath"/> (null: a rank other than 0, which writes nothing).</summary>
    private static int Run(GloVeOptions options, GpuDevice? device, CsrMatrix counts, Vocabulary vocabulary, string? outputPath, VectorFormat format,
        string? metricsPath, CheckpointSettings? checkpoint, RowDeltaSync? ranks, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"glove dim {options.Dimension}, {counts.NonZeros} entries, {options.Epochs} epochs, eta {options.LearningRate}, x-max {options.XMax}, alpha {options.Alpha}, {options.Threads} threads{(ranks == null ? "" : $" on each of {ranks.Size} ranks")}, kernels {IsaDispatch.Active}, device {device?.ToString() ?? "cpu"}"));
        GloVeResult result = ProgressReporter.ForStandardError(error, unit: "entries").Follow(metricsPath, report =>
            GloVeTrainer.Train(counts, vocabulary, options, device, report, ProgressReporter.Interval, checkpoint, ranks, cancellation));
        using (result.Vectors)
        {
            if (outputPath != null) VectorFile.Save(result.Vectors, outputPath, format);
            TrainingProgress final = result.Final;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vocabulary {vocabulary.Count} words, {final.WordsProcessed} entries trained in {final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(final.WordsPerSecond)} entries/s), final cost {final.Loss:F4}"));
            if (ranks != null) DistributedArguments.Summarize(ranks, final.Elapsed, output);
            output.WriteLine($"wrote {result.Vectors.Count} vectors of dimension {result.Vectors.Dimension} to {outputPath} ({format})");
        }
        return ExitCodes.Success;
    }
}
