using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// The whole-sequence LSTM layer against an independent double-precision LSTM: its outputs, and every gradient of its
/// backward pass against central differences of that LSTM, for a loss that weighs every output and both final states.
/// </summary>
public class LstmLayerTests
{
    private static readonly LstmLayerShape Small = new(Steps: 5, Batch: 3, Inputs: 4, Hidden: 6);

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
            RecurrentWeights = Draw(s.Gates * s.Hidden, 0.6);
            Bias = Draw(s.Gates, 0.5);
            H0 = Draw(s.Batch * s.Hidden, 0.5);
            C0 = Draw(s.Batch * s.Hidden, 0.5);
            OutputWeights = Draw(s.Rows * s.Hidden, 1);
            FinalHiddenWeights = Draw(s.Batch * s.Hidden, 1);
            FinalCellWeights = Draw(s.Batch * s.Hidden, 1);
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
    }

    /// <summary>The kernel's forward pass: (gates, cells, tanh cells, hiddens).</summary>
    private static (float[] Gates, float[] Cells, float[] Tanh, float[] Hiddens) Forward(Case k, int threads)
    {
        LstmLayerShape s = k.Shape;
        float[] gates = new float[s.Rows * s.Gates], cells = new float[s.Rows * s.Hidden], tanh = new float[cells.Length], hiddens = new float[cells.Length];
        LstmLayerKernel.Forward(s, k.X, k.InputWeights, k.RecurrentWeights, k.Bias, k.H0, k.C0, gates, cells, tanh, hiddens, threads);
        return (gates, cells, tanh, hiddens);
    }

    /// <summary>An LSTM in double, written from the equations: every step's h, then the final c appended.</summary>
    private static double[] Reference(LstmLayerShape s, double[] x, double[] wi, double[] wh, double[] bias, double[] h0, double[] c0)
    {
        int n = s.Hidden;
        double[] h = (double[])h0.Clone(), c = (double[])c0.Clone();
        var outputs = new double[s.Rows * n + s.Batch * n];
        for (int t = 0; t < s.Steps; t++)
        {
            var nextH = new double[h.Length];
            for (int b = 0; b < s.Batch; b++)
            {
                var a = new double[4 * n];
                for (int q = 0; q < 4 * n; q++)
                {
                    double sum = bias[q];
                    for (int p = 0; p < s.Inputs; p++) sum += wi[q * s.Inputs + p] * x[(t * s.Batch + b) * s.Inputs + p];
                    for (int p = 0; p < n; p++) sum += wh[q * n + p] * h[b * n + p];
                    a[q] = sum;
                }
                for (int j = 0; j < n; j++)
                {
                    double i = Logistic(a[j]), f = Logistic(a[n + j]), g = Math.Tanh(a[2 * n + j]), o = Logistic(a[3 * n + j]);
                    c[b * n + j] = f * c[b * n + j] + i * g;
                    nextH[b * n + j] = o * Math.Tanh(c[b * n + j]);
                    outputs[(t * s.Batch + b) * n + j] = nextH[b * n + j];
                }
            }
            h = nextH;
        }
        c.CopyTo(outputs, s.Rows * n);
        return outputs;
    }

    private static double Logistic(double v) => 1 / (1 + Math.Exp(-v));

    private static double[] D(float[] v) => Array.ConvertAll(v, f => (double)f);

    [Fact]
    public void Forward_matches_a_double_precision_lstm()
    {
        var k = new Case(Small, 1);
        (_, float[] cells, _, float[] hiddens) = Forward(k, threads: 1);
        double[] expected = Reference(Small, D(k.X), D(k.InputWeights), D(k.RecurrentWeights), D(k.Bias), D(k.H0), D(k.C0));
        for (int i = 0; i < hiddens.Length; i++) Assert.Equal(expected[i], hiddens[i], 5);
        int last = (Small.Steps - 1) * Small.Batch * Small.Hidden;
        for (int i = 0; i < Small.Batch * Small.Hidden; i++) Assert.Equal(expected[Small.Rows * Small.Hidden + i], cells[last + i], 5);
    }

    [Fact]
    public void Every_gradient_matches_central_differences()
    {
        var k = new Case(Small, 2);
        LstmLayerShape s = Small;
        (float[] gates, float[] cells, float[] tanh, float[] hiddens) = Forward(k, threads: 1);
        float[] gateGrads = new float[gates.Length], dx = new float[k.X.Length], dh0 = new float[k.H0.Length], dc0 = new float[k.C0.Length];
        float[] dWi = [.. Enumerable.Repeat(0.25f, k.InputWeights.Length)], dWh = new float[k.RecurrentWeights.Length], dBias = new float[k.Bias.Length];
        LstmLayerKernel.Backward(s, k.X, k.InputWeights, k.RecurrentWeights, k.H0, k.C0, gates, cells, tanh, hiddens, k.OutputWeights,
            k.FinalHiddenWeights, k.FinalCellWeights, gateGrads, dx, dWi, dWh, dBias, dh0, dc0, threads: 1);

        double[] x = D(k.X), wi = D(k.InputWeights), wh = D(k.RecurrentWeights), bias = D(k.Bias), h0 = D(k.H0), c0 = D(k.C0);
        double Loss()
        {
            double[] y = Reference(s, x, wi, wh, bias, h0, c0);
            int outputs = s.Rows * s.Hidden, finals = s.Batch * s.Hidden;
            double sum = 0;
            for (int i = 0; i < outputs; i++) sum += k.OutputWeights[i] * y[i];
            for (int i = 0; i < finals; i++) sum += k.FinalHiddenWeights[i] * y[outputs - finals + i] + k.FinalCellWeights[i] * y[outputs + i];
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
    }

    [Fact]
    public void Two_threads_give_the_one_thread_result_bit_for_bit()
    {
        var k = new Case(new LstmLayerShape(Steps: 7, Batch: 16, Inputs: 40, Hidden: 48), 3);
        LstmLayerShape s = k.Shape;
        float[][] Run(int threads)
        {
            (float[] gates, float[] cells, float[] tanh, float[] hiddens) = Forward(k, threads);
            float[] gateGrads = new float[gates.Length], dx = new float[k.X.Length], dh0 = new float[k.H0.Length], dc0 = new float[k.C0.Length];
            float[] dWi = new float[k.InputWeights.Length], dWh = new float[k.RecurrentWeights.Length], dBias = new float[k.Bias.Length];
            LstmLayerKernel.Backward(s, k.X, k.InputWeights, k.RecurrentWeights, k.H0, k.C0, gates, cells, tanh, hiddens, k.OutputWeights,
                [], [], gateGrads, dx, dWi, dWh, dBias, dh0, dc0, threads);
            return [hiddens, cells, dx, dWi, dWh, dBias, dh0, dc0];
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
    }
}
