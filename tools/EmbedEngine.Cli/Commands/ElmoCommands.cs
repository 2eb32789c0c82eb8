using System.CommandLine;
using System.Globalization;
using System.Text;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Models.Contextual.Elmo;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train elmo</c> (an ELMo-like bidirectional language model on words), <c>embed contextual</c> (its
/// contextual word vectors for sentences) and the biLM branch of <c>embed eval perplexity</c>.
/// </summary>
internal static class ElmoCommands
{
    private static readonly BiLmConfig Shape = new();
    private static readonly BiLmTrainingOptions Defaults = new();

    public static Command CreateTrain(TextWriter output, TextWriter error)
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "Training text (UTF-8), whitespace-separated words; each line ends a sentence.", Required = true };
        var validation = new Option<FileInfo?>("--validation") { Description = "Validation text; without it the last --validation-fraction of the input." };
        var fraction = new Option<double>("--validation-fraction") { Description = "Share of the input (its end) held out for validation.", DefaultValueFactory = _ => 0.05 };
        var minCount = new Option<int>("--min-count") { Description = "Words seen at least this often get a softmax output and a row of their own; the rest are predicted as <unk>.", DefaultValueFactory = _ => 3 };
        var maxVocabulary = new Option<int>("--max-vocab") { Description = "At most this many softmax words, <unk> included (0: no limit).", DefaultValueFactory = _ => 0 };
        var dimension = new Option<int>("--dim") { Description = "Token vector and LSTM output width per direction.", DefaultValueFactory = _ => Shape.Dimension };
        var cells = new Option<int>("--cells") { Description = "LSTM cells per layer; more than --dim projects each layer's state down to --dim (LSTMP).", DefaultValueFactory = _ => Shape.Cells };
        var layers = new Option<int>("--layers") { Description = "LSTM layers per direction.", DefaultValueFactory = _ => Shape.Layers };
        var context = new Option<int>("--context") { Description = "Words per window.", DefaultValueFactory = _ => Shape.Context };
        var buckets = new Option<int>("--buckets") { Description = "Hash buckets of the character n-grams.", DefaultValueFactory = _ => Shape.Buckets };
        var minN = new Option<int>("--minn") { Description = "Shortest character n-gram.", DefaultValueFactory = _ => Shape.MinN };
        var maxN = new Option<int>("--maxn") { Description = "Longest character n-gram.", DefaultValueFactory = _ => Shape.MaxN };
        var dropout = new Option<float>("--dropout") { Description = "Dropout while training.", DefaultValueFactory = _ => Shape.Dropout };
        var batch = new Option<int>("--batch") { Description = "Windows per step.", DefaultValueFactory = _ => Defaults.BatchSize };
        var iterations = new Option<int>("--iters") { Description = "Optimizer steps.", DefaultValueFactory = _ => Defaults.Iterations };
        var lr = new Option<float>("--lr") { Description = "Peak learning rate (Adam).", DefaultValueFactory = _ => Defaults.LearningRate };
        var minLr = new Option<float>("--min-lr") { Description = "Learning rate at the end of the cosine decay.", DefaultValueFactory = _ => Defaults.MinLearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up iterations.", DefaultValueFactory = _ => Defaults.WarmupIterations };
        var evalInterval = new Option<int>("--eval-interval") { Description = "Validation every this many iterations (and after the last).", DefaultValueFactory = _ => Defaults.EvalInterval };
        var target = new Option<DirectoryInfo>("--output", "-o") { Description = "Checkpoint folder to write (model.safetensors and model.json).", Required = true };
        var device = TrainingOptions.Device();
        var threads = TrainingOptions.Threads();
        var seed = TrainingOptions.Seed((ulong)Defaults.Seed, "Random seed; the run is deterministic on any number of threads.");
        var metrics = TrainingOptions.Metrics();
        var checkpoints = new CheckpointArguments();
        var distributed = DistributedArguments.SharedWindows();
        var command = new Command("elmo", "Train an ELMo-like bidirectional LSTM language model on words (character n-gram token vectors).")
        {
            input, validation, fraction, minCount, maxVocabulary, dimension, cells, layers, context, buckets, minN, maxN, dropout, batch, iterations, lr, minLr,
            warmup, evalInterval, target, device, threads, seed, metrics, distributed.Distributed,
        };
        checkpoints.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            // Opened before any text is read: a GPU that is not there is a usage error (exit 2) naming what was found.
            TrainingOptions.OpenDevice(parsed.GetValue(device)!);
            var options = new BiLmTrainingOptions
            {
                Iterations = parsed.GetValue(iterations),
                BatchSize = parsed.GetValue(batch),
                LearningRate = parsed.GetValue(lr),
                MinLearningRate = parsed.GetValue(minLr),
                WarmupIterations = parsed.GetValue(warmup),
                EvalInterval = parsed.GetValue(evalInterval),
                Threads = parsed.GetValue(threads),
                Device = parsed.GetValue(device)!,
                Seed = (int)(parsed.GetValue(seed) % int.MaxValue),
            };
            options.Validate();
            CheckpointSettings? checkpoint = checkpoints.Read(parsed);
            return Task.FromResult(DistributedArguments.Run(parsed.GetValue(distributed.Distributed), output, error, (world, rankOutput, rankError) =>
            {
                var texts = ContextualTexts.Read(parsed.GetValue(input)!.FullName, parsed.GetValue(validation)?.FullName, parsed.GetValue(fraction));
                List<string> training = WordText.Words(texts.Training), validationWords = WordText.Words(texts.Validation);
                if (validationWords.Count < 2) throw new ArgumentException($"{texts.ValidationPath} has {validationWords.Count} words; validation needs at least 2.");
                var config = new BiLmConfig
                {
                    Dimension = parsed.GetValue(dimension),
                    Cells = parsed.GetValue(cells),
                    Layers = parsed.GetValue(layers),
                    Context = parsed.GetValue(context),
                    Buckets = parsed.GetValue(buckets),
                    MinN = parsed.GetValue(minN),
                    MaxN = parsed.GetValue(maxN),
                    Dropout = parsed.GetValue(dropout),
                    Words = BiLmVocabulary.Build(training, parsed.GetValue(minCount), parsed.GetValue(maxVocabulary)),
                };
                // Every rank builds the same model from the same seed (or checkpoint); the ranks check that they agree.
                using var model = new BidirectionalLanguageModel(config, options.Seed);
                DataParallelStep? ranks = world == null ? null : new DataParallelStep(world, BiLmTrainer.Identity(model, training, options), options.BatchSize, options.Device);
                bool lead = world is null or { Rank: 0 };
                rankError.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{BiLmCheckpoint.Describe(config)}; {training.Count} training and {validationWords.Count} validation words; batch {options.BatchSize}, {options.Iterations} iterations, Adam lr {options.LearningRate} → {options.MinLearningRate}, device {options.Device}, kernels {IsaDispatch.Active}"));
                void PrintValidation(BiLmValidation point) => rankOutput.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"iter {point.Iteration}: val loss forward {point.Result.ForwardLoss:F4} backward {point.Result.BackwardLoss:F4} (perplexity {point.Result.ForwardPerplexity:F1} / {point.Result.BackwardPerplexity:F1})"));
                var (final, _) = ProgressReporter.ForStandardError(rankError, unit: "words", step: "iter").Follow(lead ? parsed.GetValue(metrics)?.FullName : null, report =>
                    BiLmTrainer.Train(model, training, validationWords, options, report, PrintValidation, ProgressReporter.Interval, cancellation,
                        DistributedArguments.CheckpointsOfRank(checkpoint, lead), ranks));
                rankOutput.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"trained on {final.WordsProcessed} predicted words (both directions) in {final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(final.WordsPerSecond)}/s, validation excluded), last train loss {final.Loss:F4}"));
                if (ranks != null) DistributedArguments.Summarize(ranks, final.Elapsed, rankOutput);
                if (!lead) return ExitCodes.Success;
                string folder = parsed.GetValue(target)!.FullName;
                BiLmCheckpoint.Save(model, folder);
                rankOutput.WriteLine($"wrote the model to {folder}");
                return ExitCodes.Success;
            }));
        });
        return command;
    }

    public static Command CreateContextual(TextWriter output)
    {
        var model = GenerateCommand.ModelOption();
        var input = new Option<FileInfo>("--input", "-i") { Description = "Sentences (UTF-8), one a line, whitespace-separated words.", Required = true };
        var target = new Option<FileInfo>("--output", "-o") { Description = "Where to write the vectors: 'word v1 v2 …' a line, a blank line after each sentence.", Required = true };
        var layer = new Option<string>("--layer") { Description = "Which layer: 0 (token vectors), 1 … the LSTM layers, or mix (their mean).", DefaultValueFactory = _ => "mix" };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels (0: one per core).", DefaultValueFactory = _ => 0 };
        var command = new Command("contextual", "Contextual word vectors of sentences from an ELMo-like model (embed train elmo).") { model, input, target, layer, threads };
        command.SetAction(parsed =>
        {
            TensorSettings.Threads = parsed.GetValue(threads);
            string inputPath = parsed.GetValue(input)!.FullName;
            string[] sentences = ContextualTexts.ReadText(inputPath).Split('\n').Where(line => WordText.Split(line).Length > 0).ToArray();
            if (sentences.Length == 0) throw new ArgumentException($"{inputPath} has no words.");
            using BidirectionalLanguageModel loaded = BiLmCheckpoint.Load(parsed.GetValue(model)!.FullName);
            int? chosen = ParseLayer(parsed.GetValue(layer)!, loaded.Config.Layers);
            loaded.Eval();
            string path = parsed.GetValue(target)!.FullName;
            long words = 0;
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
                var line = new StringBuilder();
                foreach (string sentence in sentences)
                {
                    string[] tokens = WordText.Split(sentence);
                    try
                    {
                        using (Graph.NoGrad())
                        {
                            Tensor[] layers = loaded.LayerVectors(tokens);
                            int width = 2 * loaded.Config.Dimension;
                            for (int w = 0; w < tokens.Length; w++)
                            {
                                line.Clear().Append(tokens[w]);
                                for (int c = 0; c < width; c++)
                                {
                                    float value = chosen is int k ? layers[k].AsSpan()[w * width + c] : Mean(layers, w * width + c);
                                    line.Append(' ').Append(value.ToString("G6", CultureInfo.InvariantCulture));
                                }
                                writer.WriteLine(line);
                            }
                        }
                    }
                    finally
                    {
                        Graph.Current.Release();
                    }
                    writer.WriteLine();
                    words += tokens.Length;
                }
            });
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {words} vectors of {2 * loaded.Config.Dimension} for {sentences.Length} sentences to {path}"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The biLM branch of <c>embed eval perplexity</c>: both directions over the text's words.</summary>
    public static void WritePerplexity(string modelPath, string textPath, TextWriter output)
    {
        using BidirectionalLanguageModel model = BiLmCheckpoint.Load(modelPath);
        List<string> words = WordText.Words(ContextualTexts.ReadText(textPath));
        BiLmEvaluation result;
        try
        {
            result = BiLmEvaluation.Measure(model, words);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{textPath}: {e.Message}", e);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"words {words.Count} ({result.Predictions} predicted per direction, {100.0 * result.UnknownTargets / result.Predictions:F2}% outside the {model.Config.Words.Count}-word vocabulary, predicted as <unk>)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"forward: loss {result.ForwardLoss:F4} nats/word, perplexity {result.ForwardPerplexity:F2}; backward: loss {result.BackwardLoss:F4}, perplexity {result.BackwardPerplexity:F2}"));
    }

    /// <summary>--layer: a layer number or "mix" (null: the mean of all layers).</summary>
    public static int? ParseLayer(string text, int layers)
    {
        if (text == "mix") return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int layer) && layer <= layers) return layer;
        throw new ArgumentException($"--layer takes 0 … {layers} or mix; got '{text}'.");
    }

    private static float Mean(Tensor[] layers, int index)
    {
        float sum = 0;
        foreach (Tensor layer in layers) sum += layer.AsSpan()[index];
        return sum / layers.Length;
    }
}
