using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Distributed;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train clip</c>: a CLIP-like image–text model on a captioned MNIST-style folder, trained with the fused
/// InfoNCE kernel; saves a checkpoint folder and prints the three evaluations of <see cref="ClipEvalCommand"/>.
/// </summary>
internal static class ClipTrainCommand
{
    private static readonly ClipConfig Shape = new();
    private static readonly ClipTrainingOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = ClipDataOptions.Data();
        var trainCaptions = ClipDataOptions.TrainingCaptions();
        var testCaptions = ClipDataOptions.TestCaptions();
        var target = new Option<DirectoryInfo>("--output", "-o") { Description = "The checkpoint folder to write (model.json and model.safetensors).", Required = true };
        var patch = new Option<int>("--patch") { Description = "Patch side in pixels.", DefaultValueFactory = _ => Shape.Patch };
        var imageDim = new Option<int>("--image-dim") { Description = "Width of the image transformer.", DefaultValueFactory = _ => Shape.ImageDimension };
        var imageLayers = new Option<int>("--image-layers") { Description = "Blocks of the image transformer.", DefaultValueFactory = _ => Shape.ImageLayers };
        var textDim = new Option<int>("--text-dim") { Description = "Width of the text transformer.", DefaultValueFactory = _ => Shape.TextDimension };
        var textLayers = new Option<int>("--text-layers") { Description = "Blocks of the text transformer.", DefaultValueFactory = _ => Shape.TextLayers };
        var heads = new Option<int>("--heads") { Description = "Attention heads per block.", DefaultValueFactory = _ => Shape.Heads };
        var embedDim = new Option<int>("--embed-dim") { Description = "Width of the shared embedding space.", DefaultValueFactory = _ => Shape.EmbeddingDimension };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training images.", DefaultValueFactory = _ => Defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = "Image–caption pairs per step (up to the whole training set).", DefaultValueFactory = _ => Defaults.BatchSize };
        var lr = new Option<float>("--lr") { Description = "AdamW's peak learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Steps of linear warm-up before the cosine decay.", DefaultValueFactory = _ => Defaults.WarmupSteps };
        var decay = new Option<float>("--weight-decay") { Description = "AdamW's decoupled weight decay.", DefaultValueFactory = _ => Defaults.WeightDecay };
        var unknown = new Option<float>("--unknown-words") { Description = "Probability that a training caption word is replaced by the unknown token.", DefaultValueFactory = _ => Defaults.UnknownWordRate };
        var shift = new Option<int>("--shift") { Description = "Training images move by up to this many pixels on each axis.", DefaultValueFactory = _ => Defaults.MaxShift };
        var device = TrainingOptions.Device();
        var threads = TrainingOptions.Threads();
        var seed = TrainingOptions.Seed((ulong)Defaults.Seed, "Random seed; a run repeats exactly with the same seed and threads.");
        var metrics = TrainingOptions.Metrics();
        var checkpoints = new CheckpointArguments();
        var distributed = new DistributedArguments("One rank of a data-parallel run started by mpirun -np N: every rank draws the same batch and embeds its share of the pairs, the ranks gather the embeddings for the whole batch's loss and sum the gradients; rank 0 prints and writes.");
        var command = new Command("clip", "Train a CLIP-like image–text model on captioned MNIST-style digits (InfoNCE, AdamW).")
        {
            data, target, trainCaptions, testCaptions, patch, imageDim, imageLayers, textDim, textLayers, heads, embedDim,
            epochs, batch, lr, warmup, decay, unknown, shift, device, threads, seed, metrics, distributed.Distributed,
        };
        checkpoints.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            // Opened before the data is read: a GPU that is not there is a usage error (exit 2) naming what was found.
            TrainingOptions.OpenDevice(parsed.GetValue(device)!);
            var options = new ClipTrainingOptions
            {
                Epochs = parsed.GetValue(epochs),
                BatchSize = parsed.GetValue(batch),
                LearningRate = parsed.GetValue(lr),
                WarmupSteps = parsed.GetValue(warmup),
                WeightDecay = parsed.GetValue(decay),
                UnknownWordRate = parsed.GetValue(unknown),
                MaxShift = parsed.GetValue(shift),
                Threads = parsed.GetValue(threads),
                Device = parsed.GetValue(device)!,
                Seed = (int)(parsed.GetValue(seed) % int.MaxValue),
            };
            options.Validate();
            (CaptionedDigits training, CaptionedDigits test) = ClipDataOptions.Load(parsed, data, trainCaptions, testCaptions);
            var vocabulary = CaptionVocabulary.Build(training.Captions);
            var config = new ClipConfig
            {
                ImageSize = training.Images.Rows,
                Patch = parsed.GetValue(patch),
                ImageDimension = parsed.GetValue(imageDim),
                ImageLayers = parsed.GetValue(imageLayers),
                TextDimension = parsed.GetValue(textDim),
                TextLayers = parsed.GetValue(textLayers),
                Heads = parsed.GetValue(heads),
                EmbeddingDimension = parsed.GetValue(embedDim),
                VocabularySize = vocabulary.Size,
            };
            if (training.Images.Rows != training.Images.Columns)
                throw new InvalidDataException($"The images are {training.Images.Rows}x{training.Images.Columns}; the model takes square images.");
            config.Validate();
            CheckpointSettings? checkpoint = checkpoints.Read(parsed);
            return Task.FromResult(DistributedArguments.Run(parsed.GetValue(distributed.Distributed), output, error, (world, rankOutput, rankError) =>
            {
                bool lead = world is null or { Rank: 0 };
                return Run(config, vocabulary, training, test, options, lead ? parsed.GetValue(target)!.FullName : null,
                    lead ? parsed.GetValue(metrics)?.FullName : null, DistributedArguments.CheckpointsOfRank(checkpoint, lead), world, rankOutput, rankError, cancellation);
            }));
        });
        return command;
    }

    private static int Run(ClipConfig config, CaptionVocabulary vocabulary, CaptionedDigits training, CaptionedDigits test,
        ClipTrainingOptions options, string? folder, string? metricsPath, CheckpointSettings? checkpoint, MpiWorld? world, TextWriter output, TextWriter error,
        CancellationToken cancellation)
    {
        // Every rank builds the same model from the same seed; the ranks check that they agree.
        using var model = new ClipModel(config, vocabulary, options.Seed);
        DataParallelStep? ranks = world == null ? null : new DataParallelStep(world, ClipTrainer.Identity(model, training, options), options.BatchSize, options.Device);
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ClipCheckpoint.Describe(config)}; {model.Parameters().Sum(p => p.Count)} parameters; {training.Count} training pairs, batch {options.BatchSize}, {options.Epochs} epochs, AdamW lr {options.LearningRate}, device {options.Device}, kernels {IsaDispatch.Active}"));
        TrainingProgress final = ProgressReporter.ForStandardError(error, unit: "images").Follow(metricsPath, report =>
            ClipTrainer.Train(model, training, options, report, ProgressReporter.Interval, cancellation, checkpoint, ranks));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {final.WordsProcessed} images in {final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(final.WordsPerSecond)} images/s), last loss {final.Loss:F4}, logit scale {final.LogitScale:F1}"));
        if (ranks != null) DistributedArguments.Summarize(ranks, final.Elapsed, output);
        // Rank 0 alone writes and evaluates: every rank holds the same model.
        if (folder == null) return ExitCodes.Success;
        // The evaluations read embeddings on the host.
        model.To(Device.Cpu);
        ClipCheckpoint.Save(model, folder);
        output.WriteLine($"wrote the model to {folder}");
        ClipEvalCommand.Report(model, training, test, promptsPath: null, output);
        return ExitCodes.Success;
    }
}
