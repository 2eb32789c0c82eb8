using System.CommandLine;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// The options of <c>embed train word2vec</c>. Each also answers to word2vec.c's single-dash spelling
/// (<c>-size</c>, <c>-window</c>, …), so existing scripts move over unchanged.
/// </summary>
internal sealed class Word2VecArguments
{
    private static readonly Word2VecOptions Defaults = new();

    public Option<FileInfo> Train { get; } = new("--input", "-train", "-i") { Description = "Corpus: UTF-8 text, plain or .gz, one sentence per line.", Required = true };
    public Option<FileInfo> Output { get; } = TrainingOptions.VectorsOutput("-output");
    public Option<string?> Format { get; } = TrainingOptions.Format();
    public Option<int?> Binary { get; } = new("--binary", "-binary") { Description = "word2vec.c's switch: 1 writes word2vec binary, 0 word2vec text, whatever the extension." };
    public Option<int> Cbow { get; } = new("--cbow", "-cbow") { Description = "1 for CBOW, 0 for skip-gram.", DefaultValueFactory = _ => 1 };
    public Option<int> Size { get; } = new("--size", "-size") { Description = "Vector dimension.", DefaultValueFactory = _ => Defaults.Dimension };
    public Option<int> Window { get; } = new("--window", "-window") { Description = "Maximum context distance.", DefaultValueFactory = _ => Defaults.Window };
    public Option<double> Sample { get; } = new("--sample", "-sample") { Description = "Subsampling threshold for frequent words (0 disables).", DefaultValueFactory = _ => Defaults.Sample };
    public Option<int> Negative { get; } = new("--negative", "-negative") { Description = "Negative samples per word (0 disables).", DefaultValueFactory = _ => Defaults.Negative };
    public Option<int> HierarchicalSoftmax { get; } = new("--hs", "-hs") { Description = "1 to use hierarchical softmax.", DefaultValueFactory = _ => 0 };
    public Option<int> MinCount { get; } = new("--min-count", "-min-count") { Description = "Discard words seen fewer times.", DefaultValueFactory = _ => Defaults.MinCount };
    public Option<int> MaxVocabulary { get; } = new("--max-vocab") { Description = "Keep at most this many words (0: all).", DefaultValueFactory = _ => 0 };
    public Option<int> Iterations { get; } = new("--iter", "-iter", "--epochs") { Description = "Passes over the corpus.", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<float?> Alpha { get; } = new("--alpha", "-alpha") { Description = "Starting learning rate (default 0.05 CBOW, 0.025 skip-gram)." };
    public Option<int> Threads { get; } = TrainingOptions.Threads("-threads");
    public Option<ulong> Seed { get; } = TrainingOptions.Seed(Defaults.Seed);
    public Option<bool> ExactSigmoid { get; } = new("--exact-sigmoid") { Description = "Exact logistic function instead of word2vec's table." };
    public Option<string?> Saturated { get; } = SaturatedOption();
    public Option<LearningRateDecay> Decay { get; } = new("--decay") { Description = "What the learning rate's linear fall counts: Words (word2vec.c) or Sentences (gensim's train with total_examples).", DefaultValueFactory = _ => Defaults.Decay };
    public Option<float> InitialRange { get; } = new("--init-range") { Description = "Input vectors start uniform in ±this/dim (gensim 1, word2vec.c 0.5).", DefaultValueFactory = _ => Defaults.InitialRange };
    public Option<int> Interleave { get; } = new("--interleave") { Description = "Blocks per thread, dealt in corpus order to whichever thread is free, so the threads move through the corpus together (1: one contiguous part each, as word2vec.c).", DefaultValueFactory = _ => Defaults.Interleave };
    public Option<int> MaxSentenceLength { get; } = new("--max-sentence-length") { Description = "Longest sentence trained as one unit; longer lines continue in the next (word2vec.c 1000, gensim 10000).", DefaultValueFactory = _ => Defaults.MaxSentenceLength };
    public Option<bool> Word2VecC { get; } = new("--word2vec-c") { Description = "Train as word2vec.c does (its results, not gensim's): --saturated clamp --init-range 0.5 --interleave 1 --decay words --max-sentence-length 1000; any of those given too wins." };
    public Option<bool> SharedNegatives { get; } = new("--shared-negatives") { Description = "Skip-gram: share negatives across a window (Ji et al. 2016), one small matrix product per window." };
    public Option<int?> StagedRows { get; } = new("--staged-rows") { Description = "With 2+ threads, each thread trains a private copy of this many most frequent words' output rows, merged every million row updates for skip-gram (~50,000 words) and every 40,000 for CBOW (~12,000 words), so the cores stop trading them (0: every row in place, as word2vec.c and gensim; default: skip-gram as many as 64 MiB of copies hold, CBOW 2,000)." };
    public Option<FileInfo?> Metrics { get; } = TrainingOptions.Metrics();
    public Option<string> Device { get; } = TrainingOptions.Device();
    public CheckpointArguments Checkpoints { get; } = new();
    public DistributedArguments Distributed { get; } = DistributedArguments.CorpusShards();
    public Option<long> SyncWords { get; } = DistributedArguments.SyncWords();

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
        {
            Train, Output, Format, Binary, Cbow, Size, Window, Sample, Negative, HierarchicalSoftmax, MinCount, MaxVocabulary,
            Iterations, Alpha, Threads, Seed, ExactSigmoid, Saturated, Decay, InitialRange, Interleave, MaxSentenceLength, Word2VecC, SharedNegatives, StagedRows, Metrics, Device,
            Distributed.Distributed, SyncWords,
        })
            command.Options.Add(option);
        Checkpoints.AddTo(command);
    }

    /// <summary>The output format asked for by --format or word2vec.c's -binary (null: the extension decides).</summary>
    public string? FormatName(ParseResult parsed)
    {
        string? format = parsed.GetValue(Format);
        int? binary = parsed.GetValue(Binary);
        if (binary is null) return format;
        if (binary is not (0 or 1)) throw new ArgumentException($"-binary takes 0 (text) or 1 (binary), not {binary}.");
        if (format != null) throw new ArgumentException("Give --format or -binary, not both.");
        return binary == 1 ? "word2vec-binary" : "word2vec-text";
    }

    /// <summary>--exact-sigmoid, or what --saturated asks of scores beyond ±6 (null: <paramref name="fallback"/>).</summary>
    private static SigmoidMode ReadSigmoid(bool exact, string? saturated, SigmoidMode fallback)
    {
        if (exact && saturated != null) throw new ArgumentException("Give --exact-sigmoid or --saturated, not both: the exact sigmoid never saturates.");
        if (exact) return SigmoidMode.Exact;
        return saturated switch
        {
            null => fallback,
            "skip" => SigmoidMode.SkipSaturated,
            _ => SigmoidMode.Table,
        };
    }

    private static Option<string?> SaturatedOption()
    {
        var option = new Option<string?>("--saturated")
        {
            Description = "A score beyond ±6: skip makes no update (gensim), clamp takes the full gradient (word2vec.c). Default: "
                + (Defaults.Sigmoid == SigmoidMode.SkipSaturated ? "skip." : "clamp."),
        };
        option.AcceptOnlyFromAmong("skip", "clamp");
        return option;
    }

    public Word2VecOptions Read(ParseResult parsed)
    {
        Word2VecOptions training = parsed.GetValue(Word2VecC) ? Defaults.WithWord2VecCTraining() : Defaults;
        return new()
        {
            Architecture = parsed.GetValue(Cbow) != 0 ? Word2VecArchitecture.Cbow : Word2VecArchitecture.SkipGram,
            Dimension = parsed.GetValue(Size),
            Window = parsed.GetValue(Window),
            Sample = parsed.GetValue(Sample),
            Negative = parsed.GetValue(Negative),
            HierarchicalSoftmax = parsed.GetValue(HierarchicalSoftmax) != 0,
            MinCount = parsed.GetValue(MinCount),
            MaxVocabularySize = parsed.GetValue(MaxVocabulary),
            Epochs = parsed.GetValue(Iterations),
            LearningRate = parsed.GetValue(Alpha),
            Threads = parsed.GetValue(Threads),
            Seed = parsed.GetValue(Seed),
            Sigmoid = ReadSigmoid(parsed.GetValue(ExactSigmoid), parsed.GetValue(Saturated), training.Sigmoid),
            Decay = GivenOr(parsed, Decay, training.Decay),
            InitialRange = GivenOr(parsed, InitialRange, training.InitialRange),
            Interleave = GivenOr(parsed, Interleave, training.Interleave),
            MaxSentenceLength = GivenOr(parsed, MaxSentenceLength, training.MaxSentenceLength),
            SharedNegatives = parsed.GetValue(SharedNegatives),
            StagedRows = parsed.GetValue(StagedRows),
        };
    }

    /// <summary>The option's value where the command line gives it, else <paramref name="fallback"/> (not its default).</summary>
    private static T GivenOr<T>(ParseResult parsed, Option<T> option, T fallback)
        => parsed.GetResult(option) is { Implicit: false } ? parsed.GetValue(option)! : fallback;
}
