using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors;

namespace EmbedEngine.Tensors.Tests;

/// <summary>
/// L2 normalization and CLIP's loss as a model uses them (both sides normalized, then the fused InfoNCE) against
/// finite differences of a double-precision reference, for the raw image and text rows and the log scale. The
/// L2 normalization kernel's backward formula is checked here, through the op that calls it.
/// </summary>
public class ContrastiveGradientTests
{
    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void L2_normalize_gradient_matches_finite_differences(string device)
    {
        using Tensor x = GradientCheck.Random(31, 2, 3, 5);
        GradientCheck.CheckOn(device, t => Ops.L2Normalize(t[0]), p => NormalizeRows(p[0], 5), x);
    }

    /// <summary>Small cases of the two theories below on each device: plain CLIP, hard negatives, and the capped scale.</summary>
    public static TheoryData<string, int, int, int, float> DeviceCases()
    {
        var cases = new TheoryData<string, int, int, int, float>();
        foreach (string device in (string[])["cpu", TestDevices.GpuName])
        {
            cases.Add(device, 5, 0, 4, 1.2f);
            cases.Add(device, 4, 3, 3, 2.996f);
            cases.Add(device, 6, 0, 8, 4.8f);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(DeviceCases))]
    public void Infonce_gradients_on_each_device_match_finite_differences(string device, int pairs, int negatives, int dimension, float logScale)
    {
        using Tensor anchors = GradientCheck.Random(36, pairs, dimension), texts = GradientCheck.Random(37, pairs + negatives, dimension);
        using Tensor t = Tensor.FromArray([logScale], 1);
        GradientCheck.CheckOn(device, x => Ops.InfoNce(Ops.L2Normalize(x[0]), Ops.L2Normalize(x[1]), x[2], negatives: negatives),
            p => [ClipLoss(p[0], p[1], p[2][0], pairs, negatives, dimension)], anchors, texts, t);
    }

    [Theory]
    [InlineData(5, 4, 1.2f)]
    [InlineData(70, 3, 2.0f)] // more pairs than one 64-row block
    [InlineData(6, 8, 4.8f)] // e^t above the cap: the scale is 100 and t gets no gradient
    public void Normalized_infonce_gradients_match_finite_differences(int pairs, int dimension, float logScale)
    {
        using Tensor image = GradientCheck.Random(32, pairs, dimension), text = GradientCheck.Random(33, pairs, dimension);
        using Tensor t = Tensor.FromArray([logScale], 1);
        GradientCheck.Check(x => Ops.InfoNce(Ops.L2Normalize(x[0]), Ops.L2Normalize(x[1]), x[2]),
            p => [ClipLoss(p[0], p[1], p[2][0], pairs, 0, dimension)], image, text, t);
    }

    [Theory]
    [InlineData(4, 4, 3, 2.996f)] // SimCSE: a hard negative per pair
    [InlineData(67, 3, 5, 2.0f)] // fewer negatives than pairs, across the 64-row block
    public void Hard_negative_gradients_match_finite_differences(int pairs, int negatives, int dimension, float logScale)
    {
        using Tensor anchors = GradientCheck.Random(34, pairs, dimension), texts = GradientCheck.Random(35, pairs + negatives, dimension);
        using Tensor t = Tensor.FromArray([logScale], 1);
        GradientCheck.Check(x => Ops.InfoNce(Ops.L2Normalize(x[0]), Ops.L2Normalize(x[1]), x[2], negatives: negatives),
            p => [ClipLoss(p[0], p[1], p[2][0], pairs, negatives, dimension)], anchors, texts, t);
    }

    [Fact]
    public void Mismatched_shapes_are_refused()
    {
        using Tensor image = GradientCheck.Random(1, 4, 3), text = GradientCheck.Random(2, 4, 2), t = Tensor.FromArray([1f], 1);
        var e = Assert.Throws<ArgumentException>(() => Ops.InfoNce(image, text, t));
        Assert.Contains("must both be [pairs, dimension]", e.Message, StringComparison.Ordinal);
        using Tensor five = GradientCheck.Random(3, 5, 3);
        e = Assert.Throws<ArgumentException>(() => Ops.InfoNce(image, five, t, negatives: 2));
        Assert.Contains("[pairs + 2 negatives, dimension]", e.Message, StringComparison.Ordinal);
    }

    private static double[] NormalizeRows(double[] x, int columns)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / columns; r++)
        {
            double norm = 0;
            for (int c = 0; c < columns; c++) norm += x[r * columns + c] * x[r * columns + c];
            norm = Math.Max(Math.Sqrt(norm), L2NormalizeKernel.DefaultEpsilon);
            for (int c = 0; c < columns; c++) y[r * columns + c] = x[r * columns + c] / norm;
        }
        return y;
    }

    /// <summary>
    /// ½[CE(s·Î·T̂ᵀ, diag) + CE(s·T̂[:n]·Îᵀ, diag)] in double, s = min(e^t, 100), for n images and n + h texts (the
    /// last h only in the first term).
    /// </summary>
    private static double ClipLoss(double[] image, double[] text, double logScale, int n, int h, int d)
    {
        double[] i = NormalizeRows(image, d), t = NormalizeRows(text, d);
        double scale = Math.Min(Math.Exp(logScale), InfoNceKernel.ClipMaxScale);
        int m = n + h;
        var logits = new double[n * m];
        for (int a = 0; a < n; a++)
        for (int b = 0; b < m; b++)
            for (int c = 0; c < d; c++) logits[a * m + b] += scale * i[a * d + c] * t[b * d + c];
        double loss = 0;
        for (int a = 0; a < n; a++)
        {
            double rowSum = 0, columnSum = 0;
            for (int b = 0; b < m; b++) rowSum += Math.Exp(logits[a * m + b]);
            for (int b = 0; b < n; b++) columnSum += Math.Exp(logits[b * m + a]);
            loss += Math.Log(rowSum) + Math.Log(columnSum) - 2 * logits[a * m + a];
        }
        return loss / (2.0 * n);
    }
}
