using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Distributed;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Mlp;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train mlp</c>: an MLP digit classifier on idx files (MNIST), trained with AdamW on the tensor and
/// autograd layer; prints the test accuracy and saves the parameters as safetensors.
/// </summary>
internal static class MlpCommand
{
    private static readonly MlpOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder with train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz) and the t10k- test files.", Required = true };
        var target = new Option<FileInfo?>("--output", "-o") { Description = "Where to save the parameters (.safetensors)." };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes, comma-separated.", DefaultValueFactory = _ => string.Join(',', Defaults.HiddenSizes) };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training images.", DefaultValueFactory = _ => Defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => Defaults.BatchSize };
        var lr = new Option<float>("--lr") { Description = "AdamW's peak learning rate (decays linearly to zero).", DefaultValueFactory = _ => Defaults.LearningRate };
        var decay = new Option<float>("--weight-decay") { Description = "AdamW's decoupled weight decay.", DefaultValueFactory = _ => Defaults.WeightDecay };
        var dropout = new Option<float>("--dropout") { Description = "Dropout after each hidden layer.", DefaultValueFactory = _ => Defaults.Dropout };
        var device = TrainingOptions.Device();
        var threads = TrainingOptions.Threads();
        var seed = TrainingOptions.Seed((ulong)Defaults.Seed, "Random seed; the run is deterministic on any number of threads.");
        var metrics = TrainingOptions.Metrics();
        var checkpoints = new CheckpointArguments();
        var distributed = new DistributedArguments("One rank of a data-parallel run started by mpirun -np N: each rank takes its share of every batch, gradients are summed across ranks; rank 0 prints and writes.");
        var command = new Command("mlp", "Train an MLP image classifier on MNIST-style idx files (AdamW).")
        {
            data, target, hidden, epochs, batch, lr, decay, dropout, device, threads, seed, metrics, distributed.Distributed,
        };
        checkpoints.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            var options = new MlpOptions
            {
                HiddenSizes = ParseSizes(parsed.GetValue(hidden)!),
                Epochs = parsed.GetValue(epochs),
                BatchSize = parsed.GetValue(batch),
                LearningRate = parsed.GetValue(lr),
                WeightDecay = parsed.GetValue(decay),
                Dropout = parsed.GetValue(dropout),
                Device = parsed.GetValue(device)!,
                Threads = parsed.GetValue(threads),
                Seed = (int)(parsed.GetValue(seed) % int.MaxValue),
            };
            options.Validate();
            CheckpointSettings? checkpoint = checkpoints.Read(parsed);
            return Task.FromResult(DistributedArguments.Run(parsed.GetValue(distributed.Distributed), output, error, (world, rankOutput, rankError) =>
            {
                bool lead = world is null or { Rank: 0 };
                // Only rank 0 logs and writes; the others train the same model in step with it.
                return Run(parsed.GetValue(data)!.FullName, lead ? parsed.GetValue(target)?.FullName : null, options,
                    lead ? parsed.GetValue(metrics)?.FullName : null, DistributedArguments.CheckpointsOfRank(checkpoint, lead),
                    world, rankOutput, rankError, cancellation);
            }));
        });
        return command;
    }

    private static int Run(string folder, string? modelPath, MlpOptions options, string? metricsPath, CheckpointSettings? checkpoint,
        MpiWorld? world, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        IdxImages trainImages = IdxFile.ReadImages(IdxFile.Find(folder, "train-images-idx3-ubyte"));
        byte[] trainLabels = IdxFile.ReadLabels(IdxFile.Find(folder, "train-labels-idx1-ubyte"));
        IdxImages testImages = IdxFile.ReadImages(IdxFile.Find(folder, "t10k-images-idx3-ubyte"));
        byte[] testLabels = IdxFile.ReadLabels(IdxFile.Find(folder, "t10k-labels-idx1-ubyte"));
        if (testImages.PixelsPerImage != trainImages.PixelsPerImage)
            throw new InvalidDataException($"Test images are {testImages.Rows}x{testImages.Columns}; training images {trainImages.Rows}x{trainImages.Columns}.");
        if (testLabels.Length != testImages.Count)
            throw new InvalidDataException($"There are {testImages.Count} test images but {testLabels.Length} labels.");
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mlp {trainImages.PixelsPerImage}-{string.Join('-', options.HiddenSizes)}-{trainLabels.Max() + 1}, {trainImages.Count} training images, batch {options.BatchSize}, {options.Epochs} epochs, AdamW lr {options.LearningRate}, device {options.Device}, kernels {IsaDispatch.Active}"));

        DataParallelStep? ranks = world == null ? null
            : new DataParallelStep(world, options.Fingerprint(trainImages.Count), Math.Min(options.BatchSize, trainImages.Count), options.Device);
        (MlpClassifier model, TrainingProgress final) = ProgressReporter.ForStandardError(error, unit: "images").Follow(metricsPath, report =>
            MlpTrainer.Train(trainImages, trainLabels, options, report, ProgressReporter.Interval, cancellation, checkpoint, ranks));
        using (model)
        {
            double accuracy = model.Accuracy(MlpClassifier.Standardize(testImages), testLabels);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trained {final.WordsProcessed} images in {final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(final.WordsPerSecond)} images/s), last loss {final.Loss:F4}"));
            if (ranks != null) DistributedArguments.Summarize(ranks, final.Elapsed, output);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"test accuracy {accuracy * 100:F2}% ({Math.Round(accuracy * testLabels.Length)}/{testLabels.Length})"));
            if (modelPath != null)
            {
                model.Network.Save(modelPath, new Dictionary<string, string> { ["hidden"] = string.Join(',', options.HiddenSizes) });
                output.WriteLine($"wrote the parameters to {modelPath}");
            }
        }
        return ExitCodes.Success;
    }

    private static int[] ParseSizes(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]))
                throw new ArgumentException($"--hidden takes sizes like 512,256; '{parts[i]}' is not a size.");
        return sizes;
    }
}
