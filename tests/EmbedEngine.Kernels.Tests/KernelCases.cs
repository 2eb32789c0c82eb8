using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using ILGPU;

namespace EmbedEngine.Kernels.Tests;

/// <summary>A kernel as the harness sees it: a name and how to build one problem for a shape.</summary>
/// <param name="Name">Shown in failures and test names.</param>
/// <param name="Build">Draws inputs, tolerances and the call for one shape.</param>
public sealed record KernelCase(string Name, Func<Shape, Problem> Build)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// Every kernel's case: adding a kernel to the harness is one entry here. Each case draws its inputs, names the
/// entry point and its variants, and derives its tolerances from the operation's error analysis (<see cref="Bounds"/>).
/// </summary>
public static unsafe class KernelCases
{
    internal const float LearningRate = 0.05f;

    /// <summary>Every case.</summary>
    public static readonly KernelCase[] All =
    [
        new("Dot", Dot),
        new("Axpy", Axpy),
        new("Scale", Scale),
        new("LogisticUpdate.Table", s => LogisticUpdate(s, SigmoidMode.Table)),
        new("LogisticUpdate.SkipSaturated", s => LogisticUpdate(s, SigmoidMode.SkipSaturated)),
        new("LogisticUpdate.Exact", s => LogisticUpdate(s, SigmoidMode.Exact)),
        new("SoftmaxUpdate", SoftmaxUpdate),
        new("Cbow.Average", CbowAverage),
        new("Cbow.Scatter", CbowScatter),
        new("BatchedSgns.Table", s => BatchedSgns(s, SigmoidMode.Table)),
        new("BatchedSgns.SkipSaturated", s => BatchedSgns(s, SigmoidMode.SkipSaturated)),
        new("BatchedSgns.Exact", s => BatchedSgns(s, SigmoidMode.Exact)),
        new("TopKCosine.Scores", TopKScores),
        new("CbowWindow.Table", s => CbowWindowCase.Build(s, SigmoidMode.Table)),
        new("CbowWindow.SkipSaturated", s => CbowWindowCase.Build(s, SigmoidMode.SkipSaturated)),
        new("CbowWindow.Exact", s => CbowWindowCase.Build(s, SigmoidMode.Exact)),
        new("GloveUpdate", GloveUpdate),
        new("SparseDenseProduct", SparseDenseProduct),
        new("SparseRowNorms", SparseRowNorms),
        new("NearestCentroid", NearestCentroid),
        .. DenseKernelCases.All,
    ];

    /// <summary>The case called <paramref name="name"/>.</summary>
    public static KernelCase Find(string name) =>
        Array.Find(All, c => c.Name == name) ?? throw new ArgumentException($"No kernel case '{name}'.", nameof(name));

    /// <summary>The cases of kernel family <paramref name="kernel"/>: the one called so, and those called <c>kernel.Mode</c>.</summary>
    /// <exception cref="ArgumentException">The harness has no case for it.</exception>
    public static IReadOnlyList<KernelCase> Of(string kernel)
    {
        KernelCase[] cases = Array.FindAll(All, c => c.Name == kernel || c.Name.StartsWith(kernel + ".", StringComparison.Ordinal));
        return cases.Length > 0 ? cases : throw new ArgumentException($"The harness has no case for kernel '{kernel}'.", nameof(kernel));
    }

    /// <summary>The function <paramref name="variant"/> names: the experimental one, a shipped one, or (no instruction set) the public entry point.</summary>
    public static T Pick<T>(Variant variant, T entry, T scalar, T avx2, T avx512) where T : Delegate => variant.Experimental?.As<T>() ?? variant.Isa switch
    {
        null => entry,
        Isa.Scalar => scalar,
        Isa.Avx2 => avx2,
        Isa.Avx512 => avx512,
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "No such variant."),
    };

    private static Problem Dot(Shape s)
    {
        float[] x = s.Vector(s.Length), y = s.Vector(s.Length);
        double abs = 0;
        for (int i = 0; i < x.Length; i++) abs += Math.Abs((double)x[i] * y[i]);
        var p = new Problem { ResultTolerance = (float)Bounds.Sum(s.Length, abs) };
        int hx = p.Add("x", x), hy = p.Add("y", y);
        p.Run = (isa, m) => Pick<DotFn>(isa, DotKernel.Dot, DotKernel.Scalar, DotKernel.Avx2, DotKernel.Avx512)(m.Span(hx), m.Span(hy));
        return p;
    }

    private static Problem Axpy(Shape s)
    {
        float a = s.Value();
        float[] x = s.Vector(s.Length), y = s.Vector(s.Length);
        var tol = new float[y.Length];
        for (int i = 0; i < y.Length; i++) tol[i] = (float)Bounds.Sum(2, Math.Abs(a * x[i]) + Math.Abs(y[i]));
        var p = new Problem();
        int hx = p.Add("x", x), hy = p.Add("y", y, tol);
        p.Run = (isa, m) =>
        {
            Pick<AxpyFn>(isa, AxpyKernel.Axpy, AxpyKernel.Scalar, AxpyKernel.Avx2, AxpyKernel.Avx512)(a, m.Span(hx), m.Span(hy));
            return 0f;
        };
        p.Gpu = d =>
        {
            AxpyGpu.Axpy(d.Device, a, d.View(hx), d.View(hy));
            return 0f;
        };
        return p;
    }

    private static Problem Scale(Shape s)
    {
        float a = s.Value();
        float[] x = s.Vector(s.Length);
        var tol = new float[x.Length];
        for (int i = 0; i < x.Length; i++) tol[i] = (float)Bounds.Sum(1, Math.Abs(a * x[i]));
        var p = new Problem();
        int hx = p.Add("x", x, tol);
        p.Run = (isa, m) =>
        {
            Pick<ScaleFn>(isa, ScaleKernel.Scale, ScaleKernel.Scalar, ScaleKernel.Avx2, ScaleKernel.Avx512)(a, m.Span(hx));
            return 0f;
        };
        return p;
    }

    /// <summary>
    /// A few targets and a hidden vector, sometimes all distinct and sometimes with repeats (a row listed twice must
    /// see its first update). Tolerances follow the reference step by step (<see cref="LogisticReplay"/>).
    /// </summary>
    private static Problem LogisticUpdate(Shape s, SigmoidMode mode)
    {
        int dim = s.Length, rows = 1 + s.Rng.Next(8), stride = s.Stride(), count = 1 + s.Rng.Next(8);
        float[] hidden = s.Vector(dim), grad = s.Vector(dim), w = s.Matrix(rows, stride);
        // Distinct targets (hierarchical softmax's path, most negative draws) and repeated ones take different paths.
        int[] targets = s.Rng.Next(2) == 0 ? s.DistinctIndices(count, rows) : s.Indices(count, rows);
        count = targets.Length;
        var labels = new float[count];
        for (int j = 0; j < count; j++) labels[j] = s.Rng.Next(2);
        if (s.Values == Values.Large) PlaceScoresAtSaturation(s, hidden, w, stride, targets);

        var replay = new LogisticReplay(w);
        var tolG = new double[dim];
        replay.Step(Array.ConvertAll(hidden, v => (double)v), new double[dim], stride, targets, labels, mode, LearningRate,
            Array.ConvertAll(grad, v => (double)v), tolG);
        var p = new Problem { ResultTolerance = replay.ResultTolerance };
        int hh = p.Add("hidden", hidden), hw = p.Add("W", w, ToTolerance(replay.RowTolerance)), hg = p.Add("grad", grad, ToTolerance(tolG));
        p.Run = (isa, m) => Pick<LogisticFn>(isa, LogisticUpdateKernel.Update, LogisticUpdateKernel.Scalar,
            LogisticUpdateKernel.Avx2, LogisticUpdateKernel.Avx512)(
            m.Span(hh), new OutputRows(m.Pointer(hw), stride), targets, labels, LearningRate, m.Span(hg), mode);
        return p;
    }

    /// <summary>
    /// Scales the first targets' rows so their scores sit on and around ±6, where the table saturates, or well
    /// beyond, where skipping certainly drops the update whatever the rounding.
    /// </summary>
    internal static void PlaceScoresAtSaturation(Shape s, ReadOnlySpan<float> hidden, float[] w, int stride, ReadOnlySpan<int> targets)
    {
        ReadOnlySpan<float> scores = [5.99f, 6f, 6.01f, -5.99f, -6f, -6.01f, 9f, -9f, 20f, -20f];
        double norm = 0;
        foreach (float h in hidden) norm += h * h;
        if (norm == 0) return;
        for (int j = 0; j < Math.Min(targets.Length, 3); j++)
        {
            float score = scores[s.Rng.Next(scores.Length)];
            for (int c = 0; c < hidden.Length; c++) w[targets[j] * stride + c] = (float)(hidden[c] * score / norm);
        }
    }

    /// <summary>
    /// Tolerances: each score is a dim-term dot (±df_i). Probabilities then move by at most a factor e^(±2·max df)
    /// (softmax is shift-invariant, so only score differences matter) plus the rounding of the exps and their
    /// sum; α follows p, and W and grad follow α as in the logistic case. No update reads a row another changed.
    /// </summary>
    private static Problem SoftmaxUpdate(Shape s)
    {
        int dim = s.Length, rows = 1 + s.Rng.Next(80), stride = s.Stride(), target = s.Rng.Next(rows);
        float[] hidden = s.Vector(dim), grad = s.Vector(dim), w = s.Matrix(rows, stride);
        var scores = new float[rows];
        double maxDf = 0;
        for (int i = 0; i < rows; i++)
        {
            double f = 0, abs = 0;
            for (int c = 0; c < dim; c++)
            {
                f += hidden[c] * w[i * stride + c];
                abs += Math.Abs(hidden[c] * w[i * stride + c]);
            }
            scores[i] = (float)f;
            maxDf = Math.Max(maxDf, Bounds.Sum(dim, abs));
        }
        SoftmaxUpdateKernel.Normalize(scores);
        double spread = Math.Exp(2 * maxDf) - 1 + Bounds.Sum(rows + 4, 1);
        double[] tolW = new double[w.Length], tolG = new double[dim];
        for (int i = 0; i < rows; i++)
        {
            double p = scores[i], alpha = ((i == target ? 1 : 0) - p) * LearningRate;
            double dAlpha = LearningRate * Math.Min(1, p * spread + Bounds.U) + 2 * Bounds.U * Math.Abs(alpha);
            for (int c = 0; c < dim; c++)
            {
                double row = w[i * stride + c];
                tolG[c] += dAlpha * Math.Abs(row) + Bounds.Sum(2, Math.Abs(grad[c]) + Math.Abs(alpha * row)) + Bounds.Sum(rows, Math.Abs(alpha * row));
                tolW[i * stride + c] += dAlpha * Math.Abs(hidden[c]) + Bounds.Sum(2, Math.Abs(row) + Math.Abs(alpha * hidden[c]));
            }
        }
        double lossTolerance = Math.Min(2 * maxDf + Bounds.Sum(rows + 4, 1), -Math.Log(SoftmaxUpdateKernel.MinimumProbability));
        var p0 = new Problem { ResultTolerance = SecondOrder(lossTolerance + 4 * Bounds.U) };
        int hh = p0.Add("hidden", hidden), hw = p0.Add("W", w, ToTolerance(tolW)), hg = p0.Add("grad", grad, ToTolerance(tolG));
        int hp = p0.Add("probabilities", new float[rows], Array.ConvertAll(scores, p => SecondOrder(Math.Min(1, p * spread + Bounds.U))));
        p0.Run = (isa, m) => Pick<SoftmaxFn>(isa, SoftmaxUpdateKernel.Update, SoftmaxUpdateKernel.Scalar,
            SoftmaxUpdateKernel.Avx2, SoftmaxUpdateKernel.Avx512)(
            m.Span(hh), m.Pointer(hw), stride, target, LearningRate, m.Span(hg), m.Span(hp));
        return p0;
    }

    private static Problem CbowAverage(Shape s)
    {
        int rows = 1 + s.Rng.Next(10), stride = s.Stride(), count = 1 + s.Rng.Next(10);
        float[] input = s.Matrix(rows, stride), average = s.Vector(s.Length);
        int[] context = s.Indices(count, rows);
        var tol = new float[s.Length];
        for (int c = 0; c < s.Length; c++)
        {
            double abs = 0;
            foreach (int r in context) abs += Math.Abs(input[r * stride + c]);
            tol[c] = (float)Bounds.Sum(count + 1, abs / count);
        }
        var p = new Problem();
        int hi = p.Add("input", input), ha = p.Add("average", average, tol);
        p.Run = (isa, m) =>
        {
            Pick<AverageFn>(isa, CbowKernel.Average, CbowKernel.AverageScalar, CbowKernel.AverageAvx2, CbowKernel.AverageAvx512)(
                m.Pointer(hi), stride, context, m.Span(ha));
            return 0f;
        };
        return p;
    }

    private static Problem CbowScatter(Shape s)
    {
        int rows = 1 + s.Rng.Next(10), stride = s.Stride(), count = s.Rng.Next(11);
        float[] input = s.Matrix(rows, stride), grad = s.Vector(s.Length);
        int[] context = s.Indices(count, rows);
        var tol = new double[input.Length];
        foreach (int r in context)
            for (int c = 0; c < s.Length; c++)
                tol[r * stride + c] += Bounds.Sum(count + 1, Math.Abs(input[r * stride + c]) + count * Math.Abs(grad[c]));
        var p = new Problem();
        int hi = p.Add("input", input, ToTolerance(tol)), hg = p.Add("grad", grad);
        p.Run = (isa, m) =>
        {
            Pick<ScatterFn>(isa, CbowKernel.Scatter, CbowKernel.ScatterScalar, CbowKernel.ScatterAvx2, CbowKernel.ScatterAvx512)(
                m.Pointer(hi), stride, context, m.Span(hg));
            return 0f;
        };
        return p;
    }

    /// <summary>
    /// A window of context rows against the true word and shared negatives, with repeats on both sides. Every delta
    /// comes from the old values, so tolerances are first-order sums: S's dot bound through σ's spread gives G's,
    /// and each delta is a k- or m-term sum of G times rows. Large values put the first context row's scores with some
    /// outputs at or beyond ±6.
    /// </summary>
    private static Problem BatchedSgns(Shape s, SigmoidMode mode)
    {
        int dim = s.Length, m = 1 + s.Rng.Next(10), k = 1 + s.Rng.Next(8);
        int inRows = 1 + s.Rng.Next(12), outRows = 1 + s.Rng.Next(12), strideC = s.Stride(), strideO = s.Stride();
        float[] input = s.Matrix(inRows, strideC), output = s.Matrix(outRows, strideO);
        int[] ir = s.Indices(m, inRows), or = s.Indices(k, outRows);
        if (s.Values == Values.Large)
            PlaceScoresAtSaturation(s, input.AsSpan(ir[0] * strideC, dim), output, strideO, or);

        var g = new double[m * k];
        var dg = new double[m * k];
        double lossTol = 0, lossAbs = 0;
        for (int i = 0; i < m; i++)
        for (int j = 0; j < k; j++)
        {
            double f = 0, abs = 0;
            for (int d = 0; d < dim; d++)
            {
                double t = (double)input[ir[i] * strideC + d] * output[or[j] * strideO + d];
                f += t;
                abs += Math.Abs(t);
            }
            double df = Bounds.Sum(dim, abs);
            float label = j == 0 ? 1f : 0f;
            g[i * k + j] = Sigmoid.Residual((float)f, label, mode) * LearningRate;
            dg[i * k + j] = LearningRate * Bounds.SigmoidSpread(f, df, mode) + 2 * Bounds.U * Math.Abs(g[i * k + j]);
            lossTol += Bounds.LossSpread(f, df, mode);
            lossAbs += Sigmoid.Loss((float)f, label, mode);
        }
        double[] tolC = new double[input.Length], tolO = new double[output.Length];
        for (int d = 0; d < dim; d++)
        {
            for (int i = 0; i < m; i++)
            {
                double spread = 0, abs = 0;
                for (int j = 0; j < k; j++)
                {
                    double o = Math.Abs(output[or[j] * strideO + d]);
                    spread += dg[i * k + j] * o;
                    abs += Math.Abs(g[i * k + j]) * o;
                }
                double c = Math.Abs(input[ir[i] * strideC + d]);
                tolC[ir[i] * strideC + d] += spread + Bounds.Sum(k, abs) + Bounds.Sum(2, c + abs);
            }
            for (int j = 0; j < k; j++)
            {
                double spread = 0, abs = 0;
                for (int i = 0; i < m; i++)
                {
                    double c = Math.Abs(input[ir[i] * strideC + d]);
                    spread += dg[i * k + j] * c;
                    abs += Math.Abs(g[i * k + j]) * c;
                }
                double o = Math.Abs(output[or[j] * strideO + d]);
                tolO[or[j] * strideO + d] += spread + Bounds.Sum(m, abs) + Bounds.Sum(2, o + abs);
            }
        }
        // The layout of scratch is each variant's own business: only its guards are checked.
        var scratch = new float[BatchedSgnsKernel.ScratchLength(m, k, dim)];
        var anything = new float[scratch.Length];
        Array.Fill(anything, float.PositiveInfinity);

        var p = new Problem { ResultTolerance = SecondOrder(lossTol + Bounds.Sum(m * k, lossAbs)) };
        int hc = p.Add("C", input, ToTolerance(tolC)), ho = p.Add("O", output, ToTolerance(tolO)), hs = p.Add("scratch", scratch, anything);
        p.Run = (isa, mem) => Pick<BatchedSgnsFn>(isa, BatchedSgnsKernel.Update, BatchedSgnsKernel.Scalar,
            BatchedSgnsKernel.Avx2, BatchedSgnsKernel.Avx512)(
            mem.Pointer(hc), strideC, ir, mem.Pointer(ho), strideO, or, dim, LearningRate, mem.Span(hs), mode);
        // One window, so one group: the GPU's atomic adds of a repeated row's deltas may come in another order than
        // the reference's, which the per-occurrence rounding terms above already allow. It needs no scratch.
        p.Gpu = d =>
        {
            ArrayView<float> loss = d.Sum();
            SgnsWindowGpu.Update(d.Device, new DeviceMatrix(d.View(hc), strideC), new DeviceMatrix(d.View(ho), strideO),
                d.Lists(ir), d.Lists(or), dim, LearningRate, mode, loss, GpuTestDevice.ThreadsPerGroup);
            return d.Read(loss);
        };
        return p;
    }

    private static Problem TopKScores(Shape s)
    {
        int rows = s.Rng.Next(14), stride = s.Stride();
        float[] matrix = s.Matrix(rows, stride), query = s.Vector(s.Length);
        // Two extra floats past the rows: a variant must not write scores it was not asked for.
        float[] scores = s.Vector(rows + 2);
        var tol = new float[scores.Length];
        for (int r = 0; r < rows; r++)
        {
            double abs = 0;
            for (int c = 0; c < s.Length; c++) abs += Math.Abs((double)matrix[r * stride + c] * query[c]);
            tol[r] = (float)Bounds.Sum(s.Length, abs);
        }
        var p = new Problem();
        int hm = p.Add("matrix", matrix), hq = p.Add("query", query), hs = p.Add("scores", scores, tol);
        p.Run = (isa, m) =>
        {
            Pick<ScoresFn>(isa, TopKCosineKernel.Scores, TopKCosineKernel.ScoresScalar, TopKCosineKernel.ScoresAvx2,
                TopKCosineKernel.ScoresAvx512)(m.Pointer(hm), stride, rows, m.Span(hq), m.Span(hs));
            return 0f;
        };
        return p;
    }

    /// <summary>
    /// One co-occurrence entry with GloVe's defaults (x_max 100, α 0.75, η = the harness's rate), x drawn below,
    /// at and above x_max, squared-gradient sums in [1, 2) or larger (GloVe starts them at 1). The biases and their
    /// sums share one four-float buffer, so they are fenced by guards too.
    /// Only the dot product is summed in another order, so diff is known to the dot's bound (with the bias and log
    /// terms counted as three more terms); the shared scalar code carries that through η·f(x) to fdiff and the cost,
    /// and each column's update, a few roundings each, adds |c|·Δfdiff/√gw (and so on) on top.
    /// </summary>
    private static Problem GloveUpdate(Shape s)
    {
        const float xMax = 100f, alpha = 0.75f;
        int dim = s.Length;
        float[] w = s.Vector(dim), c = s.Vector(dim), gw = SquaredSums(s, dim), gc = SquaredSums(s, dim);
        float[] bias = [s.Value(), s.Value(), .. SquaredSums(s, 2)];
        float x = s.Rng.Next(3) switch
        {
            0 => (float)(xMax * (0.001 + 0.998 * s.Rng.NextDouble())),
            1 => xMax,
            _ => (float)(xMax * (1.001 + 20 * s.Rng.NextDouble())),
        };
        // Half the cases clip most gradient components, half none.
        float clip = s.Rng.Next(2) == 0 ? 100f : 0.01f;

        double dot = 0, abs = 0;
        for (int d = 0; d < dim; d++)
        {
            dot += (double)w[d] * c[d];
            abs += Math.Abs((double)w[d] * c[d]);
        }
        double log = Math.Log(x), diff = dot + bias[0] + bias[1] - log;
        double dDiff = Bounds.Sum(dim + 3, abs + Math.Abs(bias[0]) + Math.Abs(bias[1]) + Math.Abs(log));
        double weight = x > xMax ? 1 : Math.Pow(x / xMax, alpha);
        double f = weight * diff;
        // The weight is the same float in every variant; each product rounds once more in each.
        double dF = weight * dDiff + 4 * Bounds.U * Math.Abs(f);
        double costTol = 0.5 * (Math.Abs(f) * dDiff + Math.Abs(diff) * dF) + 8 * Bounds.U * Math.Abs(0.5 * f * diff);

        double[] tolW = new double[dim], tolC = new double[dim], tolGw = new double[dim], tolGc = new double[dim];
        for (int d = 0; d < dim; d++)
        {
            // Clipping never moves a value further than the difference of its inputs, so the unclipped error bounds hold.
            double t1 = Math.Clamp(f * c[d], -clip, clip) * LearningRate, t2 = Math.Clamp(f * w[d], -clip, clip) * LearningRate;
            double dT1 = LearningRate * Math.Abs(c[d]) * dF + Bounds.Sum(2, Math.Abs(t1)), dT2 = LearningRate * Math.Abs(w[d]) * dF + Bounds.Sum(2, Math.Abs(t2));
            double rw = Math.Sqrt(gw[d]), rc = Math.Sqrt(gc[d]);
            // Update: a square root, a division and a subtraction; sum: product and add, or FMA.
            tolW[d] = dT1 / rw + Bounds.Sum(3, Math.Abs(w[d]) + Math.Abs(t1 / rw));
            tolC[d] = dT2 / rc + Bounds.Sum(3, Math.Abs(c[d]) + Math.Abs(t2 / rc));
            tolGw[d] = 2 * Math.Abs(t1) * dT1 + Bounds.Sum(3, gw[d] + t1 * t1);
            tolGc[d] = 2 * Math.Abs(t2) * dT2 + Bounds.Sum(3, gc[d] + t2 * t2);
        }
        // The biases step by the unscaled residual, as glove.c does.
        var tolB = new double[4];
        for (int b = 0; b < 2; b++)
        {
            double r = Math.Sqrt(bias[2 + b]);
            tolB[b] = dF / r + Bounds.Sum(3, Math.Abs(bias[b]) + Math.Abs(f / r));
            tolB[2 + b] = 2 * Math.Abs(f) * dF + Bounds.Sum(2, bias[2 + b] + f * f);
        }

        var p = new Problem { ResultTolerance = SecondOrder(costTol) };
        int hw = p.Add("w", w, ToTolerance(tolW)), hc = p.Add("c", c, ToTolerance(tolC));
        int hgw = p.Add("gradSqW", gw, ToTolerance(tolGw)), hgc = p.Add("gradSqC", gc, ToTolerance(tolGc));
        int hb = p.Add("biases", bias, ToTolerance(tolB));
        p.Run = (isa, m) =>
        {
            float* b = m.Pointer(hb);
            return Pick<GloveFn>(isa, GloveUpdateKernel.Update, GloveUpdateKernel.Scalar, GloveUpdateKernel.Avx2,
                GloveUpdateKernel.Avx512)(m.Pointer(hw), m.Pointer(hc), m.Pointer(hgw), m.Pointer(hgc),
                ref b[0], ref b[1], ref b[2], ref b[3], dim, x, xMax, alpha, LearningRate, clip);
        };
        // A batch of one entry: one group, the reference's order but for the dot's sum across threads.
        p.Gpu = d =>
        {
            ArrayView<float> biases = d.View(hb), cost = d.Sum();
            var parameters = new GloveParameters(new DeviceMatrix(d.View(hw), dim), new DeviceMatrix(d.View(hc), dim),
                new DeviceMatrix(d.View(hgw), dim), new DeviceMatrix(d.View(hgc), dim),
                biases.SubView(0, 1), biases.SubView(1, 1), biases.SubView(2, 1), biases.SubView(3, 1));
            GloveGpu.Update(d.Device, parameters, d.Upload(0), d.Upload(0), d.Upload(x),
                new GloveSettings(dim, xMax, alpha, LearningRate, clip), cost, GpuTestDevice.ThreadsPerGroup);
            return d.Read(cost);
        };
        return p;
    }

    /// <summary>AdaGrad sums as GloVe has them: 1 at the start, growing by squared gradients.</summary>
    private static float[] SquaredSums(Shape s, int count)
    {
        var v = s.Vector(count);
        for (int i = 0; i < count; i++) v[i] = 1f + v[i] * v[i];
        return v;
    }

    /// <summary>
    /// A small CSR matrix in the layout the sparse kernels take: up to <paramref name="maxRows"/> rows, each with
    /// 0 to <paramref name="maxRowLength"/> nonzeros (so empty rows and odd lengths both occur) at distinct ascending
    /// columns below <paramref name="columnCount"/>.
    /// </summary>
    private static (long[] RowStarts, int[] Columns, float[] Values) SparseRows(Shape s, int rows, int maxRowLength, int columnCount)
    {
        var rowStarts = new long[rows + 1];
        var columns = new List<int>();
        for (int r = 0; r < rows; r++)
        {
            int[] picked = s.DistinctIndices(s.Rng.Next(maxRowLength + 1), columnCount);
            Array.Sort(picked);
            columns.AddRange(picked);
            rowStarts[r + 1] = columns.Count;
        }
        return (rowStarts, [.. columns], s.Vector(columns.Count));
    }

    /// <summary>
    /// A range of rows of a sparse matrix times a dense one whose width is the shape's length, both dense and output
    /// with padded strides. Each output element is a sum over the row's nonzeros, so its bound is that sum's.
    /// </summary>
    private static Problem SparseDenseProduct(Shape s)
    {
        int width = s.Length, denseRows = 1 + s.Rng.Next(12), rows = 1 + s.Rng.Next(6);
        int denseStride = s.Stride(), outputStride = s.Stride();
        var (rowStarts, columns, values) = SparseRows(s, rows, maxRowLength: 9, denseRows);
        int firstRow = s.Rng.Next(rows), rowCount = s.Rng.Next(rows - firstRow + 1);
        float[] dense = s.Matrix(denseRows, denseStride), output = s.Matrix(rowCount, outputStride);
        var tol = new double[output.Length];
        for (int r = 0; r < rowCount; r++)
        {
            long start = rowStarts[firstRow + r], end = rowStarts[firstRow + r + 1];
            for (int c = 0; c < width; c++)
            {
                double abs = 0;
                for (long j = start; j < end; j++) abs += Math.Abs((double)values[j] * dense[columns[j] * denseStride + c]);
                tol[r * outputStride + c] = Bounds.Sum((int)(end - start), abs);
            }
        }
        var p = new Problem();
        int hd = p.Add("dense", dense), hv = p.Add("values", values), ho = p.Add("output", output, ToTolerance(tol));
        p.Run = (isa, m) =>
        {
            Pick<SparseProductFn>(isa, SparseDenseProductKernel.Multiply, SparseDenseProductKernel.Scalar,
                SparseDenseProductKernel.Avx2, SparseDenseProductKernel.Avx512)(
                rowStarts, columns, m.Span(hv), firstRow, rowCount, m.Pointer(hd), denseStride, width, m.Pointer(ho), outputStride);
            return 0f;
        };
        return p;
    }

    /// <summary>
    /// Row norms of a sparse matrix whose rows hold 0 to the shape's length nonzeros. A sum of n squares is known to
    /// the n-term bound; the square root halves that relative error and rounds once more.
    /// </summary>
    private static Problem SparseRowNorms(Shape s)
    {
        int rows = 1 + s.Rng.Next(8);
        var (rowStarts, _, values) = SparseRows(s, rows, maxRowLength: s.Length, columnCount: Math.Max(s.Length, 1));
        // Two extra floats past the rows: a variant must not write norms of rows it does not have.
        float[] norms = s.Vector(rows + 2);
        var tol = new double[norms.Length];
        for (int r = 0; r < rows; r++)
        {
            double squares = 0;
            for (long j = rowStarts[r]; j < rowStarts[r + 1]; j++) squares += (double)values[j] * values[j];
            int n = (int)(rowStarts[r + 1] - rowStarts[r]);
            tol[r] = squares > 0 ? Bounds.Sum(n, squares) / (2 * Math.Sqrt(squares)) + 2 * Bounds.U * Math.Sqrt(squares) : 0;
        }
        var p = new Problem();
        int hv = p.Add("values", values), hn = p.Add("norms", norms, ToTolerance(tol));
        p.Run = (isa, m) =>
        {
            Pick<SparseNormsFn>(isa, SparseRowNormsKernel.Norms, SparseRowNormsKernel.Scalar, SparseRowNormsKernel.Avx2,
                SparseRowNormsKernel.Avx512)(rowStarts, m.Span(hv), m.Span(hn)[..rows]);
            return 0f;
        };
        return p;
    }

    /// <summary>
    /// The shape's length is the number of centroids, each of 1 to 5 coordinates (2, product quantization's default,
    /// most often). The point sits on one centroid that is repeated at a random index and at the last one (so in
    /// another lane, another step and the masked tail), and zero values make every centroid tie: the answer must be
    /// the lowest index of the tie in every variant, bit for bit, and no buffer may change.
    /// </summary>
    private static Problem NearestCentroid(Shape s)
    {
        int count = s.Length, dimension = s.Rng.Next(3) == 0 ? 1 + s.Rng.Next(5) : 2;
        float[] centroids = s.Vector(count * dimension), point = s.Vector(dimension);
        if (count > 0)
        {
            int chosen = s.Rng.Next(count);
            foreach (int copy in new[] { s.Rng.Next(count), count - 1 })
                for (int d = 0; d < dimension; d++) centroids[d * count + copy] = centroids[d * count + chosen];
            for (int d = 0; d < dimension; d++) point[d] = centroids[d * count + chosen];
        }
        var p = new Problem();
        int hp = p.Add("point", point), hc = p.Add("centroids", centroids);
        p.Run = (isa, m) => Pick<NearestCentroidFn>(isa, NearestCentroidKernel.Nearest, NearestCentroidKernel.Scalar,
            NearestCentroidKernel.Avx2, NearestCentroidKernel.Avx512)(m.Span(hp), m.Span(hc), count);
        return p;
    }

    /// <summary>The bounds above are first order; doubling covers the products of small errors they leave out.</summary>
    internal static float SecondOrder(double bound) => (float)(2 * bound);

    internal static float[] ToTolerance(double[] bounds) => Array.ConvertAll(bounds, SecondOrder);
}
