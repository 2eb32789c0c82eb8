using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.GloVe;

/// <summary>
/// One training thread: owns a contiguous slice of the shuffled entries, reshuffles it every epoch and
/// applies the fused AdaGrad step to the shared weights without locks (Hogwild).
/// </summary>
internal sealed unsafe class GloVeWorker(GloVeOptions options, GloVeWeights weights, ulong seed) : IGloVeWorker, IResumableWorker
{
    private FastRandom _random = new(seed);

    /// <summary>Summed weighted cost of every entry trained so far; written by this worker only.</summary>
    public double CostSum { get; private set; }

    /// <summary>Entries behind <see cref="CostSum"/>.</summary>
    public long Entries { get; private set; }

    double ILossCounter.LossSum => CostSum;

    long ILossCounter.Predictions => Entries;

    /// <inheritdoc/>
    public ulong RandomState => _random.State;

    /// <inheritdoc/>
    public void Shuffle(Span<GloVeEntry> slice) => _random.Shuffle(slice);

    /// <inheritdoc/>
    public void Train(ReadOnlySpan<GloVeEntry> slice)
    {
        NativeMatrix word = weights.Word, context = weights.Context;
        NativeMatrix gradSqWord = weights.GradSqWord, gradSqContext = weights.GradSqContext;
        float[] wordBias = weights.WordBias, contextBias = weights.ContextBias;
        float[] gradSqWordBias = weights.GradSqWordBias, gradSqContextBias = weights.GradSqContextBias;
        int dim = options.Dimension;
        float xMax = options.XMax, alpha = options.Alpha, eta = options.LearningRate, gradClip = options.GradientClip;
        double cost = 0;
        foreach (GloVeEntry entry in slice)
        {
            int i = entry.Row, j = entry.Column;
            float c = GloveUpdateKernel.Update(word.RowPointer(i), context.RowPointer(j),
                gradSqWord.RowPointer(i), gradSqContext.RowPointer(j),
                ref wordBias[i], ref contextBias[j], ref gradSqWordBias[i], ref gradSqContextBias[j],
                dim, entry.Count, xMax, alpha, eta, gradClip);
            if (!float.IsFinite(c))
                throw new InvalidOperationException(
                    $"GloVe training diverged (cost {c} at entry ({i}, {j})); lower the learning rate (eta, now {eta})");
            cost += c;
        }
        CostSum += cost;
        Entries += slice.Length;
    }
}
