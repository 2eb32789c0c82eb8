using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

public static partial class InfoNceGpu
{
    private static readonly KernelCache<Action<KernelConfig, InfoNceArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>>
        LogSumExpLauncher = new(a => a.LoadStreamKernel<InfoNceArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(LogSumExpKernel));

    private static readonly KernelCache<Action<KernelConfig, InfoNceArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, int>> GradientLauncher =
        new(a => a.LoadStreamKernel<InfoNceArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(GradientKernel));

    private static readonly KernelCache<Action<KernelConfig, InfoNceArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>>
        TotalLauncher = new(a => a.LoadStreamKernel<InfoNceArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(TotalKernel));

    /// <summary>
    /// Group g: the log-sum-exp of logit row g over the M texts (<paramref name="columns"/> = 0, which also keeps the
    /// diagonal L_gg for the loss) or of column g over the N images (1). Each thread keeps a running maximum and sum
    /// over its share of the logits; the group merges them as Σ_t sum_t·e^(max_t − max).
    /// </summary>
    private static void LogSumExpKernel(InfoNceArguments a, ArrayView<float> image, ArrayView<float> text, ArrayView<float> scratch, int columns)
    {
        var reduce = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        int g = Grid.IdxX, across = columns != 0 ? a.Count : a.Texts;
        float maximum = float.NegativeInfinity, sum = 0f;
        for (int t = Group.IdxX; t < across; t += Group.DimX)
        {
            float logit = columns != 0 ? a.Logit(image, t, text, g) : a.Logit(image, g, text, t);
            if (columns == 0 && t == g) scratch[Scratch.Diagonal * a.Count + g] = logit;
            if (logit > maximum)
            {
                sum = (maximum == float.NegativeInfinity ? 0f : sum * MathF.Exp(maximum - logit)) + 1f;
                maximum = logit;
            }
            else sum += MathF.Exp(logit - maximum);
        }
        float groupMaximum = GroupReduce.Max(reduce, maximum);
        float groupSum = GroupReduce.Sum(reduce, maximum == float.NegativeInfinity ? 0f : sum * MathF.Exp(maximum - groupMaximum));
        if (Group.IdxX == 0)
            scratch[(columns != 0 ? Scratch.ColumnLogSumExp : Scratch.RowLogSumExp) * a.Count + g] = groupMaximum + MathF.Log(groupSum);
    }

    /// <summary>
    /// Group g: gradient row g of the images (<paramref name="textSide"/> = 0: dI_g = s·Σ_j G_gj T_j over the M texts,
    /// with the row's Σ_j G_gj L_gj kept for dt) or of the texts (1: dT_g = s·Σ_i G_ig I_i over the N images). A
    /// group-width of G's terms at a time goes to shared memory; each thread then adds their products into its own
    /// columns of the gradient row.
    /// </summary>
    private static void GradientKernel(InfoNceArguments a, ArrayView<float> image, ArrayView<float> text, ArrayView<float> scratch,
        ArrayView<float> gradient, int textSide)
    {
        var terms = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        int g = Grid.IdxX, d = a.Dimension, across = textSide != 0 ? a.Count : a.Texts;
        ArrayView<float> row = gradient.SubView((long)g * d, d), others = textSide != 0 ? image : text;
        for (int c = Group.IdxX; c < d; c += Group.DimX) row[c] = 0f;
        float logitGradient = 0f;
        for (int t0 = 0; t0 < across; t0 += Group.DimX)
        {
            int t = t0 + Group.IdxX, chunk = Math.Min(Group.DimX, across - t0);
            float term = 0f;
            if (t < across)
            {
                int i = textSide != 0 ? t : g, j = textSide != 0 ? g : t;
                float logit = a.Logit(image, i, text, j);
                term = a.Gradient(scratch, i, j, logit);
                if (textSide == 0) logitGradient += term * logit;
            }
            terms[Group.IdxX] = term;
            Group.Barrier();
            for (int c = Group.IdxX; c < d; c += Group.DimX)
            {
                float added = 0f;
                for (int u = 0; u < chunk; u++) added += terms[u] * others[(long)(t0 + u) * d + c];
                row[c] += a.Scale * added;
            }
            Group.Barrier();
        }
        if (textSide != 0) return;
        logitGradient = GroupReduce.Sum(terms, logitGradient);
        if (Group.IdxX == 0) scratch[Scratch.RowLogitGradient * a.Count + g] = logitGradient;
    }

    /// <summary>
    /// One group: the loss Σ_i (lse_row i + lse_column i − 2·L_ii) / 2N and, when <paramref name="gradients"/> is 1,
    /// dt = Σ_i Σ_j G_ij L_ij (0 where the cap holds the scale).
    /// </summary>
    private static void TotalKernel(InfoNceArguments a, ArrayView<float> scratch, ArrayView<float> loss, ArrayView<float> logScaleGrad,
        int gradients)
    {
        var reduce = SharedMemory.Allocate<float>(GroupReduce.MaxGroup);
        int n = a.Count;
        float total = 0f, logitGradient = 0f;
        for (int i = Group.IdxX; i < n; i += Group.DimX)
        {
            total += scratch[Scratch.RowLogSumExp * n + i] + scratch[Scratch.ColumnLogSumExp * n + i] - 2f * scratch[Scratch.Diagonal * n + i];
            if (gradients != 0) logitGradient += scratch[Scratch.RowLogitGradient * n + i];
        }
        total = GroupReduce.Sum(reduce, total);
        logitGradient = GroupReduce.Sum(reduce, logitGradient);
        if (Group.IdxX != 0) return;
        loss[0] = total / (2f * n);
        if (gradients != 0) logScaleGrad[0] = a.Clamped != 0 ? 0f : logitGradient;
    }
}
