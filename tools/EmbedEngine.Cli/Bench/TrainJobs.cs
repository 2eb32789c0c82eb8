using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.GloVe;
using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Bench;

/// <summary>What every job trains with: the corpus, the passes over it and the threads.</summary>
internal sealed record TrainBudget(string Corpus, int Epochs, int Threads);

/// <summary>A finished job's vectors (owned by the caller), its final progress and what its rate counts.</summary>
internal sealed record TrainedVectors(KeyedVectors Vectors, TrainingProgress Final, string Unit);

/// <summary>One standard end-to-end job of <c>embed bench train</c>.</summary>
/// <param name="Name">As <c>--jobs</c> names it.</param>
/// <param name="Train">Trains on the budget's corpus, vocabulary and counting included.</param>
internal sealed record TrainJob(string Name, Func<TrainBudget, CancellationToken, TrainedVectors> Train);

/// <summary>
/// The static-vector jobs at 100 dimensions and the CLI's defaults otherwise: word2vec skip-gram, fastText skip-gram
/// with character n-grams, and GloVe (co-occurrence counting, then training).
/// </summary>
internal static class TrainJobs
{
    private const int Dimension = 100, MinCount = 5;

    public static IReadOnlyList<TrainJob> All { get; } =
    [
        new("word2vec", Word2Vec),
        new("fasttext", FastText),
        new("glove", GloVe),
    ];

    private static TrainedVectors Word2Vec(TrainBudget budget, CancellationToken cancellation)
    {
        var options = new Word2VecOptions
        {
            Architecture = Word2VecArchitecture.SkipGram, Dimension = Dimension, MinCount = MinCount, Epochs = budget.Epochs, Threads = budget.Threads,
        };
        Word2VecResult result = Word2VecTrainer.Train(budget.Corpus, options, cancellation: cancellation);
        return new TrainedVectors(result.Vectors, result.Final, "words");
    }

    private static TrainedVectors FastText(TrainBudget budget, CancellationToken cancellation)
    {
        var options = new FastTextOptions { Dimension = Dimension, MinCount = MinCount, Epochs = budget.Epochs, Threads = budget.Threads };
        using FastTextResult result = FastTextTrainer.Train(budget.Corpus, options, cancellation: cancellation);
        return new TrainedVectors(result.Model.ToKeyedVectors(), result.Final, "words");
    }

    private static TrainedVectors GloVe(TrainBudget budget, CancellationToken cancellation)
    {
        Vocabulary vocabulary = Vocabulary.Build(budget.Corpus, MinCount);
        CsrMatrix counts = CooccurrenceCounter.Count(budget.Corpus, vocabulary, new CooccurrenceOptions { Threads = budget.Threads },
            cancellation: cancellation);
        var options = new GloVeOptions { Dimension = Dimension, Epochs = budget.Epochs, Threads = budget.Threads };
        GloVeResult result = GloVeTrainer.Train(counts, vocabulary, options, cancellation: cancellation);
        return new TrainedVectors(result.Vectors, result.Final, "entries");
    }
}
