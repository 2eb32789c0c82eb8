using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu.Dense;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="LstmLayerGpu"/> against the CPU layer <see cref="LstmLayerKernel"/> through the shared harness (fenced
/// buffers, guards checked): forward, and backward from the same saved activations, without and with a projection,
/// on shapes off the GPU GEMM's 4×4 emulator tile and a sequence of no steps. The layer has no per-ISA variants, so
/// its reference is the CPU layer itself, whose GEMM and cell are each checked against their scalar references; the
/// CPU layer is checked against a double-precision LSTM in <see cref="LstmLayerTests"/>.
/// </summary>
public class LstmLayerGpuTests
{
    /// <summary>
    /// Relative agreement: the two sides differ by the gates' σ and tanh (vector approximations against MathF) and
    /// the order of sums of at most I + R terms, carried through a few contracting steps; both stay far below this.
    /// </summary>
    private const double Relative = 1e-5;

    private static readonly LstmLayerShape[] Shapes =
    [
        new(Steps: 5, Batch: 3, Inputs: 4, Hidden: 6),
        new(Steps: 5, Batch: 3, Inputs: 4, Hidden: 6, Projection: 3),
        new(Steps: 4, Batch: 5, Inputs: 9, Hidden: 7, Projection: 5),
        new(Steps: 1, Batch: 1, Inputs: 1, Hidden: 1),
        new(Steps: 0, Batch: 2, Inputs: 3, Hidden: 4),
    ];

    public static TheoryData<int, bool> Cases()
    {
        var data = new TheoryData<int, bool>();
        for (int i = 0; i < Shapes.Length; i++)
        {
            data.Add(i, false);
            data.Add(i, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gpu_layer_matches_the_cpu_layer(int index, bool backward)
    {
        LstmLayerShape s = Shapes[index];
        Problem problem = backward ? Backward(s, new Random(index)) : Forward(s, new Random(index));
        Harness.CompareGpu(problem, GpuTestDevice.Shared, offset: index % Harness.Offsets.Length,
            $"LstmLayer.{(backward ? "Backward" : "Forward")} GPU ({GpuTestDevice.Shared.Name}) vs CPU, {s}");
    }

    [Fact]
    public void Views_that_do_not_fit_the_shape_are_named_errors()
    {
        var s = new LstmLayerShape(Steps: 2, Batch: 1, Inputs: 2, Hidden: 2);
        using var buffer = GpuTestDevice.Shared.Allocate<float>(64, "layer");
        var view = buffer.View;
        var error = Assert.Throws<ArgumentException>(() => LstmLayerGpu.Forward(GpuTestDevice.Shared, s, view.SubView(0, 4), view.SubView(0, 16),
            view.SubView(0, 16), view.SubView(0, 7), view.SubView(0, 2), view.SubView(0, 2), view.SubView(0, 16), view.SubView(0, 4),
            view.SubView(0, 4), view.SubView(0, 4), default));
        Assert.Contains("bias", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The layer's inputs and parameters, drawn in ±1 (weights ±0.6).</summary>
    private sealed class Inputs(LstmLayerShape s, Random random)
    {
        public float[] X { get; } = Draw(random, s.Rows * s.Inputs, 1);
        public float[] InputWeights { get; } = Draw(random, s.Gates * s.Inputs, 0.6);
        public float[] RecurrentWeights { get; } = Draw(random, s.Gates * s.Recurrent, 0.6);
        public float[] Bias { get; } = Draw(random, s.Gates, 0.5);
        public float[] H0 { get; } = Draw(random, s.Batch * s.Recurrent, 0.5);
        public float[] C0 { get; } = Draw(random, s.Batch * s.Hidden, 0.5);
        public float[] ProjectionWeights { get; } = Draw(random, s.Projection * s.Hidden, 0.6);

        public float[] Next(int count, double scale) => Draw(random, count, scale);

        private static float[] Draw(Random random, int count, double scale) =>
            [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))];
    }

    /// <summary>The CPU layer's forward pass on plain arrays: gates, cells, tanh cells, h, and r (empty without a projection).</summary>
    private static (float[] Gates, float[] Cells, float[] Tanh, float[] Hiddens, float[] Outputs) RunForward(LstmLayerShape s, Inputs k)
    {
        float[] gates = new float[s.Rows * s.Gates], cells = new float[s.Rows * s.Hidden], tanh = new float[cells.Length], hiddens = new float[cells.Length];
        float[] outputs = new float[s.Projection * s.Rows];
        LstmLayerKernel.Forward(s, k.X, k.InputWeights, k.RecurrentWeights, k.Bias, k.H0, k.C0, gates, cells, tanh, hiddens,
            new LstmProjection(k.ProjectionWeights, outputs), threads: 1);
        return (gates, cells, tanh, hiddens, outputs);
    }

    private static float[] Tolerance(float[] expected) => Array.ConvertAll(expected, v => (float)(Relative * (1 + Math.Abs(v))));

    private static Problem Forward(LstmLayerShape s, Random random)
    {
        var k = new Inputs(s, random);
        (float[] gates, float[] cells, float[] tanh, float[] hiddens, float[] outputs) = RunForward(s, k);
        var p = new Problem();
        int hx = p.Add("x", k.X), hwi = p.Add("W_ih", k.InputWeights), hwh = p.Add("W_hh", k.RecurrentWeights), hb = p.Add("bias", k.Bias);
        int hh0 = p.Add("h0", k.H0), hc0 = p.Add("c0", k.C0), hwr = p.Add("W_hr", k.ProjectionWeights);
        int hg = p.Add("gates", new float[gates.Length], Tolerance(gates)), hc = p.Add("cells", new float[cells.Length], Tolerance(cells));
        int ht = p.Add("tanhCells", new float[tanh.Length], Tolerance(tanh)), hh = p.Add("hiddens", new float[hiddens.Length], Tolerance(hiddens));
        int hr = p.Add("outputs", new float[outputs.Length], Tolerance(outputs));
        p.Run = (_, m) =>
        {
            LstmLayerKernel.Forward(s, m.Span(hx), m.Span(hwi), m.Span(hwh), m.Span(hb), m.Span(hh0), m.Span(hc0), m.Span(hg), m.Span(hc), m.Span(ht),
                m.Span(hh), new LstmProjection(m.Span(hwr), m.Span(hr)), threads: 1);
            return 0f;
        };
        p.Gpu = d =>
        {
            LstmLayerGpu.Forward(d.Device, s, d.View(hx), d.View(hwi), d.View(hwh), d.View(hb), d.View(hh0), d.View(hc0), d.View(hg), d.View(hc),
                d.View(ht), d.View(hh), s.Projection > 0 ? new LstmGpuProjection(d.View(hwr), d.View(hr)) : default);
            return 0f;
        };
        return p;
    }

    /// <summary>Backward from the CPU forward pass's activations, with gradients into the final states and dW_ih starting off zero.</summary>
    private static Problem Backward(LstmLayerShape s, Random random)
    {
        var k = new Inputs(s, random);
        (float[] gates, float[] cells, float[] tanh, float[] hiddens, float[] outputs) = RunForward(s, k);
        float[] dy = k.Next(s.Rows * s.Recurrent, 1), dhT = k.Next(s.Batch * s.Recurrent, 1), dcT = k.Next(s.Batch * s.Hidden, 1);
        float[] dwiStart = k.Next(k.InputWeights.Length, 1);
        float[][] expected = RunBackward(s, k, gates, cells, tanh, hiddens, outputs, dy, dhT, dcT, dwiStart);
        var p = new Problem();
        int hx = p.Add("x", k.X), hwi = p.Add("W_ih", k.InputWeights), hwh = p.Add("W_hh", k.RecurrentWeights), hh0 = p.Add("h0", k.H0), hc0 = p.Add("c0", k.C0);
        int hg = p.Add("gates", gates), hc = p.Add("cells", cells), ht = p.Add("tanhCells", tanh), hh = p.Add("hiddens", hiddens);
        int hwr = p.Add("W_hr", k.ProjectionWeights), hr = p.Add("outputs", outputs), hdy = p.Add("hiddenGrads", dy), hdhT = p.Add("finalHiddenGrad", dhT);
        int hdcT = p.Add("finalCellGrad", dcT);
        int hdg = p.Add("gateGrads", new float[gates.Length], Tolerance(expected[0]));
        int hdx = p.Add("inputGrads", new float[k.X.Length], Tolerance(expected[1]));
        int hdwi = p.Add("inputWeightGrads", dwiStart, Tolerance(expected[2]));
        int hdwh = p.Add("recurrentWeightGrads", new float[k.RecurrentWeights.Length], Tolerance(expected[3]));
        int hdb = p.Add("biasGrads", new float[k.Bias.Length], Tolerance(expected[4]));
        int hdh0 = p.Add("initialHiddenGrad", new float[k.H0.Length], Tolerance(expected[5]));
        int hdc0 = p.Add("initialCellGrad", new float[k.C0.Length], Tolerance(expected[6]));
        int hdwr = p.Add("projectionWeightGrads", new float[k.ProjectionWeights.Length], Tolerance(expected[7]));
        int hdr = p.Add("projectionOutputGrads", new float[s.Projection * s.Rows], Tolerance(expected[8]));
        int hdh = p.Add("stepHiddenGrad", new float[s.Projection > 0 ? s.Batch * s.Hidden : 0], Tolerance(expected[9]));
        p.Run = (_, m) =>
        {
            LstmLayerKernel.Backward(s, m.Span(hx), m.Span(hwi), m.Span(hwh), m.Span(hh0), m.Span(hc0), m.Span(hg), m.Span(hc), m.Span(ht), m.Span(hh),
                m.Span(hdy), m.Span(hdhT), m.Span(hdcT), m.Span(hdg), m.Span(hdx), m.Span(hdwi), m.Span(hdwh), m.Span(hdb), m.Span(hdh0), m.Span(hdc0),
                new LstmProjection(m.Span(hwr), m.Span(hr), m.Span(hdwr), m.Span(hdr), m.Span(hdh)), threads: 1);
            return 0f;
        };
        p.Gpu = d =>
        {
            var projection = s.Projection > 0 ? new LstmGpuProjection(d.View(hwr), d.View(hr), d.View(hdwr), d.View(hdr), d.View(hdh)) : default;
            LstmLayerGpu.Backward(d.Device, s, d.View(hx), d.View(hwi), d.View(hwh), d.View(hh0), d.View(hc0), d.View(hg), d.View(hc), d.View(ht),
                d.View(hh), d.View(hdy), d.View(hdhT), d.View(hdcT), d.View(hdg), d.View(hdx), d.View(hdwi), d.View(hdwh), d.View(hdb), d.View(hdh0),
                d.View(hdc0), projection);
            return 0f;
        };
        return p;
    }

    /// <summary>The CPU layer's backward pass on plain arrays: every buffer it writes, in the order the problem adds them.</summary>
    private static float[][] RunBackward(LstmLayerShape s, Inputs k, float[] gates, float[] cells, float[] tanh, float[] hiddens, float[] outputs,
        float[] dy, float[] dhT, float[] dcT, float[] dwiStart)
    {
        float[] dg = new float[gates.Length], dx = new float[k.X.Length], dwi = (float[])dwiStart.Clone(), dwh = new float[k.RecurrentWeights.Length];
        float[] db = new float[k.Bias.Length], dh0 = new float[k.H0.Length], dc0 = new float[k.C0.Length], dwr = new float[k.ProjectionWeights.Length];
        float[] dr = new float[s.Projection * s.Rows], dh = new float[s.Projection > 0 ? s.Batch * s.Hidden : 0];
        LstmLayerKernel.Backward(s, k.X, k.InputWeights, k.RecurrentWeights, k.H0, k.C0, gates, cells, tanh, hiddens, dy, dhT, dcT, dg, dx, dwi, dwh, db,
            dh0, dc0, new LstmProjection(k.ProjectionWeights, outputs, dwr, dr, dh), threads: 1);
        return [dg, dx, dwi, dwh, db, dh0, dc0, dwr, dr, dh];
    }
}
