using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors.Tests;

/// <summary>The LSTM op's gradients (inputs, both weights, bias and both initial states) against finite differences of an LSTM in double.</summary>
public class LstmGradientTests
{
    private const int Steps = 3, Batch = 2, Inputs = 3, Hidden = 2;

    [Fact]
    public void Every_input_of_the_lstm_op_matches_finite_differences()
    {
        using Tensor x = GradientCheck.Random(41, Steps, Batch, Inputs), wi = GradientCheck.Random(42, 4 * Hidden, Inputs);
        using Tensor wh = GradientCheck.Random(43, 4 * Hidden, Hidden), bias = GradientCheck.Random(44, 4 * Hidden);
        using Tensor h0 = GradientCheck.Random(45, Batch, Hidden), c0 = GradientCheck.Random(46, Batch, Hidden);
        GradientCheck.Check(t => Ops.Lstm(t[0], t[1], t[2], t[3], t[4], t[5]), p => Reference(p[0], p[1], p[2], p[3], p[4], p[5]), x, wi, wh, bias, h0, c0);
    }

    [Fact]
    public void Missing_initial_states_are_zeros()
    {
        using Tensor x = GradientCheck.Random(51, Steps, Batch, Inputs), wi = GradientCheck.Random(52, 4 * Hidden, Inputs);
        using Tensor wh = GradientCheck.Random(53, 4 * Hidden, Hidden), bias = GradientCheck.Random(54, 4 * Hidden);
        using Tensor zeros = Tensor.Zeros(Batch, Hidden);
        float[] implicitZeros = Ops.Lstm(x, wi, wh, bias).ToArray(), explicitZeros = Ops.Lstm(x, wi, wh, bias, zeros, zeros).ToArray();
        Assert.Equal(explicitZeros, implicitZeros);
        double[] expected = Reference(D(x), D(wi), D(wh), D(bias), new double[Batch * Hidden], new double[Batch * Hidden]);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], implicitZeros[i], 5);
    }

    [Fact]
    public void Misshaped_weights_are_refused()
    {
        using Tensor x = GradientCheck.Random(61, Steps, Batch, Inputs), wi = GradientCheck.Random(62, 4 * Hidden, Inputs + 1);
        using Tensor wh = GradientCheck.Random(63, 4 * Hidden, Hidden), bias = GradientCheck.Random(64, 4 * Hidden);
        var e = Assert.Throws<ArgumentException>(() => Ops.Lstm(x, wi, wh, bias));
        Assert.Contains("W_ih", e.Message, StringComparison.Ordinal);
    }

    private static double[] D(Tensor t) => [.. t.ToArray().Select(v => (double)v)];

    /// <summary>Every step's h, from the LSTM equations in double.</summary>
    private static double[] Reference(double[] x, double[] wi, double[] wh, double[] bias, double[] h0, double[] c0)
    {
        double[] h = (double[])h0.Clone(), c = (double[])c0.Clone();
        var outputs = new double[Steps * Batch * Hidden];
        for (int t = 0; t < Steps; t++)
        {
            var next = new double[h.Length];
            for (int b = 0; b < Batch; b++)
            {
                var a = new double[4 * Hidden];
                for (int q = 0; q < a.Length; q++)
                {
                    a[q] = bias[q];
                    for (int p = 0; p < Inputs; p++) a[q] += wi[q * Inputs + p] * x[(t * Batch + b) * Inputs + p];
                    for (int p = 0; p < Hidden; p++) a[q] += wh[q * Hidden + p] * h[b * Hidden + p];
                }
                for (int j = 0; j < Hidden; j++)
                {
                    double i = 1 / (1 + Math.Exp(-a[j])), f = 1 / (1 + Math.Exp(-a[Hidden + j])), g = Math.Tanh(a[2 * Hidden + j]), o = 1 / (1 + Math.Exp(-a[3 * Hidden + j]));
                    c[b * Hidden + j] = f * c[b * Hidden + j] + i * g;
                    next[b * Hidden + j] = o * Math.Tanh(c[b * Hidden + j]);
                    outputs[(t * Batch + b) * Hidden + j] = next[b * Hidden + j];
                }
            }
            h = next;
        }
        return outputs;
    }
}

/// <summary>The stacked LSTM module.</summary>
public class LstmModuleTests
{
    [Fact]
    public void Two_layers_chain_the_op_and_train_every_parameter()
    {
        using var lstm = new EmbedEngine.Tensors.Modules.Lstm(inputs: 3, hidden: 4, layers: 2, new Random(7));
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_l0", "weight_ih_l1", "weight_hh_l1", "bias_l1"], lstm.NamedParameters().Select(p => p.Key));
        Assert.Equal([16, 3], lstm.NamedParameters()[0].Value.Shape.ToArray());
        Assert.Equal([16, 4], lstm.NamedParameters()[3].Value.Shape.ToArray());
        Assert.All(lstm.Parameters().Where(p => p.Rank == 2), p => Assert.All(p.ToArray(), v => Assert.InRange(v, -0.5f, 0.5f)));
        // Each bias is two uniform draws in ±1/√H added, as nn.LSTM's b_ih + b_hh: beyond one draw's bound somewhere.
        Assert.All(lstm.Parameters().Where(p => p.Rank == 1), p => Assert.All(p.ToArray(), v => Assert.InRange(v, -1f, 1f)));
        Assert.Contains(lstm.Parameters().Where(p => p.Rank == 1).SelectMany(p => p.ToArray()), v => Math.Abs(v) > 0.5f);
        using Tensor x = GradientCheck.Random(71, 5, 2, 3);
        var p = lstm.NamedParameters();
        float[] expected = Ops.Lstm(Ops.Lstm(x, p[0].Value, p[1].Value, p[2].Value), p[3].Value, p[4].Value, p[5].Value).ToArray();
        Tensor y = lstm.Forward(x);
        Assert.Equal(expected, y.ToArray());
        Ops.Sum(y).Backward();
        Assert.All(lstm.Parameters(), q => Assert.Contains(q.Grad!.ToArray(), v => v != 0f));
    }

    [Fact]
    public void A_carried_state_continues_the_sequence_as_one_call_would()
    {
        using var lstm = new EmbedEngine.Tensors.Modules.Lstm(inputs: 3, hidden: 4, layers: 2, new Random(8));
        using Tensor x = GradientCheck.Random(72, 7, 2, 3);
        float[] whole = lstm.Forward(x).ToArray();
        using var state = new EmbedEngine.Tensors.Modules.LstmState(layers: 2, batch: 2, hidden: 4);
        float[] first = lstm.Forward(x.Slice(0, 0, 4).Contiguous(), state).ToArray();
        float[] second = lstm.Forward(x.Slice(0, 4, 3).Contiguous(), state).ToArray();
        float[] pieces = [.. first, .. second];
        for (int i = 0; i < whole.Length; i++) Assert.Equal(whole[i], pieces[i], 6);
        Assert.Equal(whole[^8..], state.Hidden(1).ToArray());

        var p = lstm.NamedParameters();
        using Tensor cell = Tensor.Zeros(2, 4);
        Ops.Lstm(x, p[0].Value, p[1].Value, p[2].Value, finalCell: cell);
        float[] firstLayerHidden = Ops.Lstm(x, p[0].Value, p[1].Value, p[2].Value).ToArray()[^8..];
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(firstLayerHidden[i], state.Hidden(0).ToArray()[i], 6);
            Assert.Equal(cell.ToArray()[i], state.Cell(0).ToArray()[i], 6);
        }
        state.Reset();
        Assert.All(state.Cell(1).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Gradients_stop_at_a_carried_state()
    {
        using var lstm = new EmbedEngine.Tensors.Modules.Lstm(inputs: 3, hidden: 4, layers: 1, new Random(9));
        using Tensor x = GradientCheck.Random(73, 5, 2, 3);
        using var state = new EmbedEngine.Tensors.Modules.LstmState(layers: 1, batch: 2, hidden: 4);
        Graph.Current.Release();
        using (Graph.NoGrad()) lstm.Forward(x, state);
        Graph.Current.Release();
        using Tensor h0 = Tensor.FromArray(state.Hidden(0).ToArray(), 2, 4), c0 = Tensor.FromArray(state.Cell(0).ToArray(), 2, 4);
        var p = lstm.NamedParameters();
        Ops.Sum(Ops.Lstm(x, p[0].Value, p[1].Value, p[2].Value, h0, c0)).Backward();
        float[][] expected = [.. lstm.Parameters().Select(q => q.Grad!.ToArray())];
        foreach (Tensor q in lstm.Parameters()) q.Grad!.AsSpan().Clear();
        Ops.Sum(lstm.Forward(x, state)).Backward();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], lstm.Parameters()[i].Grad!.ToArray());
    }

    [Fact]
    public void A_state_of_another_shape_is_refused()
    {
        using var lstm = new EmbedEngine.Tensors.Modules.Lstm(inputs: 3, hidden: 4, layers: 2, new Random(10));
        using var state = new EmbedEngine.Tensors.Modules.LstmState(layers: 2, batch: 3, hidden: 4);
        using Tensor x = GradientCheck.Random(74, 5, 2, 3);
        var e = Assert.Throws<ArgumentException>(() => lstm.Forward(x, state));
        Assert.Contains("[3, 4]", e.Message, StringComparison.Ordinal);
    }
}
