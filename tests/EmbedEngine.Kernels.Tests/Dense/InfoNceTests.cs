using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="InfoNceKernel"/>: the scalar reference against an exact (double) evaluation, every vector variant
/// against the scalar reference within bounds from the error analysis below, on unit rows at unaligned offsets, with
/// and without hard-negative text rows (M = N + H columns; the analysis below holds with M for the row sums).
/// </summary>
/// <remarks>
/// With unit rows a logit s·I_i·T_j is a d-term dot product: each evaluation is within e = γ(d+1)·s of the exact one.
/// A log-sum-exp is within e + E + γ(N+2) + u|lse| (E the vector exp's relative error, the N-term sum, the log), so
/// an evaluation's softmax weight P is within ρ = 2e + 2E + γ(N+4) + 2u·max|lse| relatively; G_ij = (Pr_ij + Pc_ij)/2N − δ_ij/N
/// is then within ρ(Pr_ij + Pc_ij)/2N + 2u·δ_ij/N. dI_ic = s·Σ_j G_ij T_jc adds the N-term sum: within
/// s·Σ_j (|δG_ij| + γ(N+2)|G_ij|)|T_jc|; dT likewise; dt = Σ G∘L within Σ(|δG||L| + e|G| + γ(N+1)|G L|).
/// Two evaluations (variant and reference) double each bound.
/// </remarks>
public sealed unsafe class InfoNceTests
{
    private const double U = Bounds.U;

    /// <summary>
    /// N = 0 and 1, N below, at and off the 64-row block, d from 1 to 130, two threads, repeated rows, scales up to and
    /// past the cap; hard negatives as many as the pairs (SimCSE), fewer, and odd counts across blocks.
    /// </summary>
    public static readonly InfoNceCase[] Cases =
    [
        new(0, 4, 0f),
        new(1, 8, 2.659f),
        new(5, 3, 0f),
        new(64, 16, 2.659f),
        new(130, 33, 2.659f, Threads: 2),
        new(97, 17, 5.1f),
        new(200, 64, 3.5f, Duplicates: true, Threads: 2),
        new(150, 128, 4.59f),
        new(70, 1, 1f, Threads: 2),
        new(129, 130, 4.6f, Duplicates: true),
        new(1, 8, 2.659f, Negatives: 1),
        new(7, 5, 3.0f, Negatives: 7),
        new(64, 19, 2.996f, Negatives: 64, Threads: 2),
        new(131, 33, 2.996f, Negatives: 45, Duplicates: true, Threads: 2),
        new(70, 128, 4.7f, Negatives: 3),
    ];

    public static TheoryData<int, Isa> Variants()
    {
        var data = new TheoryData<int, Isa>();
        foreach (Isa isa in IsaDispatch.Supported)
            if (isa != Isa.Scalar)
                for (int i = 0; i < Cases.Length; i++) data.Add(i, isa);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_matches_the_scalar_reference(int index, Isa isa)
    {
        InfoNceCase c = Cases[index];
        Exact exact = c.Exact();
        Result reference = c.Run(VariantOf(Isa.Scalar), offset: 0);
        Result fast = c.Run(VariantOf(isa), offset: 1 + index % 3);
        exact.AssertClose(reference, fast, $"{isa} vs Scalar, {c}");
    }

    [Fact]
    public void Scalar_reference_matches_an_exact_evaluation()
    {
        foreach (InfoNceCase c in Cases)
        {
            Exact exact = c.Exact();
            Result reference = c.Run(VariantOf(Isa.Scalar), offset: 2);
            exact.AssertClose(exact.AsResult(), reference, $"Scalar vs exact, {c}");
        }
    }

    [Fact]
    public void Entry_point_runs_the_active_variant_bit_for_bit()
    {
        InfoNceCase c = Cases[4];
        Result a = c.Run(InfoNceKernel.Compute, offset: 1), b = c.Run(VariantOf(IsaDispatch.Active), offset: 1);
        Assert.Equal(a.Loss, b.Loss);
        Assert.Equal(a.LogScaleGrad, b.LogScaleGrad);
        Assert.Equal(a.ImageGrad, b.ImageGrad);
        Assert.Equal(a.TextGrad, b.TextGrad);
    }

    [Fact]
    public void Perfect_alignment_at_the_cap_gives_almost_no_loss_and_a_clamped_scale_no_gradient()
    {
        // Orthonormal pairs, image i = text i: logits 100 on the diagonal, 0 elsewhere.
        const int N = 6, D = 8;
        var rows = new float[N * D];
        for (int i = 0; i < N; i++) rows[i * D + i] = 1f;
        var c = new InfoNceCase(N, D, 5f);
        foreach (Isa isa in IsaDispatch.Supported)
        {
            Result r = c.Run(VariantOf(isa), offset: 0, rows, rows);
            Assert.InRange(r.Loss, 0f, 5 * MathF.Exp(-100f) + 1e-6f);
            Assert.Equal(0f, r.LogScaleGrad);
        }
    }

    [Fact]
    public void Loss_without_gradients_equals_the_loss_with_them()
    {
        InfoNceCase c = Cases[6];
        Result with = c.Run(InfoNceKernel.Compute, offset: 0);
        float without = c.LossOnly();
        Assert.Equal(with.Loss, without);
    }

    [Fact]
    public unsafe void Bad_arguments_are_refused_before_anything_is_written()
    {
        var x = new float[8];
        fixed (float* p = x)
        {
            float* q = p;
            Assert.Throws<ArgumentOutOfRangeException>(() => InfoNceKernel.Compute(q, q, -1, 0, 4, 0f, 100f, null, null, null));
            Assert.Throws<ArgumentOutOfRangeException>(() => InfoNceKernel.Compute(q, q, 2, -1, 4, 0f, 100f, null, null, null));
            Assert.Throws<ArgumentOutOfRangeException>(() => InfoNceKernel.Compute(q, q, 2, 0, 0, 0f, 100f, null, null, null));
            Assert.Throws<ArgumentOutOfRangeException>(() => InfoNceKernel.Compute(q, q, 2, 0, 4, float.NaN, 100f, null, null, null));
            Assert.Throws<ArgumentOutOfRangeException>(() => InfoNceKernel.Compute(q, q, 2, 0, 4, 0f, 0f, null, null, null));
            var e = Assert.Throws<ArgumentException>(() => InfoNceKernel.Compute(q, q, 2, 0, 4, 0f, 100f, q, null, null));
            Assert.Contains("all three gradient pointers", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => InfoNceKernel.Compute(q, q, 0, 2, 4, 0f, 100f, null, null, null));
            Assert.Contains("at least one pair", e.Message, StringComparison.Ordinal);
        }
    }

    private static InfoNceFn VariantOf(Isa isa) => isa switch
    {
        Isa.Avx512 => InfoNceKernel.Avx512,
        Isa.Avx2 => InfoNceKernel.Avx2,
        _ => (i, t, n, h, d, ls, ms, di, dt, dl, _) => InfoNceKernel.Scalar(i, t, n, h, d, ls, ms, di, dt, dl),
    };

    /// <summary>One run's outputs.</summary>
    public sealed record Result(float Loss, float[] ImageGrad, float[] TextGrad, float LogScaleGrad);

    /// <summary>One problem: N random unit image rows of d and N + H text rows (some repeated), the log scale, the thread count.</summary>
    public sealed record InfoNceCase(int N, int D, float LogScale, bool Duplicates = false, int Threads = 1, int Negatives = 0)
    {
        private int M => N + Negatives;

        public override string ToString() =>
            $"N {N} H {Negatives} d {D} t {LogScale}{(Duplicates ? " repeated rows" : "")}, {Threads} threads";

        public (float[] Image, float[] Text) Inputs()
        {
            var rng = new Random(N * 31 + D + 7 * Negatives);
            float[] image = UnitRows(rng, N), text = UnitRows(rng, M);
            if (Duplicates && N > 3)
            {
                // A caption shared by two images, and an image equal to another: ties in rows and columns.
                Array.Copy(text, 0, text, D, D);
                Array.Copy(image, 2 * D, image, 3 * D, D);
            }
            return (image, text);
        }

        private float[] UnitRows(Random rng, int count)
        {
            var rows = new float[count * D];
            for (int i = 0; i < count; i++)
            {
                double norm = 0;
                for (int c = 0; c < D; c++)
                {
                    rows[i * D + c] = (float)(rng.NextDouble() * 2 - 1);
                    norm += rows[i * D + c] * (double)rows[i * D + c];
                }
                for (int c = 0; c < D; c++) rows[i * D + c] = (float)(rows[i * D + c] / Math.Sqrt(norm));
            }
            return rows;
        }

        public Result Run(InfoNceFn fn, int offset) => Run(fn, offset, Inputs().Image, Inputs().Text);

        /// <summary>Runs with the inputs and outputs <paramref name="offset"/> floats into their buffers; outputs start as NaN.</summary>
        public unsafe Result Run(InfoNceFn fn, int offset, float[] image, float[] text)
        {
            int imageSize = N * D, textSize = M * D;
            float[] i = Place(image, offset), t = Place(text, offset);
            var di = new float[imageSize + offset + 1];
            var dt = new float[textSize + offset + 1];
            Array.Fill(di, float.NaN);
            Array.Fill(dt, float.NaN);
            float dl = float.NaN, loss;
            fixed (float* pi = i, pt = t, pdi = di, pdt = dt)
                loss = fn(pi + offset, pt + offset, N, Negatives, D, LogScale, InfoNceKernel.ClipMaxScale, pdi + offset, pdt + offset, &dl, Threads);
            return new Result(loss, di[offset..(offset + imageSize)], dt[offset..(offset + textSize)], dl);
        }

        public unsafe float LossOnly()
        {
            (float[] image, float[] text) = Inputs();
            fixed (float* pi = Place(image, 0), pt = Place(text, 0))
                return InfoNceKernel.Compute(pi, pt, N, Negatives, D, LogScale, InfoNceKernel.ClipMaxScale, null, null, null, Threads);
        }

        private static float[] Place(float[] values, int offset)
        {
            var buffer = new float[values.Length + offset + 1];
            values.CopyTo(buffer, offset);
            return buffer;
        }

        /// <summary>The loss, gradients and error bounds in double from the same float inputs.</summary>
        public Exact Exact()
        {
            (float[] image, float[] text) = Inputs();
            int n = N, m = M, d = D;
            double scale = Math.Min(Math.Exp(LogScale), InfoNceKernel.ClipMaxScale);
            bool clamped = InfoNceKernel.ScaleIsClamped(LogScale, InfoNceKernel.ClipMaxScale);
            var logits = new double[n, m];
            for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += (double)image[i * d + c] * text[j * d + c];
                logits[i, j] = scale * dot;
            }
            var rowLse = new double[n];
            var columnLse = new double[n];
            for (int i = 0; i < n; i++)
            {
                rowLse[i] = LogSumExp(j => logits[i, j], m);
                columnLse[i] = LogSumExp(j => logits[j, i], n);
            }
            double loss = 0, maxLse = 0;
            for (int i = 0; i < n; i++)
            {
                loss += rowLse[i] + columnLse[i] - 2 * logits[i, i];
                maxLse = Math.Max(maxLse, Math.Max(Math.Abs(rowLse[i]), Math.Abs(columnLse[i])));
            }
            loss = n == 0 ? 0 : loss / (2.0 * n);
            double e = Bounds.Gamma(d + 1) * scale;
            double rho = 2 * e + 2 * SimdMath.ExpNonPositiveRelativeError + Bounds.Gamma(m + 4) + 2 * U * maxLse;
            var dI = new double[n * d];
            var dT = new double[m * d];
            var tolI = new double[n * d];
            var tolT = new double[m * d];
            double dl = 0, tolDl = 0, lossTol = 2 * e + 2 * (e + SimdMath.ExpNonPositiveRelativeError + Bounds.Gamma(m + 2) + U * maxLse);
            for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double columnTerm = j < n ? Math.Exp(logits[i, j] - columnLse[j]) : 0;
                double p = (Math.Exp(logits[i, j] - rowLse[i]) + columnTerm) / (2.0 * n);
                double g = p - (i == j ? 1.0 / n : 0);
                double dg = rho * p + (i == j ? 2 * U / n : 0);
                dl += g * logits[i, j];
                tolDl += dg * Math.Abs(logits[i, j]) + e * Math.Abs(g) + Bounds.Gamma(m + 1) * Math.Abs(g * logits[i, j]);
                for (int c = 0; c < d; c++)
                {
                    dI[i * d + c] += scale * g * text[j * d + c];
                    dT[j * d + c] += scale * g * image[i * d + c];
                    double weight = dg + Bounds.Gamma(m + 2) * Math.Abs(g);
                    tolI[i * d + c] += scale * weight * Math.Abs(text[j * d + c]);
                    tolT[j * d + c] += scale * weight * Math.Abs(image[i * d + c]);
                }
            }
            return new Exact(loss, dI, dT, clamped ? 0 : dl, 2 * lossTol, tolI, tolT, clamped ? 0 : 2 * tolDl);
        }

        private static double LogSumExp(Func<int, double> x, int n)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < n; k++) max = Math.Max(max, x(k));
            double sum = 0;
            for (int k = 0; k < n; k++) sum += Math.Exp(x(k) - max);
            return max + Math.Log(sum);
        }
    }

    /// <summary>The exact outputs and the bounds one float evaluation keeps to.</summary>
    public sealed record Exact(double Loss, double[] ImageGrad, double[] TextGrad, double LogScaleGrad,
        double LossTolerance, double[] ImageTolerance, double[] TextTolerance, double LogScaleTolerance)
    {
        private const double Floor = 1e-30;

        public Result AsResult() => new((float)Loss, Array.ConvertAll(ImageGrad, v => (float)v), Array.ConvertAll(TextGrad, v => (float)v),
            (float)LogScaleGrad);

        /// <summary>Asserts that <paramref name="b"/> is within twice the bounds of <paramref name="a"/> (two evaluations).</summary>
        public void AssertClose(Result a, Result b, string where)
        {
            Within(a.Loss, b.Loss, 2 * LossTolerance + 2 * U * Math.Abs(Loss), $"{where}: loss");
            Within(a.LogScaleGrad, b.LogScaleGrad, 2 * LogScaleTolerance + 2 * U * Math.Abs(LogScaleGrad) + Floor, $"{where}: dt");
            for (int k = 0; k < ImageGrad.Length; k++)
                Within(a.ImageGrad[k], b.ImageGrad[k], 2 * ImageTolerance[k] + 2 * U * Math.Abs(ImageGrad[k]) + Floor, $"{where}: dI[{k}]");
            for (int k = 0; k < TextGrad.Length; k++)
                Within(a.TextGrad[k], b.TextGrad[k], 2 * TextTolerance[k] + 2 * U * Math.Abs(TextGrad[k]) + Floor, $"{where}: dT[{k}]");
        }

        private static void Within(float a, float b, double tolerance, string what)
        {
            Assert.False(float.IsNaN(b), $"{what} is NaN (not written?)");
            Assert.True(Math.Abs((double)a - b) <= tolerance, $"{what}: {a} vs {b}, tolerance {tolerance:G3}");
        }
    }
}
