using EmbedEngine.Kernels;

namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>The L2 norm of every row of a matrix, as fastText's l2NormRow: for -cutoff and for -qnorm.</summary>
internal static class RowNorms
{
    public static float[] Of(NativeMatrix matrix)
    {
        var norms = new float[matrix.Rows];
        for (int row = 0; row < matrix.Rows; row++)
        {
            ReadOnlySpan<float> values = matrix.Row(row);
            norms[row] = MathF.Sqrt(DotKernel.Dot(values, values));
        }
        return norms;
    }
}
