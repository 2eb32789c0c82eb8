using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Tests;

public static partial class DenseKernelCases
{
    private const float Epsilon = 1e-5f;

    /// <summary>Reduction entry points the sum, sum-of-squares and max cases share.</summary>
    public enum ReductionKind
    {
        /// <summary>Σx.</summary>
        Sum,

        /// <summary>Σx².</summary>
        SumOfSquares,

        /// <summary>max x.</summary>
        Max,
    }

    /// <summary>Rows for kernels with per-row outputs: none when rows have no columns, as the kernels count them.</summary>
    private static int RowsOf(Shape s) => s.Length == 0 ? 0 : Rows(s);

    /// <summary>Inputs for layer norm: large values sit on a row mean of 50, and row 0 is then constant (zero variance).</summary>
    private static float[] LayerNormInput(Shape s, int rows)
    {
        float[] x = s.Vector(rows * s.Length);
        if (s.Values != Values.Large) return x;
        for (int i = 0; i < x.Length; i++) x[i] += 50f;
        Array.Fill(x, x.Length > 0 ? x[0] : 0f, 0, s.Length);
        return x;
    }

    /// <summary>Row r's mean and 1/√(σ² + ε) in double.</summary>
    private static (double Mean, double Rstd) Moments(float[] x, int r, int n)
    {
        double mean = 0, squares = 0;
        for (int c = 0; c < n; c++) mean += x[r * n + c];
        mean /= n;
        for (int c = 0; c < n; c++) squares += (x[r * n + c] - mean) * (x[r * n + c] - mean);
        return (mean, 1 / Math.Sqrt(squares / n + Epsilon));
    }

    /// <summary>
    /// The mean of each variant lies within γₙ₊₁·Σ|x|/n of the exact one (dμ between them). The squared deviations
    /// do not move to first order with μ (their derivative Σ(x − μ) is 0), only by n·dμ², plus the sum's bound. rstd
    /// follows at half the relative error of σ² + ε; y = (x − μ)·rstd·γ + β follows both.
    /// </summary>
    private static Problem LayerNormForward(Shape s)
    {
        int n = s.Length, rows = RowsOf(s);
        float[] x = LayerNormInput(s, rows), gamma = s.Vector(n), beta = s.Vector(n);
        double[] tolY = new double[x.Length], tolMean = new double[rows], tolRstd = new double[rows];
        for (int r = 0; r < rows && n > 0; r++)
        {
            var (mean, rstd) = Moments(x, r, n);
            double absSum = 0, squares = 0;
            for (int c = 0; c < n; c++)
            {
                absSum += Math.Abs(x[r * n + c]);
                squares += (x[r * n + c] - mean) * (x[r * n + c] - mean);
            }
            double dMean = Bounds.Sum(n + 1, absSum / n);
            double dSquares = Bounds.Sum(n + 3, squares) + n * dMean * dMean;
            double dRstd = rstd * (0.5 * dSquares / n / (squares / n + Epsilon) + 6 * U);
            tolMean[r] = dMean;
            tolRstd[r] = dRstd;
            for (int c = 0; c < n; c++)
            {
                double centred = x[r * n + c] - mean, g = Math.Abs(gamma[c]);
                tolY[r * n + c] = g * (dMean * rstd + Math.Abs(centred) * dRstd) + Bounds.Sum(4, Math.Abs(centred * rstd * g) + Math.Abs(beta[c]));
            }
        }
        var problem = new Problem();
        int hx = problem.Add("x", x), hg = problem.Add("gamma", gamma), hb = problem.Add("beta", beta);
        int hy = problem.Add("y", s.Vector(x.Length), KernelCases.ToTolerance(tolY));
        int hm = problem.Add("mean", s.Vector(rows), KernelCases.ToTolerance(tolMean));
        int hr = problem.Add("rstd", s.Vector(rows), KernelCases.ToTolerance(tolRstd));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<LayerNormFn>(isa, LayerNormKernel.Forward, LayerNormKernel.ForwardScalar, LayerNormKernel.ForwardAvx2,
                LayerNormKernel.ForwardAvx512)(m.Span(hx), m.Span(hg), m.Span(hb), Epsilon, m.Span(hy), m.Span(hm), m.Span(hr));
            return 0f;
        };
        problem.Gpu = d =>
        {
            LayerNormGpu.Forward(d.Device, d.View(hx), d.View(hg), d.View(hb), Epsilon, d.View(hy), d.View(hm), d.View(hr));
            return 0f;
        };
        return problem;
    }

    /// <summary>
    /// Σx² is an n-term sum in every variant (within its bound of the exact sum); the square root halves its relative
    /// error and adds a rounding, the division one more. An all-zero row (the Zeros inputs) has divisor ε and output 0.
    /// </summary>
    private static Problem L2NormalizeForward(Shape s)
    {
        int n = s.Length, rows = RowsOf(s);
        float[] x = s.Vector(rows * n);
        double[] tolY = new double[x.Length], tolNorm = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double squares = 0;
            for (int c = 0; c < n; c++) squares += (double)x[r * n + c] * x[r * n + c];
            if (squares == 0) continue;
            double relative = 0.5 * Bounds.Sum(n + 1, squares) / squares + 2 * U;
            tolNorm[r] = Math.Sqrt(squares) * relative;
            for (int c = 0; c < n; c++) tolY[r * n + c] = Math.Abs(x[r * n + c]) / Math.Sqrt(squares) * (relative + 2 * U);
        }
        var problem = new Problem();
        int hx = problem.Add("x", x);
        int hy = problem.Add("y", s.Vector(x.Length), KernelCases.ToTolerance(tolY));
        int hn = problem.Add("norms", s.Vector(rows), KernelCases.ToTolerance(tolNorm));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<L2NormalizeFn>(isa, L2NormalizeKernel.Forward, L2NormalizeKernel.ForwardScalar, L2NormalizeKernel.ForwardAvx2,
                L2NormalizeKernel.ForwardAvx512)(m.Span(hx), L2NormalizeKernel.DefaultEpsilon, m.Span(hy), m.Span(hn));
            return 0f;
        };
        problem.Gpu = d =>
        {
            L2NormalizeGpu.Forward(d.Device, d.View(hx), L2NormalizeKernel.DefaultEpsilon, d.View(hy), d.View(hn));
            return 0f;
        };
        return problem;
    }

    /// <summary>
    /// y, r and dy are inputs, so only y·dy (an n-term sum) and the two roundings of dy − y·dot and the division differ.
    /// Unit rows from random x, with row 0's divisor at the floor (then dx = dy / ε, and no dot is taken).
    /// </summary>
    private static Problem L2NormalizeBackward(Shape s)
    {
        int n = s.Length, rows = RowsOf(s);
        float[] y = s.Vector(rows * n), dy = s.Vector(rows * n), norms = new float[rows];
        const float Floor = L2NormalizeKernel.DefaultEpsilon;
        var tol = new double[y.Length];
        for (int r = 0; r < rows; r++)
        {
            double squares = 0;
            for (int c = 0; c < n; c++) squares += (double)y[r * n + c] * y[r * n + c];
            norms[r] = r == 0 || squares == 0 ? Floor : (float)(1 + s.Rng.NextDouble());
            for (int c = 0; c < n && squares > 0; c++) y[r * n + c] = (float)(y[r * n + c] / Math.Sqrt(squares));
            double dot = 0, absDot = 0;
            if (norms[r] > Floor)
                for (int c = 0; c < n; c++)
                {
                    dot += (double)y[r * n + c] * dy[r * n + c];
                    absDot += Math.Abs((double)y[r * n + c] * dy[r * n + c]);
                }
            for (int c = 0; c < n; c++)
            {
                double yc = Math.Abs(y[r * n + c]), dyc = Math.Abs(dy[r * n + c]);
                tol[r * n + c] = (yc * Bounds.Sum(n, absDot) + 3 * U * (dyc + yc * Math.Abs(dot))) / norms[r];
            }
        }
        var problem = new Problem();
        int hy = problem.Add("y", y), hn = problem.Add("norms", norms), hd = problem.Add("dy", dy);
        int hx = problem.Add("dx", s.Vector(y.Length), KernelCases.ToTolerance(tol));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<L2NormalizeBackwardFn>(isa, L2NormalizeKernel.Backward, L2NormalizeKernel.BackwardScalar,
                L2NormalizeKernel.BackwardAvx2, L2NormalizeKernel.BackwardAvx512)(m.Span(hy), m.Span(hn), Floor, m.Span(hd), m.Span(hx));
            return 0f;
        };
        problem.Gpu = d =>
        {
            L2NormalizeGpu.Backward(d.Device, d.View(hy), d.View(hn), Floor, d.View(hd), d.View(hx));
            return 0f;
        };
        return problem;
    }

    /// <summary>
    /// x̂ and g = dy·γ are the same products in every variant; the two row sums Σg and Σg·x̂ differ by their n-term
    /// bounds, and dx follows them through rstd. dγ and dβ accumulate one term per row onto their starting values.
    /// </summary>
    private static Problem LayerNormBackward(Shape s)
    {
        int n = s.Length, rows = RowsOf(s);
        float[] x = LayerNormInput(s, rows), gamma = s.Vector(n), dy = s.Vector(x.Length);
        float[] mean = new float[rows], rstd = new float[rows], dGamma = s.Vector(n), dBeta = s.Vector(n);
        double[] tolDx = new double[x.Length], absDGamma = Array.ConvertAll(dGamma, v => (double)Math.Abs(v));
        double[] absDBeta = Array.ConvertAll(dBeta, v => (double)Math.Abs(v));
        for (int r = 0; r < rows && n > 0; r++)
        {
            var (mu, rs) = Moments(x, r, n);
            mean[r] = (float)mu;
            rstd[r] = (float)rs;
            double absG = 0, absGx = 0, sumG = 0, sumGx = 0;
            for (int c = 0; c < n; c++)
            {
                double xHat = (x[r * n + c] - mean[r]) * rstd[r], g = dy[r * n + c] * gamma[c];
                absG += Math.Abs(g);
                absGx += Math.Abs(g * xHat);
                sumG += g;
                sumGx += g * xHat;
                absDGamma[c] += Math.Abs(dy[r * n + c] * xHat);
                absDBeta[c] += Math.Abs(dy[r * n + c]);
            }
            for (int c = 0; c < n; c++)
            {
                double xHat = (x[r * n + c] - mean[r]) * rstd[r], g = dy[r * n + c] * gamma[c];
                tolDx[r * n + c] = rstd[r] * (Bounds.Sum(n + 2, absG) / n + Math.Abs(xHat) * Bounds.Sum(n + 4, absGx) / n
                    + Bounds.Sum(6, Math.Abs(g) + Math.Abs(sumG / n) + Math.Abs(xHat * sumGx / n)));
            }
        }
        double[] tolDGamma = Array.ConvertAll(absDGamma, a => Bounds.Sum(rows + 4, a));
        double[] tolDBeta = Array.ConvertAll(absDBeta, a => Bounds.Sum(rows + 1, a));
        var problem = new Problem();
        int hx = problem.Add("x", x), hg = problem.Add("gamma", gamma), hm = problem.Add("mean", mean), hr = problem.Add("rstd", rstd);
        int hdy = problem.Add("dy", dy), hdx = problem.Add("dx", s.Vector(x.Length), KernelCases.ToTolerance(tolDx));
        int hdg = problem.Add("dGamma", dGamma, KernelCases.ToTolerance(tolDGamma));
        int hdb = problem.Add("dBeta", dBeta, KernelCases.ToTolerance(tolDBeta));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<LayerNormBackwardFn>(isa, LayerNormKernel.Backward, LayerNormKernel.BackwardScalar,
                LayerNormKernel.BackwardAvx2, LayerNormKernel.BackwardAvx512)(
                m.Span(hx), m.Span(hg), m.Span(hm), m.Span(hr), m.Span(hdy), m.Span(hdx), m.Span(hdg), m.Span(hdb));
            return 0f;
        };
        problem.Gpu = d =>
        {
            LayerNormGpu.Backward(d.Device, d.View(hx), d.View(hg), d.View(hm), d.View(hr), d.View(hdy), d.View(hdx), d.View(hdg), d.View(hdb));
            return 0f;
        };
        return problem;
    }

    /// <summary>Copies: bit for bit, repeated indices included. A table of zero-width rows has no rows to name.</summary>
    private static Problem EmbeddingGather(Shape s)
    {
        int n = s.Length, tableRows = 1 + s.Rng.Next(10);
        int[] indices = s.Indices(RowsOf(s) == 0 ? 0 : s.Rng.Next(9), tableRows);
        var problem = new Problem();
        int ht = problem.Add("table", s.Vector(tableRows * n)), ho = problem.Add("output", s.Vector(indices.Length * n));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<GatherFn>(isa, EmbeddingKernel.Gather, EmbeddingKernel.GatherScalar, EmbeddingKernel.GatherAvx2,
                EmbeddingKernel.GatherAvx512)(m.Span(ht), n, indices, m.Span(ho));
            return 0f;
        };
        return problem;
    }

    /// <summary>The same additions in index order: bit for bit, with rows named more than once.</summary>
    private static Problem EmbeddingScatterAdd(Shape s)
    {
        int n = s.Length, tableRows = 1 + s.Rng.Next(6);
        int[] indices = s.Indices(RowsOf(s) == 0 ? 0 : s.Rng.Next(12), tableRows);
        var problem = new Problem();
        int hg = problem.Add("grad", s.Vector(indices.Length * n)), ht = problem.Add("tableGrad", s.Vector(tableRows * n));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<ScatterAddFn>(isa, EmbeddingKernel.ScatterAdd, EmbeddingKernel.ScatterAddScalar,
                EmbeddingKernel.ScatterAddAvx2, EmbeddingKernel.ScatterAddAvx512)(m.Span(hg), indices, m.Span(ht), n);
            return 0f;
        };
        return problem;
    }

    /// <summary>
    /// Each row's loss ln Σ − (x_t − max) moves with Σ's relative spread; the mean averages those. The gradient is a
    /// softmax divided by the counted rows, less 1/count at the target. Some rows carry the ignore index.
    /// </summary>
    private static Problem CrossEntropy(Shape s)
    {
        int n = s.Length, rows = RowsOf(s);
        float[] x = Logits(s, rows);
        var targets = new int[rows];
        for (int r = 0; r < rows; r++)
            targets[r] = s.Rng.Next(4) == 0 ? CrossEntropyKernel.DefaultIgnoreIndex : s.Rng.Next(n);
        int counted = targets.Count(t => t != CrossEntropyKernel.DefaultIgnoreIndex);
        var tol = new double[x.Length];
        double lossTol = 0;
        for (int r = 0; r < rows; r++)
        {
            if (targets[r] == CrossEntropyKernel.DefaultIgnoreIndex) continue;
            var (p, max, logSum) = Softmax(x, r, n);
            lossTol += SoftmaxSpread(n) + 4 * U * (Math.Abs(logSum) + Math.Abs(x[r * n + targets[r]] - max));
            for (int c = 0; c < n; c++)
                tol[r * n + c] = (SoftmaxSpread(n) * p[c] + 4 * U * (p[c] + (c == targets[r] ? 1 : 0))) / counted + Floor;
        }
        var problem = new Problem { ResultTolerance = counted == 0 ? 0f : KernelCases.SecondOrder(lossTol / counted) };
        int hx = problem.Add("logits", x), hg = problem.Add("gradient", s.Vector(x.Length), KernelCases.ToTolerance(tol));
        problem.Run = (isa, m) => KernelCases.Pick<CrossEntropyFn>(isa,
            (l, t, g, c, i) => CrossEntropyKernel.Compute(l, t, g, c, i), CrossEntropyKernel.Scalar, CrossEntropyKernel.Avx2,
            CrossEntropyKernel.Avx512)(m.Span(hx), targets, m.Span(hg), n, CrossEntropyKernel.DefaultIgnoreIndex);
        problem.Gpu = d => CrossEntropyOnDevice(d, d.View(hx), targets, d.View(hg), n);
        return problem;
    }

    /// <summary>Copies the targets to the device, runs the GPU cross-entropy and reads back its mean loss.</summary>
    private static float CrossEntropyOnDevice(DeviceArena d, ArrayView<float> logits, int[] targets, ArrayView<float> gradient, int columns)
    {
        // ILGPU's buffers take a length of at least one; the views passed on are the rows' own length.
        using var deviceTargets = d.Device.Allocate<int>(Math.Max(targets.Length, 1), "targets");
        using var rowLosses = d.Device.Allocate<float>(Math.Max(targets.Length, 1), "row losses");
        using var loss = d.Device.Allocate<float>(1, "loss");
        if (targets.Length > 0) deviceTargets.View.SubView(0, targets.Length).CopyFromCPU(targets);
        CrossEntropyGpu.Compute(d.Device, logits, deviceTargets.View.SubView(0, targets.Length), gradient, columns,
            rowLosses.View.SubView(0, targets.Length), loss.View);
        return loss.GetAsArray1D()[0];
    }

    /// <summary>Sums within the n-term bound of each other; the maximum bit for bit (−∞ for an empty span).</summary>
    private static Problem Reduction(Shape s, ReductionKind kind)
    {
        float[] x = s.Vector(s.Length * Rows(s));
        double abs = kind == ReductionKind.Sum ? x.Sum(v => Math.Abs((double)v)) : x.Sum(v => (double)v * v);
        var problem = new Problem { ResultTolerance = kind == ReductionKind.Max ? 0f : (float)Bounds.Sum(x.Length, abs) };
        int hx = problem.Add("x", x);
        ReduceFn fn(Variant isa) => kind switch
        {
            ReductionKind.Sum => KernelCases.Pick<ReduceFn>(isa, ReductionKernel.Sum, ReductionKernel.SumScalar,
                ReductionKernel.SumAvx2, ReductionKernel.SumAvx512),
            ReductionKind.SumOfSquares => KernelCases.Pick<ReduceFn>(isa, ReductionKernel.SumOfSquares,
                ReductionKernel.SumOfSquaresScalar, ReductionKernel.SumOfSquaresAvx2, ReductionKernel.SumOfSquaresAvx512),
            _ => KernelCases.Pick<ReduceFn>(isa, ReductionKernel.Max, ReductionKernel.MaxScalar, ReductionKernel.MaxAvx2,
                ReductionKernel.MaxAvx512),
        };
        problem.Run = (isa, m) => fn(isa)(m.Span(hx));
        // The GPU has sums (Sum, Mean, global-norm clipping), no maximum.
        if (kind != ReductionKind.Max) problem.Gpu = d => ReduceOnDevice(d, d.View(hx), kind == ReductionKind.SumOfSquares);
        return problem;
    }

    /// <summary>Runs the GPU sum (or sum of squares) into a one-float buffer and reads it back.</summary>
    private static float ReduceOnDevice(DeviceArena d, ArrayView<float> x, bool squares)
    {
        using var result = d.Device.Allocate<float>(1, "sum");
        if (squares) ReductionGpu.SumOfSquares(d.Device, x, result.View, slot: 0);
        else ReductionGpu.Sum(d.Device, x, 1f, result.View);
        return result.GetAsArray1D()[0];
    }

    /// <summary>Each column sum adds one term per row to its starting value.</summary>
    private static Problem AddColumnSums(Shape s)
    {
        int n = s.Length, rows = Rows(s);
        float[] x = s.Vector(rows * n), sums = s.Vector(n);
        var tol = new double[n];
        for (int c = 0; c < n; c++)
        {
            double abs = Math.Abs(sums[c]);
            for (int r = 0; r < rows; r++) abs += Math.Abs(x[r * n + c]);
            tol[c] = Bounds.Sum(rows + 1, abs);
        }
        var problem = new Problem();
        int hx = problem.Add("x", x), hs = problem.Add("sums", sums, KernelCases.ToTolerance(tol));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<ColumnSumsFn>(isa, ReductionKernel.AddColumnSums, ReductionKernel.AddColumnSumsScalar,
                ReductionKernel.AddColumnSumsAvx2, ReductionKernel.AddColumnSumsAvx512)(m.Span(hx), m.Span(hs));
            return 0f;
        };
        problem.Gpu = d =>
        {
            BiasGpu.AddColumnSums(d.Device, d.View(hx), d.View(hs));
            return 0f;
        };
        return problem;
    }
}
