using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="LogisticUpdateKernel.Scalar"/> replayed in double precision with first-order error bounds, for the
/// cases that call it once or several times: the dot's bound, plus what earlier steps may already have moved the row
/// and the hidden vector, gives f's uncertainty; σ's spread turns it into g's, which flows into grad and the row.
/// </summary>
/// <param name="w">The output matrix the replay starts from.</param>
internal sealed class LogisticReplay(float[] w)
{
    /// <summary>The output matrix as the reference leaves it, exactly.</summary>
    public double[] Rows { get; } = Array.ConvertAll(w, v => (double)v);

    /// <summary>How far a variant's output matrix may lie from <see cref="Rows"/>.</summary>
    public double[] RowTolerance { get; } = new double[w.Length];

    /// <summary>How far a variant's summed loss may lie from the reference's, before the sum's own rounding.</summary>
    public double LossTolerance { get; private set; }

    /// <summary>The absolute sum of the losses, for the bound of their sum.</summary>
    public double LossMagnitude { get; private set; }

    /// <summary>Losses summed so far.</summary>
    public int Losses { get; private set; }

    /// <summary>
    /// One call of the kernel: <paramref name="hidden"/> (known to ±<paramref name="hiddenTolerance"/>) against the
    /// rows <paramref name="targets"/>, one after the other; the gradient accumulates into <paramref name="grad"/>
    /// and its bound into <paramref name="gradTolerance"/>.
    /// </summary>
    public void Step(double[] hidden, double[] hiddenTolerance, int stride, int[] targets, float[] labels, SigmoidMode mode,
        float learningRate, double[] grad, double[] gradTolerance)
    {
        int dim = hidden.Length;
        for (int j = 0; j < targets.Length; j++)
        {
            int r0 = targets[j] * stride;
            double f = 0, abs = 0, drift = 0;
            for (int c = 0; c < dim; c++)
            {
                f += hidden[c] * Rows[r0 + c];
                abs += Math.Abs(hidden[c] * Rows[r0 + c]);
                drift += Math.Abs(hidden[c]) * RowTolerance[r0 + c] + hiddenTolerance[c] * Math.Abs(Rows[r0 + c]);
            }
            double df = Bounds.Sum(dim, abs) + drift;
            double g = Sigmoid.Residual((float)f, labels[j], mode) * learningRate;
            double dg = learningRate * Bounds.SigmoidSpread(f, df, mode) + 2 * Bounds.U * Math.Abs(g);
            LossTolerance += Bounds.LossSpread(f, df, mode);
            LossMagnitude += Sigmoid.Loss((float)f, labels[j], mode);
            Losses++;
            for (int c = 0; c < dim; c++)
            {
                double row = Rows[r0 + c];
                gradTolerance[c] += dg * Math.Abs(row) + Math.Abs(g) * RowTolerance[r0 + c] + Bounds.Sum(2, Math.Abs(grad[c]) + Math.Abs(g * row));
                grad[c] += g * row;
                RowTolerance[r0 + c] += dg * Math.Abs(hidden[c]) + Math.Abs(g) * hiddenTolerance[c]
                    + Bounds.Sum(2, Math.Abs(row) + Math.Abs(g * hidden[c]));
                Rows[r0 + c] = row + g * hidden[c];
            }
        }
    }

    /// <summary>The tolerance of the summed loss.</summary>
    public float ResultTolerance => KernelCases.SecondOrder(LossTolerance + Bounds.Sum(Losses, LossMagnitude));
}
