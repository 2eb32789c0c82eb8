using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Tensors.Tests;

public sealed class ModuleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("modules").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Sequential Network(int seed) => new(
        new Linear(4, 8, new Random(seed)), new LayerNorm(8), new Activation(ActivationKind.Gelu), new Dropout(0.5f), new Linear(8, 3, new Random(seed + 1)));

    [Fact]
    public void Parameters_are_named_by_position_and_saved_and_loaded_as_safetensors()
    {
        using Sequential source = Network(1), target = Network(2);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"], source.NamedParameters().Select(p => p.Key));
        string path = Path.Combine(_folder, "net.safetensors");
        source.Save(path);
        target.Load(path);
        foreach (var ((_, a), (_, b)) in source.NamedParameters().Zip(target.NamedParameters())) Assert.Equal(a.ToArray(), b.ToArray());

        using Sequential smaller = new(new Linear(4, 8, new Random(3)));
        Assert.Contains("it holds '1.weight', which this model does not have", Assert.Throws<SafetensorsFormatException>(() => smaller.Load(path)).Message, StringComparison.Ordinal);
        using Sequential wider = new(new Linear(4, 9, new Random(3)));
        string widerPath = Path.Combine(_folder, "wider.safetensors");
        wider.Save(widerPath);
        Assert.Contains("'0.weight' has shape [9, 4]; the model's is [8, 4]", Assert.Throws<SafetensorsFormatException>(() => smaller.Load(widerPath)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluation_with_packed_weights_gives_the_training_forward_pass_and_follows_a_load()
    {
        using Sequential network = new(new Linear(70, 40, new Random(1)), new Activation(ActivationKind.Relu), new Linear(40, 9, new Random(2)));
        using Tensor x = GradientCheck.Random(3, 13, 70);
        float[] training;
        using (Autograd.Graph.NoGrad()) training = network.Forward(x).ToArray();
        network.Eval();
        float[] evaluation;
        using (Autograd.Graph.NoGrad()) evaluation = network.Forward(x).ToArray();
        Assert.Equal(training, evaluation);

        using Sequential other = new(new Linear(70, 40, new Random(5)), new Activation(ActivationKind.Relu), new Linear(40, 9, new Random(6)));
        string path = Path.Combine(_folder, "other.safetensors");
        other.Save(path);
        float[] expected;
        using (Autograd.Graph.NoGrad()) expected = other.Forward(x).ToArray();
        network.Load(path);
        using (Autograd.Graph.NoGrad()) Assert.Equal(expected, network.Forward(x).ToArray());
        Autograd.Graph.Current.Release();
    }

    /// <summary>Sequential runs Linear then ReLU as one fused product: the same values and gradients as the two ops in turn.</summary>
    [Fact]
    public void Linear_then_relu_fuses_with_the_same_output_and_gradients_in_training_and_evaluation()
    {
        using Sequential network = new(new Linear(30, 20, new Random(7)), new Activation(ActivationKind.Relu), new Linear(20, 4, new Random(8)));
        var first = (Linear)network.Layers[0];
        var last = (Linear)network.Layers[2];
        using Tensor x = GradientCheck.Random(9, 6, 30);
        float[] Unfused() => last.Forward(Ops.Relu(first.Forward(x))).ToArray();

        float[] expected = Unfused();
        Autograd.Graph.Current.Release();
        Assert.Contains(first.Forward(x).ToArray(), v => v < 0f);
        Autograd.Graph.Current.Release();
        Tensor fused = network.Forward(x);
        Assert.Equal(expected, fused.ToArray());
        Ops.Sum(fused).Backward();
        float[] fusedGradient = first.Weight.Grad!.ToArray(), fusedBiasGradient = first.Bias!.Grad!.ToArray();
        foreach (Tensor parameter in network.Parameters()) parameter.Grad?.AsSpan().Clear();
        Ops.Sum(last.Forward(Ops.Relu(first.Forward(x)))).Backward();
        Assert.Equal(first.Weight.Grad!.ToArray(), fusedGradient);
        Assert.Equal(first.Bias!.Grad!.ToArray(), fusedBiasGradient);

        network.Eval();
        using (Autograd.Graph.NoGrad()) Assert.Equal(expected, network.Forward(x).ToArray());
        Autograd.Graph.Current.Release();
    }

    [Fact]
    public void Dropout_is_active_only_in_training_mode()
    {
        using Sequential network = Network(1);
        using Tensor x = GradientCheck.Random(4, 2, 4);
        network.Eval();
        float[] first = network.Forward(x).ToArray();
        float[] second = network.Forward(x).ToArray();
        Assert.Equal(first, second);
        network.Train();
        Assert.NotEqual(first, network.Forward(x).ToArray());
        Autograd.Graph.Current.Release();
    }

    [Fact]
    public void AdamW_training_steps_lower_the_loss_of_a_small_classifier()
    {
        using Sequential network = Network(5);
        using var optimizer = new Adam(network.Parameters(), AdamSettings.AdamW(0.01f));
        using Tensor x = GradientCheck.Random(6, 16, 4);
        int[] targets = Enumerable.Range(0, 16).Select(i => x[i, 0] > 0 ? (x[i, 1] > 0 ? 2 : 1) : 0).ToArray();
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            optimizer.ZeroGrad();
            Tensor loss = Ops.CrossEntropy(network.Forward(x), targets);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            optimizer.ClipGradientNorm(5f);
            optimizer.Step();
        }
        Assert.True(last < first * 0.5f, $"Loss went from {first} to {last}.");
        Assert.Equal(60, optimizer.Steps);
    }

    [Fact]
    public void A_steady_training_step_allocates_no_managed_memory()
    {
        using Sequential network = Network(7);
        using var optimizer = new Adam(network.Parameters(), AdamSettings.AdamW(0.01f));
        using Tensor x = GradientCheck.Random(8, 32, 4);
        int[] targets = Enumerable.Range(0, 32).Select(i => i % 3).ToArray();
        void Step()
        {
            optimizer.ZeroGrad();
            Tensor loss = Ops.CrossEntropy(network.Forward(x), targets);
            loss.Backward();
            optimizer.ClipGradientNorm(1f);
            optimizer.Step();
        }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Sgd_steps_against_the_gradient_and_skips_parameters_without_one()
    {
        using Tensor w = Tensor.FromArray([1f, 2f], 2), unused = Tensor.FromArray([5f], 1);
        w.RequiresGrad = true;
        unused.RequiresGrad = true;
        using var optimizer = new Sgd([w, unused], learningRate: 0.5f);
        Ops.Sum(Ops.Scale(w, 2f)).Backward();
        optimizer.Step();
        Assert.Equal([0f, 1f], w.ToArray());
        Assert.Equal([5f], unused.ToArray());
        optimizer.ZeroGrad();
        Assert.Equal([0f, 0f], w.Grad!.ToArray());
    }

    [Fact]
    public void Clipping_scales_all_gradients_to_the_global_norm()
    {
        using Tensor a = Tensor.FromArray([3f], 1), b = Tensor.FromArray([4f], 1);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        Ops.Add(Ops.Scale(a, 3f), Ops.Scale(b, 4f)).Backward();
        using var optimizer = new Sgd([a, b], 0.1f);
        Assert.Equal(5f, optimizer.ClipGradientNorm(1f), 5);
        Assert.Equal(0.6f, a.Grad!.Item(), 5);
        Assert.Equal(0.8f, b.Grad!.Item(), 5);
    }
}
