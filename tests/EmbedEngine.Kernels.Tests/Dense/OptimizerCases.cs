using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu.Dense;

namespace EmbedEngine.Kernels.Tests;

public static partial class DenseKernelCases
{
    private const float LearningRate = 0.05f, Momentum = 0.9f;

    /// <summary>v = μv + g (FMA or not), the step, then w − lr·step: each a two-term sum, with v's spread carried along.</summary>
    private static Problem Sgd(Shape s, bool nesterov)
    {
        float[] w = s.Vector(s.Length), g = s.Vector(s.Length), v = s.Vector(s.Length);
        double[] tolW = new double[w.Length], tolV = new double[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            double vNew = Momentum * v[i] + g[i], dv = Bounds.Sum(2, Math.Abs(Momentum * v[i]) + Math.Abs(g[i]));
            double step = nesterov ? g[i] + Momentum * vNew : vNew;
            double dStep = nesterov ? Bounds.Sum(2, Math.Abs(g[i]) + Math.Abs(Momentum * vNew)) + Momentum * dv : dv;
            tolV[i] = dv;
            tolW[i] = Bounds.Sum(2, Math.Abs(w[i]) + LearningRate * Math.Abs(step)) + LearningRate * dStep;
        }
        var problem = new Problem();
        int hw = problem.Add("w", w, KernelCases.ToTolerance(tolW)), hg = problem.Add("g", g), hv = problem.Add("v", v, KernelCases.ToTolerance(tolV));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<SgdFn>(isa, SgdKernel.Update, SgdKernel.Scalar, SgdKernel.Avx2, SgdKernel.Avx512)(
                m.Span(hw), m.Span(hg), m.Span(hv), LearningRate, Momentum, nesterov);
            return 0f;
        };
        problem.Gpu = d =>
        {
            SgdGpu.Update(d.Device, d.View(hw), d.View(hg), d.View(hv), LearningRate, Momentum, nesterov);
            return 0f;
        };
        return problem;
    }

    /// <summary>s + g² as a two-term sum; the step lr·g/(√s + ε) moves by half of s's relative spread and four roundings.</summary>
    private static Problem AdaGrad(Shape s)
    {
        const float epsilon = 1e-10f;
        float[] w = s.Vector(s.Length), g = s.Vector(s.Length), sums = Array.ConvertAll(s.Vector(s.Length), Math.Abs);
        double[] tolW = new double[w.Length], tolS = new double[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            double sNew = sums[i] + (double)g[i] * g[i];
            tolS[i] = Bounds.Sum(2, sNew);
            double step = sNew > 0 ? LearningRate * g[i] / (Math.Sqrt(sNew) + epsilon) : 0;
            double dStep = sNew > 0 ? Math.Abs(step) * (tolS[i] / (2 * sNew) + 8 * U) : 0;
            tolW[i] = Bounds.Sum(2, Math.Abs(w[i]) + Math.Abs(step)) + dStep;
        }
        var problem = new Problem();
        int hw = problem.Add("w", w, KernelCases.ToTolerance(tolW)), hg = problem.Add("g", g), hs = problem.Add("s", sums, KernelCases.ToTolerance(tolS));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<AdaGradFn>(isa, AdaGradKernel.Update, AdaGradKernel.Scalar, AdaGradKernel.Avx2, AdaGradKernel.Avx512)(
                m.Span(hw), m.Span(hg), m.Span(hs), LearningRate, epsilon);
            return 0f;
        };
        problem.Gpu = d =>
        {
            AdaGradGpu.Update(d.Device, d.View(hw), d.View(hg), d.View(hs), LearningRate, epsilon);
            return 0f;
        };
        return problem;
    }

    /// <summary>
    /// Adam at a random step t ≤ 10 with weight decay 0 or 0.1. The decoupled decay is one identical product; the
    /// coupled one a two-term sum into g. m and v are short sums; the denominator √v/√c₂ + ε moves by half of v's
    /// relative spread; the step lr/c₁·m/den by m's and den's spreads and its roundings; w by a two-term sum.
    /// </summary>
    private static Problem Adam(Shape s, bool decoupled)
    {
        var settings = new AdamSettings(0.01f, WeightDecay: s.Rng.Next(2) * 0.1f, Decoupled: decoupled);
        int t = 1 + s.Rng.Next(10);
        float[] w = s.Vector(s.Length), g = s.Vector(s.Length), mo = s.Vector(s.Length), vo = Array.ConvertAll(s.Vector(s.Length), Math.Abs);
        double b1 = settings.Beta1, b2 = settings.Beta2, lambda = settings.WeightDecay;
        double stepSize = settings.LearningRate / (1 - Math.Pow(b1, t)), rootC2 = Math.Sqrt(1 - Math.Pow(b2, t));
        double[] tolW = new double[w.Length], tolM = new double[w.Length], tolV = new double[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            double w1 = decoupled ? w[i] * (1 - settings.LearningRate * lambda) : w[i];
            double ge = decoupled ? g[i] : g[i] + lambda * w1, dge = decoupled ? 0 : Bounds.Sum(2, Math.Abs(g[i]) + Math.Abs(lambda * w1));
            double m1 = b1 * mo[i] + (1 - b1) * ge, v1 = b2 * vo[i] + (1 - b2) * ge * ge;
            tolM[i] = Bounds.Sum(3, b1 * Math.Abs(mo[i]) + (1 - b1) * Math.Abs(ge)) + (1 - b1) * dge;
            tolV[i] = Bounds.Sum(4, b2 * vo[i] + (1 - b2) * ge * ge) + (1 - b2) * 2 * Math.Abs(ge) * dge;
            double den = Math.Sqrt(v1) / rootC2 + settings.Epsilon;
            double dDen = (v1 > 0 ? tolV[i] / (2 * Math.Sqrt(v1)) : Math.Sqrt(tolV[i])) / rootC2 + Bounds.Sum(3, den);
            double step = stepSize * m1 / den;
            double dStep = stepSize * (tolM[i] + Math.Abs(m1) * (dDen / den + 4 * U)) / den;
            tolW[i] = Bounds.Sum(2, Math.Abs(w1) + Math.Abs(step)) + dStep;
        }
        var problem = new Problem();
        int hw = problem.Add("w", w, KernelCases.ToTolerance(tolW)), hg = problem.Add("g", g);
        int hm = problem.Add("m", mo, KernelCases.ToTolerance(tolM)), hv = problem.Add("v", vo, KernelCases.ToTolerance(tolV));
        problem.Run = (isa, m) =>
        {
            KernelCases.Pick<AdamFn>(isa, AdamKernel.Update, AdamKernel.Scalar, AdamKernel.Avx2, AdamKernel.Avx512)(
                m.Span(hw), m.Span(hg), m.Span(hm), m.Span(hv), settings, t);
            return 0f;
        };
        problem.Gpu = d =>
        {
            AdamGpu.Update(d.Device, d.View(hw), d.View(hg), d.View(hm), d.View(hv), settings, t);
            return 0f;
        };
        return problem;
    }

    /// <summary>
    /// One to four gradients of up to the shape's length. The limit is half or twice the norm, never near it, so
    /// both variants make the same choice; the scale then moves with the norm's relative spread.
    /// </summary>
    private static unsafe Problem GradientClip(Shape s)
    {
        int count = 1 + s.Rng.Next(4);
        var gradients = new float[count][];
        double squares = 0;
        int total = 0;
        for (int b = 0; b < count; b++)
        {
            gradients[b] = s.Vector(s.Rng.Next(s.Length + 1));
            foreach (float v in gradients[b]) squares += (double)v * v;
            total += gradients[b].Length;
        }
        double norm = Math.Sqrt(squares);
        float maxNorm = norm > 0 ? (float)(norm * (s.Rng.Next(2) == 0 ? 0.5 : 2)) : 1f;
        double dNorm = norm > 0 ? Bounds.Sum(total, squares) / (2 * norm) + 2 * U * norm : 0;
        double scale = maxNorm / (norm + GradientClipKernel.NormGuard);
        var problem = new Problem { ResultTolerance = KernelCases.SecondOrder(dNorm) };
        var handles = new int[count];
        for (int b = 0; b < count; b++)
        {
            double[] tol = scale < 1 ? Array.ConvertAll(gradients[b], v => Math.Abs(v * scale) * (dNorm / norm + 4 * U)) : new double[gradients[b].Length];
            handles[b] = problem.Add($"g{b}", gradients[b], KernelCases.ToTolerance(tol));
        }
        problem.Run = (isa, m) =>
        {
            var buffers = new FloatBuffer[count];
            for (int b = 0; b < count; b++) buffers[b] = new FloatBuffer(m.Pointer(handles[b]), gradients[b].Length);
            return KernelCases.Pick<ClipFn>(isa, GradientClipKernel.ClipByGlobalNorm, GradientClipKernel.Scalar, GradientClipKernel.Avx2,
                GradientClipKernel.Avx512)(buffers, maxNorm);
        };
        return problem;
    }
}
