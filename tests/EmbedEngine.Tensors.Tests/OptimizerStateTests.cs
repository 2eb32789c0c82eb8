using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Tensors.Tests;

/// <summary>An optimizer's state, saved and restored into a new one, continues the run exactly (what checkpoints rely on).</summary>
public class OptimizerStateTests
{
    public static TheoryData<string> Kinds() => ["adamw", "sgd", "adagrad"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_restored_optimizer_takes_the_same_steps_as_the_original(string kind)
    {
        using Tensor original = Tensor.FromArray([0.5f, -1f, 2f, 0.25f], 4), copy = Tensor.FromArray([0.5f, -1f, 2f, 0.25f], 4);
        original.RequiresGrad = copy.RequiresGrad = true;
        using Optimizer first = Make(kind, original);
        for (int step = 0; step < 3; step++) Step(first, original, step);
        copy.CopyFrom(original.ToArray());
        Dictionary<string, float[]> saved = first.State().ToDictionary(s => s.Key, s => s.Value.ToArray());
        Assert.NotEmpty(saved);
        Assert.Contains(saved.Values, v => v.Any(x => x != 0)); // the state really moved
        using Optimizer second = Make(kind, copy);
        second.Restore(first.Steps, name => Tensor.FromArray(saved[name], saved[name].Length));
        Assert.Equal(3, second.Steps);
        for (int step = 3; step < 6; step++)
        {
            Step(first, original, step);
            Step(second, copy, step);
        }
        Assert.Equal(original.ToArray(), copy.ToArray());
    }

    [Fact]
    public void Restoring_a_state_of_another_shape_is_refused()
    {
        using Tensor weights = Tensor.Zeros(4);
        using var adam = new Adam([weights], AdamSettings.AdamW(1e-3f, 0f));
        var error = Assert.Throws<ArgumentException>(() => adam.Restore(1, _ => Tensor.Zeros(3)));
        Assert.Contains("has shape", error.Message, StringComparison.Ordinal);
    }

    private static Optimizer Make(string kind, Tensor weights) => kind switch
    {
        "adamw" => new Adam([weights], AdamSettings.AdamW(0.01f, 0.1f)),
        "sgd" => new Sgd([weights], 0.1f, momentum: 0.9f, nesterov: false),
        _ => new AdaGrad([weights], 0.1f, 1e-8f),
    };

    /// <summary>A gradient that changes with the step, so the state's history matters.</summary>
    private static void Step(Optimizer optimizer, Tensor weights, int step)
    {
        weights.Grad?.Dispose();
        weights.Grad = Tensor.FromArray([1f + step, -0.5f * step, 0.25f, step % 2], 4);
        optimizer.Step();
    }
}
