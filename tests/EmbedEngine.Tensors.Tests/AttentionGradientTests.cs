using EmbedEngine.Tensors;

namespace EmbedEngine.Tensors.Tests;

/// <summary>The fused attention operation's values and gradients against finite differences of a double-precision materialized reference.</summary>
public class AttentionGradientTests
{
    [Theory]
    [InlineData(false, 2, 5, 5)]
    [InlineData(true, 2, 5, 5)]
    [InlineData(true, 1, 2, 6)]
    [InlineData(false, 3, 1, 4)]
    public void Query_key_and_value_gradients(bool causal, int heads, int queries, int keys)
    {
        const int batch = 2, headDim = 3;
        int dimension = heads * headDim;
        using Tensor q = GradientCheck.Random(21, batch, queries, dimension), k = GradientCheck.Random(22, batch, keys, dimension),
            v = GradientCheck.Random(23, batch, keys, dimension);
        GradientCheck.Check(t => Ops.Attention(t[0], t[1], t[2], heads, causal),
            p => Attention(p[0], p[1], p[2], batch, queries, keys, heads, headDim, causal, null), q, k, v);
    }

    /// <summary>Sequence 1 is all padding: its rows are fully masked, so its output and every gradient through it are zero.</summary>
    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Key_padding_with_a_fully_masked_sequence(string device)
    {
        const int batch = 3, queries = 4, keys = 4, heads = 2, headDim = 2, dimension = heads * headDim;
        int[] keyLengths = [3, 0, 4];
        using Tensor q = GradientCheck.Random(24, batch, queries, dimension), k = GradientCheck.Random(25, batch, keys, dimension),
            v = GradientCheck.Random(26, batch, keys, dimension);
        GradientCheck.CheckOn(device, t => Ops.Attention(t[0], t[1], t[2], heads, causal: true, keyLengths),
            p => Attention(p[0], p[1], p[2], batch, queries, keys, heads, headDim, causal: true, keyLengths), q, k, v);
        int perSequence = queries * dimension;
        Assert.All(q.Grad!.ToArray().Skip(perSequence).Take(perSequence), g => Assert.Equal(0f, g));
        Assert.All(k.Grad!.ToArray().Skip(perSequence).Take(perSequence), g => Assert.Equal(0f, g));
        Assert.All(k.Grad!.ToArray().Skip(3 * dimension).Take(dimension), g => Assert.Equal(0f, g));
    }

    /// <summary>Q, K and V as slices of one fused projection [B, T, 3D], read in place: gradients land in the right thirds.</summary>
    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Slices_of_one_fused_projection(string device)
    {
        const int batch = 2, time = 5, heads = 2, headDim = 3, dimension = heads * headDim;
        using Tensor qkv = GradientCheck.Random(27, batch, time, 3 * dimension);
        GradientCheck.CheckOn(device, t => Ops.Attention(t[0].Slice(-1, 0, dimension), t[0].Slice(-1, dimension, dimension),
                t[0].Slice(-1, 2 * dimension, dimension), heads, causal: true),
            p =>
            {
                double[] Third(int part) => Enumerable.Range(0, batch * time)
                    .SelectMany(row => p[0].Skip(row * 3 * dimension + part * dimension).Take(dimension)).ToArray();
                return Attention(Third(0), Third(1), Third(2), batch, time, time, heads, headDim, causal: true, null);
            }, qkv);
    }

    /// <summary>softmax(q·kᵀ/√d + mask)·v per sequence and head, in double, the score matrix materialized.</summary>
    internal static double[] Attention(double[] q, double[] k, double[] v, int batch, int queries, int keys, int heads, int headDim,
        bool causal, int[]? keyLengths)
    {
        int dimension = heads * headDim;
        var output = new double[batch * queries * dimension];
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < heads; h++)
        for (int i = 0; i < queries; i++)
        {
            int visible = keyLengths?[b] ?? keys;
            if (causal) visible = Math.Min(visible, i + keys - queries + 1);
            if (visible <= 0) continue;
            var scores = new double[visible];
            for (int j = 0; j < visible; j++)
                for (int c = 0; c < headDim; c++)
                    scores[j] += q[(b * queries + i) * dimension + h * headDim + c] * k[(b * keys + j) * dimension + h * headDim + c] / Math.Sqrt(headDim);
            double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
            for (int j = 0; j < visible; j++)
                for (int c = 0; c < headDim; c++)
                    output[(b * queries + i) * dimension + h * headDim + c] += Math.Exp(scores[j] - max) / sum * v[(b * keys + j) * dimension + h * headDim + c];
        }
        return output;
    }
}
