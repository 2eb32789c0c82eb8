using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Tests.Shared;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Tensors.Tests;

/// <summary>Multi-head attention, the transformer block and the key/value cache.</summary>
public class TransformerModuleTests
{
    private const int Dimension = 12, Heads = 3;

    [Fact]
    public void Multi_head_attention_is_the_projections_around_the_attention_operation()
    {
        using var attention = new MultiHeadAttention(Dimension, Heads, causal: true, new Random(1));
        using Tensor x = GradientCheck.Random(2, 2, 5, Dimension);
        float[] actual = attention.Forward(x).ToArray();
        Graph.Current.Release();

        Tensor qkv = Ops.Linear(x, attention.QueryKeyValue.Weight, attention.QueryKeyValue.Bias);
        double[] Third(int part) => Enumerable.Range(0, 10)
            .SelectMany(row => qkv.ToArray().Skip(row * 3 * Dimension + part * Dimension).Take(Dimension)).Select(f => (double)f).ToArray();
        double[] heads = AttentionGradientTests.Attention(Third(0), Third(1), Third(2), 2, 5, 5, Heads, Dimension / Heads, causal: true, null);
        using Tensor concatenated = Tensor.FromArray(heads.Select(h => (float)h).ToArray(), 2, 5, Dimension);
        float[] expected = Ops.Linear(concatenated, attention.Projection.Weight, attention.Projection.Bias).ToArray();
        Graph.Current.Release();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5e-6f);
    }

    /// <summary>Feeding a sequence one position at a time through the cache gives what one pass over all of it gives.</summary>
    [Fact]
    public void Cached_generation_matches_a_full_pass_at_every_position()
    {
        const int batch = 2, time = 7, layers = 2;
        var random = new Random(3);
        TransformerBlock[] blocks = [new(Dimension, Heads, causal: true, 0f, random), new(Dimension, Heads, causal: true, 0f, random)];
        using Tensor x = GradientCheck.Random(4, batch, time, Dimension);
        using var noGrad = Graph.NoGrad();
        Tensor full = x;
        foreach (TransformerBlock block in blocks) full = block.Forward(full);
        float[] expected = full.ToArray();
        Graph.Current.Release();

        using var cache = new KeyValueCache(layers, batch, capacity: 10, Dimension);
        // A prompt of three positions first, then one at a time.
        int[] steps = [3, 1, 1, 1, 1];
        foreach (int length in steps)
        {
            int start = cache.Length;
            Tensor h = x.Slice(1, start, length);
            for (int layer = 0; layer < layers; layer++) h = blocks[layer].Forward(h, cache, layer);
            cache.Advance(length);
            for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++)
            for (int c = 0; c < Dimension; c++)
                Assert.Equal(expected[(b * time + start + t) * Dimension + c], h[b, t, c], 1e-5f);
            Graph.Current.Release();
        }
        Assert.Equal(time, cache.Length);
        Assert.Throws<ArgumentException>(() => blocks[0].Forward(GradientCheck.Random(5, batch, 4, Dimension), cache, 0));
        foreach (TransformerBlock block in blocks) block.Dispose();
    }

    [Fact]
    public void A_block_gives_the_same_values_and_gradients_on_one_and_two_threads()
    {
        (float[] Output, float[][] Gradients) Run(int threads)
        {
            int saved = TensorSettings.Threads;
            TensorSettings.Threads = threads;
            try
            {
                using var block = new TransformerBlock(64, 4, causal: true, 0.1f, new Random(6));
                using Tensor x = GradientCheck.Random(7, 4, 48, 64);
                Tensor y = block.Forward(x);
                float[] output = y.ToArray();
                using Tensor weights = GradientCheck.Random(8, 4, 48, 64);
                y.Backward(weights);
                return (output, block.Parameters().Select(p => p.Grad!.ToArray()).ToArray());
            }
            finally
            {
                TensorSettings.Threads = saved;
            }
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Output, two.Output);
        Assert.Equal(one.Gradients.Length, two.Gradients.Length);
        for (int i = 0; i < one.Gradients.Length; i++) Assert.Equal(one.Gradients[i], two.Gradients[i]);
    }

    [Fact]
    public void A_steady_transformer_training_step_allocates_no_managed_memory()
    {
        using var block = new TransformerBlock(32, 4, causal: true, 0.1f, new Random(9));
        using var optimizer = new Adam(block.Parameters(), AdamSettings.AdamW(1e-3f));
        using Tensor x = GradientCheck.Random(10, 2, 16, 32);
        void Step()
        {
            optimizer.ZeroGrad();
            Ops.Mean(block.Forward(x)).Backward();
            optimizer.ClipGradientNorm(1f);
            optimizer.Step();
        }
        for (int i = 0; i < 3; i++) Step();
        SteadyAllocation.AssertNone(Step, steps: 20);
    }
}
