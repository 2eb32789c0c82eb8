using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Distributed;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Training;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train gpt</c>, <c>embed train bert</c> and <c>embed train char-lm</c>: a language model on a text file,
/// with nanoGPT's Tiny Shakespeare recipe as the transformers' defaults and char-rnn's shape for the LSTM; prints
/// each validation loss as a line and saves a checkpoint folder.
/// </summary>
internal static class ContextualTrainCommand
{
    /// <summary><c>embed train gpt</c> or <c>embed train bert</c>.</summary>
    public static Command Create(ContextualModelKind kind, TextWriter output, TextWriter error)
    {
        var arguments = new Arguments(withTokenizer: true);
        var command = new Command(ContextualCheckpoint.KindName(kind), kind == ContextualModelKind.Gpt
            ? "Train a GPT-like causal language model (AdamW, warm-up and cosine decay)."
            : "Train a BERT-like masked language model (AdamW, warm-up and cosine decay).");
        arguments.AddTo(command);
        command.SetAction((parsed, cancellation) => Task.FromResult(Run(parsed, arguments, kind, TokenizerDescription.CharacterKind, output, error, cancellation)));
        return command;
    }

    /// <summary><c>embed train char-lm --arch lstm|gpt</c>: a character-level model of either architecture.</summary>
    public static Command CreateCharacterModel(TextWriter output, TextWriter error)
    {
        var arguments = new Arguments(withTokenizer: false);
        var architecture = new Option<string>("--arch") { Description = "lstm (stacked LSTM layers, char-rnn) or gpt (causal transformer).", DefaultValueFactory = _ => "lstm" };
        var command = new Command("char-lm", "Train a character-level language model: stacked LSTM layers (default) or a GPT-like transformer.") { architecture };
        arguments.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            ContextualModelKind kind = parsed.GetValue(architecture) switch
            {
                "lstm" => ContextualModelKind.Lstm,
                "gpt" => ContextualModelKind.Gpt,
                var other => throw new ArgumentException($"--arch takes lstm or gpt; got '{other}'."),
            };
            return Task.FromResult(Run(parsed, arguments, kind, TokenizerDescription.CharacterKind, output, error, cancellation));
        });
        return command;
    }

    private static int Run(ParseResult parsed, Arguments arguments, ContextualModelKind kind, string defaultTokenizer,
        TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        (ContextualConfig shape, ContextualTrainingOptions options) = arguments.Read(parsed, kind);
        CheckpointSettings? checkpoint = arguments.Checkpoints.Read(parsed);
        return DistributedArguments.Run(parsed.GetValue(arguments.Distributed.Distributed), output, error, (world, rankOutput, rankError) =>
        {
            var texts = ContextualTexts.Read(parsed.GetValue(arguments.Input)!.FullName, parsed.GetValue(arguments.Validation)?.FullName, parsed.GetValue(arguments.Fraction));
            // Every rank builds the same model from the same seed (or checkpoint); the ranks check that they agree.
            LanguageModel model = parsed.GetValue(arguments.Init) is { } initial
                ? LoadForTraining(initial.FullName, kind)
                : NewModel(shape, texts, arguments.Tokenizer is { } tokenizer ? parsed.GetValue(tokenizer)! : defaultTokenizer,
                    arguments.Vocab is { } vocab ? parsed.GetValue(vocab)?.FullName : null, arguments.Merges is { } merges ? parsed.GetValue(merges)?.FullName : null, options.Seed);
            bool lead = world is null or { Rank: 0 };
            using (model)
                return Train(model, texts, options, lead ? parsed.GetValue(arguments.Output)?.FullName : null, lead ? parsed.GetValue(arguments.Metrics)?.FullName : null,
                    DistributedArguments.CheckpointsOfRank(checkpoint, lead), world, rankOutput, rankError, cancellation);
        });
    }

    private static LanguageModel NewModel(ContextualConfig shape, ContextualTexts texts, string tokenizerKind, string? vocab, string? merges, int seed)
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
        return LanguageModel.Create(shape with { VocabularySize = tokenizer.VocabularySize, Tokenizer = description }, tokenizer, seed);
    }

    private static LanguageModel LoadForTraining(string path, ContextualModelKind kind)
    {
        LanguageModel model = ContextualCheckpoint.Load(path);
        if (model.Config.Kind == kind) return model;
        model.Dispose();
        throw new ArgumentException($"{path} holds a {ContextualCheckpoint.KindName(model.Config.Kind)} model, not a {ContextualCheckpoint.KindName(kind)} model.");
    }

    private static int Train(LanguageModel model, ContextualTexts texts, ContextualTrainingOptions options, string? modelPath, string? metricsPath,
        CheckpointSettings? checkpoint, MpiWorld? world, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        int[] training = ContextualTexts.Encode(model, texts.Training, texts.TrainingPath);
        int[] validation = ContextualTexts.Encode(model, texts.Validation, texts.ValidationPath);
        DataParallelStep? ranks = world == null ? null : new DataParallelStep(world, ContextualTrainer.Identity(model, training, options), options.BatchSize, options.Device);
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ContextualCheckpoint.Describe(model.Config)}; {training.Length} training and {validation.Length} validation tokens; batch {options.BatchSize}, {options.Iterations} iterations, {(options.WeightDecay > 0 ? "AdamW" : "Adam")} lr {options.LearningRate} → {options.MinLearningRate}, device {options.Device}, kernels {IsaDispatch.Active}"));
        bool bert = model.Config.Kind == ContextualModelKind.Bert;
        void PrintValidation(ValidationPoint point) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"iter {point.Iteration}: val loss {point.Result.MeanLoss:F4}{(bert ? $", masked-token accuracy {point.Result.Accuracy * 100:F2}%" : "")}"));
        ContextualTrainingResult result = ProgressReporter.ForStandardError(error, unit: "tokens", step: "iter").Follow(metricsPath, report =>
            ContextualTrainer.Train(model, training, validation, options, report, PrintValidation, ProgressReporter.Interval, cancellation, checkpoint, ranks));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {result.Final.WordsProcessed} tokens in {result.Final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(result.TokensPerSecond)} tokens/s, validation excluded), last train loss {result.Final.Loss:F4}"));
        if (ranks != null) DistributedArguments.Summarize(ranks, result.Final.Elapsed, output);
        if (modelPath != null)
        {
            ContextualCheckpoint.Save(model, modelPath);
            output.WriteLine($"wrote the model to {modelPath}");
        }
        return ExitCodes.Success;
    }

    /// <summary>The options of the three commands; sizes and rates left unset take the architecture's defaults.</summary>
    private sealed class Arguments
    {
        private static readonly ContextualConfig Transformer = new();
        private static readonly ContextualConfig Lstm = ContextualConfig.CharacterLstm;
        private static readonly ContextualTrainingOptions TransformerTraining = new(), LstmTraining = ContextualTrainingOptions.CharacterLstm;

        public readonly Option<FileInfo> Input = new("--input", "-i") { Description = "Training text (UTF-8).", Required = true };
        public readonly Option<FileInfo?> Validation = new("--validation") { Description = "Validation text; without it the last --validation-fraction of the input." };
        public readonly Option<double> Fraction = new("--validation-fraction") { Description = "Share of the input (its end) held out for validation.", DefaultValueFactory = _ => 0.1 };
        public readonly Option<string>? Tokenizer;
        public readonly Option<FileInfo?>? Vocab, Merges;
        public readonly Option<DirectoryInfo?> Init = new("--init") { Description = "Train further from this checkpoint (its shape and tokenizer replace the shape options)." };
        public readonly Option<int?> Layers = new("--layers") { Description = Both("Transformer blocks or LSTM layers", Transformer.Layers, Lstm.Layers) };
        public readonly Option<int?> Heads = new("--heads") { Description = $"Attention heads per block (default {Transformer.Heads}; not used by an LSTM)." };
        public readonly Option<int?> Dimension = new("--dim") { Description = Both("Hidden dimension", Transformer.Dimension, Lstm.Dimension) };
        public readonly Option<int?> Context = new("--context") { Description = Both("Tokens per window", Transformer.Context, Lstm.Context) };
        public readonly Option<float?> Dropout = new("--dropout") { Description = Both("Dropout while training", Transformer.Dropout, Lstm.Dropout) };
        public readonly Option<int?> Batch = new("--batch") { Description = Both("Windows per step", TransformerTraining.BatchSize, LstmTraining.BatchSize) };
        public readonly Option<int?> Iterations = new("--iters") { Description = Both("Optimizer steps", TransformerTraining.Iterations, LstmTraining.Iterations) };
        public readonly Option<float?> LearningRate = new("--lr") { Description = Both("Peak learning rate (after the warm-up)", TransformerTraining.LearningRate, LstmTraining.LearningRate) };
        public readonly Option<float?> MinLearningRate = new("--min-lr") { Description = Both("Learning rate at the end of the cosine decay", TransformerTraining.MinLearningRate, LstmTraining.MinLearningRate) };
        public readonly Option<int?> Warmup = new("--warmup") { Description = Both("Warm-up iterations", TransformerTraining.WarmupIterations, LstmTraining.WarmupIterations) };
        public readonly Option<float?> WeightDecay = new("--weight-decay") { Description = Both("AdamW's decay of weight matrices and embeddings", TransformerTraining.WeightDecay, LstmTraining.WeightDecay) };
        public readonly Option<int?> EvalInterval = new("--eval-interval") { Description = Both("Validation every this many iterations (and after the last)", TransformerTraining.EvalInterval, LstmTraining.EvalInterval) };
        public readonly Option<DirectoryInfo?> Output = new("--output", "-o") { Description = "Checkpoint folder to write (model.safetensors and model.json)." };
        public readonly Option<string> Device = TrainingOptions.Device();
        public readonly Option<int> Threads = TrainingOptions.Threads();
        public readonly Option<ulong> Seed = TrainingOptions.Seed((ulong)TransformerTraining.Seed, "Random seed; the run is deterministic on any number of threads.");
        public readonly Option<FileInfo?> Metrics = TrainingOptions.Metrics();
        public readonly CheckpointArguments Checkpoints = new();
        public readonly DistributedArguments Distributed = DistributedArguments.SharedWindows();

        public Arguments(bool withTokenizer)
        {
            if (!withTokenizer) return;
            Tokenizer = new("--tokenizer") { Description = "char (the text's distinct characters) or bpe (GPT-2 byte-level BPE, with --vocab and --merges).", DefaultValueFactory = _ => TokenizerDescription.CharacterKind };
            Vocab = new("--vocab") { Description = "BPE vocab.json." };
            Merges = new("--merges") { Description = "BPE merges.txt." };
        }

        public void AddTo(Command command)
        {
            command.Options.Add(Input);
            command.Options.Add(Validation);
            command.Options.Add(Fraction);
            foreach (Option? option in new Option?[] { Tokenizer, Vocab, Merges })
                if (option != null) command.Options.Add(option);
            foreach (Option option in new Option[] { Init, Layers, Heads, Dimension, Context, Dropout, Batch, Iterations, LearningRate, MinLearningRate, Warmup, WeightDecay, EvalInterval, Output, Device, Threads, Seed, Metrics, Distributed.Distributed })
                command.Options.Add(option);
            Checkpoints.AddTo(command);
        }

        /// <summary>The shape and recipe: each option given, else <paramref name="kind"/>'s default.</summary>
        public (ContextualConfig Shape, ContextualTrainingOptions Training) Read(ParseResult parsed, ContextualModelKind kind)
        {
            bool lstm = kind == ContextualModelKind.Lstm;
            ContextualConfig shapeDefaults = lstm ? Lstm : Transformer;
            ContextualTrainingOptions trainingDefaults = lstm ? LstmTraining : TransformerTraining;
            if (lstm && parsed.GetValue(Heads) != null) throw new ArgumentException("--heads belongs to a transformer; an LSTM model has no attention heads.");
            // Opened before any text is read: a GPU that is not there is a usage error (exit 2) naming what was found.
            string device = parsed.GetValue(Device)!;
            TrainingOptions.OpenDevice(device);
            var training = new ContextualTrainingOptions
            {
                Iterations = parsed.GetValue(Iterations) ?? trainingDefaults.Iterations,
                BatchSize = parsed.GetValue(Batch) ?? trainingDefaults.BatchSize,
                LearningRate = parsed.GetValue(LearningRate) ?? trainingDefaults.LearningRate,
                MinLearningRate = parsed.GetValue(MinLearningRate) ?? trainingDefaults.MinLearningRate,
                WarmupIterations = parsed.GetValue(Warmup) ?? trainingDefaults.WarmupIterations,
                WeightDecay = parsed.GetValue(WeightDecay) ?? trainingDefaults.WeightDecay,
                EvalInterval = parsed.GetValue(EvalInterval) ?? trainingDefaults.EvalInterval,
                Threads = parsed.GetValue(Threads),
                Device = device,
                Seed = (int)(parsed.GetValue(Seed) % int.MaxValue),
            };
            training.Validate();
            var shape = new ContextualConfig
            {
                Kind = kind,
                Layers = parsed.GetValue(Layers) ?? shapeDefaults.Layers,
                Heads = parsed.GetValue(Heads) ?? shapeDefaults.Heads,
                Dimension = parsed.GetValue(Dimension) ?? shapeDefaults.Dimension,
                Context = parsed.GetValue(Context) ?? shapeDefaults.Context,
                Dropout = parsed.GetValue(Dropout) ?? shapeDefaults.Dropout,
            };
            return (shape, training);
        }

        private static string Both<T>(string what, T transformer, T lstm) where T : IFormattable =>
            string.Create(CultureInfo.InvariantCulture, $"{what} (default {transformer} for a transformer, {lstm} for an LSTM).");
    }
}
