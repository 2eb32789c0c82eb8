using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Tests;

public static partial class DenseKernelCases
{
    private static Problem SoftmaxForward(Shape s)
    {
        int n = s.Length, rows = Rows(s);
        float[] x = Logits(s, rows);
        var tol = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double[] p = Softmax(x, r, n).P;
            for (int c = 0; c < n; c++) tol[r * n + c] = SoftmaxSpread(n) * p[c] + Floor;
        }
        return RowsForward(s, x, tol, SoftmaxKernel.Forward, SoftmaxKernel.ForwardScalar, SoftmaxKernel.ForwardAvx2, SoftmaxKernel.ForwardAvx512,
            SoftmaxGpu.Softmax.Forward);
    }

    /// <summary>y is a true softmax output; dx = y(dy − dy·y) differs by the n-term dot's bound and two roundings.</summary>
    private static Problem SoftmaxBackward(Shape s)
    {
        int n = s.Length, rows = Rows(s);
        float[] x = Logits(s, rows), y = new float[x.Length], dy = s.Vector(x.Length);
        var tol = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double[] p = Softmax(x, r, n).P;
            double dot = 0, absDot = 0;
            for (int c = 0; c < n; c++)
            {
                y[r * n + c] = (float)p[c];
                dot += dy[r * n + c] * p[c];
                absDot += Math.Abs(dy[r * n + c] * p[c]);
            }
            for (int c = 0; c < n; c++)
                tol[r * n + c] = p[c] * (Bounds.Sum(n, absDot) + 4 * U * (Math.Abs(dy[r * n + c]) + Math.Abs(dot)));
        }
        return RowsBackward(s, y, dy, tol, SoftmaxKernel.Backward, SoftmaxKernel.BackwardScalar, SoftmaxKernel.BackwardAvx2,
            SoftmaxKernel.BackwardAvx512, SoftmaxGpu.Softmax.Backward);
    }

    /// <summary>Variants differ only in Σ e^(x − max), whose relative spread moves ln Σ by as much, plus roundings.</summary>
    private static Problem LogSoftmaxForward(Shape s)
    {
        int n = s.Length, rows = Rows(s);
        float[] x = Logits(s, rows);
        var tol = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            var (_, max, logSum) = Softmax(x, r, n);
            for (int c = 0; c < n; c++) tol[r * n + c] = SoftmaxSpread(n) + 4 * U * (Math.Abs(x[r * n + c] - max) + Math.Abs(logSum));
        }
        return RowsForward(s, x, tol, LogSoftmaxKernel.Forward, LogSoftmaxKernel.ForwardScalar, LogSoftmaxKernel.ForwardAvx2,
            LogSoftmaxKernel.ForwardAvx512, SoftmaxGpu.LogSoftmax.Forward);
    }

    /// <summary>y is a true log-softmax; dx = dy − e^y Σdy differs by exp's error on e^y and the sum's bound.</summary>
    private static Problem LogSoftmaxBackward(Shape s)
    {
        int n = s.Length, rows = Rows(s);
        float[] x = Logits(s, rows), y = new float[x.Length], dy = s.Vector(x.Length);
        var tol = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            var (_, max, logSum) = Softmax(x, r, n);
            double sum = 0, absSum = 0;
            for (int c = 0; c < n; c++)
            {
                y[r * n + c] = (float)(x[r * n + c] - max - logSum);
                sum += dy[r * n + c];
                absSum += Math.Abs(dy[r * n + c]);
            }
            for (int c = 0; c < n; c++)
            {
                double e = Math.Exp(y[r * n + c]);
                tol[r * n + c] = e * (2 * (SimdMath.ExpNonPositiveRelativeError + 2 * U) * Math.Abs(sum) + Bounds.Sum(n, absSum))
                    + 4 * U * (Math.Abs(dy[r * n + c]) + e * Math.Abs(sum)) + Floor;
            }
        }
        return RowsBackward(s, y, dy, tol, LogSoftmaxKernel.Backward, LogSoftmaxKernel.BackwardScalar, LogSoftmaxKernel.BackwardAvx2,
            LogSoftmaxKernel.BackwardAvx512, SoftmaxGpu.LogSoftmax.Backward);
    }

    private static Problem RowsForward(Shape s, float[] x, double[] tol, RowsKernel entry, RowsKernel scalar, RowsKernel avx2, RowsKernel avx512,
        RowsGpuFn gpu)
    {
        int n = s.Length;
        var problem = new Problem();
        int hx = problem.Add("x", x), hy = problem.Add("y", s.Vector(x.Length), KernelCases.ToTolerance(tol));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick(isa, entry, scalar, avx2, avx512)(m.Span(hx), m.Span(hy), n);
            return 0f;
        };
        problem.Gpu = d =>
        {
            gpu(d.Device, d.View(hx), d.View(hy), n);
            return 0f;
        };
        return problem;
    }

    private static Problem RowsBackward(Shape s, float[] y, float[] dy, double[] tol, RowsBackwardKernel entry, RowsBackwardKernel scalar,
        RowsBackwardKernel avx2, RowsBackwardKernel avx512, RowsBackwardGpuFn gpu)
    {
        int n = s.Length;
        var problem = new Problem();
        int hy = problem.Add("y", y), hdy = problem.Add("dy", dy), hdx = problem.Add("dx", s.Vector(y.Length), KernelCases.ToTolerance(tol));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick(isa, entry, scalar, avx2, avx512)(m.Span(hy), m.Span(hdy), m.Span(hdx), n);
            return 0f;
        };
        problem.Gpu = d =>
        {
            gpu(d.Device, d.View(hy), d.View(hdy), d.View(hdx), n);
            return 0f;
        };
        return problem;
    }

    /// <summary>
    /// The reference evaluates ½(1 + tanh u), the vector variants σ(2u): σ's stated error, the reference's absolute
    /// error of ½(1 + tanh u) (1.5u), and u's own roundings (at most 6u·|u| between the two orders, through a slope ≤ ½).
    /// </summary>
    private static double GeluSpread(double x, out double s, out double du)
    {
        double u = GeluKernel.Scale * (x + GeluKernel.Cubic * x * x * x);
        s = 1 / (1 + Math.Exp(-2 * u));
        du = GeluKernel.Scale * (1 + 3 * GeluKernel.Cubic * x * x);
        return SimdMath.SigmoidRelativeError * s + 2 * U + 6 * U * Math.Abs(u);
    }

    private static Problem GeluForward(Shape s)
    {
        float[] x = s.Vector(s.Length);
        var tol = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double ds = GeluSpread(x[i], out double sv, out _);
            tol[i] = Math.Abs(x[i]) * ds + 2 * U * Math.Abs(x[i] * sv) + Floor;
        }
        return Unary(s, x, tol, GeluKernel.Forward, GeluKernel.ForwardScalar, GeluKernel.ForwardAvx2, GeluKernel.ForwardAvx512, GeluGpu.Forward);
    }

    /// <summary>gelu' = s + 2x·s(1 − s)·u': s's spread enters directly and through s(1 − s), plus the roundings of the sum.</summary>
    private static Problem GeluBackward(Shape s)
    {
        float[] x = s.Vector(s.Length), dy = s.Vector(s.Length);
        var tol = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double ds = GeluSpread(x[i], out double sv, out double du), xdu = Math.Abs(x[i] * du);
            double slope = 2 * xdu * sv * (1 - sv);
            tol[i] = Math.Abs(dy[i]) * (ds * (1 + 2 * xdu) + 4 * U * xdu + 8 * U * (sv + slope)) + Floor;
        }
        return UnaryBackward(s, x, dy, tol, GeluKernel.Backward, GeluKernel.BackwardScalar, GeluKernel.BackwardAvx2, GeluKernel.BackwardAvx512,
            GeluGpu.Backward);
    }

    private static Problem TanhForward(Shape s)
    {
        float[] x = s.Vector(s.Length);
        double[] tol = Array.ConvertAll(x, v => (SimdMath.TanhRelativeError + 4 * U) * Math.Abs(Math.Tanh(v)) + Floor);
        return Unary(s, x, tol, TanhKernel.Forward, TanhKernel.ForwardScalar, TanhKernel.ForwardAvx2, TanhKernel.ForwardAvx512,
            SquashingGpu.Tanh.Forward);
    }

    private static Problem TanhBackward(Shape s)
    {
        float[] y = Array.ConvertAll(s.Vector(s.Length), v => MathF.Tanh(v)), dy = s.Vector(s.Length);
        var tol = new double[y.Length];
        for (int i = 0; i < y.Length; i++) tol[i] = Bounds.Sum(3, Math.Abs(dy[i]) * (1 + y[i] * y[i]));
        return UnaryBackward(s, y, dy, tol, TanhKernel.Backward, TanhKernel.BackwardScalar, TanhKernel.BackwardAvx2, TanhKernel.BackwardAvx512,
            SquashingGpu.Tanh.Backward);
    }

    private static Problem SigmoidForward(Shape s)
    {
        float[] x = s.Vector(s.Length);
        double[] tol = Array.ConvertAll(x, v => (SimdMath.SigmoidRelativeError + 4 * U) / (1 + Math.Exp(-v)) + Floor);
        return Unary(s, x, tol, SigmoidKernel.Forward, SigmoidKernel.ForwardScalar, SigmoidKernel.ForwardAvx2, SigmoidKernel.ForwardAvx512,
            SquashingGpu.Sigmoid.Forward);
    }

    private static Problem SigmoidBackward(Shape s)
    {
        float[] y = Array.ConvertAll(s.Vector(s.Length), Sigmoid.Exact), dy = s.Vector(s.Length);
        var tol = new double[y.Length];
        for (int i = 0; i < y.Length; i++) tol[i] = Bounds.Sum(3, Math.Abs(dy[i] * y[i]) * (1 + y[i]));
        return UnaryBackward(s, y, dy, tol, SigmoidKernel.Backward, SigmoidKernel.BackwardScalar, SigmoidKernel.BackwardAvx2,
            SigmoidKernel.BackwardAvx512, SquashingGpu.Sigmoid.Backward);
    }

    /// <summary>A max and a select: bit for bit.</summary>
    private static Problem ReluForward(Shape s) =>
        Unary(s, s.Vector(s.Length), null, ReluKernel.Forward, ReluKernel.ForwardScalar, ReluKernel.ForwardAvx2, ReluKernel.ForwardAvx512,
            ReluGpu.Forward);

    private static Problem ReluBackward(Shape s) =>
        UnaryBackward(s, s.Vector(s.Length), s.Vector(s.Length), null, ReluKernel.Backward, ReluKernel.BackwardScalar,
            ReluKernel.BackwardAvx2, ReluKernel.BackwardAvx512, ReluGpu.Backward);

    /// <summary>The same hash and one product per kept element: bit for bit, for p from 0 (keep all) to 1 (drop all).</summary>
    private static Problem Dropout(Shape s)
    {
        ReadOnlySpan<float> probabilities = [0f, 0.1f, 0.5f, 0.9f, 1f];
        float p = probabilities[s.Rng.Next(probabilities.Length)];
        uint seed = (uint)s.Rng.Next();
        var problem = new Problem();
        int hx = problem.Add("x", s.Vector(s.Length)), hy = problem.Add("y", s.Vector(s.Length));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<DropoutFn>(isa, DropoutKernel.Forward, DropoutKernel.Scalar, DropoutKernel.Avx2, DropoutKernel.Avx512)(
                m.Span(hx), m.Span(hy), p, seed);
            return 0f;
        };
        problem.Gpu = d =>
        {
            DropoutGpu.Forward(d.Device, d.View(hx), d.View(hy), p, seed);
            return 0f;
        };
        return problem;
    }

    /// <summary>An element-wise case; <paramref name="gpu"/> is the GPU twin, where the kernel has one.</summary>
    private static Problem Unary(Shape s, float[] x, double[]? tol, MapKernel entry, MapKernel scalar, MapKernel avx2, MapKernel avx512,
        MapGpuFn? gpu = null)
    {
        var problem = new Problem();
        int hx = problem.Add("x", x), hy = problem.Add("y", s.Vector(x.Length), tol == null ? null : KernelCases.ToTolerance(tol));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick(isa, entry, scalar, avx2, avx512)(m.Span(hx), m.Span(hy));
            return 0f;
        };
        if (gpu != null)
            problem.Gpu = d =>
            {
                gpu(d.Device, d.View(hx), d.View(hy));
                return 0f;
            };
        return problem;
    }

    /// <summary>An element-wise backward case; <paramref name="gpu"/> is the GPU twin, where the kernel has one.</summary>
    private static Problem UnaryBackward(Shape s, float[] saved, float[] dy, double[]? tol, MapBackwardKernel entry, MapBackwardKernel scalar,
        MapBackwardKernel avx2, MapBackwardKernel avx512, MapBackwardGpuFn? gpu = null)
    {
        var problem = new Problem();
        int hs = problem.Add("saved", saved), hdy = problem.Add("dy", dy);
        int hdx = problem.Add("dx", s.Vector(saved.Length), tol == null ? null : KernelCases.ToTolerance(tol));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick(isa, entry, scalar, avx2, avx512)(m.Span(hs), m.Span(hdy), m.Span(hdx));
            return 0f;
        };
        if (gpu != null)
            problem.Gpu = d =>
            {
                gpu(d.Device, d.View(hs), d.View(hdy), d.View(hdx));
                return 0f;
            };
        return problem;
    }
}
