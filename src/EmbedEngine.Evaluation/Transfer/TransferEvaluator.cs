using EmbedEngine.Evaluation.Multimodal;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Evaluation.Transfer;

/// <summary>
/// SentEval's transfer protocol for a task with a training and a test split: every document becomes its sentence
/// vector, a held-out share of the training split chooses the L2 penalty of a logistic-regression classifier
/// (<see cref="LinearProbe"/>: standardized on its training rows, fitted by L-BFGS), the classifier is refitted on the
/// whole training split with that penalty and scored on the test split. Deterministic for a seed.
/// </summary>
public static class TransferEvaluator
{
    /// <summary>The share of the training split held out to choose the penalty.</summary>
    public const double ValidationShare = 0.1;

    /// <summary>
    /// The L2 penalties tried, weakest first. λ weighs the mean cross-entropy, so scikit-learn's C (SentEval tries
    /// 2⁻² … 2³) is 1 / (C·N): about 3e-5 … 1e-3 for a few thousand documents, inside this range.
    /// </summary>
    public static IReadOnlyList<double> Penalties { get; } = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

    /// <summary>Scores <paramref name="encoder"/> on <paramref name="data"/>.</summary>
    /// <param name="encoder">Turns each document into its vector.</param>
    /// <param name="data">The task.</param>
    /// <param name="resamples">Bootstrap resamples for the accuracy's interval.</param>
    /// <param name="seed">Seeds the validation split and the bootstrap.</param>
    /// <exception cref="ArgumentException">The training split has fewer than two documents, or <paramref name="resamples"/> is below 1.</exception>
    public static TransferReport Evaluate(ISentenceEncoder encoder, TransferData data, int resamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Train.Texts.Count < 2)
            throw new ArgumentException("The training split needs at least two documents: one to fit on and one to choose the penalty with.", nameof(data));
        EmbeddingMatrix train = Encode(encoder, data.Train.Texts);
        EmbeddingMatrix test = Encode(encoder, data.Test.Texts);
        int classes = data.Classes.Count;
        (double l2, double validationAccuracy) = ChoosePenalty(train, data.Train.Labels, classes, seed);
        LinearProbeModel model = LinearProbe.Train(train, data.Train.Labels, classes, new LinearProbeOptions { L2 = l2 });

        int[] predictions = model.Predict(test);
        int[] expected = data.Test.Labels;
        int correct = 0, covered = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            if (predictions[i] == expected[i]) correct++;
            if (test.Row(i).ContainsAnyExcept(0f)) covered++;
        }
        int tested = predictions.Length;
        int majority = MostFrequent(data.Train.Labels, classes);
        return new TransferReport((double)correct / tested, Bootstrap.Accuracy(correct, tested, resamples, seed), correct, tested, covered,
            (double)expected.Count(label => label == majority) / tested, l2, validationAccuracy, train.Rows, train.Dimension);
    }

    /// <summary>The penalty with the best validation accuracy (the strongest of those tied, the simpler classifier), and that accuracy.</summary>
    private static (double L2, double Accuracy) ChoosePenalty(EmbeddingMatrix features, int[] labels, int classes, int seed)
    {
        int[] order = [.. Enumerable.Range(0, features.Rows)];
        new Random(seed).Shuffle(order);
        int held = Math.Max(1, (int)Math.Round(ValidationShare * order.Length));
        int[] validation = order[..held], fitting = order[held..];
        EmbeddingMatrix fitRows = Select(features, fitting), validationRows = Select(features, validation);
        int[] fitLabels = [.. fitting.Select(i => labels[i])], validationLabels = [.. validation.Select(i => labels[i])];
        (double L2, double Accuracy) best = (double.NaN, -1);
        foreach (double l2 in Penalties)
        {
            double accuracy = LinearProbe.Train(fitRows, fitLabels, classes, new LinearProbeOptions { L2 = l2 })
                .Accuracy(validationRows, validationLabels);
            if (accuracy >= best.Accuracy) best = (l2, accuracy);
        }
        return best;
    }

    private static EmbeddingMatrix Encode(ISentenceEncoder encoder, IReadOnlyList<string> texts)
    {
        var vectors = new float[texts.Count * encoder.Dimension];
        encoder.EncodeBatch(texts, vectors);
        return new EmbeddingMatrix(vectors, texts.Count, encoder.Dimension);
    }

    private static EmbeddingMatrix Select(EmbeddingMatrix features, int[] rows)
    {
        int d = features.Dimension;
        var data = new float[rows.Length * d];
        for (int i = 0; i < rows.Length; i++) features.Row(rows[i]).CopyTo(data.AsSpan(i * d, d));
        return new EmbeddingMatrix(data, rows.Length, d);
    }

    private static int MostFrequent(int[] labels, int classes)
    {
        var counts = new int[classes];
        foreach (int label in labels) counts[label]++;
        return Array.IndexOf(counts, counts.Max());
    }
}
