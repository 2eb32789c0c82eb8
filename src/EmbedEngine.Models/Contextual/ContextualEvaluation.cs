using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// Loss over a whole token sequence cut into consecutive non-overlapping windows, every window counted: causal
/// windows of context + 1 tokens (inputs the first context, targets the last), BERT windows of [CLS] and context − 1
/// tokens masked with a fixed seed so every evaluation masks the same positions. A shorter last window counts too.
/// </summary>
public static class ContextualEvaluation
{
    /// <summary>The masking seed of evaluations, fixed so losses compare across iterations and runs.</summary>
    public const int MaskingSeed = 20240;

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="tokens"/>, <paramref name="batchSize"/> windows at a time.</summary>
    /// <exception cref="ArgumentException">The sequence is too short for one prediction.</exception>
    public static WindowEvaluation Evaluate(LanguageModel model, int[] tokens, int batchSize, float maskProbability = 0.15f)
    {
        ContextualConfig config = model.Config;
        int context = config.Context, span = WindowBatch.Span(config, context);
        int full = tokens.Length / span, rest = tokens.Length - full * span;
        int restLength = config.IsCausal ? rest - 1 : rest + 1;
        bool restPredicts = restLength >= 2 || (config.IsCausal && restLength == 1);
        if (full == 0 && !restPredicts)
            throw new ArgumentException($"{tokens.Length} tokens are too few to evaluate: the model predicts nothing from them.");
        var random = new FastRandom(MaskingSeed);
        var totals = new Totals();
        bool training = model.IsTraining;
        model.Eval();
        try
        {
            var batch = new WindowBatch(config, Math.Min(batchSize, Math.Max(full, 1)), context, maskProbability);
            for (int first = 0; first < full; first += batch.Batch)
            {
                int rows = Math.Min(batch.Batch, full - first);
                if (rows < batch.Batch) batch = new WindowBatch(config, rows, context, maskProbability);
                for (int row = 0; row < rows; row++) batch.Fill(row, tokens, (first + row) * span, ref random);
                Add(model, batch, ref totals);
            }
            if (restPredicts)
            {
                var last = new WindowBatch(config, 1, restLength, maskProbability);
                last.Fill(0, tokens, full * span, ref random);
                Add(model, last, ref totals);
            }
        }
        finally
        {
            if (training) model.Train();
        }
        return new WindowEvaluation(totals.Predictions == 0 ? 0 : totals.Loss / totals.Predictions, totals.Predictions,
            totals.Predictions == 0 ? 0 : (double)totals.Correct / totals.Predictions);
    }

    private static void Add(LanguageModel model, WindowBatch batch, ref Totals totals)
    {
        try
        {
            using (Graph.NoGrad())
            {
                Tensor logits = model.Logits(batch.Inputs, batch.Batch, batch.Length);
                int predicted = 0;
                foreach (int target in batch.Targets)
                    if (target != MaskedTokens.Ignored) predicted++;
                totals.Loss += (double)Ops.CrossEntropy(logits, batch.Targets).Item() * predicted;
                totals.Predictions += predicted;
                // The arg-max reads every score on the host, so scores on a GPU come back once per batch.
                ReadOnlySpan<float> scores = logits.Device.Kind == DeviceKind.Cpu ? logits.AsSpan() : logits.ToArray();
                totals.Correct += CountCorrect(scores, batch.Targets, logits.Shape[1]);
            }
        }
        finally
        {
            Graph.Current.Release();
        }
    }

    private static long CountCorrect(ReadOnlySpan<float> logits, int[] targets, int columns)
    {
        long correct = 0;
        for (int row = 0; row < targets.Length; row++)
        {
            if (targets[row] == MaskedTokens.Ignored) continue;
            ReadOnlySpan<float> scores = logits.Slice(row * columns, columns);
            int best = 0;
            for (int c = 1; c < columns; c++)
                if (scores[c] > scores[best]) best = c;
            if (best == targets[row]) correct++;
        }
        return correct;
    }

    private struct Totals
    {
        public double Loss;
        public long Predictions, Correct;
    }
}
