using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tests.Shared;

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
    public void Every_input_of_a_projected_lstm_matches_finite_differences()
    {
        const int Projection = 3;
        using Tensor x = GradientCheck.Random(47, Steps, Batch, Inputs), wi = GradientCheck.Random(48, 4 * Hidden, Inputs);
        using Tensor wh = GradientCheck.Random(49, 4 * Hidden, Projection), bias = GradientCheck.Random(50, 4 * Hidden);
        using Tensor h0 = GradientCheck.Random(51, Batch, Projection), c0 = GradientCheck.Random(52, Batch, Hidden), wr = GradientCheck.Random(53, Projection, Hidden);
        GradientCheck.Check(t => Ops.Lstm(t[0], t[1], t[2], t[3], t[4], t[5], projectionWeights: t[6]),
            p => Reference(p[0], p[1], p[2], p[3], p[4], p[5], p[6]), x, wi, wh, bias, h0, c0, wr);
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

    /// <summary>Every step's output, from the LSTM equations in double: h, or r = W_hr·h with a projection <paramref name="wr"/>.</summary>
    private static double[] Reference(double[] x, double[] wi, double[] wh, double[] bias, double[] h0, double[] c0, double[]? wr = null)
    {
        int width = wr == null ? Hidden : wr.Length / Hidden;
        double[] r = (double[])h0.Clone(), c = (double[])c0.Clone();
        var outputs = new double[Steps * Batch * width];
        for (int t = 0; t < Steps; t++)
        {
            var next = new double[r.Length];
            for (int b = 0; b < Batch; b++)
            {
                var a = new double[4 * Hidden];
                for (int q = 0; q < a.Length; q++)
                {
                    a[q] = bias[q];
                    for (int p = 0; p < Inputs; p++) a[q] += wi[q * Inputs + p] * x[(t * Batch + b) * Inputs + p];
                    for (int p = 0; p < width; p++) a[q] += wh[q * width + p] * r[b * width + p];
                }
                var h = new double[Hidden];
                for (int j = 0; j < Hidden; j++)
                {
                    double i = 1 / (1 + Math.Exp(-a[j])), f = 1 / (1 + Math.Exp(-a[Hidden + j])), g = Math.Tanh(a[2 * Hidden + j]), o = 1 / (1 + Math.Exp(-a[3 * Hidden + j]));
                    c[b * Hidden + j] = f * c[b * Hidden + j] + i * g;
                    h[j] = o * Math.Tanh(c[b * Hidden + j]);
                }
                for (int j = 0; j < width; j++)
                {
                    double value = wr == null ? h[j] : Enumerable.Range(0, Hidden).Sum(p => wr[j * Hidden + p] * h[p]);
                    next[b * width + j] = value;
                    outputs[(t * Batch + b) * width + j] = value;
                }
            }
            r = next;
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
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"],
            lstm.NamedParameters().Select(p => p.Key));
        Assert.Equal([16, 3], lstm.NamedParameters()[0].Value.Shape.ToArray());
        Assert.Equal([16, 4], lstm.NamedParameters()[4].Value.Shape.ToArray());
        Assert.All(lstm.Parameters(), p => Assert.All(p.ToArray(), v => Assert.InRange(v, -0.5f, 0.5f)));
        using Tensor x = GradientCheck.Random(71, 5, 2, 3);
        Tensor[] p = [.. lstm.Parameters()];
        float[] expected = Ops.Lstm(Ops.Lstm(x, p[0], p[1], Ops.Add(p[2], p[3])), p[4], p[5], Ops.Add(p[6], p[7])).ToArray();
        Tensor y = lstm.Forward(x);
        Assert.Equal(expected, y.ToArray());
        Ops.Sum(y).Backward();
        Assert.All(lstm.Parameters(), q => Assert.Contains(q.Grad!.ToArray(), v => v != 0f));
        Assert.Equal(p[2].Grad!.ToArray(), p[3].Grad!.ToArray()); // both biases take the sum's gradient, as in PyTorch
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

        Tensor[] p = [.. lstm.Parameters()];
        using Tensor cell = Tensor.Zeros(2, 4);
        Ops.Lstm(x, p[0], p[1], Ops.Add(p[2], p[3]), finalCell: cell);
        float[] firstLayerHidden = Ops.Lstm(x, p[0], p[1], Ops.Add(p[2], p[3])).ToArray()[^8..];
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(firstLayerHidden[i], state.Hidden(0).ToArray()[i], 6);
            Assert.Equal(cell.ToArray()[i], state.Cell(0).ToArray()[i], 6);
        }
        state.Reset();
        Assert.All(state.Cell(1).ToArray(), v => Assert.Equal(0f, v));
        Graph.Current.Release(); // forward passes only: leave no tape to the next test on this thread
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
        Tensor[] p = [.. lstm.Parameters()];
        Ops.Sum(Ops.Lstm(x, p[0], p[1], Ops.Add(p[2], p[3]), h0, c0)).Backward();
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

/// <summary>The sequence rearrangements of bidirectional layers.</summary>
public class SequenceOpsTests
{
    [Fact]
    public void Reversing_steps_matches_finite_differences()
    {
        using Tensor x = GradientCheck.Random(81, 4, 2, 3);
        GradientCheck.Check(t => Ops.ReverseSteps(t[0]), p =>
        {
            var y = new double[24];
            for (int t = 0; t < 4; t++) Array.Copy(p[0], t * 6, y, (3 - t) * 6, 6);
            return y;
        }, x);
    }

    [Fact]
    public void Concatenating_the_last_dimension_matches_finite_differences()
    {
        using Tensor a = GradientCheck.Random(82, 3, 2, 2), b = GradientCheck.Random(83, 3, 2, 3);
        GradientCheck.Check(t => Ops.ConcatLast(t[0], t[1]), p =>
        {
            var y = new double[30];
            for (int row = 0; row < 6; row++)
            {
                Array.Copy(p[0], row * 2, y, row * 5, 2);
                Array.Copy(p[1], row * 3, y, row * 5 + 2, 3);
            }
            return y;
        }, a, b);
    }

    [Fact]
    public void Misfit_concatenations_are_refused()
    {
        using Tensor a = Tensor.Zeros(3, 2), b = Tensor.Zeros(4, 2);
        Assert.Throws<ArgumentException>(() => Ops.ConcatLast(a, b));
    }
}

/// <summary>The bidirectional LSTM module.</summary>
public class BidirectionalLstmTests
{
    [Fact]
    public void Each_layer_reads_both_directions_of_the_one_below_and_names_its_reverse_weights_as_pytorch()
    {
        using var lstm = new EmbedEngine.Tensors.Modules.Lstm(inputs: 3, hidden: 4, layers: 2, new Random(11), bidirectional: true);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"],
            lstm.NamedParameters().Select(p => p.Key));
        Assert.Equal([16, 8], lstm.NamedParameters()[8].Value.Shape.ToArray());
        using Tensor x = GradientCheck.Random(75, 5, 2, 3);
        Tensor[] p = [.. lstm.Parameters()];
        Tensor Direction(Tensor input, int first) => Ops.Lstm(input, p[first], p[first + 1], Ops.Add(p[first + 2], p[first + 3]));
        Tensor Layer(Tensor input, int first) => Ops.ConcatLast(Direction(input, first), Ops.ReverseSteps(Direction(Ops.ReverseSteps(input), first + 4)));
        float[] expected = Layer(Layer(x, 0), 8).ToArray();
        Tensor y = lstm.Forward(x);
        Assert.Equal([5, 2, 8], y.Shape.ToArray());
        Assert.Equal(expected, y.ToArray());
        Ops.Sum(y).Backward();
        Assert.All(lstm.Parameters(), q => Assert.Contains(q.Grad!.ToArray(), v => v != 0f));
    }

    [Fact]
    public void The_reverse_half_at_a_step_sees_only_that_step_and_later_ones()
    {
        using var lstm = new EmbedEngine.Tensors.Modules.Lstm(inputs: 3, hidden: 4, layers: 1, new Random(12), bidirectional: true);
        using Tensor x = GradientCheck.Random(76, 5, 1, 3);
        float[] before = lstm.Forward(x).ToArray();
        x.AsSpan()[0] += 1f; // step 0 changes
        float[] after = lstm.Forward(x).ToArray();
        for (int t = 0; t < 5; t++)
        {
            Assert.NotEqual(before[t * 8], after[t * 8]);             // the forward half sees step 0 at every step
            if (t > 0) Assert.Equal(before[t * 8 + 4], after[t * 8 + 4]); // the reverse half sees it at step 0 only
        }
        Assert.NotEqual(before[4], after[4]);
        using var state = new EmbedEngine.Tensors.Modules.LstmState(1, 1, 4);
        Assert.Throws<ArgumentException>(() => lstm.Forward(x, state));
        Graph.Current.Release(); // forward passes only: leave no tape to the next test on this thread
    }
}

/// <summary>The LSTM module with a projection (LSTMP).</summary>
public class ProjectedLstmTests
{
    [Fact]
    public void Projected_layers_chain_and_carry_states_of_the_projected_width()
    {
        using var lstm = new EmbedEngine.Tensors.Modules.Lstm(inputs: 3, hidden: 6, layers: 2, new Random(13), projection: 2);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1"],
            lstm.NamedParameters().Select(p => p.Key));
        Tensor[] p = [.. lstm.Parameters()];
        Assert.Equal([24, 2], p[1].Shape.ToArray());
        Assert.Equal([24, 2], p[5].Shape.ToArray());
        Assert.Equal([2, 6], p[4].Shape.ToArray());
        using Tensor x = GradientCheck.Random(77, 6, 2, 3);
        float[] expected = Ops.Lstm(Ops.Lstm(x, p[0], p[1], Ops.Add(p[2], p[3]), projectionWeights: p[4]), p[5], p[6], Ops.Add(p[7], p[8]), projectionWeights: p[9]).ToArray();
        float[] whole = lstm.Forward(x).ToArray();
        Assert.Equal(expected, whole);
        using var state = new EmbedEngine.Tensors.Modules.LstmState(layers: 2, batch: 2, hidden: 6, projection: 2);
        float[] pieces = [.. lstm.Forward(x.Slice(0, 0, 2).Contiguous(), state).ToArray(), .. lstm.Forward(x.Slice(0, 2, 4).Contiguous(), state).ToArray()];
        for (int i = 0; i < whole.Length; i++) Assert.Equal(whole[i], pieces[i], 6);
        Assert.Equal([2, 2], state.Hidden(1).Shape.ToArray());
        Assert.Equal([2, 6], state.Cell(1).Shape.ToArray());
        using var wrong = new EmbedEngine.Tensors.Modules.LstmState(layers: 2, batch: 2, hidden: 6);
        Assert.Throws<ArgumentException>(() => lstm.Forward(x, wrong));
        Graph.Current.Release(); // forward passes only: leave no tape to the next test on this thread
    }
}

/// <summary>Steady training steps of the LSTM module allocate nothing, with and without a projection.</summary>
public class LstmAllocationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Steady_steps_allocate_no_managed_memory(int projection)
    {
        using var lstm = new EmbedEngine.Tensors.Modules.Lstm(inputs: 4, hidden: 8, layers: 2, new Random(14), projection: projection);
        using Tensor x = GradientCheck.Random(78, 6, 3, 4);
        TensorSettings.Threads = 1;
        Tensor[] parameters = [.. lstm.Parameters()];
        void Step()
        {
            Ops.Sum(lstm.Forward(x)).Backward();
            foreach (Tensor p in parameters) p.Grad!.AsSpan().Clear();
        }
        Step();
        Step();
        SteadyAllocation.AssertNone(Step);
    }
}
