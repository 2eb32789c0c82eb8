using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// One training thread: averages an example's input rows, lets the output layer take its step, and spreads the
/// hidden gradient, divided by the number of features as in fastText, back over those rows, without locks
/// (Hogwild). All scratch space is allocated once, here.
/// </summary>
internal sealed unsafe class ClassifierWorker : ILossCounter
{
    private readonly NativeMatrix _input;
    private readonly ClassifierOutput _output;
    private readonly ClassifierOutput.Scratch _scratch;
    private readonly float[] _hidden;
    private readonly float[] _hiddenGrad;
    private FastRandom _random;

    public ClassifierWorker(NativeMatrix input, ClassifierOutput output, ulong seed)
    {
        _input = input;
        _output = output;
        _scratch = new ClassifierOutput.Scratch(output);
        _hidden = new float[input.Columns];
        _hiddenGrad = new float[input.Columns];
        _random = new FastRandom(seed);
    }

    /// <summary>Summed loss of every example so far; written by this worker only.</summary>
    public double LossSum { get; private set; }

    /// <summary>Examples behind <see cref="LossSum"/>: one prediction each.</summary>
    public long Predictions { get; private set; }

    /// <summary>Trains on one example with learning rate <paramref name="learningRate"/>.</summary>
    public void Train(ReadOnlySpan<int> features, ReadOnlySpan<int> labels, float learningRate)
    {
        CbowKernel.Average(_input.Data, _input.Stride, features, _hidden);
        Array.Clear(_hiddenGrad);
        // A line with several labels trains one of them, drawn at random, unless every label has its own classifier.
        int target = _output.Loss == FastTextLoss.OneVsAll ? -1 : labels[_random.NextInt(labels.Length)];
        LossSum += _output.Update(_hidden, labels, target, learningRate, _hiddenGrad, _scratch);
        Predictions++;
        ScaleKernel.Scale(1f / features.Length, _hiddenGrad);
        CbowKernel.Scatter(_input.Data, _input.Stride, features, _hiddenGrad);
    }
}
