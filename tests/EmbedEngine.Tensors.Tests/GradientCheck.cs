using EmbedEngine.Tensors;

namespace EmbedEngine.Tensors.Tests;

/// <summary>
/// Compares an operation's backward step with central finite differences of a double-precision reference of
/// its forward step: the float operation is differentiated by the tape, the reference by perturbing each input
/// element in double, both against the same random weighting of the output.
/// </summary>
internal static class GradientCheck
{
    /// <summary>Checks every input's gradient; <paramref name="reference"/> maps the inputs (row-major, in double) to the output.</summary>
    public static void Check(Func<Tensor[], Tensor> operation, Func<double[][], double[]> reference, params Tensor[] inputs) =>
        CheckOn(Device.Cpu, operation, reference, inputs);

    /// <summary>
    /// <see cref="Check"/> with the operation run on <paramref name="device"/> (named as <see cref="TestDevices"/> names
    /// them): the host <paramref name="inputs"/> are copied there, and their gradients copied back for the caller to inspect.
    /// </summary>
    public static void CheckOn(string device, Func<Tensor[], Tensor> operation, Func<double[][], double[]> reference, params Tensor[] inputs)
    {
        Device target = Device.Open(device);
        if (target == Device.Cpu)
        {
            CheckOn(target, operation, reference, inputs);
            return;
        }
        Tensor[] placed = inputs.Select(t => t.To(target)).ToArray();
        try
        {
            CheckOn(target, operation, reference, placed);
            for (int i = 0; i < inputs.Length; i++) inputs[i].Grad = placed[i].Grad?.To(Device.Cpu);
        }
        finally
        {
            foreach (Tensor tensor in placed) tensor.Dispose();
        }
    }

    private static void CheckOn(Device device, Func<Tensor[], Tensor> operation, Func<double[][], double[]> reference, Tensor[] inputs)
    {
        foreach (Tensor input in inputs) input.RequiresGrad = true;
        Tensor output = operation(inputs);
        Assert.Equal(device, output.Device);
        var random = new Random(99);
        float[] weights = new float[output.Count];
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextDouble() * 2 - 1);
        using Tensor hostSeed = Tensor.FromArray(weights, output.Shape.ToArray());
        using Tensor seed = hostSeed.To(device);
        double[] floatOutput = output.ToArray().Select(v => (double)v).ToArray();
        double[][] point = inputs.Select(t => t.ToArray().Select(v => (double)v).ToArray()).ToArray();
        double[] referenceOutput = reference(point);
        Assert.Equal(referenceOutput.Length, floatOutput.Length);
        for (int i = 0; i < floatOutput.Length; i++)
            Assert.True(Math.Abs(floatOutput[i] - referenceOutput[i]) <= 1e-4 * Math.Max(1, Math.Abs(referenceOutput[i])),
                $"Forward output {i}: {floatOutput[i]} but the reference gives {referenceOutput[i]}.");
        output.Backward(seed);

        const double step = 1e-5;
        for (int t = 0; t < inputs.Length; t++)
        {
            float[] analytic = inputs[t].Grad?.ToArray() ?? new float[inputs[t].Count];
            for (int j = 0; j < point[t].Length; j++)
            {
                double saved = point[t][j];
                point[t][j] = saved + step;
                double plus = Weighted(reference(point), weights);
                point[t][j] = saved - step;
                double minus = Weighted(reference(point), weights);
                point[t][j] = saved;
                double numeric = (plus - minus) / (2 * step);
                Assert.True(Math.Abs(analytic[j] - numeric) <= 2e-3 * Math.Max(1, Math.Abs(numeric)),
                    $"Input {t} element {j}: backward gives {analytic[j]}, finite differences {numeric}.");
            }
        }
    }

    /// <summary>A tensor of <paramref name="sizes"/> with values uniform in [-1, 1), owned by the caller.</summary>
    public static Tensor Random(int seed, params int[] sizes)
    {
        var random = new Random(seed);
        int count = sizes.Aggregate(1, (a, b) => a * b);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return Tensor.FromArray(values, sizes);
    }

    private static double Weighted(double[] output, float[] weights)
    {
        double sum = 0;
        for (int i = 0; i < output.Length; i++) sum += output[i] * weights[i];
        return sum;
    }
}
