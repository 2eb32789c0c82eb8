using System.CommandLine;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.Word2Vec;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// The options of <c>embed train fasttext</c>. Each also answers to fastText's own spelling (<c>-dim</c>,
/// <c>-minCount</c>, …) and the model is fastText's first word (<c>skipgram</c> or <c>cbow</c>), so a fastText
/// command line moves over by replacing <c>fasttext</c> with <c>embed train fasttext</c>.
/// </summary>
internal sealed class FastTextArguments
{
    private static readonly FastTextOptions Defaults = new();

    public FastTextArguments()
    {
        Model.AcceptOnlyFromAmong("skipgram", "cbow");
        Seed.Aliases.Add("-seed");
        Loss.AcceptOnlyFromAmong("ns", "hs");
    }

    public Argument<string> Model { get; } = new("model") { Description = "skipgram or cbow.", DefaultValueFactory = _ => "skipgram" };
    public Option<FileInfo> Input { get; } = new("--input", "-input", "-i") { Description = "Corpus: UTF-8 text, plain or .gz, one sentence per line.", Required = true };
    public Option<FileInfo> Output { get; } = new("--output", "-output", "-o") { Description = "Where to write the vectors: a .vec path, or a prefix that gets .vec appended, as fastText's -output.", Required = true };
    public Option<string> Loss { get; } = new("--loss", "-loss") { Description = "ns (negative sampling) or hs (hierarchical softmax).", DefaultValueFactory = _ => "ns" };
    public Option<int> Dimension { get; } = new("--dim", "-dim", "--size") { Description = "Vector dimension.", DefaultValueFactory = _ => Defaults.Dimension };
    public Option<int> Window { get; } = new("--ws", "-ws", "--window") { Description = "Largest context radius.", DefaultValueFactory = _ => Defaults.Window };
    public Option<int> Epochs { get; } = new("--epoch", "-epoch", "--epochs") { Description = "Passes over the corpus.", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<int> MinCount { get; } = new("--min-count", "-minCount") { Description = "Discard words seen fewer times.", DefaultValueFactory = _ => Defaults.MinCount };
    public Option<int> Negative { get; } = new("--neg", "-neg", "--negative") { Description = "Negative samples per prediction.", DefaultValueFactory = _ => Defaults.Negative };
    public Option<float> LearningRate { get; } = new("--lr", "-lr") { Description = "Starting learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<int> MinN { get; } = new("--minn", "-minn") { Description = "Shortest character n-gram.", DefaultValueFactory = _ => Defaults.MinN };
    public Option<int> MaxN { get; } = new("--maxn", "-maxn") { Description = "Longest character n-gram (0: whole words only).", DefaultValueFactory = _ => Defaults.MaxN };
    public Option<int> Buckets { get; } = new("--bucket", "-bucket") { Description = "Hash buckets for the n-grams.", DefaultValueFactory = _ => Defaults.Buckets };
    public Option<double> Sample { get; } = new("--sample", "-t") { Description = "Subsampling threshold for frequent words (0 disables).", DefaultValueFactory = _ => Defaults.Sample };
    public Option<int> Threads { get; } = TrainingOptions.Threads("-thread");
    public Option<ulong> Seed { get; } = TrainingOptions.Seed(Defaults.Seed);
    public Option<FileInfo?> Metrics { get; } = TrainingOptions.Metrics();
    public Option<string> Device { get; } = TrainingOptions.Device();
    public CheckpointArguments Checkpoints { get; } = new();
    public DistributedArguments Distributed { get; } = DistributedArguments.CorpusShards();
    public Option<long> SyncWords { get; } = DistributedArguments.SyncWords();

    public void AddTo(Command command)
    {
        command.Arguments.Add(Model);
        foreach (Option option in new Option[]
        {
            Input, Output, Loss, Dimension, Window, Epochs, MinCount, Negative, LearningRate, MinN, MaxN, Buckets, Sample, Threads, Seed, Metrics, Device, Distributed.Distributed, SyncWords,
        })
            command.Options.Add(option);
        Checkpoints.AddTo(command);
    }

    public FastTextOptions Read(ParseResult parsed) => new()
    {
        Architecture = parsed.GetValue(Model) == "cbow" ? Word2VecArchitecture.Cbow : Word2VecArchitecture.SkipGram,
        Loss = parsed.GetValue(Loss) == "hs" ? FastTextLoss.HierarchicalSoftmax : FastTextLoss.NegativeSampling,
        Dimension = parsed.GetValue(Dimension),
        Window = parsed.GetValue(Window),
        Epochs = parsed.GetValue(Epochs),
        MinCount = parsed.GetValue(MinCount),
        Negative = parsed.GetValue(Negative),
        LearningRate = parsed.GetValue(LearningRate),
        MinN = parsed.GetValue(MinN),
        MaxN = parsed.GetValue(MaxN),
        Buckets = parsed.GetValue(Buckets),
        Sample = parsed.GetValue(Sample),
        Threads = parsed.GetValue(Threads),
        Seed = parsed.GetValue(Seed),
    };

    /// <summary>The .vec file to write: the output itself when it ends in .vec, else the output as a prefix, as fastText does.</summary>
    public string VectorPath(ParseResult parsed)
    {
        string path = parsed.GetValue(Output)!.FullName;
        return path.EndsWith(".vec", StringComparison.OrdinalIgnoreCase) ? path : path + ".vec";
    }
}
