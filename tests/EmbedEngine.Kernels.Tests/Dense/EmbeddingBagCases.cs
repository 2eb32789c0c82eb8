using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu.Dense;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// The embedding bag's cases: a few bags of 0 to 3 rows of a small table, rows repeating within and across bags.
/// Both sides add the same terms in the same order; the tolerance allows each sum's bound in case a device fuses a
/// multiply and an add.
/// </summary>
public static partial class DenseKernelCases
{
    /// <summary>(indices, offsets): up to 4 bags of 0 to 3 rows of <paramref name="tableRows"/>; none for an empty shape.</summary>
    private static (int[] Indices, int[] Offsets) Bags(Shape s, int tableRows)
    {
        int bags = RowsOf(s) == 0 ? 0 : s.Rng.Next(5);
        var offsets = new int[bags + 1];
        for (int b = 0; b < bags; b++) offsets[b + 1] = offsets[b] + s.Rng.Next(4);
        return (s.Indices(offsets[^1], tableRows), offsets);
    }

    private static Problem EmbeddingBagMean(Shape s)
    {
        int n = s.Length, tableRows = 1 + s.Rng.Next(6);
        (int[] indices, int[] offsets) = Bags(s, tableRows);
        float[] table = s.Vector(tableRows * n);
        var tol = new double[(offsets.Length - 1) * n];
        for (int b = 0; b + 1 < offsets.Length; b++)
            for (int c = 0; c < n; c++)
            {
                double abs = 0;
                for (int i = offsets[b]; i < offsets[b + 1]; i++) abs += Math.Abs(table[indices[i] * n + c]);
                tol[b * n + c] = Bounds.Sum(offsets[b + 1] - offsets[b] + 1, abs) + Floor;
            }
        var problem = new Problem();
        int ht = problem.Add("table", table), ho = problem.Add("output", s.Vector(tol.Length), KernelCases.ToTolerance(tol));
        problem.Run = (_, m) =>
        {
            EmbeddingBagKernel.Mean(m.Span(ht), n, indices, offsets, m.Span(ho));
            return 0f;
        };
        problem.Gpu = d =>
        {
            EmbeddingBagGpu.Mean(d.Device, d.View(ht), n, d.Upload(indices), d.Upload(offsets), d.View(ho));
            return 0f;
        };
        return problem;
    }

    private static Problem EmbeddingBagMeanBackward(Shape s)
    {
        int n = s.Length, tableRows = 1 + s.Rng.Next(6);
        (int[] indices, int[] offsets) = Bags(s, tableRows);
        float[] grad = s.Vector((offsets.Length - 1) * n), tableGrad = s.Vector(tableRows * n);
        var abs = Array.ConvertAll(tableGrad, v => (double)Math.Abs(v));
        var terms = new int[tableGrad.Length];
        for (int b = 0; b + 1 < offsets.Length; b++)
            for (int i = offsets[b]; i < offsets[b + 1]; i++)
                for (int c = 0; c < n; c++)
                {
                    abs[indices[i] * n + c] += Math.Abs(grad[b * n + c]) / (offsets[b + 1] - offsets[b]);
                    terms[indices[i] * n + c]++;
                }
        var tol = new double[tableGrad.Length];
        for (int k = 0; k < tol.Length; k++) tol[k] = Bounds.Sum(2 * terms[k] + 1, abs[k]) + Floor;
        var problem = new Problem();
        int hg = problem.Add("grad", grad), ht = problem.Add("tableGrad", tableGrad, KernelCases.ToTolerance(tol));
        problem.Run = (_, m) =>
        {
            EmbeddingBagKernel.MeanBackward(m.Span(hg), n, indices, offsets, m.Span(ht));
            return 0f;
        };
        problem.Gpu = d =>
        {
            EmbeddingBagGpu.MeanBackward(d.Device, d.View(hg), n, d.Upload(indices), d.Upload(offsets), d.View(ht));
            return 0f;
        };
        return problem;
    }
}
