using EmbedEngine.Kernels;

namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>
/// The L2 norm of every row of a matrix for -cutoff and -qnorm, as fastText's l2NormRow computes it: float squares
/// summed in double, in column order, so rows of nearly equal norm rank as they rank in fastText.
/// </summary>
internal static class RowNorms
{
    public static float[] Of(NativeMatrix matrix)
    {
        var norms = new float[matrix.Rows];
        for (int row = 0; row < matrix.Rows; row++)
        {
            double sum = 0;
            foreach (float value in matrix.Row(row)) sum += value * value;
            norms[row] = (float)Math.Sqrt(sum);
        }
        return norms;
    }
}
