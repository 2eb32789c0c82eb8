using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>Both directions' loss over a text cut into consecutive windows of <see cref="BiLmConfig.Context"/> + 1 words (the last one shorter).</summary>
/// <param name="ForwardLoss">Mean cross-entropy of the forward stack per predicted word, in nats.</param>
/// <param name="BackwardLoss">Mean cross-entropy of the backward stack per predicted word.</param>
/// <param name="Predictions">Words each direction predicted.</param>
/// <param name="UnknownTargets">Of those, words outside the vocabulary, predicted as <see cref="BiLmConfig.Unknown"/>.</param>
public sealed record BiLmEvaluation(double ForwardLoss, double BackwardLoss, long Predictions, long UnknownTargets)
{
    /// <summary>e^(forward loss): the forward model's per-word perplexity over the vocabulary, unknown words as one word.</summary>
    public double ForwardPerplexity => Math.Exp(ForwardLoss);

    /// <summary>e^(backward loss).</summary>
    public double BackwardPerplexity => Math.Exp(BackwardLoss);

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="words"/>, <paramref name="batchSize"/> windows at a time.</summary>
    /// <exception cref="ArgumentException">The text has fewer than two words.</exception>
    public static BiLmEvaluation Measure(BidirectionalLanguageModel model, IReadOnlyList<string> words, int batchSize = 16)
    {
        if (words.Count < 2) throw new ArgumentException($"{words.Count} words are too few to evaluate: the model predicts nothing from them.");
        int span = model.Config.Context + 1;
        bool training = model.IsTraining;
        model.Eval();
        double forward = 0, backward = 0;
        long predictions = 0, unknown = 0;
        try
        {
            // Windows overlap by one word, so that every word but the first is predicted forward and every one but the last backward.
            var starts = new List<int>();
            for (int start = 0; start + 1 < words.Count; start += span - 1) starts.Add(start);
            for (int first = 0; first < starts.Count; first += batchSize)
            {
                var group = starts.Skip(first).Take(batchSize).ToList();
                foreach (var sameLength in group.GroupBy(s => Math.Min(span, words.Count - s)))
                {
                    int length = sameLength.Key, windows = sameLength.Count();
                    var batch = new List<string>(windows * length);
                    foreach (int start in sameLength)
                        for (int i = start; i < start + length; i++) batch.Add(words[i]);
                    try
                    {
                        using (Graph.NoGrad())
                        {
                            var (f, b) = model.Loss(batch, windows, length);
                            long count = (long)windows * (length - 1);
                            forward += f.Item() * count;
                            backward += b.Item() * count;
                            predictions += count;
                        }
                    }
                    finally
                    {
                        Graph.Current.Release();
                    }
                    foreach (int start in sameLength)
                        for (int i = start + 1; i < start + length; i++)
                            if (model.TargetOf(words[i]) == 0) unknown++;
                }
            }
        }
        finally
        {
            if (training) model.Train();
        }
        return new BiLmEvaluation(forward / predictions, backward / predictions, predictions, unknown);
    }
}
