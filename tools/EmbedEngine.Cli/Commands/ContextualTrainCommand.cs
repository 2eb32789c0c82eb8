using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train gpt</c> and <c>embed train bert</c>: a transformer language model on a text file, with nanoGPT's
/// Tiny Shakespeare recipe as the defaults; prints each validation loss as a line and saves a checkpoint folder.
/// </summary>
internal static class ContextualTrainCommand
{
    private static readonly ContextualConfig ShapeDefaults = new();
    private static readonly ContextualTrainingOptions Defaults = new();

    public static Command Create(ContextualModelKind kind, TextWriter output, TextWriter error)
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "Training text (UTF-8).", Required = true };
        var validation = new Option<FileInfo?>("--validation") { Description = "Validation text; without it the last --validation-fraction of the input." };
        var fraction = new Option<double>("--validation-fraction") { Description = "Share of the input (its end) held out for validation.", DefaultValueFactory = _ => 0.1 };
        var tokenizer = new Option<string>("--tokenizer") { Description = "char (the text's distinct characters) or bpe (GPT-2 byte-level BPE, with --vocab and --merges).", DefaultValueFactory = _ => TokenizerDescription.CharacterKind };
        var vocab = new Option<FileInfo?>("--vocab") { Description = "BPE vocab.json." };
        var merges = new Option<FileInfo?>("--merges") { Description = "BPE merges.txt." };
        var init = new Option<DirectoryInfo?>("--init") { Description = "Train further from this checkpoint (its shape and tokenizer replace the shape options)." };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => ShapeDefaults.Layers };
        var heads = new Option<int>("--heads") { Description = "Attention heads per block.", DefaultValueFactory = _ => ShapeDefaults.Heads };
        var dimension = new Option<int>("--dim") { Description = "Hidden dimension.", DefaultValueFactory = _ => ShapeDefaults.Dimension };
        var context = new Option<int>("--context") { Description = "Tokens per window.", DefaultValueFactory = _ => ShapeDefaults.Context };
        var dropout = new Option<float>("--dropout") { Description = "Dropout while training.", DefaultValueFactory = _ => ShapeDefaults.Dropout };
        var batch = new Option<int>("--batch") { Description = "Windows per step.", DefaultValueFactory = _ => Defaults.BatchSize };
        var iterations = new Option<int>("--iters") { Description = "Optimizer steps.", DefaultValueFactory = _ => Defaults.Iterations };
        var lr = new Option<float>("--lr") { Description = "Peak learning rate (after the warm-up).", DefaultValueFactory = _ => Defaults.LearningRate };
        var minLr = new Option<float>("--min-lr") { Description = "Learning rate at the end of the cosine decay.", DefaultValueFactory = _ => Defaults.MinLearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up iterations.", DefaultValueFactory = _ => Defaults.WarmupIterations };
        var decay = new Option<float>("--weight-decay") { Description = "AdamW's decay of weight matrices and embeddings.", DefaultValueFactory = _ => Defaults.WeightDecay };
        var evalInterval = new Option<int>("--eval-interval") { Description = "Validation every this many iterations (and after the last).", DefaultValueFactory = _ => Defaults.EvalInterval };
        var target = new Option<DirectoryInfo?>("--output", "-o") { Description = "Checkpoint folder to write (model.safetensors and model.json)." };
        var threads = TrainingOptions.Threads();
        var seed = TrainingOptions.Seed((ulong)Defaults.Seed, "Random seed; the run is deterministic on any number of threads.");
        var metrics = TrainingOptions.Metrics();
        string name = ContextualCheckpoint.KindName(kind);
        var command = new Command(name, kind == ContextualModelKind.Gpt
            ? "Train a GPT-like causal language model (AdamW, warm-up and cosine decay)."
            : "Train a BERT-like masked language model (AdamW, warm-up and cosine decay).")
        {
            input, validation, fraction, tokenizer, vocab, merges, init, layers, heads, dimension, context, dropout, batch, iterations, lr, minLr,
            warmup, decay, evalInterval, target, threads, seed, metrics,
        };
        command.SetAction((parsed, cancellation) =>
        {
            var options = new ContextualTrainingOptions
            {
                Iterations = parsed.GetValue(iterations),
                BatchSize = parsed.GetValue(batch),
                LearningRate = parsed.GetValue(lr),
                MinLearningRate = parsed.GetValue(minLr),
                WarmupIterations = parsed.GetValue(warmup),
                WeightDecay = parsed.GetValue(decay),
                EvalInterval = parsed.GetValue(evalInterval),
                Threads = parsed.GetValue(threads),
                Seed = (int)(parsed.GetValue(seed) % int.MaxValue),
            };
            options.Validate();
            var shape = new ContextualConfig
            {
                Kind = kind,
                Layers = parsed.GetValue(layers),
                Heads = parsed.GetValue(heads),
                Dimension = parsed.GetValue(dimension),
                Context = parsed.GetValue(context),
                Dropout = parsed.GetValue(dropout),
            };
            var texts = ContextualTexts.Read(parsed.GetValue(input)!.FullName, parsed.GetValue(validation)?.FullName, parsed.GetValue(fraction));
            ContextualModel model = parsed.GetValue(init) is { } initial
                ? LoadForTraining(initial.FullName, kind)
                : NewModel(shape, texts, parsed.GetValue(tokenizer)!, parsed.GetValue(vocab)?.FullName, parsed.GetValue(merges)?.FullName, options.Seed);
            using (model)
                return Task.FromResult(Run(model, texts, options, parsed.GetValue(target)?.FullName, parsed.GetValue(metrics)?.FullName, output, error, cancellation));
        });
        return command;
    }

    private static ContextualModel NewModel(ContextualConfig shape, ContextualTexts texts, string tokenizerKind, string? vocab, string? merges, int seed)
    {
        TokenizerDescription description = tokenizerKind switch
        {
            TokenizerDescription.CharacterKind => TokenizerDescription.CharactersOf(texts.Training + texts.Validation),
            TokenizerDescription.BpeKind => TokenizerDescription.Bpe(
                vocab ?? throw new ArgumentException("--tokenizer bpe needs --vocab (vocab.json) and --merges (merges.txt)."),
                merges ?? throw new ArgumentException("--tokenizer bpe needs --merges (merges.txt) with --vocab.")),
            _ => throw new ArgumentException($"--tokenizer takes {TokenizerDescription.CharacterKind} or {TokenizerDescription.BpeKind}; got '{tokenizerKind}'."),
        };
        ITokenizer tokenizer = description.Create(Directory.GetCurrentDirectory());
        return new ContextualModel(shape with { VocabularySize = tokenizer.VocabularySize, Tokenizer = description }, tokenizer, seed);
    }

    private static ContextualModel LoadForTraining(string path, ContextualModelKind kind)
    {
        ContextualModel model = ContextualCheckpoint.Load(path);
        if (model.Config.Kind == kind) return model;
        model.Dispose();
        throw new ArgumentException($"{path} holds a {ContextualCheckpoint.KindName(model.Config.Kind)} model, not a {ContextualCheckpoint.KindName(kind)} model.");
    }

    private static int Run(ContextualModel model, ContextualTexts texts, ContextualTrainingOptions options, string? modelPath, string? metricsPath,
        TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        int[] training = ContextualTexts.Encode(model, texts.Training, texts.TrainingPath);
        int[] validation = ContextualTexts.Encode(model, texts.Validation, texts.ValidationPath);
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ContextualCheckpoint.Describe(model.Config)}; {training.Length} training and {validation.Length} validation tokens; batch {options.BatchSize}, {options.Iterations} iterations, AdamW lr {options.LearningRate} → {options.MinLearningRate}, kernels {IsaDispatch.Active}"));
        bool bert = model.Config.Kind == ContextualModelKind.Bert;
        void PrintValidation(ValidationPoint point) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"iter {point.Iteration}: val loss {point.Result.MeanLoss:F4}{(bert ? $", masked-token accuracy {point.Result.Accuracy * 100:F2}%" : "")}"));
        ContextualTrainingResult result = ProgressReporter.ForStandardError(error, unit: "tokens", step: "iter").Follow(metricsPath, report =>
            ContextualTrainer.Train(model, training, validation, options, report, PrintValidation, ProgressReporter.Interval, cancellation));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {result.Final.WordsProcessed} tokens in {result.Final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(result.TokensPerSecond)} tokens/s, validation excluded), last train loss {result.Final.Loss:F4}"));
        if (modelPath != null)
        {
            ContextualCheckpoint.Save(model, modelPath);
            output.WriteLine($"wrote the model to {modelPath}");
        }
        return ExitCodes.Success;
    }
}
