using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Mlp;

/// <summary>
/// A multilayer perceptron over image pixels: Linear → ReLU → Dropout for each hidden size, then a Linear layer
/// to the class scores. Pixels are scaled to [0, 1] and standardized with MNIST's mean and deviation.
/// </summary>
public sealed class MlpClassifier : IDisposable
{
    /// <summary>MNIST's pixel mean and standard deviation on [0, 1], the usual standardization.</summary>
    private const float PixelMean = 0.1307f, PixelDeviation = 0.3081f;

    private const int EvaluationBatch = 500;

    /// <summary>A network from <paramref name="inputs"/> pixels to <paramref name="classes"/> scores.</summary>
    public MlpClassifier(int inputs, IReadOnlyList<int> hiddenSizes, int classes, float dropout, int seed)
    {
        var random = new Random(seed);
        var layers = new List<Module>();
        int width = inputs;
        foreach (int hidden in hiddenSizes)
        {
            layers.Add(new Linear(width, hidden, random));
            layers.Add(new Activation(ActivationKind.Relu));
            if (dropout > 0) layers.Add(new Dropout(dropout, (uint)seed + (uint)layers.Count));
            width = hidden;
        }
        layers.Add(new Linear(width, classes, random));
        Network = new Sequential([.. layers]);
        Inputs = inputs;
        Classes = classes;
    }

    /// <summary>The layers.</summary>
    public Sequential Network { get; }

    /// <summary>Pixels per image.</summary>
    public int Inputs { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Every image's pixels as standardized floats, [count × pixels].</summary>
    public static float[] Standardize(IdxImages images)
    {
        var values = new float[images.Pixels.Length];
        for (int i = 0; i < values.Length; i++) values[i] = (images.Pixels[i] / 255f - PixelMean) / PixelDeviation;
        return values;
    }

    /// <summary>The fraction of images whose highest-scoring class is their label.</summary>
    public double Accuracy(float[] standardized, byte[] labels)
    {
        int count = labels.Length, correct = 0;
        Network.Eval();
        try
        {
            using Tensor host = Tensor.Zeros(EvaluationBatch, Inputs);
            using Tensor batch = host.To(Network.Parameters()[0].Device);
            for (int start = 0; start < count; start += EvaluationBatch)
            {
                int rows = Math.Min(EvaluationBatch, count - start);
                using (Graph.NoGrad())
                {
                    Tensor input = batch.Slice(0, 0, rows);
                    input.CopyFrom(standardized.AsSpan(start * Inputs, rows * Inputs));
                    float[] scores = Network.Forward(input).ToArray();
                    for (int r = 0; r < rows; r++)
                        if (ArgMax(scores.AsSpan(r * Classes, Classes)) == labels[start + r]) correct++;
                }
                Graph.Current.Release();
            }
        }
        finally
        {
            Network.Train();
        }
        return count == 0 ? 0 : (double)correct / count;
    }

    /// <summary>Frees the parameters.</summary>
    public void Dispose() => Network.Dispose();

    private static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best]) best = i;
        return best;
    }
}
