using EmbedEngine.Kernels;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Training;

/// <summary>
/// One worker's negative sampling: the true word followed by its noise draws, labelled 1 then 0, in buffers
/// allocated once, and the logistic update of the output rows they name.
/// </summary>
/// <param name="noise">The noise distribution.</param>
/// <param name="negatives">Draws per prediction.</param>
internal sealed unsafe class NegativeTargets(NoiseSampler noise, int negatives)
{
    /// <summary>How often a draw equal to the true word is redrawn before it is given up.</summary>
    private const int RedrawLimit = 8;

    private readonly int[] _targets = new int[negatives + 1];
    private readonly float[] _labels = CreateLabels(negatives);

    /// <summary>The true word and the negatives of the last <see cref="Draw"/>.</summary>
    public ReadOnlySpan<int> Targets(int count) => _targets.AsSpan(0, count);

    /// <summary>
    /// Fills the targets with <paramref name="word"/> then its negatives; returns the count. A draw equal to the true
    /// word is dropped as word2vec.c does (<paramref name="allowSkip"/>), or redrawn where a full set is wanted.
    /// </summary>
    public int Draw(int word, ref FastRandom random, bool allowSkip)
    {
        _targets[0] = word;
        int count = 1;
        for (int d = 0; d < negatives; d++)
        {
            int target = noise.Sample(random.NextULong());
            for (int retry = 0; target == word && !allowSkip && retry < RedrawLimit; retry++)
                target = noise.Sample(random.NextULong());
            if (target != word) _targets[count++] = target;
        }
        return count;
    }

    /// <summary>
    /// Draws, then predicts them from <paramref name="hidden"/> (see <see cref="LogisticUpdateKernel"/>); returns the
    /// summed loss, and in <paramref name="predictions"/> how many targets were scored.
    /// </summary>
    public float Update(ReadOnlySpan<float> hidden, OutputRows output, int word, ref FastRandom random, bool allowSkip,
        float learningRate, Span<float> hiddenGrad, SigmoidMode sigmoid, out int predictions)
    {
        predictions = Draw(word, ref random, allowSkip);
        return LogisticUpdateKernel.Update(hidden, output, Targets(predictions),
            _labels.AsSpan(0, predictions), learningRate, hiddenGrad, sigmoid);
    }

    private static float[] CreateLabels(int negatives)
    {
        var labels = new float[negatives + 1];
        labels[0] = 1f;
        return labels;
    }
}
