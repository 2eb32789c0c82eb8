using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// The LSTM cell's cases. Pre-activations of large shapes are scaled to ±32, so gates saturate at 0 and 1 and tanh
/// at ±1. Tolerances follow each value through the cell from the gates' stated relative errors (σ and tanh, vector
/// or MathF) and a few roundings per product and sum; the backward step has no transcendental function, so only
/// its evaluation order differs, with 1 − g² and 1 − t² near zero bounded absolutely.
/// </summary>
public static partial class DenseKernelCases
{
    private const double GateError = SimdMath.SigmoidRelativeError + 4 * U, TanhError = SimdMath.TanhRelativeError + 4 * U;

    private static Problem LstmForward(Shape s)
    {
        int n = s.Length, rows = RowsOf(s);
        float[] gates = s.Vector(rows * 4 * n), previous = s.Vector(rows * n);
        if (s.Values == Values.Large) gates = Array.ConvertAll(gates, v => 4 * v);
        var tolGates = new double[gates.Length];
        double[] tolCell = new double[previous.Length], tolTanh = new double[previous.Length], tolHidden = new double[previous.Length];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
            {
                int a = r * 4 * n + j, k = r * n + j;
                double i = Logistic(gates[a]), f = Logistic(gates[a + n]), g = Math.Tanh(gates[a + 2 * n]), o = Logistic(gates[a + 3 * n]);
                double ti = GateError * i + Floor, tf = GateError * f + Floor, tg = TanhError * Math.Abs(g) + Floor, to = GateError * o + Floor;
                (tolGates[a], tolGates[a + n], tolGates[a + 2 * n], tolGates[a + 3 * n]) = (ti, tf, tg, to);
                double cp = previous[k], c = f * cp + i * g, t = Math.Tanh(c);
                tolCell[k] = Math.Abs(cp) * tf + Math.Abs(g) * ti + i * tg + 4 * U * (Math.Abs(f * cp) + Math.Abs(i * g)) + Floor;
                tolTanh[k] = (1 - t * t) * tolCell[k] + TanhError * Math.Abs(t) + Floor;
                tolHidden[k] = Math.Abs(t) * to + o * tolTanh[k] + 2 * U * Math.Abs(o * t) + Floor;
            }
        var problem = new Problem();
        int hg = problem.Add("gates", gates, KernelCases.ToTolerance(tolGates)), hp = problem.Add("previousCell", previous);
        int hc = problem.Add("cell", s.Vector(previous.Length), KernelCases.ToTolerance(tolCell));
        int ht = problem.Add("tanhCell", s.Vector(previous.Length), KernelCases.ToTolerance(tolTanh));
        int hh = problem.Add("hidden", s.Vector(previous.Length), KernelCases.ToTolerance(tolHidden));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<LstmForwardFn>(isa, LstmCellKernel.Forward, LstmCellKernel.ForwardScalar, LstmCellKernel.ForwardAvx2,
                LstmCellKernel.ForwardAvx512)(n, m.Span(hg), m.Span(hp), m.Span(hc), m.Span(ht), m.Span(hh));
            return 0f;
        };
        problem.Gpu = d =>
        {
            LstmCellGpu.Forward(d.Device, n, d.View(hg), d.View(hp), d.View(hc), d.View(ht), d.View(hh));
            return 0f;
        };
        return problem;
    }

    private static Problem LstmBackward(Shape s)
    {
        int n = s.Length, rows = RowsOf(s);
        // Activated gates as the forward step leaves them: i, f, o in [0, 1] (0 and 1 exactly when saturated), g in [−1, 1].
        float[] gates = Array.ConvertAll(s.Vector(rows * 4 * n), v => s.Values == Values.Large ? MathF.Round(v / 16f + 0.5f) : (v + 1) / 2);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++) gates[r * 4 * n + 2 * n + j] = 2 * gates[r * 4 * n + 2 * n + j] - 1;
        float[] previous = s.Vector(rows * n), tanhCell = Array.ConvertAll(s.Vector(rows * n), v => MathF.Tanh(s.Values == Values.Large ? 4 * v : v));
        float[] hiddenGrad = s.Vector(rows * n), cellGrad = s.Vector(rows * n);
        var tolGateGrad = new double[gates.Length];
        var tolCellGrad = new double[previous.Length];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
            {
                int a = r * 4 * n + j, k = r * n + j;
                double i = gates[a], f = gates[a + n], g = gates[a + 2 * n], o = gates[a + 3 * n], t = tanhCell[k], dh = hiddenGrad[k];
                double dc = cellGrad[k] + dh * o * (1 - t * t);
                double tolDc = 6 * U * (Math.Abs(cellGrad[k]) + Math.Abs(dh * o)) + Floor;
                double dcMax = Math.Abs(dc) + tolDc;
                tolGateGrad[a] = i * (1 - i) * Math.Abs(g) * (tolDc + 6 * U * dcMax) + Floor;
                tolGateGrad[a + n] = f * (1 - f) * Math.Abs(previous[k]) * (tolDc + 6 * U * dcMax) + Floor;
                tolGateGrad[a + 2 * n] = i * ((1 - g * g) * tolDc + 6 * U * dcMax) + Floor;
                tolGateGrad[a + 3 * n] = o * (1 - o) * 6 * U * Math.Abs(dh * t) + Floor;
                tolCellGrad[k] = f * (tolDc + 2 * U * dcMax) + Floor;
            }
        var problem = new Problem();
        int hg = problem.Add("gates", gates), hp = problem.Add("previousCell", previous), ht = problem.Add("tanhCell", tanhCell);
        int hh = problem.Add("hiddenGrad", hiddenGrad), hc = problem.Add("cellGrad", cellGrad, KernelCases.ToTolerance(tolCellGrad));
        int hd = problem.Add("gateGrad", s.Vector(gates.Length), KernelCases.ToTolerance(tolGateGrad));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<LstmBackwardFn>(isa, LstmCellKernel.Backward, LstmCellKernel.BackwardScalar, LstmCellKernel.BackwardAvx2,
                LstmCellKernel.BackwardAvx512)(n, m.Span(hg), m.Span(hp), m.Span(ht), m.Span(hh), m.Span(hc), m.Span(hd));
            return 0f;
        };
        problem.Gpu = d =>
        {
            LstmCellGpu.Backward(d.Device, n, d.View(hg), d.View(hp), d.View(ht), d.View(hh), d.View(hc), d.View(hd));
            return 0f;
        };
        return problem;
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
}
