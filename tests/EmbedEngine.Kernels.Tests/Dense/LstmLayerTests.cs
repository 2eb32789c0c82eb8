using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// The whole-sequence LSTM layer against an independent double-precision LSTM: its outputs, and every gradient of its
/// backward pass against central differences of that LSTM, for a loss that weighs every output and both final states;
/// without and with a projection (LSTMP).
/// </summary>
public class LstmLayerTests
{
    private static readonly LstmLayerShape Small = new(Steps: 5, Batch: 3, Inputs: 4, Hidden: 6);
    private static readonly LstmLayerShape Projected = new(Steps: 5, Batch: 3, Inputs: 4, Hidden: 6, Projection: 3);

    /// <summary>The layer's parameters and inputs, drawn once.</summary>
    private sealed class Case
    {
        public Case(LstmLayerShape s, int seed)
        {
            var random = new Random(seed);
            float[] Draw(int count, double scale) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))];
            Shape = s;
            X = Draw(s.Rows * s.Inputs, 1);
            InputWeights = Draw(s.Gates * s.Inputs, 0.6);
            RecurrentWeights = Draw(s.Gates * s.Recurrent, 0.6);
            Bias = Draw(s.Gates, 0.5);
            H0 = Draw(s.Batch * s.Recurrent, 0.5);
            C0 = Draw(s.Batch * s.Hidden, 0.5);
            OutputWeights = Draw(s.Rows * s.Recurrent, 1);
            FinalHiddenWeights = Draw(s.Batch * s.Recurrent, 1);
            FinalCellWeights = Draw(s.Batch * s.Hidden, 1);
            ProjectionWeights = Draw(s.Projection * s.Hidden, 0.6);
        }

        public LstmLayerShape Shape { get; }
        public float[] X { get; }
        public float[] InputWeights { get; }
        public float[] RecurrentWeights { get; }
        public float[] Bias { get; }
        public float[] H0 { get; }
        public float[] C0 { get; }
        public float[] OutputWeights { get; }
        public float[] FinalHiddenWeights { get; }
        public float[] FinalCellWeights { get; }
        public float[] ProjectionWeights { get; }
    }

    /// <summary>The kernel's forward pass: (gates, cells, tanh cells, hiddens h, outputs r: h again without a projection).</summary>
    private static (float[] Gates, float[] Cells, float[] Tanh, float[] Hiddens, float[] Outputs) Forward(Case k, int threads)
    {
        LstmLayerShape s = k.Shape;
        float[] gates = new float[s.Rows * s.Gates], cells = new float[s.Rows * s.Hidden], tanh = new float[cells.Length], hiddens = new float[cells.Length];
        if (s.Projection == 0)
        {
            LstmLayerKernel.Forward(s, k.X, k.InputWeights, k.RecurrentWeights, k.Bias, k.H0, k.C0, gates, cells, tanh, hiddens, threads);
            return (gates, cells, tanh, hiddens, hiddens);
        }
        float[] outputs = new float[s.Rows * s.Projection];
        LstmLayerKernel.Forward(s, k.X, k.InputWeights, k.RecurrentWeights, k.Bias, k.H0, k.C0, gates, cells, tanh, hiddens,
            new LstmProjection(k.ProjectionWeights, outputs), threads);
        return (gates, cells, tanh, hiddens, outputs);
    }

    /// <summary>The kernel's backward pass: (dx, dW_ih, dW_hh, dbias, dh₀, dc₀, dW_hr); dW_ih starts at <paramref name="inputWeightStart"/>.</summary>
    private static float[][] Backward(Case k, float[] gates, float[] cells, float[] tanh, float[] hiddens, float[] outputs, bool finals, float inputWeightStart, int threads)
    {
        LstmLayerShape s = k.Shape;
        float[] gateGrads = new float[gates.Length], dx = new float[k.X.Length], dh0 = new float[k.H0.Length], dc0 = new float[k.C0.Length];
        float[] dWi = [.. Enumerable.Repeat(inputWeightStart, k.InputWeights.Length)], dWh = new float[k.RecurrentWeights.Length], dBias = new float[k.Bias.Length];
        float[] dWr = new float[k.ProjectionWeights.Length];
        var projection = new LstmProjection(k.ProjectionWeights, outputs, dWr, new float[s.Projection * s.Rows], new float[s.Projection == 0 ? 0 : s.Batch * s.Hidden]);
        LstmLayerKernel.Backward(s, k.X, k.InputWeights, k.RecurrentWeights, k.H0, k.C0, gates, cells, tanh, hiddens, k.OutputWeights,
            finals ? k.FinalHiddenWeights : [], finals ? k.FinalCellWeights : [], gateGrads, dx, dWi, dWh, dBias, dh0, dc0,
            s.Projection == 0 ? default : projection, threads);
        return [dx, dWi, dWh, dBias, dh0, dc0, dWr];
    }

    /// <summary>An LSTM (LSTMP with <paramref name="wr"/>) in double, written from the equations: every step's output r (h without a projection), then the final c appended.</summary>
    private static double[] Reference(LstmLayerShape s, double[] x, double[] wi, double[] wh, double[] bias, double[] h0, double[] c0, double[] wr)
    {
        int n = s.Hidden, m = s.Recurrent;
        double[] r = (double[])h0.Clone(), c = (double[])c0.Clone();
        var outputs = new double[s.Rows * m + s.Batch * n];
        for (int t = 0; t < s.Steps; t++)
        {
            var nextR = new double[r.Length];
            for (int b = 0; b < s.Batch; b++)
            {
                var a = new double[4 * n];
                for (int q = 0; q < 4 * n; q++)
                {
                    double sum = bias[q];
                    for (int p = 0; p < s.Inputs; p++) sum += wi[q * s.Inputs + p] * x[(t * s.Batch + b) * s.Inputs + p];
                    for (int p = 0; p < m; p++) sum += wh[q * m + p] * r[b * m + p];
                    a[q] = sum;
                }
                var h = new double[n];
                for (int j = 0; j < n; j++)
                {
                    double i = Logistic(a[j]), f = Logistic(a[n + j]), g = Math.Tanh(a[2 * n + j]), o = Logistic(a[3 * n + j]);
                    c[b * n + j] = f * c[b * n + j] + i * g;
                    h[j] = o * Math.Tanh(c[b * n + j]);
                }
                for (int j = 0; j < m; j++)
                {
                    double value = h[j];
                    if (s.Projection > 0)
                    {
                        value = 0;
                        for (int p = 0; p < n; p++) value += wr[j * n + p] * h[p];
                    }
                    nextR[b * m + j] = value;
                    outputs[(t * s.Batch + b) * m + j] = value;
                }
            }
            r = nextR;
        }
        c.CopyTo(outputs, s.Rows * m);
        return outputs;
    }

    private static double Logistic(double v) => 1 / (1 + Math.Exp(-v));

    private static double[] D(float[] v) => Array.ConvertAll(v, f => (double)f);

    public static TheoryData<int> Projections() => [0, 3];

    [Theory]
    [MemberData(nameof(Projections))]
    public void Forward_matches_a_double_precision_lstm(int projection)
    {
        LstmLayerShape s = Small with { Projection = projection };
        var k = new Case(s, 1);
        (_, float[] cells, _, _, float[] outputs) = Forward(k, threads: 1);
        double[] expected = Reference(s, D(k.X), D(k.InputWeights), D(k.RecurrentWeights), D(k.Bias), D(k.H0), D(k.C0), D(k.ProjectionWeights));
        for (int i = 0; i < outputs.Length; i++) Assert.Equal(expected[i], outputs[i], 5);
        int last = (s.Steps - 1) * s.Batch * s.Hidden;
        for (int i = 0; i < s.Batch * s.Hidden; i++) Assert.Equal(expected[s.Rows * s.Recurrent + i], cells[last + i], 5);
    }

    [Theory]
    [MemberData(nameof(Projections))]
    public void Every_gradient_matches_central_differences(int projection)
    {
        LstmLayerShape s = Small with { Projection = projection };
        var k = new Case(s, 2);
        (float[] gates, float[] cells, float[] tanh, float[] hiddens, float[] outputs) = Forward(k, threads: 1);
        float[][] grads = Backward(k, gates, cells, tanh, hiddens, outputs, finals: true, inputWeightStart: 0.25f, threads: 1);
        (float[] dx, float[] dWi, float[] dWh, float[] dBias, float[] dh0, float[] dc0, float[] dWr) = (grads[0], grads[1], grads[2], grads[3], grads[4], grads[5], grads[6]);

        double[] x = D(k.X), wi = D(k.InputWeights), wh = D(k.RecurrentWeights), bias = D(k.Bias), h0 = D(k.H0), c0 = D(k.C0), wr = D(k.ProjectionWeights);
        double Loss()
        {
            double[] y = Reference(s, x, wi, wh, bias, h0, c0, wr);
            int outputCount = s.Rows * s.Recurrent, finalStates = s.Batch * s.Recurrent, finalCells = s.Batch * s.Hidden;
            double sum = 0;
            for (int i = 0; i < outputCount; i++) sum += k.OutputWeights[i] * y[i];
            for (int i = 0; i < finalStates; i++) sum += k.FinalHiddenWeights[i] * y[outputCount - finalStates + i];
            for (int i = 0; i < finalCells; i++) sum += k.FinalCellWeights[i] * y[outputCount + i];
            return sum;
        }
        void Check(double[] values, float[] kernel, double offset, string name)
        {
            for (int i = 0; i < values.Length; i++)
            {
                const double H = 1e-6;
                double keep = values[i];
                values[i] = keep + H;
                double up = Loss();
                values[i] = keep - H;
                double down = Loss();
                values[i] = keep;
                double expected = (up - down) / (2 * H) + offset;
                Assert.True(Math.Abs(expected - kernel[i]) <= 1e-4 * (1 + Math.Abs(expected)), $"{name}[{i}]: finite difference {expected:R}, kernel {kernel[i]:R}");
            }
        }
        Check(x, dx, 0, "dx");
        Check(wi, dWi, 0.25, "dW_ih (added to 0.25)");
        Check(wh, dWh, 0, "dW_hh");
        Check(bias, dBias, 0, "dbias");
        Check(h0, dh0, 0, "dh0");
        Check(c0, dc0, 0, "dc0");
        Check(wr, dWr, 0, "dW_hr");
        Assert.Equal(projection * s.Hidden, dWr.Length);
    }

    [Theory]
    [MemberData(nameof(Projections))]
    public void Two_threads_give_the_one_thread_result_bit_for_bit(int projection)
    {
        var k = new Case(new LstmLayerShape(Steps: 7, Batch: 16, Inputs: 40, Hidden: 48, Projection: projection * 8), 3);
        float[][] Run(int threads)
        {
            (float[] gates, float[] cells, float[] tanh, float[] hiddens, float[] outputs) = Forward(k, threads);
            return [hiddens, outputs, cells, .. Backward(k, gates, cells, tanh, hiddens, outputs, finals: false, inputWeightStart: 0f, threads)];
        }
        float[][] one = Run(1), two = Run(2);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]);
    }

    [Fact]
    public void Wrong_sizes_are_refused_naming_the_buffer()
    {
        var k = new Case(Small, 4);
        var e = Assert.Throws<ArgumentException>(() => LstmLayerKernel.Forward(Small, k.X, k.InputWeights, k.RecurrentWeights, k.Bias.AsSpan(1), k.H0, k.C0,
            new float[Small.Rows * Small.Gates], new float[Small.Rows * Small.Hidden], new float[Small.Rows * Small.Hidden], new float[Small.Rows * Small.Hidden]));
        Assert.Contains("bias", e.Message, StringComparison.Ordinal);
        var p = new Case(Projected, 5);
        e = Assert.Throws<ArgumentException>(() => LstmLayerKernel.Forward(Projected, p.X, p.InputWeights, p.RecurrentWeights, p.Bias, p.H0, p.C0,
            new float[Projected.Rows * Projected.Gates], new float[Projected.Rows * Projected.Hidden], new float[Projected.Rows * Projected.Hidden], new float[Projected.Rows * Projected.Hidden]));
        Assert.Contains("LstmProjection", e.Message, StringComparison.Ordinal);
    }
}
