using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="InfoNceKernel"/>'s twin: CLIP's symmetric InfoNCE loss over N image rows and N + H text rows (captions,
/// then hard negatives) with the scale s = min(e^t, cap), and its gradients dI = s·G·T, dT = s·Gᵀ·I and dt = Σ G∘L
/// (0 where the cap holds the scale), G = (softmax_rows(L) + softmax_columns(L[:, :N]) − 2·Id) / 2N. Like the CPU
/// kernel's blocked variants it never holds the N × M logits: one thread group per row (and per caption column)
/// computes its logits on the fly and keeps a running maximum and sum per thread, merged across the group, for the
/// row's (column's) log-sum-exp; one group per image row and one per text row then recompute their logits, form G a
/// group-width of terms at a time in shared memory and accumulate their gradient row. The loss and dt stay on the
/// device; every call returns once queued.
/// </summary>
public static partial class InfoNceGpu
{
    /// <summary>Floats of the scratch view <see cref="Compute"/> needs for <paramref name="count"/> pairs: four per pair.</summary>
    public static int ScratchLength(int count) => Scratch.Parts * count;

    /// <summary>Writes the loss and, when the gradient views are given, dI, dT and dt, on <paramref name="device"/>.</summary>
    /// <param name="device">Where the views live.</param>
    /// <param name="image">Image embeddings, N rows of d floats.</param>
    /// <param name="text">Text embeddings, N + H rows of d floats; row i &lt; N is image i's caption, the rest hard negatives.</param>
    /// <param name="count">N, the pairs in the batch.</param>
    /// <param name="negatives">H, the hard-negative text rows after the captions (0 for CLIP).</param>
    /// <param name="dimension">d.</param>
    /// <param name="logScale">t: the scale is e^t, capped at <paramref name="maxScale"/>.</param>
    /// <param name="maxScale">The cap (<see cref="InfoNceKernel.ClipMaxScale"/> in CLIP).</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/> floats the call may overwrite (each row's and column's log-sum-exp).</param>
    /// <param name="loss">Receives the loss: one float.</param>
    /// <param name="imageGrad">Receives dL/dI (N × d), or an empty view for the loss alone.</param>
    /// <param name="textGrad">Receives dL/dT ((N + H) × d), or an empty view.</param>
    /// <param name="logScaleGrad">Receives dL/dt (one float), or an empty view.</param>
    public static void Compute(GpuDevice device, ArrayView<float> image, ArrayView<float> text, int count, int negatives, int dimension,
        float logScale, float maxScale, ArrayView<float> scratch, ArrayView<float> loss, ArrayView<float> imageGrad = default,
        ArrayView<float> textGrad = default, ArrayView<float> logScaleGrad = default)
    {
        InfoNceKernel.CheckSizes(count, negatives, dimension, logScale, maxScale);
        int texts = count + negatives;
        RowMajor.Length("image", DeviceViews.Length(image, "image"), count * dimension);
        RowMajor.Length("text", DeviceViews.Length(text, "text"), texts * dimension);
        RowMajor.Length("loss", DeviceViews.Length(loss, "loss"), 1);
        if (DeviceViews.Length(scratch, "scratch") < ScratchLength(count))
            throw new ArgumentException($"'scratch' holds {scratch.Length} floats; {ScratchLength(count)} needed for {count} pairs.", nameof(scratch));
        bool gradients = CheckGradients(count, texts, dimension, imageGrad, textGrad, logScaleGrad);
        if (count == 0)
        {
            loss.MemSetToZero();
            if (gradients) logScaleGrad.MemSetToZero();
            return;
        }
        var arguments = new InfoNceArguments(count, negatives, dimension, InfoNceKernel.Scale(logScale, maxScale),
            InfoNceKernel.ScaleIsClamped(logScale, maxScale) ? 1 : 0);
        scratch = scratch.SubView(0, ScratchLength(count));
        LogSumExpLauncher.On(device)(GroupReduce.RowGroups(device, count), arguments, image, text, scratch, 0);
        LogSumExpLauncher.On(device)(GroupReduce.RowGroups(device, count), arguments, image, text, scratch, 1);
        if (gradients)
        {
            GradientLauncher.On(device)(GroupReduce.RowGroups(device, count), arguments, image, text, scratch, imageGrad, 0);
            GradientLauncher.On(device)(GroupReduce.RowGroups(device, texts), arguments, image, text, scratch, textGrad, 1);
        }
        // Without gradients the dt view is empty; the loss stands in for it (never written), as a kernel needs a real view.
        TotalLauncher.On(device)(GroupReduce.RowGroups(device, 1), arguments, scratch, loss, gradients ? logScaleGrad : loss, gradients ? 1 : 0);
    }

    /// <summary>Whether gradients are wanted: all three views of the right lengths, or all three empty.</summary>
    private static bool CheckGradients(int count, int texts, int dimension, ArrayView<float> imageGrad, ArrayView<float> textGrad,
        ArrayView<float> logScaleGrad)
    {
        if (logScaleGrad.Length == 0)
        {
            if (imageGrad.Length != 0 || textGrad.Length != 0)
                throw new ArgumentException("Pass all three gradient views (dI, dT, dt) or none.");
            return false;
        }
        RowMajor.Length("logScaleGrad", DeviceViews.Length(logScaleGrad, "logScaleGrad"), 1);
        RowMajor.Length("imageGrad", DeviceViews.Length(imageGrad, "imageGrad"), count * dimension);
        RowMajor.Length("textGrad", DeviceViews.Length(textGrad, "textGrad"), texts * dimension);
        return true;
    }

    /// <summary>
    /// The scalars of one call as one kernel argument (internal, since ILGPU's generated launcher must see it), the
    /// clamp as 0 or 1 since kernel arguments cannot be bool.
    /// </summary>
    internal readonly record struct InfoNceArguments(int Count, int Negatives, int Dimension, float Scale, int Clamped)
    {
        /// <summary>M: the text rows.</summary>
        public int Texts => Count + Negatives;

        /// <summary>L_ij = s·I_i·T_j.</summary>
        public float Logit(ArrayView<float> image, int i, ArrayView<float> text, int j)
        {
            float dot = 0f;
            for (int c = 0; c < Dimension; c++) dot += image[(long)i * Dimension + c] * text[(long)j * Dimension + c];
            return Scale * dot;
        }

        /// <summary>G_ij = (e^(L − lse_row i) + [j &lt; N] e^(L − lse_column j)) / 2N − [i = j] / N, in the reference's formula.</summary>
        public float Gradient(ArrayView<float> scratch, int i, int j, float logit)
        {
            float columnTerm = j < Count ? MathF.Exp(logit - scratch[Scratch.ColumnLogSumExp * Count + j]) : 0f;
            return (MathF.Exp(logit - scratch[Scratch.RowLogSumExp * Count + i]) + columnTerm) / (2f * Count) - (i == j ? 1f / Count : 0f);
        }
    }

    /// <summary>The scratch view: four blocks of N floats.</summary>
    private static class Scratch
    {
        public const int RowLogSumExp = 0, ColumnLogSumExp = 1, Diagonal = 2, RowLogitGradient = 3, Parts = 4;
    }
}
