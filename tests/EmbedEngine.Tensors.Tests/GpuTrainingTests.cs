using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Tensors.Tests;

/// <summary>
/// An MLP (linear, ReLU, dropout, linear, cross-entropy) trained for a few steps on the GPU device and on the CPU from
/// the same weights and batches: the losses and the weights after every optimizer must agree, and the model saved
/// from the GPU must load on the CPU with the same weights.
/// </summary>
public class GpuTrainingTests
{
    private const int Inputs = 6, Hidden = 8, Classes = 3, Batch = 5, Steps = 3;

    /// <summary>A few steps' worth of rounding in the sums, compounded through the optimizer's updates.</summary>
    private const float Tolerance = 1e-4f;

    public static TheoryData<string> Optimizers() => ["AdamW", "Sgd", "AdaGrad"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Training_steps_on_the_gpu_equal_those_on_the_cpu(string optimizer)
    {
        using Sequential cpu = Network(), gpu = Network();
        gpu.To(TestDevices.Gpu);
        Assert.All(gpu.Parameters(), p => Assert.Equal(TestDevices.Gpu, p.Device));
        float[] cpuLosses = Train(cpu, optimizer), gpuLosses = Train(gpu, optimizer);
        for (int s = 0; s < Steps; s++)
            Assert.True(Math.Abs(cpuLosses[s] - gpuLosses[s]) <= Tolerance * cpuLosses[s], $"Step {s}: the CPU's loss is {cpuLosses[s]}, the GPU's {gpuLosses[s]}.");
        Assert.True(cpuLosses[^1] < cpuLosses[0], $"Training should lower the loss: {string.Join(", ", cpuLosses)}.");
        AssertSameWeights(cpu, gpu);
    }

    [Fact]
    public void A_model_saved_from_the_gpu_loads_on_the_cpu_unchanged()
    {
        using Sequential gpu = Network(), cpu = Network(seed: 5);
        gpu.To(TestDevices.Gpu);
        Train(gpu, "AdamW");
        string path = Path.Combine(Path.GetTempPath(), $"gpu-model-{Guid.NewGuid():N}.safetensors");
        try
        {
            gpu.Save(path);
            cpu.Load(path);
            foreach (var ((name, saved), (_, loaded)) in gpu.NamedParameters().Zip(cpu.NamedParameters()))
                Assert.True(saved.ToArray().SequenceEqual(loaded.ToArray()), $"{name} changed on its way from the GPU to the CPU.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A limit under the gradients' norm scales them all; one above leaves them; a parameter without a gradient is skipped.</summary>
    [Theory]
    [InlineData(0.5f)]
    [InlineData(1000f)]
    public void Global_norm_clipping_on_the_gpu_equals_the_cpu(float maxNorm)
    {
        int[][] shapes = [[3, 5], [300], [4]];
        var (cpuNorm, cpuGradients) = Clip(Device.Cpu, shapes, maxNorm);
        var (gpuNorm, gpuGradients) = Clip(TestDevices.Gpu, shapes, maxNorm);
        Assert.True(cpuNorm > 1f, $"The gradients' norm {cpuNorm} should exceed the smaller limit.");
        Assert.Equal(cpuNorm, gpuNorm, cpuNorm * Tolerance);
        Assert.Null(gpuGradients[2]);
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < cpuGradients[p]!.Length; i++)
                Assert.True(Math.Abs(cpuGradients[p]![i] - gpuGradients[p]![i]) <= Tolerance, $"Gradient {p}[{i}]: the CPU has {cpuGradients[p]![i]}, the GPU {gpuGradients[p]![i]}.");
        float clippedNorm = MathF.Sqrt(gpuGradients.Where(g => g != null).SelectMany(g => g!).Sum(g => g * g));
        Assert.Equal(Math.Min(cpuNorm, maxNorm), clippedNorm, 1e-3f * maxNorm);
    }

    /// <summary>The norm before clipping and the gradients after it, of parameters on <paramref name="device"/> whose last has no gradient.</summary>
    private static (float Norm, float[]?[] Gradients) Clip(Device device, int[][] shapes, float maxNorm)
    {
        Tensor[] parameters = shapes.Select(shape => Tensor.Zeros(shape).To(device)).ToArray();
        try
        {
            for (int p = 0; p < parameters.Length - 1; p++)
            {
                using Tensor gradient = GradientCheck.Random(60 + p, shapes[p]);
                parameters[p].Grad = gradient.To(device);
            }
            using var optimizer = new Sgd(parameters, 0.1f);
            float norm = optimizer.ClipGradientNorm(maxNorm);
            return (norm, parameters.Select(t => t.Grad?.ToArray()).ToArray());
        }
        finally
        {
            foreach (Tensor parameter in parameters)
            {
                parameter.Grad?.Dispose();
                parameter.Dispose();
            }
        }
    }

    private static Sequential Network(int seed = 3)
    {
        var random = new Random(seed);
        return new Sequential(new Linear(Inputs, Hidden, random), new Activation(ActivationKind.Relu), new Dropout(0.25f, seed: 9),
            new Linear(Hidden, Classes, random));
    }

    /// <summary>The loss of each step; the batches are the same on every device (fixed seeds).</summary>
    private static float[] Train(Sequential network, string optimizerName)
    {
        IReadOnlyList<Tensor> parameters = network.Parameters();
        using Optimizer optimizer = optimizerName switch
        {
            "AdamW" => new Adam(parameters, AdamSettings.AdamW(0.01f, 0.1f)),
            "Sgd" => new Sgd(parameters, 0.1f, momentum: 0.9f, nesterov: true),
            _ => new AdaGrad(parameters, 0.1f),
        };
        Device device = parameters[0].Device;
        var losses = new float[Steps];
        var random = new Random(17);
        for (int s = 0; s < Steps; s++)
        {
            int[] targets = Enumerable.Range(0, Batch).Select(_ => random.Next(Classes)).ToArray();
            using Tensor batch = GradientCheck.Random(40 + s, Batch, Inputs);
            using Tensor x = batch.To(device);
            optimizer.ZeroGrad();
            Tensor loss = Ops.CrossEntropy(network.Forward(x), targets);
            losses[s] = loss.Item();
            loss.Backward();
            optimizer.Step();
        }
        return losses;
    }

    private static void AssertSameWeights(Module cpu, Module gpu)
    {
        foreach (var ((name, expected), (_, actual)) in cpu.NamedParameters().Zip(gpu.NamedParameters()))
        {
            float[] e = expected.ToArray(), a = actual.ToArray();
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(e[i] - a[i]) <= Tolerance * Math.Max(1f, Math.Abs(e[i])), $"{name}[{i}]: the CPU has {e[i]}, the GPU {a[i]}.");
        }
    }
}
